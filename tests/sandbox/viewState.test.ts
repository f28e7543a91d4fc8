/** What the page's answers become in view.state.values, and what Slack's client says before sending. */
import { describe, expect, it } from 'vitest';
import { aboveMaximum, belowMinimum, FIELD_REQUIRED, NOT_A_NUMBER, NOT_A_WHOLE_NUMBER, tooManyChoices, viewState } from '../../src/sandbox/viewState.js';

const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
const view = {
  blocks: [
    { type: 'input', block_id: 'records', label: {}, element: { type: 'number_input', action_id: 'n', is_decimal_allowed: false, min_value: '0', max_value: '1000' } },
    { type: 'input', block_id: 'rate', optional: true, label: {}, element: { type: 'number_input', action_id: 'r', is_decimal_allowed: true } },
    { type: 'input', block_id: 'providers', label: {}, element: { type: 'multi_static_select', action_id: 'p', max_selected_items: 2, options: [option('Stripe'), option('PayPal'), option('Adyen')] } },
  ],
};
const people = new Set<string>();

describe('number inputs and multiple selects in view.state', () => {
  it('sends a number as the text typed, and several choices as their options', () => {
    expect(viewState(view, { records: ' 42 ', rate: '-0.5', providers: ['Stripe', 'Adyen'] }, people)).toEqual({
      values: {
        records: { n: { type: 'number_input', value: '42' } },
        rate: { r: { type: 'number_input', value: '-0.5' } },
        providers: { p: { type: 'multi_static_select', selected_options: [option('Stripe'), option('Adyen')] } },
      },
    });
  });

  it('says what is wrong under the field, as Slack\'s client does, and sends nothing', () => {
    expect(viewState(view, { records: 'forty', rate: '1,5', providers: [] }, people)).toEqual({ errors: { records: NOT_A_NUMBER, rate: NOT_A_NUMBER, providers: FIELD_REQUIRED } });
    expect(viewState(view, { records: '2.5', providers: ['Stripe', 'PayPal', 'Adyen'] }, people)).toEqual({ errors: { records: NOT_A_WHOLE_NUMBER, providers: tooManyChoices(2) } });
    expect(viewState(view, { records: '-1', providers: ['Stripe'] }, people)).toEqual({ errors: { records: belowMinimum('0') } });
    expect(viewState(view, { records: '1001', providers: ['Stripe'] }, people)).toEqual({ errors: { records: aboveMaximum('1000') } });
  });

  it('refuses a choice the list does not offer, and a list where one value goes', () => {
    expect(viewState(view, { records: '1', providers: ['Klarna'] }, people)).toEqual({ refused: 'providers: a choice that is not one of its options' });
    expect(viewState(view, { records: ['1'], providers: ['Stripe'] }, people)).toEqual({ refused: 'records: a number_input takes one value' });
  });

  it('sends a block action\'s state as it stands, unchecked, as Slack does', () => {
    expect(viewState(view, { records: 'forty', providers: [] }, people, 'action')).toEqual({
      values: {
        records: { n: { type: 'number_input', value: 'forty' } },
        rate: { r: { type: 'number_input', value: null } },
        providers: { p: { type: 'multi_static_select', selected_options: [] } },
      },
    });
  });
});

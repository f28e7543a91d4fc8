/**
 * What a person typed and chose in a modal, turned into `view.state.values` as Slack's client
 * does, with the client's own checks: a required input left empty or text outside its length
 * limits is shown under the field and never sent to the bot. A value the modal never offered (an
 * option it does not have, a person who does not exist, a date that is not one) is refused, as
 * Slack refuses a forged payload.
 */
type Json = Record<string, any>;

/** The page's answer for one input: text, one choice, several choices, or nothing. */
export type FieldAnswer = string | string[] | null;

export type ViewStateResult =
  | { values: Record<string, Record<string, Json>> }
  /** Shown under the fields, by block id; nothing is sent. */
  | { errors: Record<string, string> }
  /** What Slack would never send: the page (or whoever sent this) is out of step with the modal. */
  | { refused: string };

export const FIELD_REQUIRED = 'Please fill out this field.';
export const tooShort = (min: number) => `Please enter at least ${min} characters.`;
export const tooLong = (max: number) => `Please enter no more than ${max} characters.`;

const isEmpty = (answer: FieldAnswer | undefined) => answer === undefined || answer === null || answer === '' || (Array.isArray(answer) && answer.length === 0);

export function viewState(view: { blocks?: Json[] }, answers: Record<string, FieldAnswer>, people: ReadonlySet<string>): ViewStateResult {
  const inputs = (view.blocks ?? []).filter((block) => block.type === 'input');
  const known = new Set(inputs.map((block) => String(block.block_id)));
  const stray = Object.keys(answers).filter((blockId) => !known.has(blockId));
  if (stray.length > 0) return { refused: `the modal has no input ${stray.join(', ')}` };

  const errors: Record<string, string> = {};
  const values: Record<string, Record<string, Json>> = {};
  for (const block of inputs) {
    const blockId = String(block.block_id);
    const element: Json = block.element ?? {};
    const answer = answers[blockId];
    if (Array.isArray(answer) ? element.type !== 'checkboxes' : answer !== undefined && answer !== null && typeof answer !== 'string') {
      return { refused: `${blockId}: a ${element.type} takes ${element.type === 'checkboxes' ? 'a list of choices' : 'one value'}` };
    }
    if (isEmpty(answer) && !block.optional) {
      errors[blockId] = FIELD_REQUIRED;
      continue;
    }
    const options: Json[] = Array.isArray(element.options) ? element.options : [];
    const optionFor = (value: string) => options.find((option) => String(option.value) === value);
    const state: Json = { type: element.type };
    switch (element.type) {
      case 'plain_text_input': {
        const text = typeof answer === 'string' ? answer : '';
        if (text && typeof element.min_length === 'number' && text.length < element.min_length) errors[blockId] = tooShort(element.min_length);
        else if (typeof element.max_length === 'number' && text.length > element.max_length) errors[blockId] = tooLong(element.max_length);
        else if (text.length > 3000) errors[blockId] = tooLong(3000);
        state.value = text === '' ? null : text;
        break;
      }
      case 'static_select':
      case 'radio_buttons': {
        const chosen = typeof answer === 'string' && answer !== '' ? optionFor(answer) : null;
        if (chosen === undefined) return { refused: `${blockId}: "${String(answer)}" is not one of its options` };
        state.selected_option = chosen;
        break;
      }
      case 'checkboxes': {
        const chosen = (Array.isArray(answer) ? answer : []).map((value) => optionFor(value));
        if (chosen.some((option) => option === undefined)) return { refused: `${blockId}: a choice that is not one of its options` };
        state.selected_options = chosen;
        break;
      }
      case 'users_select': {
        const user = typeof answer === 'string' && answer !== '' ? answer : null;
        if (user !== null && !people.has(user)) return { refused: `${blockId}: no person ${user}` };
        state.selected_user = user;
        break;
      }
      case 'datepicker': {
        const date = typeof answer === 'string' && answer !== '' ? answer : null;
        if (date !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) return { refused: `${blockId}: "${date}" is not a date` };
        state.selected_date = date;
        break;
      }
      default:
        return { refused: `${blockId}: the sandbox cannot fill a ${String(element.type)}` };
    }
    values[blockId] = { [String(element.action_id)]: state };
  }
  return Object.keys(errors).length > 0 ? { errors } : { values };
}

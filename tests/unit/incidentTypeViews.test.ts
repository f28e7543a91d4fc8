import { describe, expect, it } from 'vitest';
import { checkFieldValues, type FieldDefinition } from '../../src/domain/incidentTypes.js';
import { validateModalView } from '../../src/sandbox/blockKitRules.js';
import { editDetailsModal, fieldBlocks, readFieldValues } from '../../src/slack/views/incidentTypeBlocks.js';

const field = (key: string, kind: FieldDefinition['kind'], options: string[] = []): FieldDefinition => ({ key, label: key, kind, options, required: false });
const FIELDS = [
  field('summary', 'short_text'),
  field('story', 'long_text'),
  field('count', 'number'),
  field('tier', 'single_select', ['free', 'pro']),
  field('regions', 'multi_select', ['eu', 'us']),
  field('owner', 'user'),
  field('since', 'date'),
];

describe('the Block Kit of incident type fields', () => {
  it('gives each kind its element, with the stored value shown, in a modal the fake Slack accepts', () => {
    const values = { summary: 'short', story: 'long\ntext', count: 3.5, tier: 'pro', regions: ['us'], owner: 'UBOB', since: '2026-11-20' };
    const blocks = fieldBlocks(FIELDS, values) as unknown as { element: Record<string, unknown> }[];
    expect(blocks.map((block) => [block.element.type, block.element.multiline ?? null])).toEqual([
      ['plain_text_input', null],
      ['plain_text_input', true],
      ['number_input', null],
      ['static_select', null],
      ['multi_static_select', null],
      ['users_select', null],
      ['datepicker', null],
    ]);
    expect(blocks.map((block) => block.element.initial_value ?? block.element.initial_option ?? block.element.initial_options ?? block.element.initial_user ?? block.element.initial_date)).toEqual([
      'short',
      'long\ntext',
      '3.5',
      { text: { type: 'plain_text', text: 'pro', emoji: true }, value: 'pro' },
      [{ text: { type: 'plain_text', text: 'us', emoji: true }, value: 'us' }],
      'UBOB',
      '2026-11-20',
    ]);
    const type = { key: 't', label: 'T', isPrivate: false, channelPrefix: undefined, responders: [], userGroup: undefined, fields: FIELDS };
    expect(validateModalView(editDetailsModal({ id: 1, fields: values }, type))).toEqual([]);
  });

  it('the fake Slack refuses what Slack refuses: a number_input without is_decimal_allowed, a date not YYYY-MM-DD', () => {
    const view = (element: Record<string, unknown>) => ({ type: 'modal', title: { type: 'plain_text', text: 'T' }, submit: { type: 'plain_text', text: 'S' }, blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element }] });
    expect(validateModalView(view({ type: 'number_input', action_id: 'a' }))).toEqual(['/blocks/0/element/is_decimal_allowed: is required']);
    expect(validateModalView(view({ type: 'datepicker', action_id: 'a', initial_date: '20/11/2026' }))).toEqual(['/blocks/0/element/initial_date: must be YYYY-MM-DD']);
  });

  it('reads the form back by field key and checks each kind', () => {
    const state = {
      'field:count': { 'field_value:count': { value: '12' } },
      'field:regions': { 'field_value:regions': { selected_options: [{ value: 'eu' }, { value: 'mars' }] } },
      'field:since': { 'field_value:since': { selected_date: '2026-11-20' } },
      'field:owner': { 'field_value:owner': { selected_user: null } },
    };
    const raw = readFieldValues(state);
    expect(raw).toEqual({ count: '12', regions: ['eu', 'mars'], since: '2026-11-20', owner: null });
    expect(checkFieldValues(FIELDS, raw)).toEqual({ ok: false, errors: { regions: 'regions: "mars" is not one of its options.' } });
    expect(checkFieldValues(FIELDS, { ...raw, regions: ['eu'] })).toEqual({ ok: true, values: { count: 12, regions: ['eu'], since: '2026-11-20' } });
  });
});

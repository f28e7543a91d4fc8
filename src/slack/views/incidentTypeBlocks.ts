/**
 * The declare form's incident type and the type's custom fields (incident_types in
 * incident.config.yml), in blocks of their own: the Type select redraws the form with the chosen
 * type's fields, and the **Edit details** modal shows the same fields.
 */
import type { InputBlock, KnownBlock, PlainTextElement, PlainTextOption, View } from '@slack/types';
import { FIELD_LIMITS, type FieldDefinition, type FieldValue, type IncidentType, type RawFieldValues } from '../../domain/incidentTypes.js';
import { clip, plainText, type FormValues } from './blocks.js';

export const TYPE_BLOCK_ID = 'incident_type';
export const TYPE_ACTION_ID = 'incident_type_select';
/** Each field's block and its input are named after the configured key: `field:<key>`, `field_value:<key>`. */
const FIELD_BLOCK_PREFIX = 'field:';
export const fieldBlockId = (key: string) => `${FIELD_BLOCK_PREFIX}${key}`;
const fieldActionId = (key: string) => `field_value:${key}`;

const option = (value: string, label = value): PlainTextOption => ({ text: plainText(clip(label, FIELD_LIMITS.optionText)), value });

/** The Type select; choosing a type sends a block action at once (dispatch_action) so the form can show its fields. */
export function typeSelectBlock(types: readonly IncidentType[], chosen: IncidentType | undefined): KnownBlock {
  return {
    type: 'input',
    block_id: TYPE_BLOCK_ID,
    dispatch_action: true,
    optional: true,
    label: plainText('Type'),
    hint: plainText('Sets who is invited and what the form asks.'),
    element: {
      type: 'static_select',
      action_id: TYPE_ACTION_ID,
      placeholder: plainText('Choose a type'),
      options: types.map((type) => option(type.key, type.label)),
      ...(chosen ? { initial_option: option(chosen.key, chosen.label) } : {}),
    },
  };
}

/** One input block per field, with the Block Kit element for its kind, showing `values` where given. */
export function fieldBlocks(fields: readonly FieldDefinition[], values: Record<string, FieldValue> = {}): KnownBlock[] {
  return fields.map((field): InputBlock => ({
    type: 'input',
    block_id: fieldBlockId(field.key),
    optional: !field.required,
    label: plainText(clip(field.label, FIELD_LIMITS.label)),
    element: fieldElement(field, fieldActionId(field.key), values[field.key]),
  }));
}

function fieldElement(field: FieldDefinition, actionId: string, value: FieldValue | undefined): InputBlock['element'] {
  const text = value === undefined || Array.isArray(value) ? undefined : String(value);
  switch (field.kind) {
    case 'short_text':
      return { type: 'plain_text_input', action_id: actionId, max_length: FIELD_LIMITS.shortText, ...(text ? { initial_value: clip(text, FIELD_LIMITS.shortText) } : {}) };
    case 'long_text':
      return { type: 'plain_text_input', action_id: actionId, multiline: true, max_length: FIELD_LIMITS.longText, ...(text ? { initial_value: clip(text, FIELD_LIMITS.longText) } : {}) };
    case 'number':
      return { type: 'number_input', action_id: actionId, is_decimal_allowed: true, ...(text ? { initial_value: text } : {}) };
    case 'single_select':
      return { type: 'static_select', action_id: actionId, options: field.options.map((choice) => option(choice)), ...(text && field.options.includes(text) ? { initial_option: option(text) } : {}) };
    case 'multi_select': {
      const chosen = (Array.isArray(value) ? value : text ? [text] : []).filter((choice) => field.options.includes(choice));
      return { type: 'multi_static_select', action_id: actionId, options: field.options.map((choice) => option(choice)), ...(chosen.length > 0 ? { initial_options: chosen.map((choice) => option(choice)) } : {}) };
    }
    case 'user':
      return { type: 'users_select', action_id: actionId, ...(text ? { initial_user: text } : {}) };
    case 'date':
      return { type: 'datepicker', action_id: actionId, ...(text ? { initial_date: text } : {}) };
  }
}

/** The chosen type's key, or null. */
export const readChosenType = (values: FormValues): string | null => values[TYPE_BLOCK_ID]?.[TYPE_ACTION_ID]?.selected_option?.value ?? null;

/** The fields' raw values as the form gives them, by field key, for checkFieldValues. */
export function readFieldValues(values: FormValues): RawFieldValues {
  const raw: RawFieldValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    if (!blockId.startsWith(FIELD_BLOCK_PREFIX)) continue;
    const key = blockId.slice(FIELD_BLOCK_PREFIX.length);
    const state = actions[fieldActionId(key)];
    if (!state) continue;
    raw[key] =
      state.selected_options !== undefined
        ? state.selected_options.map((chosen) => chosen.value)
        : (state.selected_option?.value ?? state.selected_user ?? state.selected_date ?? state.value ?? null);
  }
  return raw;
}

/** Field errors by block id, as `response_action: "errors"` wants them. */
export const fieldErrors = (errors: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).map(([key, message]) => [fieldBlockId(key), message]));

type Element = Record<string, unknown> & { type: string };
type StateOf = FormValues[string][string];

/** What was typed into one input, set as its initial value so a redraw keeps it. */
function keepTyped(element: Element, state: StateOf | undefined): Element {
  if (!state) return element;
  const kept: Element = { ...element };
  for (const key of ['initial_value', 'initial_option', 'initial_options', 'initial_user', 'initial_date']) delete kept[key];
  const options = (element.options as PlainTextOption[] | undefined) ?? [];
  const known = (value: string) => options.find((candidate) => candidate.value === value);
  if (state.value) kept.initial_value = state.value;
  if (state.selected_option && known(state.selected_option.value)) kept.initial_option = known(state.selected_option.value);
  if (state.selected_options && element.type !== 'checkboxes') {
    const chosen = state.selected_options.flatMap((chosenOption) => known(chosenOption.value) ?? []);
    if (chosen.length > 0) kept.initial_options = chosen;
  } else if (state.selected_options && state.selected_options.length > 0) {
    kept.initial_options = state.selected_options.flatMap((chosenOption) => options.filter((candidate) => candidate.value === chosenOption.value));
  }
  if (state.selected_user) kept.initial_user = state.selected_user;
  if (state.selected_date) kept.initial_date = state.selected_date;
  return kept;
}

/**
 * The declare form redrawn for the type now chosen: the previous type's fields go, the new type's
 * come after the Type select, every input keeps what was typed, and the visibility checkbox starts
 * as the type says (`private`). Only what `views.update` takes is kept of the view Slack sent.
 */
export function redrawForType(
  view: { callback_id?: string; private_metadata?: string; title: PlainTextElement; submit?: PlainTextElement | null; close?: PlainTextElement | null; blocks: KnownBlock[] },
  values: FormValues,
  types: readonly IncidentType[],
  privacy: { blockId: string; actionId: string },
): View {
  const chosen = types.find((type) => type.key === readChosenType(values));
  const blocks: KnownBlock[] = [];
  for (const block of view.blocks) {
    if (block.block_id?.startsWith(FIELD_BLOCK_PREFIX)) continue;
    if (block.type !== 'input') {
      blocks.push(block);
      continue;
    }
    const element = block.element as unknown as Element;
    let kept = keepTyped(element, values[block.block_id ?? '']?.[(element.action_id as string) ?? '']);
    if (block.block_id === privacy.blockId) {
      // The type's default replaces what the previous type set; the declarer can still change it.
      const options = (element.options as PlainTextOption[] | undefined) ?? [];
      const { initial_options: _dropped, ...rest } = kept;
      kept = chosen?.isPrivate ? { ...rest, initial_options: options.slice(0, 1) } : rest;
    }
    blocks.push({ ...block, element: kept } as unknown as KnownBlock);
    if (block.block_id === TYPE_BLOCK_ID && chosen) blocks.push(...fieldBlocks(chosen.fields));
  }
  return {
    type: 'modal',
    ...(view.callback_id ? { callback_id: view.callback_id } : {}),
    ...(view.private_metadata ? { private_metadata: view.private_metadata } : {}),
    title: view.title,
    ...(view.submit ? { submit: view.submit } : {}),
    ...(view.close ? { close: view.close } : {}),
    blocks,
  };
}

export const EDIT_DETAILS_CALLBACK_ID = 'edit_details';

/** **Edit details** on the summary: the type's fields with their current values. */
export function editDetailsModal(incident: { id: number; fields: Record<string, FieldValue> }, type: IncidentType): View {
  return {
    type: 'modal',
    callback_id: EDIT_DETAILS_CALLBACK_ID,
    private_metadata: JSON.stringify({ incidentId: incident.id }),
    title: plainText('Edit details'),
    submit: plainText('Save'),
    close: plainText('Cancel'),
    blocks: fieldBlocks(type.fields, incident.fields),
  };
}

import { checkFieldValues, typeByKey, type FieldValue, type IncidentType } from '../../domain/incidentTypes.js';
import { CHOOSE_TYPE_AGAIN, UNKNOWN_TYPE } from '../../messages/incidentTypes.js';
import type { FormValues } from '../../slack/views/blocks.js';
import { fieldBlockId, fieldErrors, readChosenType, readFieldValues, TYPE_BLOCK_ID } from '../../slack/views/incidentTypeBlocks.js';

/** The declare form's type and its fields, checked: errors by block id, as `response_action: "errors"` wants them. */
export function checkTypeAndFields(
  types: readonly IncidentType[],
  values: FormValues,
): { ok: true; type: string | null; fields: Record<string, FieldValue> } | { ok: false; errors: Record<string, string> } {
  const key = readChosenType(values);
  if (key === null) return { ok: true, type: null, fields: {} };
  const type = typeByKey(types, key);
  // A type removed from the configuration while the form was open.
  if (!type) return { ok: false, errors: { [TYPE_BLOCK_ID]: UNKNOWN_TYPE } };
  // The redraw did not arrive (Slack failed it): the form lacks the type's fields, so they cannot carry an error.
  if (type.fields.length > 0 && !type.fields.some((field) => fieldBlockId(field.key) in values)) return { ok: false, errors: { [TYPE_BLOCK_ID]: CHOOSE_TYPE_AGAIN } };
  const checked = checkFieldValues(type.fields, readFieldValues(values));
  return checked.ok ? { ok: true, type: type.key, fields: checked.values } : { ok: false, errors: fieldErrors(checked.errors) };
}

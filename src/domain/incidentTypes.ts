/**
 * Incident types and their custom fields, as a team configures them (incident_types: in
 * incident.config.yml): each type may be private by default, name its channels with its own
 * prefix, invite its own people and ask its own questions in the declare form.
 */

export const FIELD_KINDS = ['short_text', 'long_text', 'number', 'single_select', 'multi_select', 'user', 'date'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** A field's value as stored: text (short/long text, single select, user id, YYYY-MM-DD date), a number, or the options chosen. */
export type FieldValue = string | number | string[];

export interface FieldDefinition {
  /** Kept as written: it is the value's name in the store and in webhooks. */
  key: string;
  label: string;
  kind: FieldKind;
  /** The choices of a single or multi select. */
  options: string[];
  required: boolean;
}

export interface IncidentType {
  key: string;
  label: string;
  /** Whether its incidents start private; the declare form's checkbox starts so. */
  isPrivate: boolean;
  /** Replaces INCIDENT_CHANNEL_PREFIX for its channels. */
  channelPrefix: string | undefined;
  /** Invited to the channel at declare. */
  responders: string[];
  /** A user-group handle (without @), its members invited at declare. */
  userGroup: string | undefined;
  fields: FieldDefinition[];
}

/** Slack's limits that the form's fields must respect (Block Kit). */
export const FIELD_LIMITS = { label: 2000, options: 100, optionText: 75, shortText: 150, longText: 3000 } as const;

export const typeByKey = (types: readonly IncidentType[], key: string | null | undefined): IncidentType | undefined =>
  key === null || key === undefined ? undefined : types.find((type) => type.key === key);

/** A field's value as one line of text, as the summary, `/incident status` and the post-mortem show it. */
export function fieldValueText(field: FieldDefinition, value: FieldValue | undefined): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  if (Array.isArray(value)) return value.join(', ');
  if (field.kind === 'user') return `<@${value}>`;
  return String(value);
}

/** Raw values as the form gave them: text, a number's text, a chosen option, chosen options, a user id, a date. */
export type RawFieldValues = Record<string, string | string[] | null | undefined>;

export type FieldCheck = { ok: true; values: Record<string, FieldValue> } | { ok: false; errors: Record<string, string> };

/** Checks a type's field values; every problem is reported on its own field, by key. */
export function checkFieldValues(fields: readonly FieldDefinition[], raw: RawFieldValues): FieldCheck {
  const values: Record<string, FieldValue> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const given = raw[field.key];
    const empty = given === undefined || given === null || (typeof given === 'string' ? given.trim() === '' : given.length === 0);
    if (empty) {
      if (field.required) errors[field.key] = `${field.label} is required.`;
      continue;
    }
    if (Array.isArray(given)) {
      const unknown = given.filter((option) => !field.options.includes(option));
      if (field.kind !== 'multi_select') errors[field.key] = `${field.label} takes one value.`;
      else if (unknown.length > 0) errors[field.key] = `${field.label}: "${unknown[0]}" is not one of its options.`;
      else values[field.key] = given;
      continue;
    }
    const text = given.trim();
    switch (field.kind) {
      case 'number': {
        const number = Number(text);
        if (!Number.isFinite(number)) errors[field.key] = `${field.label} must be a number, e.g. 42 or 3.5.`;
        else values[field.key] = number;
        break;
      }
      case 'single_select':
        if (!field.options.includes(text)) errors[field.key] = `${field.label}: choose one of its options.`;
        else values[field.key] = text;
        break;
      case 'multi_select':
        if (!field.options.includes(text)) errors[field.key] = `${field.label}: choose among its options.`;
        else values[field.key] = [text];
        break;
      case 'user':
        if (!/^[UW][A-Z0-9]{2,}$/.test(text)) errors[field.key] = `${field.label}: choose a person.`;
        else values[field.key] = text;
        break;
      case 'date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) errors[field.key] = `${field.label} must be a date (YYYY-MM-DD).`;
        else values[field.key] = text;
        break;
      case 'short_text':
      case 'long_text': {
        const max = field.kind === 'short_text' ? FIELD_LIMITS.shortText : FIELD_LIMITS.longText;
        if (text.length > max) errors[field.key] = `Keep ${field.label} to ${max} characters.`;
        else values[field.key] = text;
        break;
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** The fields whose value differs between two sets of values, in the type's order. */
export function changedFields(fields: readonly FieldDefinition[], before: Record<string, FieldValue>, after: Record<string, FieldValue>): FieldDefinition[] {
  return fields.filter((field) => JSON.stringify(before[field.key] ?? null) !== JSON.stringify(after[field.key] ?? null));
}

/**
 * An incident's type and field values as shown (summary, `/incident status`, post-mortem): the
 * configured labels, in the type's order; a type or a field no longer configured shows by its key,
 * so nothing stored is hidden.
 */
export function incidentDetails(
  incident: { type: string | null; fields: Record<string, FieldValue> },
  types: readonly IncidentType[],
): { type: string | null; fields: { field: FieldDefinition; value: FieldValue }[] } {
  const type = typeByKey(types, incident.type);
  const configured = type?.fields ?? [];
  const known = new Set(configured.map((field) => field.key));
  const leftOver = Object.keys(incident.fields)
    .filter((key) => !known.has(key))
    .map((key): FieldDefinition => ({ key, label: key, kind: 'short_text', options: [], required: false }));
  return {
    type: incident.type === null ? null : (type?.label ?? incident.type),
    fields: [...configured, ...leftOver].flatMap((field) => (incident.fields[field.key] === undefined ? [] : [{ field, value: incident.fields[field.key]! }])),
  };
}

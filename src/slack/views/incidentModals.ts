/**
 * The modals used inside an incident channel: status update, severity, note and resolve. Each
 * carries the incident id in private_metadata; each reader turns Slack's state back into plain values.
 */
import type { InputBlock, View } from '@slack/types';
import { INCIDENT_STATUSES, STATUS_LABELS, type Incident, type IncidentStatus } from '../../domain/incident.js';
import { SEVERITY_LEVELS, type Severity, type SeverityLevel } from '../../domain/severity.js';
import { NOTE_MAX_LENGTH, RESOLUTION_MAX_LENGTH, UPDATE_TEXT_MAX_LENGTH } from '../../domain/limits.js';
import { cleanTypedText } from '../../domain/text.js';
import { clip, mrkdwnSections, plainText, severityOption, truncate, type FormValues } from './blocks.js';
import { publicMessageBlocks, type PublicMessageField } from './publicMessageFields.js';

export const INCIDENT_MODALS = {
  update: 'incident_update',
  severity: 'incident_severity',
  note: 'incident_note',
  resolve: 'incident_resolve',
  timelineEdit: 'incident_timeline_edit',
} as const;

type StateValues = FormValues;

export interface IncidentModalMetadata {
  incidentId: number;
  /** The update form opened from a reminder's Edit and post: the bot's draft it started from. */
  draftId?: number;
  /** The timeline entry edited (`/incident timeline`'s Edit). */
  entryId?: number;
}

const input = (id: string, label: string, element: Record<string, unknown>, extra: Partial<InputBlock> = {}): InputBlock =>
  ({ type: 'input', block_id: id, label: plainText(label), element: { action_id: id, ...element }, ...extra }) as InputBlock;

const textInput = (id: string, label: string, options: { maxLength: number; multiline?: boolean; initial?: string; optional?: boolean; placeholder?: string }) =>
  input(
    id,
    label,
    {
      type: 'plain_text_input',
      multiline: options.multiline ?? true,
      max_length: options.maxLength,
      ...(options.initial ? { initial_value: clip(options.initial, options.maxLength) } : {}),
      ...(options.placeholder ? { placeholder: plainText(options.placeholder) } : {}),
    },
    options.optional ? { optional: true } : {},
  );

const modal = (callbackId: string, incident: Incident, title: string, submit: string, blocks: View['blocks'], metadata: Omit<IncidentModalMetadata, 'incidentId'> = {}): View => ({
  type: 'modal',
  callback_id: callbackId,
  private_metadata: JSON.stringify({ incidentId: incident.id, ...metadata } satisfies IncidentModalMetadata),
  title: plainText(title),
  submit: plainText(submit),
  close: plainText('Cancel'),
  blocks: [{ type: 'context', elements: [{ type: 'plain_text', text: truncate(`${incident.severity} · ${incident.title}`, 2000) }] }, ...blocks],
});

const statusOption = (status: IncidentStatus) => ({ text: plainText(STATUS_LABELS[status]), value: status });

/**
 * The update form: empty but for the impact, or filled with the bot's draft (Edit and post on a
 * reminder); with the status page's fields when it is configured (`publicMessage`).
 */
export function updateModal(incident: Incident, draft?: { id: number; status: IncidentStatus; whatChanged: string; impact: string; nextSteps: string }, publicMessage?: PublicMessageField): View {
  const current = draft?.status ?? (incident.status === 'resolved' ? 'investigating' : incident.status);
  return modal(
    INCIDENT_MODALS.update,
    incident,
    'Post a status update',
    'Post update',
    [
      input('status', 'Status', { type: 'static_select', options: INCIDENT_STATUSES.map(statusOption), initial_option: statusOption(current) }, {
        hint: plainText('Choosing Resolved takes you to the resolve form.'),
      }),
      textInput('what_changed', 'What changed', { maxLength: UPDATE_TEXT_MAX_LENGTH, initial: draft?.whatChanged, placeholder: 'Found the cause: connection pool exhausted after deploy 4521' }),
      textInput('impact', 'Impact', { maxLength: UPDATE_TEXT_MAX_LENGTH, optional: true, initial: draft?.impact ?? incident.impact, placeholder: 'Who is affected and how' }),
      textInput('next_steps', 'Next steps / ETA', { maxLength: UPDATE_TEXT_MAX_LENGTH, optional: true, initial: draft?.nextSteps, placeholder: 'Rolling back; next update in 30 minutes' }),
      ...(publicMessage ? publicMessageBlocks(publicMessage) : []),
    ],
    draft ? { draftId: draft.id } : {},
  );
}

export function severityModal(incident: Incident, severities: readonly Severity[]): View {
  const current = severities.find((severity) => severity.level === incident.severity);
  return modal(INCIDENT_MODALS.severity, incident, 'Change severity', 'Change', [
    input('severity', 'Severity', { type: 'static_select', options: severities.map(severityOption), ...(current ? { initial_option: severityOption(current) } : {}) }),
  ]);
}

export function noteModal(incident: Incident): View {
  return modal(INCIDENT_MODALS.note, incident, 'Add a note', 'Add note', [
    textInput('note', 'Note', { maxLength: NOTE_MAX_LENGTH, placeholder: 'What happened, what you tried, what you saw' }),
  ]);
}

/** `/incident timeline`'s Edit: the entry's text, to change. */
export function timelineEntryModal(incident: Incident, entry: { id: number; text: string }): View {
  return modal(INCIDENT_MODALS.timelineEdit, incident, 'Edit timeline entry', 'Save', [textInput('entry_text', 'Text', { maxLength: NOTE_MAX_LENGTH, initial: entry.text })], { entryId: entry.id });
}

/** The resolve form; with the status page's fields when it is configured (`publicMessage`). */
export function resolveModal(incident: Incident, publicMessage?: PublicMessageField): View {
  return modal(INCIDENT_MODALS.resolve, incident, 'Resolve the incident', 'Resolve', [
    textInput('summary', 'Resolution summary', { maxLength: RESOLUTION_MAX_LENGTH, placeholder: 'Rolled back deploy 4521; error rate back to normal since 03:12' }),
    textInput('root_cause', 'Root cause', { maxLength: RESOLUTION_MAX_LENGTH, optional: true, placeholder: 'Leave empty if not known yet: the post-mortem will find it' }),
    ...(publicMessage ? publicMessageBlocks(publicMessage) : []),
  ]);
}

/** What was typed in a text field, cleaned as slash-command text is. */
const value = (values: StateValues, id: string) => cleanTypedText(values[id]?.[id]?.value ?? '');
const selected = (values: StateValues, id: string) => values[id]?.[id]?.selected_option?.value;

export function readUpdateForm(values: StateValues): { status: IncidentStatus | undefined; whatChanged: string; impact: string; nextSteps: string } {
  const status = INCIDENT_STATUSES.find((candidate) => candidate === selected(values, 'status'));
  return { status, whatChanged: value(values, 'what_changed'), impact: value(values, 'impact'), nextSteps: value(values, 'next_steps') };
}

export function readSeverityForm(values: StateValues): SeverityLevel | undefined {
  return SEVERITY_LEVELS.find((level) => level === selected(values, 'severity'));
}

export const readNoteForm = (values: StateValues) => value(values, 'note');
export const readTimelineEntryForm = (values: StateValues) => value(values, 'entry_text');
export const readResolveForm = (values: StateValues) => ({ summary: value(values, 'summary'), rootCause: value(values, 'root_cause') });

/** Field errors for the update form (block ids as keys), or undefined when it can be posted. */
export function updateFormErrors(form: ReturnType<typeof readUpdateForm>): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  if (!form.status) errors.status = 'Choose a status.';
  if (!form.whatChanged) errors.what_changed = 'Say what changed, even if it is "still investigating".';
  for (const [id, text] of [['what_changed', form.whatChanged], ['impact', form.impact], ['next_steps', form.nextSteps]] as const) {
    if (text.length > UPDATE_TEXT_MAX_LENGTH) errors[id] = `Keep it under ${UPDATE_TEXT_MAX_LENGTH} characters.`;
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** Replaces a submitted form when there is nothing left to fill in, only something to read. */
export function noticeView(text: string): View {
  return { type: 'modal', title: plainText('Incident'), close: plainText('Close'), blocks: mrkdwnSections(text) };
}

export function parseIncidentMetadata(privateMetadata: string): IncidentModalMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(privateMetadata);
    if (parsed && typeof parsed === 'object' && 'incidentId' in parsed && Number.isInteger(parsed.incidentId)) {
      const draftId = 'draftId' in parsed && Number.isInteger(parsed.draftId) ? (parsed.draftId as number) : undefined;
      const entryId = 'entryId' in parsed && Number.isInteger(parsed.entryId) ? (parsed.entryId as number) : undefined;
      return { incidentId: parsed.incidentId as number, ...(draftId === undefined ? {} : { draftId }), ...(entryId === undefined ? {} : { entryId }) };
    }
  } catch {
    // Not one of our modals.
  }
  return undefined;
}

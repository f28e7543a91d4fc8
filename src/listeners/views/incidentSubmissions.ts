import type { App, ViewSubmitAction } from '@slack/bolt';
import { isOpen, type LiveIncident } from '../../domain/incident.js';
import { managementRefusal, mayManage } from '../../domain/lifecycle.js';
import { refused, type FlowResult } from '../../flows/incidentFlow.js';
import { editDetails } from '../../flows/details.js';
import { checkFieldValues, typeByKey } from '../../domain/incidentTypes.js';
import { NO_DETAILS } from '../../messages/incidentTypes.js';
import { EDIT_DETAILS_CALLBACK_ID, fieldErrors, readFieldValues } from '../../slack/views/incidentTypeBlocks.js';
import { addNote, noteProblem } from '../../flows/notes.js';
import { editTimelineEntry } from '../../flows/timelineEdits.js';
import { TIMELINE_ENTRY_GONE } from '../../messages/incident.js';
import { alreadySeverity, CHOOSE_SEVERITY, INCIDENT_GONE, MANAGED, refusalText, RESOLVED_IN_THE_MEANTIME, SAY_HOW_RESOLVED, TASKS } from '../../messages/replies.js';
import { resolveIncident } from '../../flows/resolve.js';
import { changeSeverity, postStatusUpdate } from '../../flows/statusUpdate.js';
import {
  INCIDENT_MODALS,
  type IncidentModalMetadata,
  noticeView,
  parseIncidentMetadata,
  readNoteForm,
  readTimelineEntryForm,
  readResolveForm,
  readSeverityForm,
  readUpdateForm,
  resolveModal,
  updateFormErrors,
} from '../../slack/views/incidentModals.js';
import type { FormValues } from '../../slack/views/blocks.js';
import { readPayload, viewSubmissionPayload } from '../payloads.js';
import { runSafely, tellOutcome } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import { incidentPrefills, publicMessageField, requestedPublication } from '../publicMessage.js';
import type { ListenerDependencies } from '../types.js';

/**
 * What a submitted form does, once it is known to be valid: either field errors to show in the
 * form, another view to show instead, or a flow to run after the form closes.
 */
type Submission =
  | { errors: Record<string, string> }
  | { showView: ReturnType<typeof resolveModal> }
  /** `confirm`: the channel shows nothing of it, so the person is told it went well too. */
  | { run: () => Promise<FlowResult>; confirm?: true };

const SUBMISSIONS: Record<string, (incident: LiveIncident, userId: string, values: FormValues, deps: ListenerDependencies, metadata: IncidentModalMetadata) => Submission> = {
  [INCIDENT_MODALS.update]: (incident, userId, values, deps, { draftId }) => {
    const form = readUpdateForm(values);
    const errors = updateFormErrors(form);
    if (errors) return { errors };
    if (form.status === 'resolved') {
      // Resolving asks for the root cause: the update form hands over to the resolve form.
      if (!mayManage(incident, userId, deps.settings.responders)) return { errors: { status: managementRefusal(incident, MANAGED.resolve) } };
      return { showView: resolveModal(incident, publicMessageField(deps, incident, 'resolved')) };
    }
    const update = { status: form.status!, whatChanged: form.whatChanged, impact: form.impact, nextSteps: form.nextSteps } as const;
    const asked = requestedPublication(deps, values, { ...incident, impact: update.impact || incident.impact }, update.status, incidentPrefills(deps, incident));
    if ('errors' in asked) return asked;
    // Started from the bot's draft, but the person read it and chose what to post: theirs.
    const origin = draftId === undefined ? { source: 'person' as const } : { source: 'person' as const, draftId };
    return { run: () => postStatusUpdate(deps, incident, userId, update, origin, null, asked.publication) };
  },
  [INCIDENT_MODALS.severity]: (incident, userId, values, deps) => {
    const severity = readSeverityForm(values);
    if (!severity) return { errors: { severity: CHOOSE_SEVERITY } };
    if (severity === incident.severity) return { errors: { severity: alreadySeverity(severity) } };
    return { run: () => changeSeverity(deps, incident, userId, severity) };
  },
  [INCIDENT_MODALS.note]: (incident, userId, values, deps) => {
    const note = readNoteForm(values);
    const problem = noteProblem(note);
    if (problem) return { errors: { note: problem } };
    return { run: () => addNote(deps, incident, userId, note) };
  },
  [INCIDENT_MODALS.timelineEdit]: (incident, userId, values, deps, { entryId }) => {
    const text = readTimelineEntryForm(values);
    const problem = noteProblem(text);
    if (problem) return { errors: { entry_text: problem } };
    if (entryId === undefined) return { run: async () => refused(TIMELINE_ENTRY_GONE) };
    return { run: () => editTimelineEntry(deps, incident, entryId, userId, text), confirm: true };
  },
  [EDIT_DETAILS_CALLBACK_ID]: (incident, userId, values, deps) => {
    const type = typeByKey(deps.settings.incidentTypes ?? [], incident.type);
    if (!type) return { run: async () => refused(NO_DETAILS) };
    const checked = checkFieldValues(type.fields, readFieldValues(values));
    if (!checked.ok) return { errors: fieldErrors(checked.errors) };
    return { run: () => editDetails(deps, incident, userId, checked.values) };
  },
  [INCIDENT_MODALS.resolve]: (incident, userId, values, deps) => {
    const resolution = readResolveForm(values);
    if (!resolution.summary) return { errors: { summary: SAY_HOW_RESOLVED } };
    if (!mayManage(incident, userId, deps.settings.responders)) return { errors: { summary: managementRefusal(incident, MANAGED.resolve) } };
    const facts = { ...incident, rootCause: resolution.rootCause, resolutionSummary: resolution.summary, resolvedAt: deps.clock.now() };
    const asked = requestedPublication(deps, values, facts, 'resolved', incidentPrefills(deps, incident));
    if ('errors' in asked) return asked;
    return { run: () => resolveIncident(deps, incident, userId, resolution, asked.publication) };
  },
};

/** The update, severity, note and resolve forms, whether opened by a command or a summary button. */
export function registerIncidentSubmissions(app: App, deps: ListenerDependencies): void {
  for (const [callbackId, handle] of Object.entries(SUBMISSIONS)) {
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body: payload }) => {
      const body = readPayload(viewSubmissionPayload, payload, deps.log, callbackId);
      if (!body) return ack();
      const view = body.view;
      const metadata = parseIncidentMetadata(view.private_metadata);
      const incident = metadata && (await deps.incidents.findLiveById(metadata.incidentId));
      if (!incident) {
        await ack({ response_action: 'update', view: noticeView(refusalText(INCIDENT_GONE)) });
        return;
      }
      // A note or a timeline edit is still welcome once resolved: the post-mortem is written after.
      if (!isOpen(incident) && callbackId !== INCIDENT_MODALS.note && callbackId !== INCIDENT_MODALS.timelineEdit) {
        await ack({ response_action: 'update', view: noticeView(refusalText(RESOLVED_IN_THE_MEANTIME)) });
        return;
      }
      const submission = handle(incident, body.user.id, view.state.values, deps, metadata);
      if ('errors' in submission) return ack({ response_action: 'errors', errors: submission.errors });
      if ('showView' in submission) return ack({ response_action: 'update', view: submission.showView });
      // Slack retries a submission it thinks timed out, maybe to another process: one form posts one update.
      if (!(await firstDelivery(deps, requestKey.form(view)))) return ack();
      const result = await runSafely(deps, TASKS.recordSubmission, submission.run, { userId: body.user.id, channelId: incident.channelId, incidentId: incident.id }, () => ack());
      await tellOutcome(deps, incident, body.user.id, result, submission.confirm);
    });
  }
}

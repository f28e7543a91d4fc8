import { STATUS_LABELS, type LiveIncident } from '../domain/incident.js';
import { planSeverityChange, planStatusUpdate, type StatusUpdate, type UpdateOrigin } from '../domain/lifecycle.js';
import type { SeverityLevel } from '../domain/severity.js';
import { draftAsUpdate } from '../domain/statusDraft.js';
import type { Publication } from '../domain/statusPage.js';
import { DRAFT_GONE } from '../messages/replies.js';
import { severityIsNow, updatePosted } from '../messages/incident.js';
import { statusUpdateMessage } from '../render/incidentMessages.js';
import { done, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { plannedChange, runChange, type Change } from './pipeline.js';

/**
 * `/incident update` (and the reminder's Post as is): records the update, posts it in the channel
 * from the status-update template, then the outlets bring the pinned summary and topic up to date
 * and repeat it where people watch. It is recorded first so that what is posted (severity,
 * commander…) is the incident as it now stands, even if something else changed while the form was
 * being filled in; if Slack will not post it, it is taken back, so the timeline only holds updates
 * the channel saw. `publication`: the public message the form asked to publish on the status page.
 */
export async function postStatusUpdate(
  deps: FlowDependencies,
  incident: LiveIncident,
  actorId: string,
  update: StatusUpdate,
  origin: UpdateOrigin = { source: 'person' },
  lastPersonUpdateAt: Date | null = null,
  publication?: Publication,
): Promise<FlowResult> {
  const at = deps.clock.now();
  const change = statusUpdateChange(deps, incident.id, update, origin, lastPersonUpdateAt, { actorId, at }, publication);
  const outcome = await runChange(deps, {
    ...change,
    message: ({ incident: updated, event }) =>
      deps.chat.postMessage(updated.channelId, statusUpdateMessage(deps, updated, update, { previousStatus: event.previousStatus, source: origin.source, postedBy: actorId, lastPersonUpdateAt })),
  });
  return outcome.ok ? done(updatePosted(STATUS_LABELS[update.status]), outcome.warnings) : outcome.result;
}

/** A status update as a change: planned on the stored incident, heard by the outlets as `status_updated`. */
export function statusUpdateChange(
  deps: Pick<FlowDependencies, 'incidents' | 'planSends'>,
  incidentId: number,
  update: StatusUpdate,
  origin: UpdateOrigin,
  lastPersonUpdateAt: Date | null,
  context: { actorId: string | null; at: Date },
  publication?: Publication,
): Change<{ kind: 'status_updated'; update: StatusUpdate; previousStatus: LiveIncident['status']; source: UpdateOrigin['source']; lastPersonUpdateAt: Date | null; publication?: Publication }> {
  return plannedChange(deps, incidentId, (current) => planStatusUpdate(current, update, context.at, context.actorId, origin), context, ({ before }) => ({
    kind: 'status_updated' as const,
    update,
    previousStatus: before.status,
    source: origin.source,
    lastPersonUpdateAt,
    ...(publication ? { publication } : {}),
  }));
}

/**
 * "Post as is" on a reminder: the bot's draft becomes the interval's update, posted by the person
 * who clicked, unless the incident has moved on since it was written.
 */
export async function postDraftAsIs(deps: FlowDependencies, incident: LiveIncident, draftId: number, actorId: string): Promise<FlowResult> {
  const draft = await deps.reminders.findDraft(draftId);
  if (!draft || draft.incidentId !== incident.id) return refused(DRAFT_GONE);
  return postStatusUpdate(deps, incident, actorId, draftAsUpdate(draft), { source: 'draft', draft }, draft.lastPersonUpdateAt);
}

/** `/incident severity`: records the change; the outlets say it in the channel and announce a raise. */
export async function changeSeverity(deps: FlowDependencies, incident: LiveIncident, actorId: string, severity: SeverityLevel): Promise<FlowResult> {
  const at = deps.clock.now();
  const outcome = await runChange(
    deps,
    plannedChange(deps, incident.id, (current) => planSeverityChange(current, severity), { actorId, at }, ({ before, change }) => ({
      kind: 'severity_changed' as const,
      from: before.severity,
      to: severity,
      raised: change.raised,
    })),
  );
  return outcome.ok ? done(severityIsNow(severity), outcome.warnings) : outcome.result;
}

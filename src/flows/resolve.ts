import type { LiveIncident } from '../domain/incident.js';
import { planAsManager, planReopen, planResolve } from '../domain/lifecycle.js';
import type { Publication } from '../domain/statusPage.js';
import { REOPENED, resolved } from '../messages/incident.js';
import { MANAGED } from '../messages/replies.js';
import { UNARCHIVED } from '../messages/archive.js';
import { done, essential, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { plannedChange, runChange } from './pipeline.js';
import { publishPostmortem } from './postmortem.js';

export interface Resolution {
  summary: string;
  rootCause: string;
}

/**
 * Resolving: status Resolved, duration recorded, the runbooks' resolution message in the channel
 * and the announcement channel, then the post-mortem draft. Update reminders stop because they
 * only run for open incidents. `publication`: the public message the form asked to publish on the status page.
 */
export async function resolveIncident(deps: FlowDependencies, incident: LiveIncident, actorId: string, resolution: Resolution, publication?: Publication): Promise<FlowResult> {
  const at = deps.clock.now();
  const plan = (current: LiveIncident) => planAsManager(current, actorId, deps.settings.responders, MANAGED.resolve, () => planResolve(current, resolution, at));
  const outcome = await runChange(
    deps,
    plannedChange(deps, incident.id, plan, { actorId, at }, ({ change }) => ({
      kind: 'resolved' as const,
      summary: resolution.summary,
      rootCause: resolution.rootCause,
      durationMs: change.durationMs,
      ...(publication ? { publication } : {}),
    })),
  );
  if (!outcome.ok) return outcome.result;
  const draft = await publishPostmortem(deps, outcome.incident);
  return done(resolved(outcome.event.durationMs, draft.ok), draft.ok ? outcome.warnings : [...outcome.warnings, draft.message]);
}

/**
 * `/incident reopen [why]`: back to Investigating, on the timeline; the update clock starts again.
 * A channel the bot archived is unarchived first (the reopen's message goes there); if Slack
 * refuses, nothing is reopened and the refusal is the answer. Who may reopen is checked before.
 */
export async function reopenIncident(deps: FlowDependencies, incident: LiveIncident, actorId: string, reason: string): Promise<FlowResult> {
  const at = deps.clock.now();
  const plan = (current: LiveIncident) => planAsManager(current, actorId, deps.settings.responders, MANAGED.reopen, () => planReopen(current, reason));
  const allowed = plan(incident);
  if (!allowed.ok) return refused(allowed.reason);
  const archived = (await deps.archives.stateOf(incident.id)).archivedAt !== null;
  if (archived) {
    const unarchived = await essential(() => deps.chat.unarchive(incident.channelId));
    if (!unarchived.ok) return unarchived.result;
    await deps.archives.forget(incident.id);
  }
  const outcome = await runChange(deps, plannedChange(deps, incident.id, plan, { actorId, at }, () => ({ kind: 'reopened' as const, reason })));
  return outcome.ok ? done(archived ? `${REOPENED} ${UNARCHIVED}` : REOPENED, outcome.warnings) : outcome.result;
}

import type { LiveIncident } from '../domain/incident.js';
import { planReviewDone } from '../domain/lifecycle.js';
import { REVIEW_HELD } from '../messages/incident.js';
import { done, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { plannedChange, runChange } from './pipeline.js';

/** `/incident postmortem done` or "Review held": the post-mortem review took place; its reminders stop. */
export async function markReviewHeld(deps: FlowDependencies, incident: LiveIncident, actorId: string): Promise<FlowResult> {
  const at = deps.clock.now();
  const outcome = await runChange(deps, plannedChange(deps, incident.id, (current) => planReviewDone(current, at), { actorId, at }, () => ({ kind: 'review_held' as const })));
  return outcome.ok ? done(REVIEW_HELD, outcome.warnings) : outcome.result;
}

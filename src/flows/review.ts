import type { Incident } from '../domain/incident.js';
import { planReviewDone } from '../domain/lifecycle.js';
import { REVIEW_HELD, reviewHeldInChannel } from '../messages/incident.js';
import { STEPS } from '../messages/steps.js';
import { decideAndApply, done, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';

/** `/incident postmortem done` or "Review held": the post-mortem review took place; its reminders stop. */
export async function markReviewHeld(deps: IncidentDependencies, incident: Incident, actorId: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const decided = decideAndApply(deps, incident.id, (current) => planReviewDone(current, now), { actorId, at: now });
  if (!decided.ok) return decided.result;
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt(STEPS.sayInChannel, () =>
    deps.slack.postMessage(decided.applied.incident.channelId!, { text: reviewHeldInChannel(actorId) }),
  );
  return done(REVIEW_HELD, warnings.list);
}

import type { Incident } from '../domain/incident.js';
import { planAcknowledge } from '../domain/lifecycle.js';
import { acknowledged, acknowledgedInChannel } from '../messages/incident.js';
import { STEPS } from '../messages/steps.js';
import { decideAndApply, done, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { refreshSummary } from './summary.js';

/**
 * "Acknowledge" on the summary, or `/incident ack`: someone is on it. Stored with the time it took
 * (the post-mortem's time to acknowledge); the ladder's unacknowledged rungs stop.
 */
export async function acknowledgeIncident(deps: IncidentDependencies, incident: Incident, actorId: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const decided = decideAndApply(deps, incident.id, (current) => planAcknowledge(current, now, actorId), {
    actorId,
    at: now,
    participant: { userId: actorId, role: 'member' },
  });
  if (!decided.ok) return decided.result;
  const { incident: updated, change } = decided.applied;
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt(STEPS.sayInChannel, () =>
    deps.slack.postMessage(updated.channelId!, { text: acknowledgedInChannel(actorId, change.afterMs) }),
  );
  warnings.add(await refreshSummary(deps, updated));
  return done(acknowledged(change.afterMs), warnings.list);
}

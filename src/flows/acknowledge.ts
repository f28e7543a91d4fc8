import type { LiveIncident } from '../domain/incident.js';
import { planAcknowledge } from '../domain/lifecycle.js';
import { acknowledged } from '../messages/incident.js';
import { done, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { plannedChange, runChange } from './pipeline.js';

/**
 * "Acknowledge" on the summary, or `/incident ack`: someone is on it. Stored with the time it took
 * (the post-mortem's time to acknowledge); the ladder's unacknowledged rungs stop.
 */
export async function acknowledgeIncident(deps: FlowDependencies, incident: LiveIncident, actorId: string): Promise<FlowResult> {
  const at = deps.clock.now();
  const outcome = await runChange(
    deps,
    plannedChange(deps, incident.id, (current) => planAcknowledge(current, at, actorId), { actorId, at, participant: { userId: actorId, role: 'member' } }, ({ change }) => ({
      kind: 'acknowledged' as const,
      afterMs: change.afterMs,
    })),
  );
  return outcome.ok ? done(acknowledged(outcome.event.afterMs), outcome.warnings) : outcome.result;
}

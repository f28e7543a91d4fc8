import type { Incident } from '../domain/incident.js';
import { formatDuration, planAcknowledge } from '../domain/lifecycle.js';
import { mentionUser } from '../render/mrkdwn.js';
import { done, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { refreshSummary } from './summary.js';

/**
 * "Acknowledge" on the summary, or `/incident ack`: someone is on it. Stored with the time it took
 * (the post-mortem's time to acknowledge); the ladder's unacknowledged rungs stop.
 */
export async function acknowledgeIncident(deps: IncidentDependencies, incident: Incident, actorId: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const plan = planAcknowledge(incident, now, actorId);
  if (!plan.ok) return refused(plan.reason);
  const updated = deps.incidents.applyChange(incident.id, plan.change, {
    actorId,
    at: now,
    expect: 'open',
    unlessSet: 'acknowledgedAt',
    participant: { userId: actorId, role: 'member' },
  });
  if (!updated) return refused('Someone acknowledged or resolved this incident a moment ago.');
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt('Saying so in the channel', () =>
    deps.slack.postMessage(incident.channelId!, { text: `:eyes: ${mentionUser(actorId)} acknowledged the incident, ${formatDuration(plan.change.afterMs)} after it was declared.` }),
  );
  warnings.add(await refreshSummary(deps, updated));
  return done(`Acknowledged after ${formatDuration(plan.change.afterMs)}.`, warnings.list);
}

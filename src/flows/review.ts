import type { Incident } from '../domain/incident.js';
import { planReviewDone } from '../domain/lifecycle.js';
import { mentionUser } from '../render/mrkdwn.js';
import { done, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';

/** `/incident postmortem done` or "Review held": the post-mortem review took place; its reminders stop. */
export async function markReviewHeld(deps: IncidentDependencies, incident: Incident, actorId: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const plan = planReviewDone(incident, now);
  if (!plan.ok) return refused(plan.reason);
  const updated = deps.incidents.applyChange(incident.id, plan.change, { actorId, at: now, expect: 'resolved', unlessSet: 'reviewDoneAt' });
  if (!updated) return refused('The post-mortem review is already marked as held (or the incident was reopened).');
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt('Saying so in the channel', () =>
    deps.slack.postMessage(incident.channelId!, { text: `:white_check_mark: Post-mortem review marked as held by ${mentionUser(actorId)}. No more review reminders.` }),
  );
  return done('Post-mortem review marked as held.', warnings.list);
}

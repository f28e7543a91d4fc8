import { ROLE_LABELS, type Incident, type IncidentRole } from '../domain/incident.js';
import { managementRefusal, mayManage, planRoleAssignment } from '../domain/lifecycle.js';
import { formatInZone } from '../domain/time.js';
import { mentionUser } from '../render/mrkdwn.js';
import { done, essential, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { refreshSummary } from './summary.js';

/**
 * `/incident role <role> @user`: brings the person into the channel, then records and announces
 * the handoff with its time. Handing over command is for the commander or a listed responder.
 */
export async function assignRole(deps: IncidentDependencies, incident: Incident, actorId: string, role: IncidentRole, userId: string): Promise<FlowResult> {
  if (role === 'commander' && !mayManage(incident, actorId, deps.settings.responders)) return refused(managementRefusal(incident, 'hand over command'));
  const plan = planRoleAssignment(incident, role, userId);
  if (!plan.ok) return refused(plan.reason);
  const invited = await essential(() => deps.slack.invite(incident.channelId!, [userId]));
  if (!invited.ok) return invited.result;

  const now = deps.clock.now();
  const updated = deps.incidents.applyChange(incident.id, plan.change, { actorId, at: now, expect: 'open', participant: { userId, role } });
  if (!updated) return refused('This incident was resolved in the meantime; roles stay as they were.');
  const warnings = warningsFor(deps, incident.id);
  const label = ROLE_LABELS[role];
  const handoff = plan.change.previous
    ? `:handshake: *${label}:* ${mentionUser(plan.change.previous)} → ${mentionUser(userId)} (handed over by ${mentionUser(actorId)} at ${formatInZone(now, deps.settings.timeZone)})`
    : `:bust_in_silhouette: *${label}:* ${mentionUser(userId)} (assigned by ${mentionUser(actorId)} at ${formatInZone(now, deps.settings.timeZone)})`;
  await warnings.attempt('Posting the handoff in the channel', () => deps.slack.postMessage(incident.channelId!, { text: handoff }));
  warnings.add(await refreshSummary(deps, updated));
  return done(`${mentionUser(userId)} is now ${label.toLowerCase()}.`, warnings.list);
}

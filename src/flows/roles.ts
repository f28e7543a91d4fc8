import { ROLE_LABELS, type Incident, type IncidentRole } from '../domain/incident.js';
import { planAsManager, planRoleAssignment } from '../domain/lifecycle.js';
import { formatInZone } from '../domain/time.js';
import { roleAssignedInChannel, roleHandedOverInChannel, roleIsNow } from '../messages/incident.js';
import { MANAGED } from '../messages/replies.js';
import { STEPS } from '../messages/steps.js';
import { decideAndApply, done, essential, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { refreshSummary } from './summary.js';

/**
 * `/incident role <role> @user`: brings the person into the channel, then records and announces
 * the handoff with its time. Handing over command is for the commander or a listed responder.
 */
export async function assignRole(deps: IncidentDependencies, incident: Incident, actorId: string, role: IncidentRole, userId: string): Promise<FlowResult> {
  const plan = (current: Incident) =>
    role === 'commander'
      ? planAsManager(current, actorId, deps.settings.responders, MANAGED.handOverCommand, () => planRoleAssignment(current, role, userId))
      : planRoleAssignment(current, role, userId);
  // Judged once before the invite so nobody is invited for a refused handover; the invite can be
  // slow, so the decision that counts is taken again on the stored incident when it is applied.
  const early = plan(incident);
  if (!early.ok) return refused(early.reason);
  const invited = await essential(() => deps.slack.invite(incident.channelId!, [userId]));
  if (!invited.ok) return invited.result;

  const now = deps.clock.now();
  const decided = decideAndApply(deps, incident.id, plan, { actorId, at: now, participant: { userId, role } });
  if (!decided.ok) return decided.result;
  const { incident: updated, change } = decided.applied;
  const warnings = warningsFor(deps, incident.id);
  const label = ROLE_LABELS[role];
  const at = formatInZone(now, deps.settings.timeZone);
  const handoff = change.previous ? roleHandedOverInChannel(label, change.previous, userId, actorId, at) : roleAssignedInChannel(label, userId, actorId, at);
  await warnings.attempt(STEPS.postHandoff, () => deps.slack.postMessage(updated.channelId!, { text: handoff }));
  warnings.add(await refreshSummary(deps, updated));
  return done(roleIsNow(label, userId), warnings.list);
}

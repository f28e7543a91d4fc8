import { ROLE_LABELS, type IncidentRole, type LiveIncident } from '../domain/incident.js';
import { planAsManager, planRoleAssignment } from '../domain/lifecycle.js';
import { roleIsNow } from '../messages/incident.js';
import { MANAGED } from '../messages/replies.js';
import { done, essential, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { plannedChange, runChange } from './pipeline.js';

/**
 * `/incident role <role> @user`: brings the person into the channel, then records and announces
 * the handoff with its time. Handing over command is for the commander or a listed responder.
 */
export async function assignRole(deps: FlowDependencies, incident: LiveIncident, actorId: string, role: IncidentRole, userId: string): Promise<FlowResult> {
  const plan = (current: LiveIncident) =>
    role === 'commander'
      ? planAsManager(current, actorId, deps.settings.responders, MANAGED.handOverCommand, () => planRoleAssignment(current, role, userId))
      : planRoleAssignment(current, role, userId);
  // Judged once before the invite so nobody is invited for a refused handover; the invite can be
  // slow, so the decision that counts is taken again on the stored incident when it is applied.
  const early = plan(incident);
  if (!early.ok) return refused(early.reason);
  const invited = await essential(() => deps.chat.invite(incident.channelId, [userId]));
  if (!invited.ok) return invited.result;

  const at = deps.clock.now();
  const outcome = await runChange(
    deps,
    plannedChange(deps, incident.id, plan, { actorId, at, participant: { userId, role } }, ({ change }) => ({ kind: 'role_assigned' as const, role, userId, previous: change.previous })),
  );
  return outcome.ok ? done(roleIsNow(ROLE_LABELS[role], userId), outcome.warnings) : outcome.result;
}

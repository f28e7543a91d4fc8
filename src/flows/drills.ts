/**
 * Drills: declaring one from a scenario, playing its script into the channel, and ending it. A
 * drill is an incident like any other while it runs (the same channel, summary, reminders and
 * ladder); what differs is said where it matters: its channel name, topic and summary, the
 * announcement rule (`outlets/announcement.ts`) and the pages (`escalation.ts`).
 */
import { isDrill, type DrillScenario } from '../domain/drill.js';
import type { LiveIncident } from '../domain/incident.js';
import { managementRefusal, mayManage } from '../domain/lifecycle.js';
import { DRILL_ALREADY_STARTING, drillEnded, drillStarted, END_DRILL, NOT_A_DRILL } from '../messages/drills.js';
import type { ScheduledSlot } from '../ports.js';
import { deliverOnce } from '../scheduler/deliverOnce.js';
import { LEASE_MS } from '../scheduler/leases.js';
import { deadHolders } from '../scheduler/replicas.js';
import { DRILL_STEP_EVENT_TYPE, drillStepMessage } from '../slack/views/drillMessage.js';
import { completeDeclaration, recordDeclaration } from './declare.js';
import { done, essential, refused, type FlowDependencies, type FlowResult, type SchedulerDependencies } from './incidentFlow.js';

/**
 * Declares a drill straight from its scenario, with no form: the scenario already says what the
 * incident is, and the script is written for that title and severity; a form would only let the
 * rehearsal drift from its script. Whoever starts it is its commander, as the first responder of a
 * real incident would be. `declarationKey` names the command (its trigger id), so a repeat of it
 * never makes a second drill.
 */
export async function startDrill(deps: FlowDependencies, request: { scenario: DrillScenario; startedBy: string; declarationKey: string }): Promise<FlowResult> {
  const { scenario, startedBy } = request;
  const recorded = await recordDeclaration(deps, {
    declarationKey: request.declarationKey,
    declaredBy: startedBy,
    declaration: { title: scenario.title, severity: scenario.severity, impact: scenario.impact, commanderId: startedBy, isPrivate: false },
    drill: { scenario: scenario.name, script: scenario.script },
  });
  if (!recorded.created) return done(DRILL_ALREADY_STARTING);
  try {
    const outcome = await completeDeclaration(deps, recorded.incident);
    if (outcome.kind === 'failed') return refused(outcome.message);
    deps.log.info({ incidentId: outcome.incident.id, scenario: scenario.name }, 'drill started');
    return done(drillStarted(outcome.channelId, scenario), outcome.warnings);
  } finally {
    if (recorded.journalId !== undefined) {
      await deps.journal.finish(recorded.journalId).catch((error: unknown) => deps.log.error({ err: error, incidentId: recorded.incident.id }, 'could not clear the drill from the work journal'));
    }
  }
}

/**
 * Ends a drill: its channel is archived, then the drill and everything recorded about it are
 * removed. Only its commander or a listed responder may, as for resolving: ending deletes what
 * everyone in the rehearsal wrote. If Slack will not archive the channel, nothing is removed, so
 * the command can be run again from the same channel.
 */
export async function endDrill(deps: FlowDependencies, incident: LiveIncident, userId: string): Promise<FlowResult> {
  if (!isDrill(incident)) return refused(NOT_A_DRILL);
  if (!mayManage(incident, userId, deps.settings.responders)) return refused(managementRefusal(incident, END_DRILL));
  const archived = await essential(() => deps.chat.archive(incident.channelId));
  if (!archived.ok) return archived.result;
  await deps.drills.remove(incident.id);
  deps.log.info({ incidentId: incident.id, channelId: incident.channelId, endedBy: userId }, 'drill ended and removed');
  return done(drillEnded(incident.channelName));
}

/**
 * One pass of the drills' scripts: each message whose time has come is claimed and posted into its
 * drill's channel once, across crashes and processes (`deliverOnce`). A drill's messages go out in
 * script order: one not posted this pass (held by another process, or refused by Slack) holds back
 * the rest of its drill until the next. Returns how many were posted.
 */
export async function playDueDrillSteps(deps: SchedulerDependencies): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.drills.dueSteps(now);
  if (due.length === 0) return 0;
  const dead = await deadHolders(deps, deps.owner, now);
  const heldBack = new Set<number>();
  let posted = 0;
  for (const step of due) {
    if (heldBack.has(step.incidentId)) continue;
    const incident = await deps.incidents.findLiveById(step.incidentId);
    if (!incident) continue;
    const slot: ScheduledSlot = { kind: 'drill_step', incidentId: step.incidentId, step: step.step };
    const claim = await deps.leases.claim(slot, deps.owner, now, LEASE_MS, dead);
    if (!claim) {
      heldBack.add(step.incidentId);
      continue;
    }
    const log = deps.log.child({ incidentId: step.incidentId, step: step.step });
    const outcome = await deliverOnce(
      deps,
      slot,
      claim,
      {
        channelId: incident.channelId,
        eventType: DRILL_STEP_EVENT_TYPE,
        send: async (key) => void (await deps.chat.postMessage(incident.channelId, drillStepMessage(step, key))),
        markSent: (at) => deps.drills.markPosted(step.incidentId, step.step, deps.owner, at),
      },
      new Date(now.getTime() + deps.retryMs),
      log,
    );
    if (outcome === 'failed') heldBack.add(step.incidentId);
    if (outcome === 'sent') posted += 1;
  }
  return posted;
}

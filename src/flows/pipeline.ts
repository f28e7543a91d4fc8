/**
 * The one path of every change to an incident: record it (atomically, with its timeline entry,
 * decided on the incident as stored), post the message it means nothing without if it has one,
 * then hand it to each outlet in turn. An outlet that fails never undoes the change nor stops the
 * next outlet: its failure is logged and told to the person who made the change.
 */
import type { Happened, IncidentEvent } from '../domain/events.js';
import type { LiveIncident } from '../domain/incident.js';
import type { Decision, IncidentChange } from '../domain/lifecycle.js';
import { stepCrashed } from '../messages/steps.js';
import { Warnings } from '../outlets/warnings.js';
import type { AppliedChange, ChangeContext } from '../ports.js';
import { essential, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';

/** A change written to the store: the incident as the change left it, and what happened. */
export interface Recorded<E extends IncidentEvent> {
  ok: true;
  incident: LiveIncident;
  event: E;
  /** Takes the change back, for a change whose message the chat refused. */
  withdraw?: () => Promise<void>;
}

/** A change a flow has planned, ready for the pipeline. */
export interface Change<E extends IncidentEvent> {
  actorId: string | null;
  at: Date;
  /** Writes the change and its timeline entry atomically, or says why it may not be made. */
  record(): Promise<Recorded<E> | { ok: false; reason: string }>;
  /**
   * The message the change is (a status update): posted after recording so it shows the incident
   * as it now stands; if the chat refuses it, the change is withdrawn and the refusal is the answer.
   */
  message?(recorded: Recorded<E>): Promise<unknown>;
}

export type ChangeOutcome<E extends IncidentEvent> = { ok: true; incident: LiveIncident; event: E; warnings: string[] } | { ok: false; result: FlowResult };

export async function runChange<E extends IncidentEvent>(deps: FlowDependencies, change: Change<E>): Promise<ChangeOutcome<E>> {
  const recorded = await change.record();
  if (!recorded.ok) return { ok: false, result: refused(recorded.reason) };
  if (change.message) {
    const posted = await essential(() => change.message!(recorded));
    if (!posted.ok) {
      await recorded.withdraw?.();
      return posted;
    }
  }
  const warnings = await deliverToOutlets(deps, { event: recorded.event, incident: recorded.incident, actorId: change.actorId, at: change.at });
  return { ok: true, incident: recorded.incident, event: recorded.event, warnings };
}

/** Hands what happened to every outlet, each on its own; returns what did not work, for the person. */
export async function deliverToOutlets(deps: FlowDependencies, happened: Happened): Promise<string[]> {
  const log = deps.log.child({ incidentId: happened.incident.id, event: happened.event.kind });
  const steps = new Warnings(log);
  for (const outlet of deps.outlets) {
    try {
      await outlet.deliver(happened, deps, steps);
    } catch (error) {
      log.error({ err: error, outlet: outlet.name }, 'an outlet failed; the change stands');
      steps.add([stepCrashed(outlet.step)]);
    }
  }
  return steps.list;
}

/**
 * A change the domain plans on the incident as stored (`plan` runs inside the write transaction,
 * so it sees what any other request or process did first), turned into the event outlets hear; its
 * outbox rows are planned from that event and written in the same transaction.
 */
export function plannedChange<C extends IncidentChange, E extends IncidentEvent>(
  deps: Pick<FlowDependencies, 'incidents' | 'planSends'>,
  incidentId: number,
  plan: (current: LiveIncident) => Decision<C>,
  context: ChangeContext,
  event: (applied: AppliedChange<C>) => E,
): Change<E> {
  return {
    actorId: context.actorId,
    at: context.at,
    async record() {
      const sends = (applied: AppliedChange<C>) => deps.planSends({ event: event(applied), incident: applied.incident, actorId: context.actorId, at: context.at });
      const applied = await deps.incidents.applyChange(incidentId, plan, { ...context, sends });
      if (!applied.ok) return applied;
      return { ok: true, incident: applied.incident, event: event(applied), withdraw: () => deps.incidents.withdrawChange(incidentId, applied) };
    },
  };
}

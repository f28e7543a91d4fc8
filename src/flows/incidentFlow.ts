import type { Incident, ParticipantRole } from '../domain/incident.js';
import type { SeverityLevel } from '../domain/severity.js';
import type { Decision, IncidentChange } from '../domain/lifecycle.js';
import { doneText, refusalText } from '../messages/replies.js';
import { SlackCallError } from '../slack/slackErrors.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { ActionItemRepository } from '../store/actionItemRepository.js';
import type { EscalationRepository } from '../store/escalationRepository.js';
import type { AppliedChange, IncidentRepository } from '../store/incidentRepository.js';
import type { PostmortemRepository } from '../store/postmortemRepository.js';
import type { ReminderRepository } from '../store/reminderRepository.js';
import type { SummaryDependencies } from './summary.js';
import { Warnings } from './warnings.js';

/** What the flows that run an incident from its channel need. */
export interface IncidentDependencies extends SummaryDependencies {
  incidents: IncidentRepository;
  actions: ActionItemRepository;
  reminders: ReminderRepository;
  escalations: EscalationRepository;
  postmortems: PostmortemRepository;
  slack: SlackGateway;
  settings: SummaryDependencies['settings'] & {
    announceChannel: string | undefined;
    /** May hand over command and resolve, besides the current commander. */
    responders: readonly string[];
    /** Severities whose update the bot posts itself when nobody does: what a snooze holds back too. */
    autoPost: readonly SeverityLevel[];
  };
}

/** The warnings of one change to an incident, logged with its id. */
export const warningsFor = (deps: Pick<IncidentDependencies, 'log'>, incidentId: number) => new Warnings(deps.log.child({ incidentId }));

/** What the person who asked is told, only to them: done (maybe with warnings) or refused, and why. */
export type FlowResult = { ok: true; message: string; warnings: string[] } | { ok: false; message: string };

export const refused = (message: string): FlowResult => ({ ok: false, message });
export const done = (message: string, warnings: string[] = []): FlowResult => ({ ok: true, message, warnings });

/** The reply text for a result: the outcome first, then each step that did not work. */
export function resultText(result: FlowResult): string {
  return result.ok ? doneText(result.message, result.warnings) : refusalText(result.message);
}

/** Runs the Slack call a change cannot do without; a refusal becomes the user's answer. */
export async function essential<T>(action: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; result: FlowResult }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (error instanceof SlackCallError) return { ok: false, result: refused(error.userMessage) };
    throw error;
  }
}

/**
 * Every change to an incident goes through here: `plan` (the domain's planner, with any permission
 * check) decides on the incident as it is stored at the moment of writing, not as it was read when
 * the request arrived, and the change is applied in the same transaction. What the flow then posts
 * is rendered from the result. A refusal becomes the user's answer.
 */
export function decideAndApply<C extends IncidentChange>(
  deps: Pick<IncidentDependencies, 'incidents'>,
  incidentId: number,
  plan: (current: Incident) => Decision<C>,
  context: { actorId: string | null; at: Date; participant?: { userId: string; role: ParticipantRole } },
): { ok: true; applied: AppliedChange<C> } | { ok: false; result: FlowResult } {
  const applied = deps.incidents.applyChange(incidentId, plan, context);
  return applied.ok ? { ok: true, applied } : { ok: false, result: refused(applied.reason) };
}

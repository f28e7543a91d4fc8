import { escalationReason, type EscalationTier } from '../../domain/escalation.js';
import type { Incident } from '../../domain/incident.js';
import { formatDuration } from '../../domain/lifecycle.js';
import { drillWouldPage } from '../../messages/drills.js';
import { escapeMrkdwn, mentionUser } from '../../render/mrkdwn.js';
import type { ChatMessage } from '../../ports.js';
import { contextLine, mrkdwnSections } from './blocks.js';

export const ESCALATION_EVENT_TYPE = 'incident_escalation';

/** Who a page reached (as mentions) and what could not be done, said in the page itself. */
export interface PagedPeople {
  mentions: string[];
  problems: string[];
  /** In a drill that pages nobody: the rung's targets, named and not mentioned. */
  wouldPage?: readonly string[];
}

/**
 * A rung of the ladder paged in the channel. With nobody configured for the rung, it tells the
 * commander to escalate by hand: the runbook's step is still due, only the bot cannot take it.
 */
export function escalationMessage(incident: Incident, rung: EscalationTier, people: PagedPeople, openMs: number, key: string): ChatMessage {
  const why = `this ${incident.severity} incident has been open ${formatDuration(openMs)} and is ${escalationReason(rung)}`;
  const who =
    people.wouldPage && people.wouldPage.length > 0
      ? drillWouldPage(people.wouldPage, incident.commanderId)
      : people.mentions.length > 0
        ? `Paging ${people.mentions.join(' ')}: please join and check in with the commander, ${mentionUser(incident.commanderId)}.`
        : `${mentionUser(incident.commanderId)}, the runbook says to bring in the ${escapeMrkdwn(rung.name.toLowerCase())} now. Nobody is set for this rung in the configuration file, so please page them yourself.`;
  const problems = people.problems.map((problem) => `:warning: ${problem}`).join('\n');
  return {
    text: `Escalation: ${rung.name} (${incident.severity}, ${formatDuration(openMs)} ${escalationReason(rung)})`,
    blocks: [...mrkdwnSections(`:rotating_light: *Escalation: ${escapeMrkdwn(rung.name)}*: ${why}.\n${who}`), ...(problems ? [contextLine(problems)] : [])],
    metadata: { event_type: ESCALATION_EVENT_TYPE, event_payload: { key, incident_id: incident.id, tier: rung.name } },
  };
}

import type { Clock } from '../domain/time.js';
import type { IncidentRecords } from '../ports.js';

type ParticipantDependencies = { incidents: IncidentRecords; clock: Clock };

/** Someone joined a channel: if it is a live incident's channel, they are now a participant (again, if they had left). */
export async function recordChannelMember(deps: ParticipantDependencies, channelId: string, userId: string): Promise<{ incidentId: number; added: boolean } | undefined> {
  const incident = await deps.incidents.findLiveByChannel(channelId);
  if (!incident) return undefined;
  return { incidentId: incident.id, added: await deps.incidents.addParticipant(incident.id, userId, 'member', deps.clock.now()) };
}

/**
 * Someone left (or was removed from) an incident channel: a private incident is no longer theirs
 * to see. They stay on record as having taken part, for the post-mortem.
 */
export async function recordChannelLeaver(deps: ParticipantDependencies, channelId: string, userId: string): Promise<{ incidentId: number; left: boolean } | undefined> {
  const incident = await deps.incidents.findLiveByChannel(channelId);
  if (!incident) return undefined;
  return { incidentId: incident.id, left: await deps.incidents.markParticipantLeft(incident.id, userId, deps.clock.now()) };
}

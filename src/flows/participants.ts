import type { Clock } from '../domain/time.js';
import type { IncidentRepository } from '../store/incidentRepository.js';

type ParticipantDependencies = { incidents: IncidentRepository; clock: Clock };

/** Someone joined a channel: if it is a live incident's channel, they are now a participant (again, if they had left). */
export function recordChannelMember(deps: ParticipantDependencies, channelId: string, userId: string): { incidentId: number; added: boolean } | undefined {
  const incident = deps.incidents.findLiveByChannel(channelId);
  if (!incident) return undefined;
  return { incidentId: incident.id, added: deps.incidents.addParticipant(incident.id, userId, 'member', deps.clock.now()) };
}

/**
 * Someone left (or was removed from) an incident channel: a private incident is no longer theirs
 * to see. They stay on record as having taken part, for the post-mortem.
 */
export function recordChannelLeaver(deps: ParticipantDependencies, channelId: string, userId: string): { incidentId: number; left: boolean } | undefined {
  const incident = deps.incidents.findLiveByChannel(channelId);
  if (!incident) return undefined;
  return { incidentId: incident.id, left: deps.incidents.markParticipantLeft(incident.id, userId, deps.clock.now()) };
}

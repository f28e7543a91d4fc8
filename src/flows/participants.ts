import type { Clock } from '../domain/time.js';
import type { IncidentRepository } from '../store/incidentRepository.js';

/** Someone joined a channel: if it is a live incident's channel, they are now a participant. */
export function recordChannelMember(
  deps: { incidents: IncidentRepository; clock: Clock },
  channelId: string,
  userId: string,
): { incidentId: number; added: boolean } | undefined {
  const incident = deps.incidents.findByChannel(channelId);
  if (!incident || incident.phase !== 'live') return undefined;
  return { incidentId: incident.id, added: deps.incidents.addParticipant(incident.id, userId, 'member', deps.clock.now()) };
}

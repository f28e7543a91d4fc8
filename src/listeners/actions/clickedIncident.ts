import { asLive, type LiveIncident } from '../../domain/incident.js';
import { BUTTON_IN_OTHER_CHANNEL, INCIDENT_GONE, refusalText, RETRY_BUTTON } from '../../messages/replies.js';
import { notLiveText } from '../channelIncident.js';
import type { ButtonClick } from '../payloads.js';
import type { ListenerDependencies } from '../types.js';

/** How a refused click is answered: only to the person who clicked, leaving the message as it was. */
export const clickRefusal = (message: string) => ({ response_type: 'ephemeral' as const, replace_original: false, text: refusalText(message) });

/**
 * The incident a button names, if the click came from that incident's own channel. Every button
 * the bot posts lives there (the pinned summary, reminders, the ephemeral action item list; none
 * go out by direct message), so a click elsewhere naming an incident is refused before anything
 * is written or opened: a button's value is not proof of where it was.
 */
export async function incidentOfClick(
  deps: ListenerDependencies,
  incidentId: number,
  click: Pick<ButtonClick, 'user' | 'container' | 'channel'>,
): Promise<{ ok: true; incident: LiveIncident } | { ok: false; message: string }> {
  const incident = Number.isSafeInteger(incidentId) ? await deps.incidents.findById(incidentId) : undefined;
  if (!incident || !incident.channelId) return { ok: false, message: INCIDENT_GONE };
  const clickedIn = click.container?.channel_id ?? click.channel?.id;
  if (clickedIn !== incident.channelId) {
    deps.log.warn({ incidentId: incident.id, userId: click.user.id, clickedIn }, 'refused a button clicked outside its incident channel');
    return { ok: false, message: BUTTON_IN_OTHER_CHANNEL };
  }
  // The summary's buttons are posted a moment before the incident goes live.
  const live = asLive(incident);
  return live ? { ok: true, incident: live } : { ok: false, message: notLiveText(incident, RETRY_BUTTON) };
}

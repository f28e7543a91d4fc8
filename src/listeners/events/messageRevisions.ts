import type { App } from '@slack/bolt';
import { pinnedMessageChanged, pinnedMessageGone } from '../../flows/pins.js';
import { messageRevisionEvent, readPayload } from '../payloads.js';
import type { ListenerDependencies } from '../types.js';

/**
 * A :pushpin:-ed message edited or deleted in Slack: its timeline entry follows (message.channels
 * and message.groups events). Every other message event is ignored before anything is read or
 * written: the bot hears every message in every channel it is in.
 */
export function registerMessageRevisions(app: App, deps: ListenerDependencies): void {
  app.event('message', async ({ event: payload }) => {
    const subtype = (payload as { subtype?: unknown }).subtype;
    if (subtype !== 'message_changed' && subtype !== 'message_deleted') return;
    const event = readPayload(messageRevisionEvent, payload, deps.log, `message ${subtype}`);
    if (!event) return;
    const incident = await deps.incidents.findLiveByChannel(event.channel);
    if (!incident) return;
    // Applying an edit or a deletion twice changes nothing, so a retried event needs no bookkeeping.
    if (event.subtype === 'message_changed') {
      if (await pinnedMessageChanged(deps, incident, event.message.ts, event.message.text, event.message.user ?? null)) {
        deps.log.info({ incidentId: incident.id, messageTs: event.message.ts }, 'pinned message edited in Slack: its timeline entry follows');
      }
    } else if (await pinnedMessageGone(deps, incident, event.deleted_ts)) {
      deps.log.info({ incidentId: incident.id, messageTs: event.deleted_ts }, 'pinned message deleted in Slack: its timeline entry says so');
    }
  });
}

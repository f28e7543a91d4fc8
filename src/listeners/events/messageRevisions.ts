import type { App } from '@slack/bolt';
import { pinnedMessageChanged, pinnedMessageGone } from '../../flows/pins.js';
import { pinnedEditNotRecorded } from '../../messages/replies.js';
import { messageRevisionEvent, readPayload } from '../payloads.js';
import type { ListenerDependencies } from '../types.js';
import { tellOnly, whyNotRecorded } from './notRecorded.js';

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
      const { ts, text, user } = event.message;
      try {
        if (await pinnedMessageChanged(deps, incident, ts, text, user ?? null)) {
          deps.log.info({ incidentId: incident.id, messageTs: ts }, 'pinned message edited in Slack: its timeline entry follows');
        }
      } catch (error) {
        deps.log.warn({ err: error, incidentId: incident.id, messageTs: ts }, 'could not bring a pinned message\'s entry up to date with its edit');
        // Only its author edits a message: they are the one to know the timeline did not follow.
        if (user) await tellOnly(deps, incident, user, pinnedEditNotRecorded(whyNotRecorded(error)));
      }
    } else {
      // Slack does not say who deleted a message: nobody to tell, the log says it.
      try {
        if (await pinnedMessageGone(deps, incident, event.deleted_ts)) {
          deps.log.info({ incidentId: incident.id, messageTs: event.deleted_ts }, 'pinned message deleted in Slack: its timeline entry says so');
        }
      } catch (error) {
        deps.log.error({ err: error, incidentId: incident.id, messageTs: event.deleted_ts }, 'could not mark a pinned message deleted in Slack on the timeline');
      }
    }
  });
}

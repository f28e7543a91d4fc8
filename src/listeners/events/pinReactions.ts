import type { App } from '@slack/bolt';
import { messagePinned, pinRemoved, SLACK_PIN_HOLDER } from '../../flows/pins.js';
import { pinNotRecorded, pinRemovalNotRecorded, slackPinNotRecorded, slackUnpinNotRecorded } from '../../messages/replies.js';
import { pinEvent, reactionEvent, readPayload } from '../payloads.js';
import { firstEventDelivery } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';
import { tellOnly, whyNotRecorded } from './notRecorded.js';

/** The reaction that puts a message on the incident timeline. */
const PIN_REACTION = 'pushpin';

/**
 * :pushpin: on a message in an incident channel adds it to the timeline; removing the last one
 * takes it off. A message is on the timeline once however often its :pushpin: is delivered, but an
 * add retried after the removal would put it back: each event is acted on once, recorded only for
 * :pushpin: in incident channels, not for every reaction the bot sees. A pin that could not be
 * recorded is told to the person who added it, since removing and adding it again retries.
 */
export function registerPinReactions(app: App, deps: ListenerDependencies): void {
  app.event('reaction_added', async ({ event: payload, body }) => {
    const event = readPayload(reactionEvent, payload, deps.log, 'reaction_added');
    if (!event || event.reaction !== PIN_REACTION || event.item.type !== 'message') return;
    const incident = await deps.incidents.findLiveByChannel(event.item.channel);
    if (!incident) return;
    try {
      if (!(await firstEventDelivery(deps, body, 'reaction_added'))) return;
      const outcome = await messagePinned(deps, incident, event.item.ts, event.user);
      deps.log.info({ incidentId: incident.id, messageTs: event.item.ts, outcome }, 'message pinned to the timeline');
    } catch (error) {
      deps.log.warn({ err: error, incidentId: incident.id }, 'could not put a pinned message on the timeline');
      await tellOnly(deps, incident, event.user, pinNotRecorded(whyNotRecorded(error)));
    }
  });

  app.event('reaction_removed', async ({ event: payload, body }) => {
    const event = readPayload(reactionEvent, payload, deps.log, 'reaction_removed');
    if (!event || event.reaction !== PIN_REACTION || event.item.type !== 'message') return;
    const incident = await deps.incidents.findLiveByChannel(event.item.channel);
    if (!incident) return;
    try {
      if (!(await firstEventDelivery(deps, body, 'reaction_removed'))) return;
      if (await pinRemoved(deps, incident, event.item.ts, event.user)) {
        deps.log.info({ incidentId: incident.id, messageTs: event.item.ts }, 'message taken off the timeline');
      }
    } catch (error) {
      // Slack shows the :pushpin: gone: without a word the person would believe the timeline follows.
      deps.log.warn({ err: error, incidentId: incident.id }, 'could not take a pinned message off the timeline');
      await tellOnly(deps, incident, event.user, pinRemovalNotRecorded(whyNotRecorded(error)));
    }
  });

  /**
   * Slack's own pin counts as one more :pushpin: on the message (timeline.slack_pins: record), held
   * by Slack's pin rather than by the pinner, since anyone may unpin it. The bot's own pin of its
   * summary is not a person marking what matters and is left off.
   */
  const slackPin = async (type: 'pin_added' | 'pin_removed', payload: unknown) => {
    if (deps.settings.slackPins === 'ignore') return undefined;
    const event = readPayload(pinEvent, payload, deps.log, type);
    if (!event || event.item.type !== 'message') return undefined;
    const messageTs = event.item.message.ts;
    if (event.user === deps.identity.botUserId) return undefined;
    const incident = await deps.incidents.findLiveByChannel(event.item.channel);
    if (!incident || messageTs === incident.kickoffTs) return undefined;
    return { incident, messageTs, user: event.user };
  };

  app.event('pin_added', async ({ event: payload, body }) => {
    const pin = await slackPin('pin_added', payload);
    if (!pin) return;
    try {
      if (!(await firstEventDelivery(deps, body, 'pin_added'))) return;
      const outcome = await messagePinned(deps, pin.incident, pin.messageTs, pin.user, SLACK_PIN_HOLDER);
      deps.log.info({ incidentId: pin.incident.id, messageTs: pin.messageTs, outcome }, 'message pinned in Slack, put on the timeline');
    } catch (error) {
      deps.log.warn({ err: error, incidentId: pin.incident.id }, 'could not put a message pinned in Slack on the timeline');
      await tellOnly(deps, pin.incident, pin.user, slackPinNotRecorded(whyNotRecorded(error)));
    }
  });

  app.event('pin_removed', async ({ event: payload, body }) => {
    const pin = await slackPin('pin_removed', payload);
    if (!pin) return;
    try {
      if (!(await firstEventDelivery(deps, body, 'pin_removed'))) return;
      if (await pinRemoved(deps, pin.incident, pin.messageTs, pin.user, SLACK_PIN_HOLDER)) {
        deps.log.info({ incidentId: pin.incident.id, messageTs: pin.messageTs }, 'message unpinned, taken off the timeline');
      }
    } catch (error) {
      deps.log.warn({ err: error, incidentId: pin.incident.id }, 'could not take a message unpinned in Slack off the timeline');
      await tellOnly(deps, pin.incident, pin.user, slackUnpinNotRecorded(whyNotRecorded(error)));
    }
  });
}

import type { App } from '@slack/bolt';
import { recordChannelLeaver } from '../../flows/participants.js';
import { membershipEvent, readPayload } from '../payloads.js';
import { firstEventDelivery } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';

/** Leaving an incident channel (or being removed from it) ends access to a private incident. */
export function registerMemberLeftChannel(app: App, deps: ListenerDependencies): void {
  app.event('member_left_channel', async ({ event: payload, body }) => {
    const event = readPayload(membershipEvent, payload, deps.log, 'member_left_channel');
    if (!event) return;
    // A leave retried after the person rejoined would end their access again: each event is acted on once.
    if (!(await firstEventDelivery(deps, body, 'member_left_channel'))) return;
    const recorded = await recordChannelLeaver(deps, event.channel, event.user);
    if (recorded?.left) deps.log.info({ incidentId: recorded.incidentId, userId: event.user }, 'participant left');
  });
}

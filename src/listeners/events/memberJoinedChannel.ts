import type { App } from '@slack/bolt';
import { recordChannelMember } from '../../flows/participants.js';
import { membershipEvent, readPayload } from '../payloads.js';
import { firstEventDelivery } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';

/** Everyone who joins an incident channel is recorded, for the post-mortem's list of responders. */
export function registerMemberJoinedChannel(app: App, deps: ListenerDependencies): void {
  app.event('member_joined_channel', async ({ event: payload, body }) => {
    const event = readPayload(membershipEvent, payload, deps.log, 'member_joined_channel');
    if (!event || event.user === deps.identity.botUserId) return;
    // A join retried after the person left would bring them back: each event is acted on once.
    if (!(await firstEventDelivery(deps, body, 'member_joined_channel'))) return;
    const recorded = await recordChannelMember(deps, event.channel, event.user);
    if (recorded?.added) deps.log.info({ incidentId: recorded.incidentId, userId: event.user }, 'participant joined');
  });
}

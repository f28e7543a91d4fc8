/**
 * The timeline not following what someone did in Slack (took off a :pushpin:, unpinned a message,
 * edited a pinned message) because the database refused: Slack already shows the change, so the
 * person is told, only them, what did not follow and how to retry; retrying works once the
 * database is back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveIncident } from '../../src/domain/incident.js';
import { messagePinned } from '../../src/flows/pins.js';
import { registerListeners } from '../../src/listeners/index.js';
import { refuseWrites, registeredListeners, startInProcess, type InProcessBot } from '../support/inProcess.js';

describe('the timeline when the database refuses a pin, unpin or edit made in Slack', () => {
  let bot: InProcessBot;
  let incident: LiveIncident;
  let deliver: (event: Record<string, unknown> | undefined) => Promise<unknown>;
  let deliveries = 0;
  beforeEach(async () => {
    bot = await startInProcess();
    incident = await bot.declare({ title: 'Cache stampede', commanderId: 'UBOB' });
    const listeners = registeredListeners((app) => registerListeners(app, bot.deps));
    deliver = (event) => {
      if (!event) throw new Error('the fake Slack sent no event: is manifest.yml subscribed to it?');
      const handler = listeners.get(`event:${String(event.type)}`);
      if (!handler) throw new Error(`no listener for ${String(event.type)}`);
      return handler({ event, body: { event_id: `EvFault${++deliveries}`, team_id: 'T1' } });
    };
  });
  afterEach(() => bot.close());

  const pinnedEntry = async (ts: string) => (await bot.deps.incidents.timelineOf(incident.id)).find((entry) => entry.kind === 'pinned_message' && entry.messageTs === ts);
  const toldTo = (userId: string) => bot.fake.ephemerals.filter((message) => message.channel === incident.channelId && message.user === userId).map((message) => message.text);
  const reaction = (type: 'reaction_added' | 'reaction_removed', userId: string, ts: string) => ({ type, user: userId, reaction: 'pushpin', item: { type: 'message', channel: incident.channelId, ts }, event_ts: `${Date.now() / 1000}` });

  it('a :pushpin: taken off: told it is still on the timeline; adding and removing it again takes it off', async () => {
    const ts = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'Latency back to normal').ts;
    expect(await messagePinned(bot.deps, incident, ts, 'UBOB')).toBe('recorded');
    refuseWrites(bot.database);

    await deliver(reaction('reaction_removed', 'UBOB', ts));

    expect(toldTo('UBOB')).toEqual([expect.stringMatching(/^:x: You took your :pushpin: off, but the message is still on the incident timeline: The bot cannot write to its database .+ Add the :pushpin: and remove it again to retry\.$/)]);
    expect(await pinnedEntry(ts)).toBeDefined();
    expect(bot.logs.find((line) => line.msg === 'could not take a pinned message off the timeline')).toMatchObject({ incidentId: incident.id });

    refuseWrites(bot.database, false);
    await deliver(reaction('reaction_added', 'UBOB', ts));
    await deliver(reaction('reaction_removed', 'UBOB', ts));
    expect(await pinnedEntry(ts)).toBeUndefined();
    expect(toldTo('UBOB')).toHaveLength(1);
  });

  it("Slack's own pin removed: told it is still on the timeline (by direct message to someone not in the channel); pinning and unpinning again takes it off", async () => {
    const ts = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'Rolled back the cache config').ts;
    await deliver(bot.fake.pinMessage(incident.channelId, ts, 'UCAROL'));
    expect(await pinnedEntry(ts)).toMatchObject({ data: { pinnedBy: 'UCAROL' } });
    refuseWrites(bot.database);

    await deliver(bot.fake.unpinMessage(incident.channelId, ts, 'UCAROL'));

    // Carol is not in the channel, where Slack will not show her a message only she sees: she hears by direct message.
    expect(toldTo('UCAROL')).toEqual([]);
    expect(bot.fake.dms('UCAROL').map((message) => message.text)).toEqual([expect.stringMatching(/^:x: You unpinned the message, but it is still on the incident timeline: The bot cannot write to its database .+ Pin it and unpin it again to retry\.$/)]);
    expect(await pinnedEntry(ts)).toBeDefined();

    refuseWrites(bot.database, false);
    await deliver(bot.fake.pinMessage(incident.channelId, ts, 'UCAROL'));
    await deliver(bot.fake.unpinMessage(incident.channelId, ts, 'UCAROL'));
    expect(await pinnedEntry(ts)).toBeUndefined();
    expect(bot.fake.dms('UCAROL')).toHaveLength(1);
  });

  it('a pinned message edited: its author is told the entry shows the earlier text; editing again brings it up to date', async () => {
    const ts = bot.fake.postAsUser(incident.channelId, 'UBOB', 'error rate 5%').ts;
    expect(await messagePinned(bot.deps, incident, ts, 'UCAROL')).toBe('recorded');
    const edited = (text: string) => ({ type: 'message', subtype: 'message_changed', channel: incident.channelId, hidden: true, message: { type: 'message', user: 'UBOB', ts, text }, ts: `${Date.now() / 1000}` });
    refuseWrites(bot.database);

    await deliver(edited('error rate 12%'));

    expect(toldTo('UBOB')).toEqual([expect.stringMatching(/^:x: You edited a message that is on the incident timeline, but its entry still shows the earlier text: The bot cannot write to its database .+ Edit the message again to retry\.$/)]);
    expect(toldTo('UCAROL')).toEqual([]);
    expect(await pinnedEntry(ts)).toMatchObject({ text: 'error rate 5%' });

    refuseWrites(bot.database, false);
    await deliver(edited('error rate 14%'));
    expect(await pinnedEntry(ts)).toMatchObject({ text: 'error rate 14%' });
  });

  it('a pinned message deleted: nobody to tell (Slack does not say who), the log says it', async () => {
    const ts = bot.fake.postAsUser(incident.channelId, 'UBOB', 'it was the CDN').ts;
    expect(await messagePinned(bot.deps, incident, ts, 'UCAROL')).toBe('recorded');
    refuseWrites(bot.database);

    await deliver({ type: 'message', subtype: 'message_deleted', channel: incident.channelId, hidden: true, deleted_ts: ts, ts: `${Date.now() / 1000}` });

    expect(bot.logs.find((line) => line.msg === 'could not mark a pinned message deleted in Slack on the timeline')).toMatchObject({ incidentId: incident.id, level: 50, messageTs: ts });
    expect(bot.fake.ephemerals).toEqual([]);
  });
});

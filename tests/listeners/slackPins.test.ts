import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveIncident } from '../../src/domain/incident.js';
import { registerListeners } from '../../src/listeners/index.js';
import { registeredListeners, startInProcess, type InProcessBot } from '../support/inProcess.js';

/** Slack's own pin (pin_added / pin_removed), as the listeners receive it. */
describe('Slack\'s own pin', () => {
  let bot: InProcessBot;
  let incident: LiveIncident;
  let deliveries = 0;
  afterEach(() => bot.close());

  const start = async (configFile?: string) => {
    bot = await startInProcess(configFile ? { env: { INCIDENT_CONFIG: configFile } } : {});
    incident = await bot.declare({ title: 'Payments timing out', commanderId: 'UBOB' });
    const listeners = registeredListeners((app) => registerListeners(app, bot.deps));
    const deliver = (event: unknown) => {
      if (!event || typeof event !== 'object' || !('type' in event)) throw new Error('the fake Slack sent no pin event: is manifest.yml subscribed to pin_added and pin_removed?');
      const handler = listeners.get(`event:${String(event.type)}`);
      if (!handler) throw new Error(`no listener for ${String(event.type)}`);
      return handler({ event, body: { event_id: `EvPin${++deliveries}`, team_id: 'T1' } });
    };
    return {
      /** A person pins or unpins in Slack, as the fake Slack sends it. */
      pin: (user: string, messageTs: string) => deliver(bot.fake.pinMessage(incident.channelId, messageTs, user)),
      unpin: (user: string, messageTs: string) => deliver(bot.fake.unpinMessage(incident.channelId, messageTs, user)),
      /** The event as Slack sends it for a pin the fake does not make itself (the bot's, through pins.add). */
      pinEvent: (user: string, messageTs: string) =>
        deliver({ type: 'pin_added', user, channel_id: incident.channelId, item: { type: 'message', channel: incident.channelId, created_by: user, message: { type: 'message', ts: messageTs, text: '' } }, event_ts: `${Date.now() / 1000}` }),
    };
  };

  const pinnedOnTimeline = async () => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'pinned_message');

  it('puts the message on the timeline with the pinner as pinnedBy, and unpinning by anyone takes it off', async () => {
    const slack = await start();
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Rolled back the payments deploy').ts;
    await slack.pin('UDAVE', messageTs);
    expect(await pinnedOnTimeline()).toMatchObject([{ actorId: 'UCAROL', text: 'Rolled back the payments deploy', messageTs, data: { pinnedBy: 'UDAVE' } }]);
    await slack.unpin('UBOB', messageTs);
    expect(await pinnedOnTimeline()).toEqual([]);
  });

  it('does not take back a :pushpin: when the message is unpinned', async () => {
    const slack = await start();
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Card processor confirmed the outage').ts;
    await slack.pin('UDAVE', messageTs);
    expect(await bot.deps.incidents.addPinReaction(incident.id, messageTs, 'UDAVE', bot.clock.now())).toBe(false);
    await slack.unpin('UDAVE', messageTs);
    expect(await pinnedOnTimeline()).toHaveLength(1);
  });

  it('is left alone with timeline.slack_pins: ignore', async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'slack-pins-')), 'incident.config.yml');
    writeFileSync(configFile, 'timeline:\n  slack_pins: ignore\n');
    const slack = await start(configFile);
    expect(bot.deps.settings.slackPins).toBe('ignore');
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Rolled back the payments deploy').ts;
    await slack.pin('UDAVE', messageTs);
    expect(await pinnedOnTimeline()).toEqual([]);
  });

  it('ignores the bot\'s own pin of its summary, and a person\'s pin event for the summary', async () => {
    const slack = await start();
    expect(incident.kickoffTs).toBeTruthy();
    expect(bot.fake.pins(incident.channelId)).toContain(incident.kickoffTs);
    await slack.pinEvent(bot.fake.botUserId, incident.kickoffTs!);
    await slack.pinEvent('UDAVE', incident.kickoffTs!);
    expect(await pinnedOnTimeline()).toEqual([]);
    // The bot's pin of a person's message is not a person marking it either.
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Status page updated').ts;
    await slack.pinEvent(bot.fake.botUserId, messageTs);
    expect(await pinnedOnTimeline()).toEqual([]);
  });

  it('tells the pinner (a channel member), only them, when the message could not be read; pinning again records it', async () => {
    const slack = await start();
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Failover started').ts;
    bot.fake.failMethod('conversations.history', { error: 'missing_scope', times: 1 });
    await slack.pin('UBOB', messageTs);
    const told = bot.fake.ephemerals.filter((message) => message.channel === incident.channelId && message.user === 'UBOB');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/^:x: The message you pinned was not put on the incident timeline: .+ Unpin it and pin it again to retry\.$/);
    await slack.unpin('UBOB', messageTs);
    await slack.pin('UBOB', messageTs);
    expect(await pinnedOnTimeline()).toHaveLength(1);
  });
});

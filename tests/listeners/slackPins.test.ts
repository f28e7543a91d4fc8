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
    return (type: 'pin_added' | 'pin_removed', user: string, messageTs: string) => {
      const handler = listeners.get(`event:${type}`);
      if (!handler) throw new Error(`no listener for ${type}`);
      const message = { type: 'message', ts: messageTs, text: '' };
      return handler({
        event: { type, user, channel_id: incident.channelId, item: { type: 'message', channel: incident.channelId, created_by: user, message }, event_ts: `${Date.now() / 1000}` },
        body: { event_id: `EvPin${++deliveries}`, team_id: 'T1' },
      });
    };
  };

  const pinnedOnTimeline = async () => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'pinned_message');

  it('puts the message on the timeline with the pinner as pinnedBy, and unpinning by anyone takes it off', async () => {
    const deliver = await start();
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Rolled back the payments deploy').ts;
    await deliver('pin_added', 'UDAVE', messageTs);
    expect(await pinnedOnTimeline()).toMatchObject([{ actorId: 'UCAROL', text: 'Rolled back the payments deploy', messageTs, data: { pinnedBy: 'UDAVE' } }]);
    await deliver('pin_removed', 'UBOB', messageTs);
    expect(await pinnedOnTimeline()).toEqual([]);
  });

  it('does not take back a :pushpin: when the message is unpinned', async () => {
    const deliver = await start();
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Card processor confirmed the outage').ts;
    await deliver('pin_added', 'UDAVE', messageTs);
    expect(await bot.deps.incidents.addPinReaction(incident.id, messageTs, 'UDAVE', bot.clock.now())).toBe(false);
    await deliver('pin_removed', 'UDAVE', messageTs);
    expect(await pinnedOnTimeline()).toHaveLength(1);
  });

  it('is left alone with timeline.slack_pins: ignore', async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'slack-pins-')), 'incident.config.yml');
    writeFileSync(configFile, 'timeline:\n  slack_pins: ignore\n');
    const deliver = await start(configFile);
    expect(bot.deps.settings.slackPins).toBe('ignore');
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Rolled back the payments deploy').ts;
    await deliver('pin_added', 'UDAVE', messageTs);
    expect(await pinnedOnTimeline()).toEqual([]);
  });

  it('ignores the bot\'s own pin of its summary, and a person\'s pin event for the summary', async () => {
    const deliver = await start();
    expect(incident.kickoffTs).toBeTruthy();
    expect(bot.fake.pins(incident.channelId)).toContain(incident.kickoffTs);
    await deliver('pin_added', bot.fake.botUserId, incident.kickoffTs!);
    await deliver('pin_added', 'UDAVE', incident.kickoffTs!);
    expect(await pinnedOnTimeline()).toEqual([]);
    // The bot's pin of a person's message is not a person marking it either.
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Status page updated').ts;
    await deliver('pin_added', bot.fake.botUserId, messageTs);
    expect(await pinnedOnTimeline()).toEqual([]);
  });

  it('tells the pinner (a channel member), only them, when the message could not be read; pinning again records it', async () => {
    const deliver = await start();
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'Failover started').ts;
    bot.fake.failMethod('conversations.history', { error: 'missing_scope', times: 1 });
    await deliver('pin_added', 'UBOB', messageTs);
    const told = bot.fake.ephemerals.filter((message) => message.channel === incident.channelId && message.user === 'UBOB');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/^:x: The message you pinned was not put on the incident timeline: .+ Unpin it and pin it again to retry\.$/);
    await deliver('pin_removed', 'UBOB', messageTs);
    await deliver('pin_added', 'UBOB', messageTs);
    expect(await pinnedOnTimeline()).toHaveLength(1);
  });
});

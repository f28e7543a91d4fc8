import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveIncident } from '../../src/domain/incident.js';
import { completeDeclaration, recordDeclaration } from '../../src/flows/declare.js';
import { messagePinned, pinRemoved } from '../../src/flows/pins.js';
import { registerListeners } from '../../src/listeners/index.js';
import { registeredListeners, startInProcess, type InProcessBot } from '../support/inProcess.js';

describe('a :pushpin: the bot was killed while recording', () => {
  let bot: InProcessBot;
  let incident: LiveIncident;
  let messageTs: string;
  beforeEach(async () => {
    bot = await startInProcess();
    const recorded = await recordDeclaration({ ...bot.deps, journal: bot.deps.journal }, { declarationKey: 'V1', declaredBy: 'UALICE', declaration: { title: 'Queue backlog', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false } });
    const outcome = await completeDeclaration(bot.deps, recorded.incident);
    if (outcome.kind !== 'declared') throw new Error(outcome.message);
    incident = outcome.incident;
    messageTs = bot.fake.postAsUser(outcome.channelId, 'UCAROL', 'Failover to the replica started').ts;
    // What a bot killed while fetching the message leaves behind: the pin stored, nothing on the timeline.
    await bot.deps.incidents.addPinReaction(incident.id, messageTs, 'UALICE', bot.clock.now());
  });
  afterEach(() => bot.close());

  const pinnedOnTimeline = async () => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'pinned_message');

  it('reaches the timeline when someone else pins the message later', async () => {
    expect(await messagePinned(bot.deps, incident, messageTs, 'UBOB')).toBe('recorded');
    expect(await pinnedOnTimeline()).toMatchObject([{ actorId: 'UCAROL', text: 'Failover to the replica started', messageTs }]);
    expect(await messagePinned(bot.deps, incident, messageTs, 'UDAVE')).toBe('already');
    expect(await pinnedOnTimeline()).toHaveLength(1);
  });

  it('reaches the timeline when the same person removes the pin and pins again', async () => {
    await pinRemoved(bot.deps, incident, messageTs, 'UALICE');
    expect(await messagePinned(bot.deps, incident, messageTs, 'UALICE')).toBe('recorded');
    expect(await pinnedOnTimeline()).toMatchObject([{ actorId: 'UCAROL', text: 'Failover to the replica started' }]);
  });
});

describe('a :pushpin: that cannot be recorded', () => {
  let bot: InProcessBot;
  let incident: LiveIncident;
  beforeEach(async () => {
    bot = await startInProcess();
    incident = await bot.declare({ title: 'Cache stampede', commanderId: 'UBOB' });
  });
  afterEach(() => bot.close());

  const pinEvent = (messageTs: string) => ({
    event: { type: 'reaction_added', user: 'UBOB', reaction: 'pushpin', item: { type: 'message', channel: incident.channelId, ts: messageTs }, event_ts: messageTs },
    body: { event_id: `Ev${messageTs}`, team_id: 'T1' },
  });

  it('is told to the person who pinned, only to them, and a second pin records it', async () => {
    const messageTs = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'Latency back to normal').ts;
    bot.fake.failMethod('conversations.history', { error: 'missing_scope', times: 1 });
    const reactionAdded = registeredListeners((app) => registerListeners(app, bot.deps)).get('event:reaction_added')!;
    await reactionAdded(pinEvent(messageTs));
    const told = bot.fake.ephemerals.filter((message) => message.channel === incident.channelId && message.user === 'UBOB');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/^:x: Your :pushpin: was not put on the incident timeline: .+ Remove it and add it again to retry\.$/);
    expect((await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'pinned_message')).toHaveLength(0);

    await pinRemoved(bot.deps, incident, messageTs, 'UBOB');
    expect(await messagePinned(bot.deps, incident, messageTs, 'UBOB')).toBe('recorded');
  });
});

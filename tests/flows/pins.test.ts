import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { completeDeclaration, recordDeclaration } from '../../src/flows/declare.js';
import { messagePinned, pinRemoved } from '../../src/flows/pins.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

describe('a :pushpin: the bot was killed while recording', () => {
  let bot: InProcessBot;
  let incident: Incident;
  let messageTs: string;
  beforeEach(async () => {
    bot = await startInProcess();
    const recorded = recordDeclaration({ ...bot.deps.declare, journal: bot.deps.journal }, { declarationKey: 'V1', declaredBy: 'UALICE', declaration: { title: 'Queue backlog', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false } });
    const outcome = await completeDeclaration(bot.deps.declare, recorded.incident);
    if (outcome.kind !== 'declared') throw new Error(outcome.message);
    incident = outcome.incident;
    messageTs = bot.fake.postAsUser(outcome.channelId, 'UCAROL', 'Failover to the replica started').ts;
    // What a bot killed while fetching the message leaves behind: the pin stored, nothing on the timeline.
    bot.deps.incident.incidents.addPinReaction(incident.id, messageTs, 'UALICE', bot.clock.now());
  });
  afterEach(() => bot.close());

  const pinnedOnTimeline = () => bot.deps.incident.incidents.timelineOf(incident.id).filter((entry) => entry.kind === 'pinned_message');

  it('reaches the timeline when someone else pins the message later', async () => {
    expect(await messagePinned(bot.deps.incident, incident, messageTs, 'UBOB')).toBe('recorded');
    expect(pinnedOnTimeline()).toMatchObject([{ actorId: 'UCAROL', text: 'Failover to the replica started', messageTs }]);
    expect(await messagePinned(bot.deps.incident, incident, messageTs, 'UDAVE')).toBe('already');
    expect(pinnedOnTimeline()).toHaveLength(1);
  });

  it('reaches the timeline when the same person removes the pin and pins again', async () => {
    pinRemoved(bot.deps.incident, incident, messageTs, 'UALICE');
    expect(await messagePinned(bot.deps.incident, incident, messageTs, 'UALICE')).toBe('recorded');
    expect(pinnedOnTimeline()).toMatchObject([{ actorId: 'UCAROL', text: 'Failover to the replica started' }]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planStatusUpdate } from '../../src/domain/lifecycle.js';
import { resultText } from '../../src/flows/incidentFlow.js';
import { postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

/** An update is recorded before it is posted (so it shows the incident as it is); one Slack will not post is taken back. */
describe('a status update Slack will not post', () => {
  let bot: InProcessBot;
  beforeEach(async () => {
    bot = await startInProcess();
  });
  afterEach(() => bot.close());

  const statusUpdates = async (incidentId: number) => (await bot.deps.incidents.timelineOf(incidentId)).filter((entry) => entry.kind === 'status_update').map((entry) => entry.text);

  it('is taken back: the user is told why, and the incident and its timeline are as before', async () => {
    const incident = await bot.declare({ commanderId: 'UBOB' });
    bot.fake.failMethod('chat.postMessage', { error: 'is_archived', times: 1 });

    const result = await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'monitoring', whatChanged: 'Fix deployed', impact: '', nextSteps: '' });

    expect(resultText(result)).toMatch(/^:x: /);
    const stored = (await bot.deps.incidents.findById(incident.id))!;
    expect([stored.status, stored.lastUpdateAt, stored.acknowledgedAt]).toEqual(['investigating', null, null]);
    expect(await statusUpdates(incident.id)).toEqual([]);
  });

  it('taking one back keeps what a later change set', async () => {
    const incident = await bot.declare({ commanderId: 'UCAROL' });
    const update = async (status: 'identified' | 'monitoring', whatChanged: string) => {
      const at = bot.clock.now();
      bot.clock.advance(60_000);
      const applied = await bot.deps.incidents.applyChange(incident.id, (current) => planStatusUpdate(current, { status, whatChanged, impact: '', nextSteps: '' }, at, 'UBOB'), { actorId: 'UBOB', at });
      if (!applied.ok) throw new Error(applied.reason);
      return applied;
    };
    const first = await update('identified', 'Found it');
    const second = await update('monitoring', 'Fix deployed');

    await bot.deps.incidents.withdrawChange(incident.id, first);

    const stored = (await bot.deps.incidents.findById(incident.id))!;
    expect(stored.status).toBe('monitoring');
    expect(stored.lastUpdateAt).toEqual(second.incident.lastUpdateAt);
    expect(await statusUpdates(incident.id)).toEqual(['Monitoring: Fix deployed']);
  });
});

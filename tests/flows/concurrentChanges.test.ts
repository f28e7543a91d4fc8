import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assignRole } from '../../src/flows/roles.js';
import { resolveIncident } from '../../src/flows/resolve.js';
import { changeSeverity, postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

/**
 * Changes that overlap, with Slack slow: each is decided on the incident as stored when it is
 * applied, never on what the request read when it arrived.
 */
describe('concurrent changes to one incident', () => {
  let bot: InProcessBot;
  beforeEach(async () => {
    bot = await startInProcess();
  });
  afterEach(() => bot.close());

  const timelineKinds = async (incidentId: number, kind: string) => (await bot.deps.incidents.timelineOf(incidentId)).filter((entry) => entry.kind === kind);

  it('two handovers of command at once: one wins, the other is told why; one timeline entry, one announcement', async () => {
    const incident = await bot.declare({ commanderId: 'UBOB' });
    bot.fake.slowMethod('conversations.invite', 300);

    // Both read the incident while UBOB was commander, as two quick `/incident commander` would.
    const [toCarol, toDave] = await Promise.all([
      assignRole(bot.deps, incident, 'UBOB', 'commander', 'UCAROL'),
      assignRole(bot.deps, incident, 'UBOB', 'commander', 'UDAVE'),
    ]);

    expect([toCarol.ok, toDave.ok].sort()).toEqual([false, true]);
    const [winner, loser] = toCarol.ok ? ['UCAROL', toDave] : ['UDAVE', toCarol];
    expect(loser.message).toBe(`Only the incident commander (<@${winner}>) or a listed responder can hand over command.`);
    expect((await bot.deps.incidents.findById(incident.id))?.commanderId).toBe(winner);
    const handoffs = await timelineKinds(incident.id, 'role_assigned');
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]?.text).toBe(`Incident commander handed from <@UBOB> to <@${winner}>`);
    const announced = bot.fake.messages(incident.channelId!).filter((message) => message.text.includes(':handshake:'));
    expect(announced.map((message) => message.text)).toEqual([expect.stringContaining(`<@UBOB> → <@${winner}>`)]);
  });

  it('a status update racing a severity change posts the severity as it is now', async () => {
    const incident = await bot.declare({ severity: 'SEV2' });
    bot.fake.slowMethod('chat.postMessage', 200);

    // The update form was filled in while the incident was SEV2; the raise is recorded first and is
    // still posting (Slack slow) when the update comes. Waited for, not assumed: on PostgreSQL two
    // calls started together may reach the database in either order.
    const raising = changeSeverity(bot.deps, incident, 'UCAROL', 'SEV1');
    await vi.waitFor(async () => expect((await bot.deps.incidents.findById(incident.id))?.severity).toBe('SEV1'), { interval: 5 });
    const updated = await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'identified', whatChanged: 'Found the bad deploy', impact: '', nextSteps: '' });
    const raised = await raising;

    expect(raised.ok && updated.ok).toBe(true);
    const posted = bot.fake.messages(incident.channelId!).find((message) => message.text.startsWith('Identified: Found the bad deploy'));
    const shown = JSON.stringify(posted?.blocks);
    expect(shown).toContain('*Severity:* SEV1');
    expect(shown).not.toContain('SEV2');
  });

  it('a resolve form opened by the commander and submitted after command changed hands is refused', async () => {
    const incident = await bot.declare({ commanderId: 'UBOB' });
    // UBOB opened the resolve form as commander (this read); command passes to UCAROL before he submits.
    expect((await assignRole(bot.deps, incident, 'UBOB', 'commander', 'UCAROL')).ok).toBe(true);

    const resolve = await resolveIncident(bot.deps, incident, 'UBOB', { summary: 'Rolled back', rootCause: '' });

    expect(resolve).toEqual({ ok: false, message: 'Only the incident commander (<@UCAROL>) or a listed responder can resolve it.' });
    expect((await bot.deps.incidents.findById(incident.id))?.status).toBe('investigating');
    expect(await timelineKinds(incident.id, 'resolved')).toHaveLength(0);
    expect(bot.fake.messages(incident.channelId!).some((message) => message.text.startsWith('[RESOLVED]'))).toBe(false);
  });
});

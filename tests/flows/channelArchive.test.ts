/**
 * Archiving resolved incidents' channels, in-process with the clock moved by hand: the warning a day
 * ahead with its Keep open button, the archive, the review that holds it back, reopening an
 * archived incident, and Slack's refusals, each told once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/archive.js';
import type { Incident, LiveIncident } from '../../src/domain/incident.js';
import { archiveDueChannels, keepChannelOpen } from '../../src/flows/archive.js';
import { recomputeDueTimes } from '../../src/flows/dueTimes.js';
import { reopenIncident, resolveIncident } from '../../src/flows/resolve.js';
import { markReviewHeld } from '../../src/flows/review.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';

let bot: InProcessBot;
afterEach(() => bot?.close());

const HOUR = 3_600_000;
const start = async (yaml = 'archive_after_days: 2\n') => {
  bot = await startInProcess({ env: { INCIDENT_CONFIG: configFile(yaml) } });
};
const schedulerDeps = (owner = 'this-process') => ({ ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, escalation: bot.config.escalation, owner, retryMs: 30_000 });
const pass = (owner?: string) => archiveDueChannels(schedulerDeps(owner));
const current = async (incident: Incident) => (await bot.deps.incidents.findLiveById(incident.id)) as LiveIncident;
const channel = (incident: Incident) => bot.fake.channels.get(incident.channelId!)!;
const warnings = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.includes('will be archived on'));
const timeline = async (incident: Incident, kind: string) => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === kind);

/** A SEV3 (no post-mortem review by default) resolved now; the clock then counts from its resolve. */
async function resolvedIncident(severity: Incident['severity'] = 'SEV3'): Promise<{ incident: LiveIncident; after: (ms: number) => void }> {
  const incident = await bot.declare({ title: 'Search is slow', severity, commanderId: 'UBOB' });
  await resolveIncident(bot.deps, incident, 'UBOB', { summary: 'Reindexed', rootCause: 'A bad mapping' });
  const resolvedAt = (await current(incident)).resolvedAt!;
  return { incident, after: (ms) => bot.clock.set(new Date(resolvedAt.getTime() + ms)) };
}

/** Resolved, warned a day later and archived two days later (the default period in these tests). */
async function archivedIncident(): Promise<{ incident: LiveIncident; after: (ms: number) => void }> {
  const resolved = await resolvedIncident();
  resolved.after(DAY_MS);
  await pass();
  resolved.after(2 * DAY_MS);
  await pass();
  return resolved;
}

describe('archiving a resolved incident\'s channel', () => {
  it('warns a day ahead with a Keep open button, then archives the channel and says so on the timeline', async () => {
    await start();
    const { incident, after } = await resolvedIncident();
    after(DAY_MS - 1);
    expect(await pass()).toBe(0);
    expect(warnings(incident)).toHaveLength(0);
    after(DAY_MS);
    expect(await pass()).toBe(1);
    const [warning] = warnings(incident);
    expect(warning!.text).toContain('archived on *2026-11-');
    const actions = warning!.blocks!.find((block) => block.type === 'actions')!;
    expect(actions.elements[0]).toMatchObject({ text: { text: 'Keep open' }, value: String(incident.id) });
    after(2 * DAY_MS - 1);
    expect(await pass()).toBe(0);
    expect(channel(incident).isArchived).toBe(false);
    after(2 * DAY_MS);
    expect(await pass()).toBe(1);
    expect(channel(incident).isArchived).toBe(true);
    expect((await timeline(incident, 'channel_archived')).map((entry) => entry.text)).toEqual(['Channel archived, 2 d after the incident was resolved']);
    // Done: later passes owe it nothing and call Slack no more.
    after(10 * DAY_MS);
    expect(await pass()).toBe(0);
    expect(warnings(incident)).toHaveLength(1);
    expect(bot.fake.callsTo('conversations.archive')).toHaveLength(1);
  });

  it('with archive_after_days: 1, warns at the resolve and archives a day later', async () => {
    await start('archive_after_days: 1\n');
    const { incident, after } = await resolvedIncident();
    after(0);
    expect(await pass()).toBe(1);
    expect(warnings(incident)).toHaveLength(1);
    after(DAY_MS);
    expect(await pass()).toBe(1);
    expect(channel(incident).isArchived).toBe(true);
  });

  it('never archives with archive_after_days: 0', async () => {
    await start('archive_after_days: 0\n');
    const { incident, after } = await resolvedIncident();
    after(365 * DAY_MS);
    expect(await pass()).toBe(0);
    expect(warnings(incident)).toHaveLength(0);
    expect(channel(incident).isArchived).toBe(false);
  });

  it('Keep open starts the period again from the click, with who kept it on the timeline', async () => {
    await start();
    const { incident, after } = await resolvedIncident();
    after(DAY_MS);
    await pass();
    after(DAY_MS + 2 * HOUR);
    const kept = await keepChannelOpen(bot.deps, await current(incident), 'UCAROL');
    expect(kept).toMatchObject({ ok: true, message: expect.stringContaining('<@UCAROL> kept this channel open') });
    expect(await timeline(incident, 'archive_postponed')).toMatchObject([{ actorId: 'UCAROL', text: expect.stringContaining('archiving moved to') }]);
    after(2 * DAY_MS);
    expect(await pass()).toBe(0);
    expect(channel(incident).isArchived).toBe(false);
    // Warned again a day before the new end, archived at it.
    after(2 * DAY_MS + 2 * HOUR);
    expect(await pass()).toBe(1);
    expect(warnings(incident)).toHaveLength(2);
    after(3 * DAY_MS + 2 * HOUR);
    expect(await pass()).toBe(1);
    expect(channel(incident).isArchived).toBe(true);
    // Too late to keep it open: said so, nothing written.
    expect(await keepChannelOpen(bot.deps, await current(incident), 'UCAROL')).toMatchObject({ ok: false });
  });

  it('waits for a pending post-mortem review, then warns at once and archives a day later', async () => {
    await start();
    const { incident, after } = await resolvedIncident('SEV2');
    after(10 * DAY_MS);
    expect(await pass()).toBe(0);
    expect(warnings(incident)).toHaveLength(0);
    await markReviewHeld(bot.deps, await current(incident), 'UBOB');
    expect(await pass()).toBe(1);
    expect(warnings(incident)).toHaveLength(1);
    after(11 * DAY_MS - 1);
    expect(await pass()).toBe(0);
    after(11 * DAY_MS);
    expect(await pass()).toBe(1);
    expect(channel(incident).isArchived).toBe(true);
  });

  it('reopening an archived incident unarchives its channel first, then reopens as ever; resolved again, it is archived again', async () => {
    await start();
    const { incident } = await archivedIncident();
    expect(channel(incident).isArchived).toBe(true);
    // Slack refuses posts in an archived channel, as the bot's reopen message would be.
    await expect(bot.deps.chat.postMessage(incident.channelId, { text: 'hello' })).rejects.toMatchObject({ code: 'is_archived' });

    const reopened = await reopenIncident(bot.deps, await current(incident), 'UBOB', 'errors are back');
    expect(reopened).toMatchObject({ ok: true, message: expect.stringContaining('The channel is unarchived.') });
    expect(channel(incident).isArchived).toBe(false);
    expect((await current(incident)).status).toBe('investigating');
    expect(bot.fake.messages(incident.channelId).at(-1)!.text).toContain('errors are back');

    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Reindexed again', rootCause: 'The same mapping' });
    const resolvedAgain = (await current(incident)).resolvedAt!;
    bot.clock.set(new Date(resolvedAgain.getTime() + DAY_MS));
    expect(await pass()).toBe(1);
    bot.clock.set(new Date(resolvedAgain.getTime() + 2 * DAY_MS));
    expect(await pass()).toBe(1);
    expect(channel(incident).isArchived).toBe(true);
  });

  it('a reopen by someone who may not, or that Slack cannot unarchive (missing scope), is refused and changes nothing', async () => {
    await start();
    const { incident } = await archivedIncident();
    // Someone who may not reopen it is refused before Slack is asked: the channel stays archived.
    expect(await reopenIncident(bot.deps, await current(incident), 'UCAROL', 'errors are back')).toMatchObject({ ok: false, message: expect.stringContaining('Only the incident commander') });
    expect(bot.fake.callsTo('conversations.unarchive')).toHaveLength(0);
    bot.fake.failMethod('conversations.unarchive', { error: 'missing_scope' });
    const reopened = await reopenIncident(bot.deps, await current(incident), 'UBOB', 'errors are back');
    expect(reopened).toMatchObject({ ok: false, message: expect.stringContaining('conversations.unarchive') });
    expect((await current(incident)).status).toBe('resolved');
    expect(channel(incident).isArchived).toBe(true);
  });

  it('a channel the bot was removed from: logged, on the timeline and told to the commander once, not retried', async () => {
    await start();
    const { incident, after } = await resolvedIncident();
    after(DAY_MS);
    await pass();
    channel(incident).members.delete(bot.fake.botUserId);
    after(2 * DAY_MS);
    expect(await pass()).toBe(0);
    for (let hour = 1; hour <= 5; hour += 1) {
      after(2 * DAY_MS + hour * HOUR);
      await pass();
    }
    expect(bot.fake.callsTo('conversations.archive')).toHaveLength(1);
    expect(channel(incident).isArchived).toBe(false);
    const told = bot.fake.dms('UBOB');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`I could not archive #${incident.channelName}`);
    expect(told[0]!.text).toContain('not_in_channel');
    expect(await timeline(incident, 'archive_failed')).toHaveLength(1);
    expect(bot.logs.filter((line) => line.msg === 'Slack refused to archive the channel for good; telling the commander, not retrying')).toHaveLength(1);
  });

  it('a channel archived by hand before the warning is recorded as archived, so a reopen unarchives it', async () => {
    await start();
    const { incident, after } = await resolvedIncident();
    channel(incident).isArchived = true;
    after(DAY_MS);
    await pass();
    expect(await timeline(incident, 'channel_archived')).toMatchObject([{ text: 'Channel found archived already (archived by hand)' }]);
    expect(await reopenIncident(bot.deps, await current(incident), 'UBOB', '')).toMatchObject({ ok: true });
    expect(channel(incident).isArchived).toBe(false);
  });

  it('a passing Slack failure is retried after the retry delay, not given up', async () => {
    await start();
    const { incident, after } = await resolvedIncident();
    after(DAY_MS);
    await pass();
    bot.fake.failMethod('conversations.archive', { status: 500, times: 1 });
    after(2 * DAY_MS);
    expect(await pass()).toBe(0);
    after(2 * DAY_MS + 29_999);
    await pass();
    expect(bot.fake.callsTo('conversations.archive')).toHaveLength(1);
    after(2 * DAY_MS + 30_000);
    expect(await pass()).toBe(1);
    expect(channel(incident).isArchived).toBe(true);
    expect(bot.fake.dms('UBOB')).toHaveLength(0);
  });

  it('two processes passing at once warn and archive once', async () => {
    await start();
    const { incident, after } = await resolvedIncident();
    after(DAY_MS);
    const warned = await Promise.all([pass('process-a'), pass('process-b')]);
    expect(warned.reduce((sum, n) => sum + n, 0)).toBe(1);
    after(2 * DAY_MS);
    const archived = await Promise.all([pass('process-a'), pass('process-b')]);
    expect(archived.reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(warnings(incident)).toHaveLength(1);
    expect(await timeline(incident, 'channel_archived')).toHaveLength(1);
  });

  it('a drill is archived like any incident once resolved: a SEV2 drill owes no review to wait for', async () => {
    await start();
    const { incident: drill, after } = await resolvedIncident('SEV2');
    await bot.testDatabase.rows(`update incidents set drill_scenario = 'database-failover' where id = ${drill.id} returning id`);
    after(DAY_MS);
    await pass();
    after(2 * DAY_MS);
    await pass();
    expect(channel(drill).isArchived).toBe(true);
  });

  it('the start-up computes archive times, so a pass reads only what is due', async () => {
    await start();
    const { incident, after } = await resolvedIncident();
    await recomputeDueTimes(schedulerDeps());
    const [row] = await bot.testDatabase.rows<{ due: unknown }>(`select archive_due_at as due from incidents where id = ${incident.id}`);
    expect(new Date(row!.due as string | number).getTime()).toBe((await current(incident)).resolvedAt!.getTime() + DAY_MS);
    after(DAY_MS - 1);
    expect(await bot.deps.dueTimes.dueNow('archive', bot.clock.now())).toEqual([]);
  });
});

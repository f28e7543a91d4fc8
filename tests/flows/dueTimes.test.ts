/**
 * The due-time index: a scheduler pass reads only incidents whose stored time has come, so every
 * change that brings a reminder or a page forward must move that time, and a restart with other
 * settings must compute them all again. Each test first lets a pass store a later time, then makes
 * the change: without the index kept up to date, the reminder or page would come late.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident, LiveIncident } from '../../src/domain/incident.js';
import { recomputeDueTimes } from '../../src/flows/dueTimes.js';
import { sendDueEscalations } from '../../src/flows/escalation.js';
import { sendDueReminders } from '../../src/flows/reminders.js';
import { reopenIncident, resolveIncident } from '../../src/flows/resolve.js';
import { changeSeverity } from '../../src/flows/statusUpdate.js';
import type { ReminderSettings } from '../../src/domain/reminders.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';
import { LADDER } from '../support/ladder.js';

let bot: InProcessBot;
afterEach(() => bot?.close());

const current = async (incident: Incident) => (await bot.deps.incidents.findLiveById(incident.id)) as LiveIncident;
/** The incident's time, `seconds` after it was declared. */
const at = (incident: Incident, seconds: number) => bot.clock.set(new Date(incident.declaredAt.getTime() + seconds * 1000));
const schedulerDeps = (reminderSettings: ReminderSettings = bot.config.reminders) => ({
  ...bot.deps,
  reminderSettings,
  review: bot.config.review,
  escalation: bot.config.escalation,
  owner: 'this-process',
  retryMs: 30_000,
});
const reminderPass = (reminderSettings?: ReminderSettings) => sendDueReminders(schedulerDeps(reminderSettings));
const escalationPass = () => sendDueEscalations(schedulerDeps());
const remindersIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.includes('No status update'));
const pagesIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.startsWith('Escalation:'));

describe('due times', () => {
  it('a severity raised after the next reminder was scheduled brings the reminder forward', async () => {
    bot = await startInProcess({ env: { INCIDENT_UPDATE_INTERVAL: '10s', INCIDENT_UPDATE_INTERVAL_SEV1: '2s' } });
    const incident = await bot.declare({ title: 'Slow search', severity: 'SEV3', commanderId: 'UBOB' });
    at(incident, 1);
    expect(await reminderPass()).toBe(0); // due at 10 s, as a SEV3
    await changeSeverity(bot.deps, await current(incident), 'UBOB', 'SEV1');
    at(incident, 2);
    expect(await reminderPass()).toBe(1);
    expect(remindersIn(incident)[0]!.text).toMatch(/^<@UBOB> No status update for 2 s/);
  });

  it('a reopened incident is reminded again an interval after the reopen', async () => {
    bot = await startInProcess({ env: { INCIDENT_UPDATE_INTERVAL: '2s' } });
    const incident = await bot.declare({ title: 'Flaky logins', severity: 'SEV3', commanderId: 'UBOB' });
    at(incident, 1);
    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Restarted', rootCause: 'Leak' });
    expect(await reminderPass()).toBe(0); // resolved, no review for a SEV3: owed nothing
    at(incident, 5);
    await reopenIncident(bot.deps, await current(incident), 'UBOB', 'errors are back');
    at(incident, 6.9);
    expect(await reminderPass()).toBe(0);
    at(incident, 7);
    expect(await reminderPass()).toBe(1);
    expect(remindersIn(incident)).toHaveLength(1);
  });

  it('a restart with a shorter interval computes every due time again with it', async () => {
    bot = await startInProcess({ env: { INCIDENT_UPDATE_INTERVAL: '10s' } });
    const incident = await bot.declare({ title: 'Queue backlog', severity: 'SEV3', commanderId: 'UBOB' });
    at(incident, 1);
    expect(await reminderPass()).toBe(0); // due at 10 s
    // The bot restarts with INCIDENT_UPDATE_INTERVAL=2s: start-up computes the due times with it.
    const shorter = { ...bot.config.reminders, defaultIntervalMs: 2000 };
    expect(await recomputeDueTimes(schedulerDeps(shorter))).toBe(1);
    at(incident, 2);
    expect(await reminderPass(shorter)).toBe(1);
  });

  it('a severity raised after the next rung was scheduled pages the new ladder at once', async () => {
    bot = await startInProcess({ env: { INCIDENT_CONFIG: configFile(LADDER) } });
    bot.fake.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: ['UERIN'] });
    const incident = await bot.declare({ title: 'Payments slow', severity: 'SEV2', commanderId: 'UBOB' });
    at(incident, 1);
    expect(await escalationPass()).toBe(0); // a SEV2's first rung is at 2 s
    await changeSeverity(bot.deps, await current(incident), 'UBOB', 'SEV1');
    expect(await escalationPass()).toBe(1); // a SEV1's on-call rung is at once
    expect(pagesIn(incident)[0]!.text).toMatch(/^Escalation: On-call engineer/);
    at(incident, 2.9);
    expect(await escalationPass()).toBe(0);
    at(incident, 3);
    expect(await escalationPass()).toBe(1); // the team lead, at 3 s
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { retryDelayMs } from '../../src/scheduler/leases.js';
import { sendDueReminders } from '../../src/flows/reminders.js';
import { ask, clickButton, expectModal, replyAt, runCommand, submitForm, waitFor, type BotUnderTest } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

/**
 * Update reminders with a 2-second interval, through the real scheduler pass, flows and listeners in
 * this process, the clock moved by hand. (A crash and restart, and two processes on one database, are
 * in tests/e2e/reminders.test.ts.)
 */
const INTERVAL_MS = 2000;

describe('update reminders', () => {
  let bot: InProcessBot;
  let h: BotUnderTest;
  afterEach(() => bot.close());

  const start = async (options: { slackRetries?: 'as in production' } = {}) => {
    bot = await startInProcess({ env: { INCIDENT_UPDATE_INTERVAL: '2s' }, ...options });
    h = { fake: bot.fake, app: { url: await bot.startApp() } };
  };
  /** The incident's time, `ms` after it was declared. */
  const at = (incident: Incident, ms: number) => bot.clock.set(new Date(incident.declaredAt.getTime() + ms));
  /** One pass of the scheduler, as the running bot makes every tick. */
  const pass = () => sendDueReminders({ ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, owner: 'this-process', retryMs: retryDelayMs(INTERVAL_MS) });
  /** The scheduler's passes over the next `ms`, a quarter interval apart, as the running bot ticks. */
  const ticks = async (ms: number) => {
    for (let elapsed = 0; elapsed < ms; elapsed += INTERVAL_MS / 4) {
      bot.clock.advance(INTERVAL_MS / 4);
      await pass();
    }
  };
  const remindersIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.includes('No status update'));

  it('reminds the commander after the interval, with Post as is, Edit and post and Snooze buttons', async () => {
    await start();
    const incident = await bot.declare({ title: 'Quiet incident', commanderId: 'UBOB' });
    const channelId = incident.channelId!;
    at(incident, INTERVAL_MS - 1);
    expect(await pass()).toBe(0);
    at(incident, INTERVAL_MS);
    expect(await pass()).toBe(1);
    const [reminder] = remindersIn(incident);
    expect(reminder!.text).toMatch(/^<@UBOB> No status update for 2 s/);
    const buttons = reminder!.blocks!.find((block) => block.type === 'actions')!.elements as any[];
    expect(buttons.map((button) => button.text.text)).toEqual(['Post as is', 'Edit and post', 'Snooze 15 min']);

    const modal = await expectModal(h, () => clickButton(h, { userId: 'UBOB', channelId, messageTs: reminder!.ts, actionId: buttons[1].action_id, value: buttons[1].value }));
    expect(modal.view.callback_id).toBe('incident_update');

    const { responseUrl } = await clickButton(h, { userId: 'UBOB', channelId, messageTs: reminder!.ts, actionId: buttons[2].action_id, value: buttons[2].value });
    expect((await replyAt(h, responseUrl)).text).toMatch(/snoozed by <@UBOB> until/);
    const count = remindersIn(incident).length;
    await ticks(INTERVAL_MS * 2); // without the snooze, another reminder would be due
    expect(remindersIn(incident)).toHaveLength(count);
  });

  it('resets the clock on a status update and stops on resolve', async () => {
    await start();
    const incident = await bot.declare({ title: 'Busy incident', commanderId: 'UALICE' });
    const channelId = incident.channelId!;
    const updatedAt = INTERVAL_MS * 0.6;
    at(incident, updatedAt);
    const view = await expectModal(h, () => runCommand(h, 'update', { channelId }));
    await submitForm(h, view, { Status: 'Identified', 'What changed': 'Found it' });
    await waitFor(() => bot.fake.messages(channelId).find((message) => message.text.startsWith('Identified')), 'the update');
    at(incident, INTERVAL_MS);
    expect(await pass()).toBe(0); // counts from the update, not the declaration
    at(incident, updatedAt + INTERVAL_MS);
    expect(await pass()).toBe(1);
    expect(remindersIn(incident)).toHaveLength(1);

    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId }));
    await submitForm(h, resolve, { 'Resolution summary': 'Fixed' });
    await waitFor(() => bot.fake.messages(channelId).find((message) => message.text.startsWith('[RESOLVED]')), 'the resolution');
    const count = remindersIn(incident).length;
    await ticks(INTERVAL_MS * 2);
    expect(remindersIn(incident)).toHaveLength(count);

    expect(await ask(h, 'reopen not fixed', { channelId })).toMatch(/reopened/);
    await waitFor(async () => (await bot.deps.incidents.findById(incident.id))!.status !== 'resolved', 'the incident reopened');
    bot.clock.advance(INTERVAL_MS);
    await pass();
    expect(remindersIn(incident).length).toBeGreaterThan(count);
  });

  it('delays a reminder while Slack is down, and does not lose it', async () => {
    await start({ slackRetries: 'as in production' });
    const incident = await bot.declare({ title: 'Slack outage', commanderId: 'UBOB' });
    // The client tries each send 3 times: two whole sends fail.
    bot.fake.failMethod('chat.postMessage', { status: 503, times: 6 });
    at(incident, INTERVAL_MS);
    expect(await pass()).toBe(0);
    expect(bot.logs.filter((line) => line.msg === 'Slack did not take a scheduled message; will retry')).toHaveLength(1);
    expect(remindersIn(incident)).toHaveLength(0);
    bot.clock.advance(retryDelayMs(INTERVAL_MS));
    expect(await pass()).toBe(0);
    bot.clock.advance(retryDelayMs(INTERVAL_MS));
    expect(await pass()).toBe(1);
    expect(bot.fake.callsTo('chat.postMessage').filter((call) => call.outcome === 'http_503')).toHaveLength(6);
    expect(remindersIn(incident)).toHaveLength(1);
  });
});

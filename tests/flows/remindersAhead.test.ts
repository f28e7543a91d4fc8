import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { sendDueReminders, startReminderSends } from '../../src/flows/reminders.js';
import { retryDelayMs } from '../../src/scheduler/leases.js';
import type { WakeAt } from '../../src/scheduler/timedSends.js';
import { expectModal, runCommand, submitForm, waitFor, type BotUnderTest } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

/**
 * Reminders made ready ahead of their time (as the running bot does, 5 s ahead) and posted by a
 * timer at it: never early, drafted as of their time, let go when the incident changed meanwhile,
 * and handed back when the process stops. The timers here are the test's: it fires them when it
 * moves the clock.
 */
const INTERVAL_MS = 3_600_000;
const AHEAD_MS = 5_000;

describe('reminders made ready ahead', () => {
  let bot: InProcessBot;
  let h: BotUnderTest;
  afterEach(() => bot.close());

  /** Timers fired by hand: `fireDue` wakes those whose time the clock has reached. */
  const timers: { at: Date; wake: () => void; cancelled: boolean }[] = [];
  const wakeAt: WakeAt = (at, wake) => {
    const timer = { at, wake, cancelled: false };
    timers.push(timer);
    return () => void (timer.cancelled = true);
  };
  const fireDue = () => {
    for (const timer of timers.filter((one) => !one.cancelled && one.at <= bot.clock.now())) {
      timer.cancelled = true;
      timer.wake();
    }
  };
  const waiting = () => timers.filter((one) => !one.cancelled);

  const start = async () => {
    timers.length = 0;
    bot = await startInProcess({ env: { INCIDENT_UPDATE_INTERVAL: '1h' } });
    h = { fake: bot.fake, app: { url: await bot.startApp() } };
  };
  const deps = (owner = 'this-process') => ({ ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, owner, retryMs: retryDelayMs(INTERVAL_MS) });
  const at = (incident: Incident, ms: number) => bot.clock.set(new Date(incident.declaredAt.getTime() + ms));
  const remindersIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.includes('No status update'));

  it('posts a reminder made ready ahead at its time, not before, drafted as of then, and records it', async () => {
    await start();
    const sends = startReminderSends(deps(), AHEAD_MS, wakeAt);
    const incident = await bot.declare({ title: 'Quiet incident', commanderId: 'UBOB' });
    at(incident, INTERVAL_MS - AHEAD_MS - 1);
    expect(await sends.pass()).toBe(0);
    expect(waiting()).toHaveLength(0); // not yet within reach
    at(incident, INTERVAL_MS - 4_000);
    expect(await sends.pass()).toBe(0);
    expect(waiting().map((timer) => timer.at)).toEqual([new Date(incident.declaredAt.getTime() + INTERVAL_MS)]);
    // Claimed: another process's pass leaves it alone, and so does this one's next pass.
    expect(await sendDueReminders(deps('other-process'))).toBe(0);
    at(incident, INTERVAL_MS - 1);
    expect(await sends.pass()).toBe(0);
    fireDue();
    expect(waiting()).toHaveLength(1);
    expect(remindersIn(incident)).toHaveLength(0);

    at(incident, INTERVAL_MS);
    fireDue();
    await waitFor(async () => (await bot.deps.reminders.stateOf(incident.id)).lastRemindedAt, 'the reminder recorded');
    const [reminder] = remindersIn(incident);
    // Drawn 4 s ahead, it says what is true when it is posted.
    expect(reminder!.text).toMatch(/^<@UBOB> No status update for 1 h\b/);
    expect((await bot.deps.reminders.stateOf(incident.id)).lastRemindedAt).toEqual(new Date(incident.declaredAt.getTime() + INTERVAL_MS));
    expect(await bot.deps.leases.holders(bot.clock.now())).toEqual([]);
    // Its next time is stored with it: nothing is due until then.
    at(incident, INTERVAL_MS + 1_000);
    expect(await sends.pass()).toBe(0);
    expect(waiting()).toHaveLength(0);
    expect(remindersIn(incident)).toHaveLength(1);
    await sends.stop();
  });

  it('lets a reminder made ready go when a status update comes before its time', async () => {
    await start();
    const sends = startReminderSends(deps(), AHEAD_MS, wakeAt);
    const incident = await bot.declare({ title: 'Busy incident', commanderId: 'UALICE' });
    const channelId = incident.channelId!;
    at(incident, INTERVAL_MS - 3_000);
    await sends.pass();
    expect(waiting()).toHaveLength(1);
    const view = await expectModal(h, () => runCommand(h, 'update', { channelId }));
    await submitForm(h, view, { Status: 'Identified', 'What changed': 'Found it' });
    await waitFor(() => bot.fake.messages(channelId).find((message) => message.text.startsWith('Identified')), 'the update');
    at(incident, INTERVAL_MS);
    fireDue();
    await waitFor(async () => (await bot.deps.leases.holders(bot.clock.now())).length === 0, 'the reminder let go');
    expect(remindersIn(incident)).toHaveLength(0);
    // The next pass counts from the update.
    at(incident, INTERVAL_MS + 1_000);
    expect(await sends.pass()).toBe(0);
    expect(waiting()).toHaveLength(0);
    expect(remindersIn(incident)).toHaveLength(0);
    await sends.stop();
  });

  it('hands back reminders made ready when the process stops, for another to send at their time', async () => {
    await start();
    const sends = startReminderSends(deps(), AHEAD_MS, wakeAt);
    const incident = await bot.declare({ title: 'Handed over', commanderId: 'UBOB' });
    at(incident, INTERVAL_MS - 2_000);
    await sends.pass();
    expect(await bot.deps.leases.holders(bot.clock.now())).toEqual(['this-process']);
    await sends.stop();
    expect(waiting()).toHaveLength(0);
    expect(await bot.deps.leases.holders(bot.clock.now())).toEqual([]);
    at(incident, INTERVAL_MS);
    expect(await sendDueReminders(deps('other-process'))).toBe(1);
    expect(remindersIn(incident)).toHaveLength(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { readDatabase, declareIncident, startHarness, waitFor, type Harness } from '../support/harness.js';
import { startApp, type RunningApp } from '../support/launcher.js';

/**
 * Reminders with a 2-second interval through the real app: what only processes show (a crash and
 * restart, two bots on one database). The reminder's text and buttons, the clock reset by an update,
 * resolve and reopen, and a Slack outage are in tests/flows/updateReminders.test.ts.
 */
const INTERVAL_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('update reminders', () => {
  let h: Harness;
  const extraApps: RunningApp[] = [];
  afterEach(async () => {
    for (const app of extraApps.splice(0)) await app.stop();
    await h.close();
  });
  const start = async () => {
    h = await startHarness({ env: { INCIDENT_UPDATE_INTERVAL: '2s' } });
  };
  const remindersIn = (channelId: string) => h.fake.messages(channelId).filter((message) => message.text.includes('No status update'));
  /** Two reminders closer together than the interval mean one was sent twice. */
  const expectSpaced = (channelId: string) => {
    const times = remindersIn(channelId).map((message) => Number(message.ts) * 1000);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThan(INTERVAL_MS * 0.75);
  };

  it('after SIGKILL and restart, sends a missed reminder once, not once per missed interval', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Crashy bot', commander: 'UBOB' });
    await waitFor(() => remindersIn(channel.id)[0], 'the first reminder', 6000);
    h.app.child.kill('SIGKILL');
    await new Promise((resolve) => h.app.child.once('exit', resolve));
    const before = remindersIn(channel.id).length;
    await sleep(INTERVAL_MS * 3); // three intervals missed while down
    h.app = await startApp(h.env, { cwd: h.dir });
    await waitFor(() => remindersIn(channel.id).length > before, 'the missed reminder after restart', 6000);
    await sleep(INTERVAL_MS * 0.5);
    expect(remindersIn(channel.id)).toHaveLength(before + 1);
    expectSpaced(channel.id);
  });

  it('killed after Slack took a reminder but before recording it, the restarted bot finds it and does not send it again', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Killed mid-send', commander: 'UBOB' });
    // Slack carries out the post but the bot never hears back: it dies with the send marked pending.
    h.fake.holdResponses('chat.postMessage', 30_000);
    await waitFor(() => remindersIn(channel.id)[0], 'the reminder reaching Slack', 6000);
    h.app.child.kill('SIGKILL');
    await new Promise((resolve) => h.app.child.once('exit', resolve));
    h.fake.holdResponses('chat.postMessage', 0);
    expect(readDatabase(h.dbPath).reminders[0]).toMatchObject({ pending_key: expect.any(String) });

    h.app = await startApp(h.env, { cwd: h.dir });
    await h.app.waitForLog((line) => line.msg === 'message was sent before a crash; not sending it again', 8000);
    await waitFor(() => remindersIn(channel.id).length >= 2, 'the next reminder, an interval later', 8000);
    expectSpaced(channel.id);
    // The lease of the killed process was taken over at once, not after it ran out (60 s).
  });

  it('sends each reminder once when two bot processes share one database', async () => {
    await start();
    extraApps.push(await startApp(h.env, { cwd: h.dir }));
    const { channel } = await declareIncident(h, { title: 'Two bots', commander: 'UBOB' });
    await waitFor(() => remindersIn(channel.id).length >= 3, 'three reminders', 12_000);
    expectSpaced(channel.id);
    // SEV2: the bot's own update follows each reminder, also once between the two processes.
    const automatic = h.fake.messages(channel.id).filter((message) => message.text.startsWith('Automatic update'));
    expect(automatic.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < automatic.length; i += 1) expect((Number(automatic[i]!.ts) - Number(automatic[i - 1]!.ts)) * 1000).toBeGreaterThan(INTERVAL_MS * 0.75);
  });
});

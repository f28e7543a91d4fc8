import { afterEach, describe, expect, it } from 'vitest';
import { STALE_DRAFT } from '../../src/domain/lifecycle.js';
import { parseDraftButtonValue } from '../../src/slack/views/reminderMessage.js';
import type { FakeMessage } from '../support/fakeSlack.js';
import { ask, clickButton, declareIncident, readDatabase, replyAt, startHarness, visibleText, waitFor, type Harness } from '../support/harness.js';
import { startApp } from '../support/launcher.js';

/**
 * Drafted and automatic status updates through the real app, signed requests and a fake Slack,
 * with a 2-second interval: the bot's own update comes a third of it (~667 ms) after the reminder.
 * One path (the reminder, Post as is) and a crash; the rest is in-process, on the injected clock:
 * tests/flows/automaticUpdates.test.ts, tests/flows/statusDrafts.test.ts, tests/listeners/reminderButtons.test.ts.
 */
const INTERVAL_MS = 2000;
const TIME = String.raw`\d\d:\d\d`;

describe('drafted and automatic status updates', () => {
  let h: Harness;
  afterEach(() => h.close());
  const start = async (env: Record<string, string> = {}) => {
    h = await startHarness({ env: { INCIDENT_UPDATE_INTERVAL: '2s', INCIDENT_ANNOUNCE_CHANNEL: 'CGENERAL', ...env } });
  };

  const remindersIn = (channelId: string) => h.fake.messages(channelId).filter((message) => message.text.includes('No status update'));
  const automaticIn = (channelId: string) => h.fake.messages(channelId).filter((message) => message.text.startsWith('Automatic update'));
  const buttonsOf = (message: FakeMessage) => message.blocks!.find((block) => block.type === 'actions')!.elements as { text: { text: string }; action_id: string; value: string }[];
  const click = (channelId: string, message: FakeMessage, label: string, userId = 'UBOB') => {
    const button = buttonsOf(message).find((candidate) => candidate.text.text === label)!;
    return clickButton(h, { userId, channelId, messageTs: message.ts, actionId: button.action_id, value: button.value });
  };
  const draftIdOf = (reminder: FakeMessage) => parseDraftButtonValue(buttonsOf(reminder)[0]!.value)!.draftId;
  const incidentIdOf = (channelId: string) => readDatabase(h.dbPath).incidents.find((row) => row.channel_id === channelId)!.id as number;
  /** The stored status updates of an incident, as the post-mortem reads them. */
  const updatesOf = (incidentId: number) =>
    readDatabase(h.dbPath)
      .timeline.filter((entry) => entry.incident_id === incidentId && entry.kind === 'status_update')
      .map((entry) => ({ at: entry.at as number, actorId: entry.actor_id, text: entry.text, data: JSON.parse(entry.data as string) as Record<string, unknown> }));
  /** The automatic update is logged once it is posted, recorded and announced. */
  const automaticDone = (incidentId: number, timeoutMs = 10_000) =>
    h.app.waitForLog((line) => line.msg === 'reminder sent' && line.kind === 'automatic' && line.incidentId === incidentId, timeoutMs);
  const ms = (message: FakeMessage) => Number(message.ts) * 1000;

  it('the reminder quotes the update drafted from the timeline; Post as is posts it once, in the name of who clicked', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Slow search', severity: 'SEV3', commander: 'UBOB' });
    expect(await ask(h, 'note Rolled back deploy 4521', { channelId: channel.id, userId: 'UCAROL' })).toMatch(/Note added/);

    const reminder = await waitFor(() => remindersIn(channel.id)[0], 'the drafted reminder', 6000);
    expect(reminder.text).toMatch(/^<@UBOB> No status update for \d+ s/);
    const shown = visibleText(reminder.blocks);
    expect(shown).toContain('Here is one drafted from the timeline: post it as is, edit it first, or snooze.');
    // SEV3: the bot does not post its own update, so the reminder does not promise one.
    expect(shown).not.toContain('the bot posts this draft itself');
    expect(shown).toContain('>:rotating_light: *INCIDENT: Slow search*');
    expect(shown).toMatch(new RegExp(String.raw`>\*What changed:\* Since the incident was declared \(${TIME}\):\n>• ${TIME} Note from <@UCAROL>: Rolled back deploy 4521\n`));
    expect(buttonsOf(reminder).map((button) => button.text.text)).toEqual(['Post as is', 'Edit and post', 'Snooze 15 min']);

    const { responseUrl } = await click(channel.id, reminder, 'Post as is');
    expect(await replyAt(h, responseUrl)).toMatchObject({ replace_original: true, text: ':white_check_mark: <@UBOB> posted the drafted update as is.' });
    const posted = h.fake.messages(channel.id).filter((message) => visibleText(message.blocks).includes('_Drafted by the bot'));
    expect(posted).toHaveLength(1);
    // What the reminder showed is what the channel got, signed by who posted it.
    const quoted = shown
      .split('\n')
      .filter((line) => line.startsWith('>'))
      .map((line) => line.slice(1));
    expect(visibleText(posted[0]!.blocks).split('\n')).toEqual([...quoted, '_Drafted by the bot from the timeline, posted as is by <@UBOB>._']);
    const incidentId = incidentIdOf(channel.id);
    expect(updatesOf(incidentId)).toEqual([
      { at: expect.any(Number), actorId: 'UBOB', text: "Investigating (the bot's draft, posted as is)", data: expect.objectContaining({ source: 'draft', draftId: draftIdOf(reminder) }) },
    ]);

    // A second click (a colleague, a moment later) would post the same news twice: refused to them alone.
    // (The next reminder may come meanwhile: it is not what is counted.)
    const othersThanReminders = () => h.fake.messages(channel.id).filter((message) => !message.text.includes('No status update'));
    const count = othersThanReminders().length;
    const again = await click(channel.id, reminder, 'Post as is', 'UCAROL');
    expect(await replyAt(h, again.responseUrl)).toEqual({ response_type: 'ephemeral', replace_original: false, text: `:x: ${STALE_DRAFT}` });
    expect(othersThanReminders()).toHaveLength(count);
    expect(updatesOf(incidentId)).toHaveLength(1);
  });

  it('killed after an automatic update and restarted: the next interval gets one reminder and one automatic update', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Queue backlog', severity: 'SEV2', commander: 'UBOB' });
    const incidentId = incidentIdOf(channel.id);
    await automaticDone(incidentId);
    h.app.child.kill('SIGKILL');
    await new Promise((resolve) => h.app.child.once('exit', resolve));

    h.app = await startApp(h.env, { cwd: h.dir });
    await automaticDone(incidentId);
    expect(updatesOf(incidentId).map((update) => update.data.source)).toEqual(['automatic', 'automatic']);
    await waitFor(() => remindersIn(channel.id).length >= 3, 'the third reminder', 8000);

    const sent = h.fake.messages(channel.id).filter((message) => message.text.includes('No status update') || message.text.startsWith('Automatic update'));
    expect(sent.slice(0, 5).map((message) => (message.text.startsWith('Automatic') ? 'automatic' : 'reminder'))).toEqual(['reminder', 'automatic', 'reminder', 'automatic', 'reminder']);
    for (const list of [remindersIn(channel.id), automaticIn(channel.id)]) {
      for (let i = 1; i < list.length; i += 1) expect(ms(list[i]!) - ms(list[i - 1]!)).toBeGreaterThan(INTERVAL_MS * 0.75);
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { STALE_DRAFT } from '../../src/domain/lifecycle.js';
import { parseDraftButtonValue } from '../../src/slack/views/reminderMessage.js';
import type { EmulatedMessage } from '../../src/sandbox/slackEmulator.js';
import { addNote, clickButton, declareIncident, expectModal, readDatabase, replyAt, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import { configFile, startApp } from '../support/launcher.js';

/**
 * Drafted and automatic status updates through the real app, signed requests and a fake Slack,
 * with a 2-second interval: the bot's own update comes a third of it (~667 ms) after the reminder.
 * Each way an update comes about (Post as is, Edit and post, the bot's own, none), the announcement
 * rule and a crash; details are tested in-process, on the injected clock (tests/flows/statusDrafts.test.ts,
 * tests/listeners/reminderButtons.test.ts).
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
  const buttonsOf = (message: EmulatedMessage) => message.blocks!.find((block) => block.type === 'actions')!.elements as { text: { text: string }; action_id: string; value: string }[];
  const click = (channelId: string, message: EmulatedMessage, label: string, userId = 'UBOB') => {
    const button = buttonsOf(message).find((candidate) => candidate.text.text === label)!;
    return clickButton(h, { userId, channelId, messageTs: message.ts, actionId: button.action_id, value: button.value });
  };
  const draftIdOf = (reminder: EmulatedMessage) => parseDraftButtonValue(buttonsOf(reminder)[0]!.value)!.draftId;
  const incidentIdOf = (channelId: string) => readDatabase(h.dbPath).incidents.find((row) => row.channel_id === channelId)!.id as number;
  /** The stored status updates of an incident, as the post-mortem reads them. */
  const updatesOf = (incidentId: number) =>
    readDatabase(h.dbPath)
      .timeline.filter((entry) => entry.incident_id === incidentId && entry.kind === 'status_update')
      .map((entry) => ({ at: entry.at as number, actorId: entry.actor_id, text: entry.text, data: JSON.parse(entry.data as string) as Record<string, unknown> }));
  /** The automatic update is logged once it is posted, recorded and announced. */
  const automaticDone = (incidentId: number, timeoutMs = 10_000) =>
    h.app.waitForLog((line) => line.msg === 'reminder sent' && line.kind === 'automatic' && line.incidentId === incidentId, timeoutMs);
  const ms = (message: EmulatedMessage) => Number(message.ts) * 1000;

  it('the reminder quotes the update drafted from the timeline; Post as is posts it once, in the name of who clicked', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Slow search', severity: 'SEV3', commander: 'UBOB' });
    await addNote(h, 'Rolled back deploy 4521', { channelId: channel.id, userId: 'UCAROL' });

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

  it('Edit and post opens the update form filled with the draft; the person\'s update is theirs and the interval\'s, so the bot waits for the next one', async () => {
    // Three seconds before the bot posts its own (set in the file, as operators write it): time to edit.
    // A 4-second interval here: the wait is never longer than one interval.
    await start({ INCIDENT_UPDATE_INTERVAL: '4s', INCIDENT_CONFIG: configFile('auto_post_after: 3s\n') });
    const { channel } = await declareIncident(h, { title: 'Slow reports', severity: 'SEV2', commander: 'UBOB' });
    const reminder = await waitFor(() => remindersIn(channel.id)[0], 'the drafted reminder', 6000);
    const autoPostAt = /If nobody posts an update by \*(\d\d:\d\d)\*, the bot posts this draft itself\./.exec(visibleText(reminder.blocks))?.[1];
    expect([-1000, 1000].map((skew) => new Date(ms(reminder) + 3000 + skew).toISOString().slice(11, 16))).toContain(autoPostAt);
    const draftId = draftIdOf(reminder);

    const modal = await expectModal(h, () => click(channel.id, reminder, 'Edit and post'));
    expect(modal.view.callback_id).toBe('incident_update');
    const whatChanged = (modal.view.blocks as any[]).find((block) => block.label?.text === 'What changed').element.initial_value as string;
    const stored = readDatabase(h.dbPath).statusDrafts.find((draft) => draft.id === draftId)!;
    expect(whatChanged).toBe(stored.what_changed);
    expect(whatChanged).toMatch(new RegExp(`^Nothing new on the timeline since the incident was declared \\(${TIME}\\)\\.$`));

    await submitForm(h, modal, { Status: 'Monitoring', 'What changed': 'Report queue drained; watching it for an hour' }, 'UBOB');
    const posted = await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.startsWith('Monitoring: Report queue drained')), 'the edited update');
    expect(visibleText(posted.blocks)).toContain('*What changed:* Report queue drained; watching it for an hour');
    expect(visibleText(posted.blocks)).not.toContain('Drafted by the bot');
    const incidentId = incidentIdOf(channel.id);
    expect(updatesOf(incidentId)).toEqual([
      { at: expect.any(Number), actorId: 'UBOB', text: 'Monitoring: Report queue drained; watching it for an hour', data: expect.objectContaining({ source: 'person', draftId }) },
    ]);
    await waitFor(() => h.fake.messages('CGENERAL').find((message) => message.text.includes('— Slow reports: status update: Report queue drained')), 'the announcement');

    // The person's update is the interval's: the next reminder counts from it, and the bot's own update waits for the next one.
    const next = await waitFor(() => remindersIn(channel.id)[1], 'the next reminder', 10_000);
    expect(ms(next) - ms(posted)).toBeGreaterThan(4000 * 0.75);
    const automatic = await waitFor(() => automaticIn(channel.id)[0], 'the automatic update after the next reminder', 10_000);
    expect(ms(automatic) - ms(next)).toBeGreaterThan(3000 * 0.75);
    expect(automaticIn(channel.id)).toHaveLength(1);
  });

  it('SEV2 by default: when nobody posts, the bot does, mentioning the commander, announced; the next reminder counts from it', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Payments down', severity: 'SEV2', commander: 'UBOB' });
    const incidentId = incidentIdOf(channel.id);
    const reminder = await waitFor(() => remindersIn(channel.id)[0], 'the drafted reminder', 6000);
    expect(visibleText(reminder.blocks)).toMatch(new RegExp(`If nobody posts an update by \\*${TIME}\\*, the bot posts this draft itself\\.`));

    const automatic = await waitFor(() => automaticIn(channel.id)[0], 'the automatic update', 6000);
    // A third of the interval for someone to post first.
    expect(ms(automatic) - ms(reminder)).toBeGreaterThan((INTERVAL_MS / 3) * 0.75);
    expect(automatic.text).toBe('Automatic update: Investigating. No update from people since the incident was declared. <@UBOB>');
    const shown = visibleText(automatic.blocks);
    expect(shown).toMatch(/^:robot_face: \*Automatic update:\* no new update from the commander since the incident was declared; this is where things stand\.\n:rotating_light: \*INCIDENT: Payments down\*/);
    expect(shown).toContain('*Incident Commander:* <@UBOB>');

    await automaticDone(incidentId);
    const announced = h.fake.messages('CGENERAL').filter((message) => message.text.includes('automatic update'));
    expect(announced).toHaveLength(1);
    expect(announced[0]!.text).toMatch(/^\*SEV2 · Investigating\* — Payments down: automatic update, nothing from the responders since the declaration: Nothing new on the timeline/);
    const [update] = updatesOf(incidentId);
    expect(update).toEqual({ at: expect.any(Number), actorId: null, text: 'Investigating (nobody had posted an update this interval)', data: expect.objectContaining({ source: 'automatic' }) });
    expect(readDatabase(h.dbPath).incidents[0]!.last_update_at).toBe(update!.at);

    const next = await waitFor(() => remindersIn(channel.id)[1], 'the next reminder', 6000);
    expect(ms(next) - ms(automatic)).toBeGreaterThan(INTERVAL_MS * 0.75);
    expect(visibleText(next.blocks)).toContain("(since the bot's automatic update; none from people since the incident was declared)");
  });

  it('INCIDENT_AUTO_UPDATE=none: a SEV1 gets drafted reminders, never an automatic update', async () => {
    await start({ INCIDENT_AUTO_UPDATE: 'none' });
    const { channel } = await declareIncident(h, { title: 'Login failures', severity: 'SEV1', commander: 'UBOB' });
    // Three reminders: two whole intervals, each longer than the automatic update's wait, passed without one.
    const reminders = await waitFor(() => (remindersIn(channel.id).length >= 3 ? remindersIn(channel.id) : undefined), 'three reminders', 12_000);
    for (const reminder of reminders) expect(visibleText(reminder.blocks)).not.toContain('the bot posts this draft itself');
    expect(automaticIn(channel.id)).toEqual([]);
    expect(updatesOf(incidentIdOf(channel.id))).toEqual([]);
    expect(h.fake.messages('CGENERAL').filter((message) => message.text.includes('automatic update'))).toEqual([]);
  });

  it('a private incident\'s automatic update stays in its channel, and a SEV3\'s is not announced', async () => {
    await start({ INCIDENT_AUTO_UPDATE: 'SEV1,SEV3' });
    const secret = (await declareIncident(h, { title: 'Credential leak', severity: 'SEV1', commander: 'UBOB', isPrivate: true })).channel;
    const minor = (await declareIncident(h, { title: 'Slow exports', severity: 'SEV3', commander: 'UBOB' })).channel;
    expect(secret.isPrivate).toBe(true);
    await automaticDone(incidentIdOf(secret.id));
    await automaticDone(incidentIdOf(minor.id));

    expect(automaticIn(secret.id)).toHaveLength(1);
    expect(automaticIn(minor.id)).toHaveLength(1);
    expect(updatesOf(incidentIdOf(secret.id)).map((update) => update.data.source)).toEqual(['automatic']);
    const general = h.fake.messages('CGENERAL').map((message) => message.text);
    expect(general.filter((text) => text.includes('automatic update') || text.includes('Credential leak'))).toEqual([]);
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

import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { STALE_DRAFT } from '../../src/domain/lifecycle.js';
import { updateSourceOf } from '../../src/domain/statusDraft.js';
import { addNote } from '../../src/flows/notes.js';
import { sendDueReminders } from '../../src/flows/reminders.js';
import { postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { INCIDENT_MODALS } from '../../src/slack/views/incidentModals.js';
import { REMINDER_BUTTONS } from '../../src/slack/views/reminderMessage.js';
import type { EmulatedMessage, EmulatedView } from '../../src/sandbox/slackEmulator.js';
import { visibleText, waitFor } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { fillModal, viewSubmission } from '../support/modals.js';
import { blockActions, sendInteraction } from '../../src/sandbox/slackRequests.js';

const MINUTE = 60_000;
type Button = { action_id: string; value: string; text: { text: string } };

/**
 * The reminder's Post as is, Edit and post and Snooze 15 min, clicked as Slack sends the clicks:
 * signed HTTP to the real Bolt app and listeners, in this process, with the clock moved by hand.
 */
describe('the update reminder\'s buttons', () => {
  let bot: InProcessBot;
  let url: string;
  afterEach(() => bot.close());

  const start = async (env: Record<string, string> = {}) => {
    bot = await startInProcess({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CGENERAL', ...env } });
    url = await bot.startApp();
  };
  const at = (incident: Incident, minutes: number) => bot.clock.set(new Date(incident.declaredAt.getTime() + minutes * MINUTE));
  /** One pass of the scheduler, as the running bot makes every tick. */
  const pass = () => sendDueReminders({ ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, owner: 'this-process', retryMs: 30_000 });
  const channelMessages = (incident: Incident) => bot.fake.messages(incident.channelId!);
  const automatic = (incident: Incident) => channelMessages(incident).filter((message) => message.text.startsWith('Automatic update'));
  const updates = async (incident: Incident) => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'status_update');
  const buttonsOf = (message: EmulatedMessage) => message.blocks!.find((block) => block.type === 'actions')!.elements as Button[];
  const button = (message: EmulatedMessage, label: string) => buttonsOf(message).find((candidate) => candidate.text.text === label)!;

  /** Declares an incident and lets its interval pass: the drafted reminder, as the channel shows it. */
  async function reminded(severity: Incident['severity'] = 'SEV2'): Promise<{ incident: Incident; reminder: EmulatedMessage }> {
    const incident = await bot.declare({ title: 'Checkout errors', severity, commanderId: 'UBOB' });
    at(incident, 30);
    expect(await pass()).toBe(1);
    const reminder = channelMessages(incident).find((message) => message.text.includes('No status update'));
    expect(reminder).toBeDefined();
    return { incident, reminder: reminder! };
  }

  /** A click on one of the reminder's buttons, as Slack sends it; resolves with its response_url's path. */
  async function click(reminder: EmulatedMessage, actionId: string, value: string, options: { userId?: string; channelId?: string } = {}): Promise<string> {
    const userId = options.userId ?? 'UBOB';
    const channelId = options.channelId ?? reminder.channel;
    const responseUrl = bot.fake.responseUrl();
    const response = await sendInteraction(url, blockActions({ userId, channelId, messageTs: reminder.ts, actionId, value, triggerId: bot.fake.issueTriggerId(userId), responseUrl }));
    expect(response.status).toBe(200);
    return new URL(responseUrl).pathname;
  }
  const clickButton = (reminder: EmulatedMessage, label: string, options: { userId?: string; channelId?: string } = {}) => {
    const { action_id: actionId, value } = button(reminder, label);
    return click(reminder, actionId, value, options);
  };

  /** What the bot posted to a click's response_url. */
  const replyTo = async (path: string) => (await waitFor(() => bot.fake.responses.find((candidate) => candidate.path === path), 'the answer to a click', 5000)).body;

  describe('Post as is', () => {
    it('posts the draft in the channel and replaces the reminder with who posted it; the bot then has nothing to post', async () => {
      await start();
      const { incident, reminder } = await reminded();
      at(incident, 32);
      const reply = await replyTo(await clickButton(reminder, 'Post as is'));
      expect(reply).toMatchObject({ replace_original: true, text: ':white_check_mark: <@UBOB> posted the drafted update as is.' });

      const posted = channelMessages(incident).at(-1)!;
      const shown = visibleText(posted.blocks);
      expect(shown).toContain('*INCIDENT: Checkout errors*');
      expect(shown).toContain('*What changed:* Nothing new on the timeline since the incident was declared (02:00).');
      expect(shown).toContain('_Drafted by the bot from the timeline, posted as is by <@UBOB>._');
      expect((await updates(incident)).map((entry) => ({ source: updateSourceOf(entry), actorId: entry.actorId, at: entry.at }))).toEqual([{ source: 'draft', actorId: 'UBOB', at: bot.clock.now() }]);
      // SEV2: the rest of the company hears it too.
      expect(bot.fake.messages('CGENERAL').at(-1)?.text).toMatch(/^\*SEV2 · Investigating\* — Checkout errors: status update: Nothing new on the timeline/);

      // The interval's update is in: the bot does not post its own at 02:35.
      at(incident, 36);
      expect(await pass()).toBe(0);
      expect(automatic(incident)).toEqual([]);
    });

    it('a second click is refused to the one who clicked, and posts nothing', async () => {
      await start();
      const { incident, reminder } = await reminded();
      await replyTo(await clickButton(reminder, 'Post as is'));
      const messages = channelMessages(incident).length;
      const announced = bot.fake.messages('CGENERAL').length;

      const reply = await replyTo(await clickButton(reminder, 'Post as is', { userId: 'UCAROL' }));
      expect(reply).toEqual({ response_type: 'ephemeral', replace_original: false, text: `:x: ${STALE_DRAFT}` });
      expect(channelMessages(incident)).toHaveLength(messages);
      expect(bot.fake.messages('CGENERAL')).toHaveLength(announced);
      expect(await updates(incident)).toHaveLength(1);
    });

    it('a click from another channel is refused; nothing is written or posted', async () => {
      await start();
      const { incident, reminder } = await reminded();
      const before = await bot.storedRows();
      const messages = channelMessages(incident).length;
      for (const label of ['Post as is', 'Edit and post', 'Snooze 15 min']) {
        const reply = await replyTo(await clickButton(reminder, label, { channelId: 'CGENERAL' }));
        expect(reply).toEqual({
          response_type: 'ephemeral',
          replace_original: false,
          text: ":x: This button belongs to an incident in another channel, so nothing was done. Use the buttons in the incident's own channel.",
        });
      }
      expect(await bot.storedRows()).toEqual(before);
      expect(channelMessages(incident)).toHaveLength(messages);
      expect(bot.fake.views.size).toBe(0);
    });

    it('a malformed value, or a draft of another incident, is refused; nothing is written or opened', async () => {
      await start({ INCIDENT_AUTO_UPDATE: 'none' });
      const incident = await bot.declare({ severity: 'SEV2', commanderId: 'UBOB' });
      const other = await bot.declare({ severity: 'SEV3', commanderId: 'UBOB' });
      at(incident, 30);
      expect(await pass()).toBe(2);
      const [reminder, otherReminder] = [incident, other].map((each) => channelMessages(each).find((message) => message.text.includes('No status update'))!);
      const otherDraft = button(otherReminder!, 'Post as is').value.split(':')[1];
      const before = await bot.storedRows();
      const messages = channelMessages(incident).length;
      const noIncident = ":x: This incident no longer exists in the bot's database.";
      const noDraft = /^:x: This draft is not in the bot's database any more\./;
      for (const actionId of [REMINDER_BUTTONS.postDraft, REMINDER_BUTTONS.editDraft]) {
        for (const [value, refusal] of [
          ['abc', noIncident],
          [`${incident.id}:`, noIncident],
          [`${incident.id}:${otherDraft}`, noDraft],
          [`${incident.id}:999999`, noDraft],
        ] as const) {
          const reply = await replyTo(await click(reminder!, actionId, value));
          expect(reply, `${actionId} ${value}`).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: refusal });
        }
      }
      expect(await bot.storedRows()).toEqual(before);
      expect(channelMessages(incident)).toHaveLength(messages);
      expect(channelMessages(other).filter((message) => message.text.startsWith('Investigating'))).toEqual([]);
      expect(bot.fake.views.size).toBe(0);
    });
  });

  describe('Edit and post', () => {
    /** The input of a modal by its block id. */
    const field = (view: EmulatedView, blockId: string) => (view.view.blocks.find((block) => block.block_id === blockId) as { element: Record<string, unknown> }).element;

    it('opens the update form filled with the draft; what is submitted is the person\'s update, started from the draft', async () => {
      await start();
      const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });
      at(incident, 3);
      await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'identified', whatChanged: 'Pool exhausted', impact: '40% of checkouts fail', nextSteps: 'Roll back deploy 4521' });
      at(incident, 10);
      await addNote(bot.deps, (await bot.deps.incidents.findLiveById(incident.id))!, 'UCAROL', 'Rollback at 50%');
      at(incident, 33);
      expect(await pass()).toBe(1);
      const reminder = channelMessages(incident).find((message) => message.text.includes('No status update'))!;
      const draftId = Number(button(reminder, 'Edit and post').value.split(':')[1]);
      const draft = (await bot.deps.reminders.findDraft(draftId))!;

      at(incident, 34);
      await clickButton(reminder, 'Edit and post');
      const view = await waitFor(() => [...bot.fake.views.values()][0], 'the update form to open', 5000);
      expect(view.view.callback_id).toBe(INCIDENT_MODALS.update);
      expect(JSON.parse(String(view.view.private_metadata))).toEqual({ incidentId: incident.id, draftId });
      expect(field(view, 'status').initial_option).toMatchObject({ value: 'identified' });
      expect(field(view, 'what_changed').initial_value).toBe('Since the last update (02:03):\n• 02:10 Note from <@UCAROL>: Rollback at 50%');
      expect(field(view, 'what_changed').initial_value).toBe(draft.whatChanged);
      expect(field(view, 'impact').initial_value).toBe('40% of checkouts fail');
      expect(field(view, 'next_steps').initial_value).toBe('(from the 02:03 update) Roll back deploy 4521');

      const edited = 'Rollback done, error rate back to normal';
      const response = await sendInteraction(url, viewSubmission(view.view, 'UBOB', fillModal(view.view, { 'What changed': edited, Status: 'monitoring' })));
      expect(response.status).toBe(200);
      const entry = await waitFor(async () => (await updates(incident)).at(-1)?.data?.whatChanged === edited && (await updates(incident)).at(-1), 'the update to be recorded', 5000);
      expect(entry).toMatchObject({ actorId: 'UBOB', text: `Monitoring: ${edited}`, data: { source: 'person', draftId, nextSteps: '(from the 02:03 update) Roll back deploy 4521' } });
      const posted = await waitFor(() => channelMessages(incident).find((message) => message.text === `Monitoring: ${edited}`), 'the update in the channel', 5000);
      expect(visibleText(posted.blocks)).not.toContain('Drafted by the bot');

      // It is the interval's update: the bot posts nothing of its own.
      at(incident, 39);
      expect(await pass()).toBe(0);
      expect(automatic(incident)).toEqual([]);
      // The next draft repeats the next steps the person left as they were, marked once.
      at(incident, 64);
      expect(await pass()).toBe(1);
      const next = channelMessages(incident).filter((message) => message.text.includes('No status update')).at(-1)!;
      expect(visibleText(next.blocks)).toContain('>*ETA / next steps:* (from the 02:34 update) Roll back deploy 4521\n');
    });
  });

  describe('Snooze 15 min', () => {
    it('on a severity the bot updates itself: the reminder says the bot\'s own update waits too, and it does', async () => {
      await start();
      const { incident, reminder } = await reminded('SEV1');
      // Reminded at 02:30: without the snooze, the bot would post at 02:35.
      at(incident, 31);
      const reply = await replyTo(await clickButton(reminder, 'Snooze 15 min'));
      expect(reply).toEqual({
        replace_original: true,
        text: ':zzz: Update reminder snoozed by <@UBOB> until 2026-11-24 02:46 UTC. The bot will not post its own update before then either.',
      });
      at(incident, 45);
      expect(await pass()).toBe(0);
      expect(automatic(incident)).toEqual([]);
      at(incident, 46);
      expect(await pass()).toBe(1);
      expect(automatic(incident)).toHaveLength(1);
    });

    it('on a SEV3, where the bot never posts: only the reminder waits', async () => {
      await start();
      const { incident, reminder } = await reminded('SEV3');
      at(incident, 31);
      const reply = await replyTo(await clickButton(reminder, 'Snooze 15 min'));
      expect(reply).toEqual({ replace_original: true, text: ':zzz: Update reminder snoozed by <@UBOB> until 2026-11-24 02:46 UTC.' });
      expect((await bot.deps.reminders.allStates()).get(incident.id)?.notBefore).toEqual(new Date(incident.declaredAt.getTime() + 46 * MINUTE));
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_DONE_BUTTON } from '../../src/slack/views/incidentReports.js';
import { SUMMARY_BUTTONS } from '../../src/slack/views/kickoffMessage.js';
import { REMINDER_BUTTONS } from '../../src/slack/views/reminderMessage.js';
import type { Incident } from '../../src/domain/incident.js';
import { waitFor } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { blockActions, sendInteraction } from '../../src/sandbox/slackRequests.js';

/** A button's value names an incident; only a click in that incident's own channel may act on it. */
describe('buttons clicked outside their incident channel', () => {
  let bot: InProcessBot;
  let url: string;
  let incident: Incident;
  let actionItemId: number;
  beforeEach(async () => {
    bot = await startInProcess();
    url = await bot.startApp();
    incident = await bot.declare({ title: 'Leaked credentials', isPrivate: true, commanderId: 'UALICE' });
    actionItemId = (await bot.deps.actions.add({ incidentId: incident.id, text: 'Rotate the keys', ownerId: null, dueOn: null, createdBy: 'UALICE', createdAt: bot.clock.now() }, 'Action item: Rotate the keys')).id;
  });
  afterEach(() => bot.close());

  /** A block_actions click as Slack sends it, from a message in `channelId`; resolves with its response_url's path. */
  async function click(actionId: string, value: string, channelId: string, userId = 'UALICE'): Promise<string> {
    const responseUrl = bot.fake.responseUrl();
    const response = await sendInteraction(url, blockActions({ userId, channelId, messageTs: '1.000001', actionId, value, triggerId: bot.fake.issueTriggerId(userId), responseUrl }));
    expect(response.status).toBe(200);
    return new URL(responseUrl).pathname;
  }

  /** What the person who clicked was told, only to them. */
  const answerTo = async (path: string) => String((await waitFor(() => bot.fake.responses.find((candidate) => candidate.path === path), 'the answer to a click', 5000)).body.text);

  const buttons = (): [string, string][] => [
    [SUMMARY_BUTTONS.acknowledge, String(incident.id)],
    [SUMMARY_BUTTONS.update, String(incident.id)],
    [SUMMARY_BUTTONS.severity, String(incident.id)],
    [SUMMARY_BUTTONS.note, String(incident.id)],
    [SUMMARY_BUTTONS.resolve, String(incident.id)],
    [REMINDER_BUTTONS.update, String(incident.id)],
    [REMINDER_BUTTONS.snooze, String(incident.id)],
    [REMINDER_BUTTONS.reviewHeld, String(incident.id)],
    [ACTION_DONE_BUTTON, String(actionItemId)],
  ];

  it('every button refuses a click from #general with a clear line; nothing is written or opened', async () => {
    const before = await bot.storedRows();
    const answers: Record<string, string> = {};
    for (const [actionId, value] of buttons()) answers[actionId] = await answerTo(await click(actionId, value, 'CGENERAL'));
    const refusal = ":x: This button belongs to an incident in another channel, so nothing was done. Use the buttons in the incident's own channel.";
    expect(answers).toEqual(Object.fromEntries(buttons().map(([actionId]) => [actionId, refusal])));
    expect(await bot.storedRows()).toEqual(before);
    expect(bot.fake.views.size).toBe(0);
    expect(bot.fake.messages(incident.channelId!).filter((message) => /Note|acknowledged|done by/.test(message.text))).toEqual([]);
  });

  it('the same buttons work in the incident channel', async () => {
    expect(await answerTo(await click(SUMMARY_BUTTONS.acknowledge, String(incident.id), incident.channelId!))).toMatch(/^:white_check_mark: Acknowledged/);
    expect(await answerTo(await click(ACTION_DONE_BUTTON, String(actionItemId), incident.channelId!))).toBe('0 open action items');
    expect((await bot.deps.actions.find(actionItemId))?.status).toBe('done');
    expect(bot.fake.messages(incident.channelId!).at(-1)?.text).toContain('done by <@UALICE>: Rotate the keys');
    await click(SUMMARY_BUTTONS.note, String(incident.id), incident.channelId!);
    const opened = await waitFor(() => [...bot.fake.views.values()][0], 'the note form to open');
    expect(JSON.stringify(opened.view.title)).toContain('note');
  });

  it('Mark done tells the person when the channel would not take the line, and keeps it done', async () => {
    bot.fake.failMethod('chat.postMessage', { error: 'is_archived', times: 1 });
    const path = await click(ACTION_DONE_BUTTON, String(actionItemId), incident.channelId!);
    const answers = async () => bot.fake.responses.filter((candidate) => candidate.path === path).map((response) => String(response.body.text));
    const told = await waitFor(async () => ((await answers()).length === 2 ? answers() : undefined), 'the list and the warning', 5000);
    expect(told[0]).toBe('0 open action items');
    expect(told[1]).toMatch(/^:white_check_mark: Action item #\d+ marked done\.\n:warning: Some steps did not work:\n• Saying so in the channel: /);
    expect((await bot.deps.actions.find(actionItemId))?.status).toBe('done');
  });
});

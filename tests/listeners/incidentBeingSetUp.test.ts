import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SUMMARY_BUTTONS } from '../../src/slack/views/kickoffMessage.js';
import { waitFor } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { blockActions, sendInteraction, sendSlashCommand } from '../../src/sandbox/slackRequests.js';

/**
 * The incident channel exists a moment before the incident is live (the summary is pinned last),
 * and stays when a declaration is called off and archiving it fails. Someone typing a command there
 * is told what is true, never that this is not an incident channel.
 */
describe('an incident channel whose incident is not live', () => {
  let bot: InProcessBot;
  let url: string;
  beforeEach(async () => {
    bot = await startInProcess();
    url = await bot.startApp();
  });
  afterEach(() => bot.close());

  /** The first incident of this fresh database, once Slack has created its channel. */
  const firstIncident = () =>
    waitFor(async () => {
      const incident = await bot.deps.incidents.findById(1);
      return incident?.channelId ? incident : undefined;
    }, 'the incident channel to be created', 5000);

  async function command(text: string, channelId: string): Promise<string> {
    const response = await sendSlashCommand(url, { text, userId: 'UBOB', channelId, triggerId: bot.fake.issueTriggerId('UBOB'), responseUrl: bot.fake.responseUrl() });
    expect(response.status).toBe(200);
    return String((response.json as { text: string }).text);
  }

  it('a command typed while the summary is being pinned is told to try again in a moment, and works once it is live', async () => {
    // Pinning the summary is the last step before the incident goes live: held, the declaration stops there.
    bot.fake.slowMethod('pins.add', 2000);
    const declared = bot.declare({ title: 'Checkout down', commanderId: 'UBOB' });
    const incident = await firstIncident();
    await waitFor(() => bot.fake.messages(incident.channelId!).length > 0, 'the summary to be posted', 5000);
    expect((await bot.deps.incidents.findById(incident.id))?.phase).toBe('declaring');

    expect(await command('status', incident.channelId!)).toBe(':hourglass_flowing_sand: This incident is still being set up: the bot is posting its summary. Try `/incident status` again in a moment.');
    expect(await command('ack', incident.channelId!)).toMatch(/still being set up.*Try `\/incident ack` again in a moment/);

    // The Acknowledge button on the summary, clicked before the summary is pinned.
    const responseUrl = bot.fake.responseUrl();
    const summary = bot.fake.messages(incident.channelId!)[0]!;
    await sendInteraction(url, blockActions({ userId: 'UBOB', channelId: incident.channelId!, messageTs: summary.ts, actionId: SUMMARY_BUTTONS.acknowledge, value: String(incident.id), triggerId: bot.fake.issueTriggerId('UBOB'), responseUrl }));
    const answer = await waitFor(() => bot.fake.responses.find((response) => response.path === new URL(responseUrl).pathname), 'the answer to the click', 5000);
    expect(answer.body.text).toBe(':x: This incident is still being set up: the bot is posting its summary. Try the button again in a moment.');
    expect((await bot.deps.incidents.findById(incident.id))?.acknowledgedAt).toBeNull();

    await declared;
    expect(await command('status', incident.channelId!)).toContain('Checkout down');
  });

  it('a command in the channel of a declaration that was called off says so, and how to declare again', async () => {
    bot.fake.failMethod('chat.postMessage', { error: 'msg_too_long', times: 1 });
    bot.fake.failMethod('conversations.archive', { error: 'restricted_action' });
    await expect(bot.declare({ title: 'Payments <failing>' })).rejects.toThrow(/not declared/);
    const incident = await firstIncident();
    expect(incident.phase).toBe('aborted');

    expect(await command('ack', incident.channelId!)).toBe(
      ':x: "Payments &lt;failing&gt;" was never declared: setting it up failed (chat.postMessage: msg_too_long), so there is no incident here to act on. `/incident declare` declares it again; `/incident list` shows the open incidents.',
    );
  });

  it('a command in a channel that was never an incident channel is still told so', async () => {
    expect(await command('ack', 'CGENERAL')).toMatch(/^`\/incident ack` works in an incident's own channel, and this is not one\./);
  });
});

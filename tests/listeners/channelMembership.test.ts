import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { sendEvent, sendSlashCommand } from '../../src/sandbox/slackRequests.js';

/** Who may see a private incident follows who is in its channel: leaving ends access, rejoining restores it. */
describe('membership of a private incident channel', () => {
  let bot: InProcessBot;
  let url: string;
  beforeEach(async () => {
    bot = await startInProcess();
    url = await bot.startApp();
  });
  afterEach(() => bot.close());

  const listFor = async (userId: string) => {
    const response = await sendSlashCommand(url, { text: 'list', userId, channelId: 'CGENERAL', triggerId: bot.fake.issueTriggerId(userId), responseUrl: bot.fake.responseUrl() });
    expect(response.status).toBe(200);
    return String((response.json as { text: string }).text);
  };

  it('someone who leaves no longer sees it in /incident list, stays in the post-mortem, and sees it again on rejoining', async () => {
    const incident = await bot.declare({ title: 'Leaked credentials', isPrivate: true, commanderId: 'UBOB' });
    const channelId = incident.channelId!;
    const present = async (userId: string) => (await bot.deps.incidents.isParticipant(incident.id, userId));

    await sendEvent(url, bot.fake.memberJoined(channelId, 'UCAROL'));
    await waitFor(async () => await present('UCAROL'), 'Carol to be recorded as a participant');
    expect(await listFor('UCAROL')).toContain('Leaked credentials');

    await sendEvent(url, bot.fake.memberLeft(channelId, 'UCAROL'));
    await waitFor(async () => !(await present('UCAROL')), 'Carol to be recorded as gone');
    expect(await listFor('UCAROL')).not.toContain('Leaked credentials');
    // Removed by someone else: Slack sends the same event. The commander loses access like anyone.
    await sendEvent(url, bot.fake.memberLeft(channelId, 'UBOB'));
    await waitFor(async () => !(await present('UBOB')), 'Bob to be recorded as gone');
    expect(await listFor('UBOB')).not.toContain('Leaked credentials');
    expect(await listFor('UALICE')).toContain('Leaked credentials');
    expect((await bot.deps.incidents.participantsOf(incident.id)).map((participant) => participant.userId)).toEqual(expect.arrayContaining(['UALICE', 'UBOB', 'UCAROL']));

    await sendEvent(url, bot.fake.memberJoined(channelId, 'UCAROL'));
    await waitFor(async () => await present('UCAROL'), 'Carol to be recorded as back');
    expect(await listFor('UCAROL')).toContain('Leaked credentials');
  });
});

/**
 * The archive warning's Keep open button and `/incident reopen #channel`, as Slack sends them:
 * signed HTTP to the real Bolt app and listeners, in this process, with the clock moved by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/archive.js';
import type { Incident, LiveIncident } from '../../src/domain/incident.js';
import { archiveDueChannels } from '../../src/flows/archive.js';
import { resolveIncident } from '../../src/flows/resolve.js';
import { blockActions, sendInteraction, sendSlashCommand } from '../../src/sandbox/slackRequests.js';
import type { EmulatedMessage } from '../../src/sandbox/slackEmulator.js';
import { waitFor } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';

type Button = { action_id: string; value: string; text: { text: string } };

describe('archiving from Slack', () => {
  let bot: InProcessBot;
  let url: string;
  afterEach(() => bot.close());

  const pass = () => archiveDueChannels({ ...bot.deps, review: bot.config.review, owner: 'this-process', retryMs: 30_000 });
  const current = async (incident: Incident) => (await bot.deps.incidents.findLiveById(incident.id)) as LiveIncident;
  const replyAt = async (responseUrl: string) => {
    const path = new URL(responseUrl).pathname;
    return (await waitFor(() => bot.fake.responses.find((candidate) => candidate.path === path), 'the answer', 5000)).body as { text: string; replace_original?: boolean };
  };

  /** A resolved SEV3 warned that its channel will be archived (archive_after_days: 2): the warning as the channel shows it. */
  async function warned(): Promise<{ incident: LiveIncident; warning: EmulatedMessage; resolvedAt: Date }> {
    bot = await startInProcess({ env: { INCIDENT_CONFIG: configFile('archive_after_days: 2\n') } });
    url = await bot.startApp();
    const incident = await bot.declare({ title: 'Search is slow', severity: 'SEV3', commanderId: 'UBOB' });
    await resolveIncident(bot.deps, incident, 'UBOB', { summary: 'Reindexed', rootCause: 'A bad mapping' });
    const resolvedAt = (await current(incident)).resolvedAt!;
    bot.clock.set(new Date(resolvedAt.getTime() + DAY_MS));
    expect(await pass()).toBe(1);
    const warning = bot.fake.messages(incident.channelId).find((message) => message.text.includes('will be archived on'))!;
    return { incident, warning, resolvedAt };
  }

  async function clickKeepOpen(warning: EmulatedMessage, userId: string, channelId = warning.channel): Promise<string> {
    const button = (warning.blocks!.find((block) => block.type === 'actions')!.elements as Button[])[0]!;
    const responseUrl = bot.fake.responseUrl();
    const response = await sendInteraction(url, blockActions({ userId, channelId, messageTs: warning.ts, actionId: button.action_id, value: button.value, triggerId: bot.fake.issueTriggerId(userId), responseUrl }));
    expect(response.status).toBe(200);
    return responseUrl;
  }

  it('Keep open replaces the warning with who kept the channel open, and the channel is not archived when the period ends', async () => {
    const { incident, warning, resolvedAt } = await warned();
    const reply = await replyAt(await clickKeepOpen(warning, 'UCAROL'));
    expect(reply).toMatchObject({ replace_original: true, text: expect.stringContaining('<@UCAROL> kept this channel open') });
    expect((await bot.deps.incidents.timelineOf(incident.id)).at(-1)).toMatchObject({ kind: 'archive_postponed', actorId: 'UCAROL' });
    bot.clock.set(new Date(resolvedAt.getTime() + 2 * DAY_MS));
    await pass();
    expect(bot.fake.channels.get(incident.channelId)!.isArchived).toBe(false);
  });

  it('Keep open clicked outside the incident channel is refused and keeps nothing open', async () => {
    const { incident, warning } = await warned();
    const reply = await replyAt(await clickKeepOpen(warning, 'UCAROL', 'CGENERAL'));
    expect(reply.replace_original).toBe(false);
    expect((await bot.deps.archives.stateOf(incident.id)).keptOpenAt).toBeNull();
  });

  it('/incident reopen #channel, typed in another channel, unarchives and reopens an archived incident', async () => {
    const { incident, resolvedAt } = await warned();
    bot.clock.set(new Date(resolvedAt.getTime() + 2 * DAY_MS));
    expect(await pass()).toBe(1);
    expect(bot.fake.channels.get(incident.channelId)!.isArchived).toBe(true);
    const responseUrl = bot.fake.responseUrl();
    const text = `reopen <#${incident.channelId}|${incident.channelName}> errors are back`;
    expect((await sendSlashCommand(url, { text, userId: 'UBOB', channelId: 'CGENERAL', triggerId: bot.fake.issueTriggerId('UBOB'), responseUrl })).status).toBe(200);
    expect((await replyAt(responseUrl)).text).toContain('The channel is unarchived.');
    expect(bot.fake.channels.get(incident.channelId)!.isArchived).toBe(false);
    expect(await current(incident)).toMatchObject({ status: 'investigating' });
    expect((await bot.deps.incidents.timelineOf(incident.id)).at(-1)).toMatchObject({ kind: 'reopened', text: 'Reopened: errors are back' });
  });

  it('/incident reopen naming a channel that is no incident\'s says so', async () => {
    bot = await startInProcess();
    url = await bot.startApp();
    const responseUrl = bot.fake.responseUrl();
    const response = await sendSlashCommand(url, { text: 'reopen <#CGENERAL|general>', userId: 'UBOB', channelId: 'CGENERAL', triggerId: bot.fake.issueTriggerId('UBOB'), responseUrl });
    expect(JSON.stringify(response.json)).toContain('is not an incident channel the bot knows');
  });
});

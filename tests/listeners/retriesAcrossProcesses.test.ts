import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { noteModal } from '../../src/slack/views/incidentModals.js';
import { SUMMARY_BUTTONS } from '../../src/slack/views/kickoffMessage.js';
import { waitFor } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { fillModal, viewSubmission } from '../support/modals.js';
import { blockActions, sendEvent, sendInteraction, sendSlashCommand, type SlashCommand } from '../../src/sandbox/slackRequests.js';

const IGNORED = 'ignored a request Slack delivered again';

/**
 * Slack delivers a request again when it did not hear back in time (events at 3 s, 1 min and 5 min,
 * whatever became of the first try), and the retry may reach a restarted bot or another process on
 * the same database: it is acted on once, because what was handled is in the database.
 */
describe('a request Slack delivers again, to another process on the same database', () => {
  let folder: string;
  let databasePath: string;
  let first: InProcessBot;
  let firstUrl: string;
  let incident: Incident;
  const others: InProcessBot[] = [];

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'retries-'));
    databasePath = join(folder, 'incidents.db');
    first = await startInProcess({ databasePath });
    firstUrl = await first.startApp();
    incident = await first.declare({ title: 'Checkout down', commanderId: 'UBOB', isPrivate: true });
  });
  afterEach(async () => {
    for (const bot of others.splice(0)) await bot.close();
    await first.close().catch(() => {});
    rmSync(folder, { recursive: true, force: true });
  });

  /** Another bot process on the same database file, whose Slack knows the incident channel. */
  async function anotherProcess(): Promise<{ bot: InProcessBot; url: string }> {
    const bot = await startInProcess({ databasePath });
    others.push(bot);
    bot.fake.addChannel({ id: incident.channelId!, name: incident.channelName!, isPrivate: true, members: [bot.fake.botUserId, 'UALICE', 'UBOB'] });
    return { bot, url: await bot.startApp() };
  }

  /** The first process stops, and a new one starts on its database: a restart or a deploy. */
  async function restart(): Promise<{ bot: InProcessBot; url: string }> {
    await first.close();
    return anotherProcess();
  }

  const notes = async (bot: InProcessBot) => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'note').map((entry) => entry.text);
  const ignoredBy = (bot: InProcessBot) => bot.logs.filter((line) => line.msg === IGNORED);

  it('a slash command retried after a restart adds its note once', async () => {
    const command: SlashCommand = { text: 'note rolled back the deploy', userId: 'UBOB', channelId: incident.channelId!, triggerId: first.fake.issueTriggerId('UBOB'), responseUrl: first.fake.responseUrl() };
    expect((await sendSlashCommand(firstUrl, command)).status).toBe(200);
    await waitFor(async () => (await notes(first)).length > 0, 'the note to be recorded');
    expect(await notes(first)).toEqual(['rolled back the deploy']);

    const next = await restart();
    const retried = await sendSlashCommand(next.url, command, { retryNum: 1 });
    expect(retried).toMatchObject({ status: 200, text: '' });
    await waitFor(() => ignoredBy(next.bot).length === 1, 'the retry to be recognised', 5000);
    expect(await notes(next.bot)).toEqual(['rolled back the deploy']);
    expect(next.bot.fake.messages(incident.channelId!)).toEqual([]);
  });

  it('a form submission retried after a restart adds its note once', async () => {
    const viewId = await first.deps.chat.openView(first.fake.issueTriggerId('UBOB'), noteModal(incident));
    const opened = first.fake.views.get(viewId)!.view;
    const submission = viewSubmission(opened, 'UBOB', fillModal(opened, { Note: 'paged the database team' }));
    expect((await sendInteraction(firstUrl, submission)).status).toBe(200);
    await waitFor(async () => (await notes(first)).length === 1, 'the note to be recorded');

    const next = await restart();
    expect((await sendInteraction(next.url, submission, { retryNum: 1 })).status).toBe(200);
    await waitFor(() => ignoredBy(next.bot).length === 1, 'the retry to be recognised', 5000);
    expect(await notes(next.bot)).toEqual(['paged the database team']);
    expect(next.bot.fake.messages(incident.channelId!)).toEqual([]);
  });

  it('a join event retried after the person left, and after a restart, does not bring them back', async () => {
    const present = async (bot: InProcessBot) => (await bot.deps.incidents.isParticipant(incident.id, 'UCAROL'));
    await sendEvent(firstUrl, first.fake.memberJoined(incident.channelId!, 'UCAROL'), { eventId: 'EvJOINED' });
    await waitFor(async () => await present(first), 'Carol to be recorded');
    await sendEvent(firstUrl, first.fake.memberLeft(incident.channelId!, 'UCAROL'), { eventId: 'EvLEFT' });
    await waitFor(async () => !(await present(first)), 'Carol to be recorded as gone');

    const next = await restart();
    const joined = { type: 'member_joined_channel', user: 'UCAROL', channel: incident.channelId!, channel_type: 'G', team: 'T0001' };
    expect((await sendEvent(next.url, joined, { eventId: 'EvJOINED', retryNum: 2 })).status).toBe(200);
    await waitFor(() => ignoredBy(next.bot).length === 1, 'the retry to be recognised', 5000);
    // A private incident: Carol left, so she must not see it again because Slack repeated an old event.
    expect(await present(next.bot)).toBe(false);
  });

  it('two processes given the same command at once act on it once', async () => {
    const second = await anotherProcess();
    const command: SlashCommand = { text: 'note failing over to the replica', userId: 'UBOB', channelId: incident.channelId!, triggerId: first.fake.issueTriggerId('UBOB'), responseUrl: first.fake.responseUrl() };
    await Promise.all([sendSlashCommand(firstUrl, command), sendSlashCommand(second.url, command, { retryNum: 1 })]);
    await waitFor(() => ignoredBy(first).length + ignoredBy(second.bot).length === 1, 'one of the two to recognise the retry', 5000);
    const posted = () => [first, second.bot].flatMap((bot) => bot.fake.messages(incident.channelId!).filter((message) => message.text.includes('failing over to the replica')));
    await waitFor(async () => posted().length === 1 && (await notes(first)).length === 1, 'the note to be posted and recorded');
    expect(posted()).toHaveLength(1);
    expect(await notes(second.bot)).toEqual(['failing over to the replica']);
  });
});

/** The same within one process: what a retry would redo is not only a duplicate, it can undo a later change. */
describe('a request Slack delivers again to the same process', () => {
  let bot: InProcessBot;
  let url: string;
  let incident: Incident;
  beforeEach(async () => {
    bot = await startInProcess();
    url = await bot.startApp();
    incident = await bot.declare({ title: 'Queue backlog', commanderId: 'UBOB' });
  });
  afterEach(() => bot.close());

  const ignored = () => bot.logs.filter((line) => line.msg === IGNORED).length;

  it('a :pushpin: retried after it was removed does not put the message back on the timeline', async () => {
    const message = bot.fake.postAsUser(incident.channelId!, 'UCAROL', 'Failover to the replica started');
    const reaction = (type: string) => ({ type, user: 'UCAROL', reaction: 'pushpin', item: { type: 'message', channel: incident.channelId!, ts: message.ts }, item_user: 'UCAROL', event_ts: '1.1' });
    const pinned = async () => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'pinned_message');
    await sendEvent(url, reaction('reaction_added'), { eventId: 'EvPIN' });
    await waitFor(async () => (await pinned()).length === 1, 'the message on the timeline');
    await sendEvent(url, reaction('reaction_removed'), { eventId: 'EvUNPIN' });
    await waitFor(async () => (await pinned()).length === 0, 'the message off the timeline');

    await sendEvent(url, reaction('reaction_added'), { eventId: 'EvPIN', retryNum: 3 });
    await waitFor(() => ignored() === 1, 'the retry to be recognised', 5000);
    expect(await pinned()).toEqual([]);
  });

  it('a click delivered twice is answered once', async () => {
    const responseUrl = bot.fake.responseUrl();
    const click = blockActions({ userId: 'UBOB', channelId: incident.channelId!, messageTs: incident.kickoffTs!, actionId: SUMMARY_BUTTONS.acknowledge, value: String(incident.id), triggerId: bot.fake.issueTriggerId('UBOB'), responseUrl });
    const answers = () => bot.fake.responses.filter((response) => response.path === new URL(responseUrl).pathname).map((response) => String(response.body.text));
    await sendInteraction(url, click);
    await waitFor(() => answers().length === 1, 'the answer to the click', 5000);
    await sendInteraction(url, click, { retryNum: 1 });
    await waitFor(() => ignored() === 1, 'the retry to be recognised', 5000);
    expect(answers()).toEqual([expect.stringMatching(/^:white_check_mark: Acknowledged/)]);
  });
});

import { join } from 'node:path';
import { describe, it, type TestContext } from 'vitest';
import { declareIncident, declareOutcome, openDeclareForm, readDatabase, runCommand, submitForm, visibleText, waitFor, type BotUnderTest } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { scratchDir } from '../support/launcher.js';
import { fillModal, viewSubmission } from '../support/modals.js';
import { sendInteraction } from '../../src/sandbox/slackRequests.js';

/**
 * Declaring when Slack misbehaves, through the real Bolt listeners over signed HTTP in this process,
 * the Web API client retrying as in production. Each case has its own bot, fake Slack and database
 * file (read as an operator would with sqlite3), so the cases wait on Slack side by side.
 */
async function start(context: TestContext): Promise<{ bot: InProcessBot; h: BotUnderTest; dbPath: string }> {
  const dbPath = join(scratchDir(), 'incidents.db');
  const bot = await startInProcess({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CANNOUNCE' }, databasePath: dbPath, slackRetries: 'as in production' });
  context.onTestFinished(() => bot.close());
  bot.fake.addChannel({ id: 'CANNOUNCE', name: 'incidents' });
  return { bot, h: { fake: bot.fake, app: { url: await bot.startApp() } }, dbPath };
}

describe.concurrent('declaring when Slack misbehaves', () => {
  it('acks within Slack\'s 3 seconds when every Web API call takes 1.5 s, and still declares', async (context) => {
    const { expect } = context;
    const { bot, h } = await start(context);
    h.fake.setLatency(1500);
    const { response, view } = await openDeclareForm(h, 'Slow Slack day');
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(3000);
    const submitted = await submitForm(h, view, { Severity: 'SEV3' });
    expect(submitted.elapsedMs).toBeLessThan(3000);
    expect((submitted.json as { response_action: string }).response_action).toBe('update');
    expect(await declareOutcome(h, view.id)).toMatch(/Incident declared/);
    expect(h.fake.channelByName(`incident-${bot.clock.now().toISOString().slice(0, 10)}-slow-slack-day`)).toBeDefined();
  });

  it('tells the user when Slack refuses to create the channel, and leaves no live incident', async (context) => {
    const { expect } = context;
    const { h, dbPath } = await start(context);
    h.fake.failMethod('conversations.create', { error: 'restricted_action' });
    const { view } = await openDeclareForm(h, 'Cannot create channels');
    await submitForm(h, view, {});
    const outcome = await declareOutcome(h, view.id);
    expect(outcome).toMatch(/not\* declared/);
    expect(outcome).toMatch(/restricted_action/);
    expect(outcome).toMatch(/workspace admin/);
    expect(h.fake.channels.size).toBe(2);
    expect(readDatabase(dbPath).incidents).toMatchObject([{ phase: 'aborted', failure_reason: 'conversations.create: restricted_action' }]);
    expect(readDatabase(dbPath).timeline).toHaveLength(0);
  });

  it('archives the half-made channel when the kickoff summary cannot be posted (HTTP 500)', async (context) => {
    const { expect } = context;
    const { h, dbPath } = await start(context);
    h.fake.failMethod('chat.postMessage', { status: 500 });
    const { view } = await openDeclareForm(h, 'Slack is down');
    await submitForm(h, view, {});
    const outcome = await declareOutcome(h, view.id);
    expect(outcome).toMatch(/not\* declared/);
    expect(outcome).toMatch(/HTTP 500/);
    const created = [...h.fake.channels.values()].filter((channel) => channel.name.includes('slack-is-down'));
    expect(created).toHaveLength(1);
    expect(created[0]!.isArchived).toBe(true);
    expect(readDatabase(dbPath).incidents[0]).toMatchObject({ phase: 'aborted' });
  });

  it('waits out a 429 with Retry-After instead of failing or creating a second channel', async (context) => {
    const { expect } = context;
    const { h } = await start(context);
    h.fake.rateLimit('conversations.create', { times: 1, retryAfterSec: 1 });
    const { channel } = await declareIncident(h, { title: 'Rate limited' });
    expect(h.fake.callsTo('conversations.create').map((call) => call.outcome)).toEqual(['ratelimited', 'ok']);
    expect([...h.fake.channels.values()].filter((candidate) => candidate.name.includes('rate-limited'))).toEqual([channel]);
    expect(h.fake.messages(channel.id)).toHaveLength(1);
  });

  it('reports Slack\'s "ratelimited" error as such when it comes as an error, not a 429', async (context) => {
    const { expect } = context;
    const { h } = await start(context);
    h.fake.failMethod('conversations.create', { error: 'ratelimited' });
    const { view } = await openDeclareForm(h, 'Busy');
    await submitForm(h, view, {});
    expect(await declareOutcome(h, view.id)).toMatch(/rate-limiting the bot/);
  });

  it('declares anyway when a lesser step fails, and says which', async (context) => {
    const { expect } = context;
    const { h, dbPath } = await start(context);
    h.fake.failMethod('pins.add', { error: 'restricted_action' });
    h.fake.channels.get('CANNOUNCE')!.isPrivate = true; // a private channel the bot is not in is invisible to it
    const { outcome, channel } = await declareIncident(h, { title: 'Partial setup' });
    expect(outcome).toMatch(/Incident declared/);
    expect(outcome).toMatch(/Pinning the summary: Slack refused `pins.add` \(restricted_action\)/);
    expect(outcome).toMatch(/Announcing the incident: .*channel_not_found.*\/invite @incident/);
    expect(h.fake.messages(channel.id)).toHaveLength(1);
    expect(readDatabase(dbPath).incidents[0]).toMatchObject({ phase: 'live' });
  });

  it('tells the declarer by direct message when the modal was closed before the channel was ready', async (context) => {
    const { expect } = context;
    const { h } = await start(context);
    h.fake.failMethod('views.update', { error: 'not_found' });
    const { view } = await openDeclareForm(h, 'Closed the modal');
    await submitForm(h, view, {});
    const dm = await waitFor(() => h.fake.dms('UALICE').at(-1), 'a direct message to the declarer');
    expect(dm.text).toMatch(/Incident declared: <#C[A-Z0-9]+>/);
  });

  it('tells the user when the form could not be opened because the trigger expired', async (context) => {
    const { expect } = context;
    const { h } = await start(context);
    const response = await runCommand(h, 'declare Late trigger', { triggerId: h.fake.issueTriggerId('UALICE', { issuedAt: Date.now() - 4000 }) });
    expect(response.status).toBe(200);
    const reply = await waitFor(() => h.fake.responses.at(-1), 'a reply on the response_url');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toMatch(/expired_trigger_id.*Run the command again/);
    expect(h.fake.views.size).toBe(0);
  });

  it('creates one incident and one channel however often Slack retries the submission', async (context) => {
    const { expect } = context;
    const { h, dbPath } = await start(context);
    const { view } = await openDeclareForm(h, 'Retried submission');
    const payload = viewSubmission(view.view, 'UALICE', fillModal(view.view, { Severity: 'SEV2' }));
    h.fake.setLatency(300);
    const responses = await Promise.all([
      sendInteraction(h.app.url, payload),
      sendInteraction(h.app.url, payload, { retryNum: 1 }),
      sendInteraction(h.app.url, payload, { retryNum: 2 }),
    ]);
    for (const response of responses) expect((response.json as { response_action: string }).response_action).toBe('update');
    expect(await declareOutcome(h, view.id)).toMatch(/Incident declared/);
    const late = await sendInteraction(h.app.url, payload, { retryNum: 3 });
    expect(visibleText((late.json as { view: unknown }).view)).toMatch(/Incident declared/);

    expect(h.fake.callsTo('conversations.create')).toHaveLength(1);
    expect([...h.fake.channels.values()].filter((channel) => channel.name.includes('retried-submission'))).toHaveLength(1);
    expect(readDatabase(dbPath).incidents).toHaveLength(1);
    const channelId = readDatabase(dbPath).incidents[0]!.channel_id as string;
    expect(h.fake.messages(channelId)).toHaveLength(1);
    expect(h.fake.messages('CANNOUNCE')).toHaveLength(1);
  });
});

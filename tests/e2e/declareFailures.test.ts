import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { declareIncident, declareOutcome, openDeclareForm, readDatabase, runCommand, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import { fillModal, viewSubmission } from '../support/modals.js';
import { sendInteraction } from '../support/slackRequests.js';

describe('declaring when Slack misbehaves', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CANNOUNCE' } });
    h.fake.addChannel({ id: 'CANNOUNCE', name: 'incidents' });
  });
  afterEach(() => h.close());

  it('acks within Slack\'s 3 seconds when every Web API call takes 1.5 s, and still declares', async () => {
    h.fake.setLatency(1500);
    const { response, view } = await openDeclareForm(h, 'Slow Slack day');
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(3000);
    const submitted = await submitForm(h, view, { Severity: 'SEV3' });
    expect(submitted.elapsedMs).toBeLessThan(3000);
    expect((submitted.json as { response_action: string }).response_action).toBe('update');
    expect(await declareOutcome(h, view.id)).toMatch(/Incident declared/);
    expect(h.fake.channelByName(`incident-${new Date().toISOString().slice(0, 10)}-slow-slack-day`)).toBeDefined();
  });

  it('tells the user when Slack refuses to create the channel, and leaves no live incident', async () => {
    h.fake.failMethod('conversations.create', { error: 'restricted_action' });
    const { view } = await openDeclareForm(h, 'Cannot create channels');
    await submitForm(h, view, {});
    const outcome = await declareOutcome(h, view.id);
    expect(outcome).toMatch(/not\* declared/);
    expect(outcome).toMatch(/restricted_action/);
    expect(outcome).toMatch(/workspace admin/);
    expect(h.fake.channels.size).toBe(2);
    expect(readDatabase(h.dbPath).incidents).toMatchObject([{ phase: 'aborted', failure_reason: 'conversations.create: restricted_action' }]);
    expect(readDatabase(h.dbPath).timeline).toHaveLength(0);
  });

  it('archives the half-made channel when the kickoff summary cannot be posted (HTTP 500)', async () => {
    h.fake.failMethod('chat.postMessage', { status: 500 });
    const { view } = await openDeclareForm(h, 'Slack is down');
    await submitForm(h, view, {});
    const outcome = await declareOutcome(h, view.id);
    expect(outcome).toMatch(/not\* declared/);
    expect(outcome).toMatch(/HTTP 500/);
    const created = [...h.fake.channels.values()].filter((channel) => channel.name.includes('slack-is-down'));
    expect(created).toHaveLength(1);
    expect(created[0]!.isArchived).toBe(true);
    expect(readDatabase(h.dbPath).incidents[0]).toMatchObject({ phase: 'aborted' });
  });

  it('waits out a 429 with Retry-After instead of failing or creating a second channel', async () => {
    h.fake.rateLimit('conversations.create', { times: 1, retryAfterSec: 1 });
    const { channel } = await declareIncident(h, { title: 'Rate limited' });
    expect(h.fake.callsTo('conversations.create').map((call) => call.outcome)).toEqual(['ratelimited', 'ok']);
    expect([...h.fake.channels.values()].filter((candidate) => candidate.name.includes('rate-limited'))).toEqual([channel]);
    expect(h.fake.messages(channel.id)).toHaveLength(1);
  });

  it('reports Slack\'s "ratelimited" error as such when it comes as an error, not a 429', async () => {
    h.fake.failMethod('conversations.create', { error: 'ratelimited' });
    const { view } = await openDeclareForm(h, 'Busy');
    await submitForm(h, view, {});
    expect(await declareOutcome(h, view.id)).toMatch(/rate-limiting the bot/);
  });

  it('declares anyway when a lesser step fails, and says which', async () => {
    h.fake.failMethod('pins.add', { error: 'restricted_action' });
    h.fake.channels.get('CANNOUNCE')!.isPrivate = true; // a private channel the bot is not in is invisible to it
    const { outcome, channel } = await declareIncident(h, { title: 'Partial setup' });
    expect(outcome).toMatch(/Incident declared/);
    expect(outcome).toMatch(/Pinning the summary: Slack refused `pins.add` \(restricted_action\)/);
    expect(outcome).toMatch(/Announcing the incident: .*channel_not_found.*\/invite @incident/);
    expect(h.fake.messages(channel.id)).toHaveLength(1);
    expect(readDatabase(h.dbPath).incidents[0]).toMatchObject({ phase: 'live' });
  });

  it('tells the declarer by direct message when the modal was closed before the channel was ready', async () => {
    h.fake.failMethod('views.update', { error: 'not_found' });
    const { view } = await openDeclareForm(h, 'Closed the modal');
    await submitForm(h, view, {});
    const dm = await waitFor(() => h.fake.dms('UALICE').at(-1), 'a direct message to the declarer');
    expect(dm.text).toMatch(/Incident declared: <#C[A-Z0-9]+>/);
  });

  it('tells the user when the form could not be opened because the trigger expired', async () => {
    const response = await runCommand(h, 'declare Late trigger', { triggerId: h.fake.issueTriggerId('UALICE', { issuedAt: Date.now() - 4000 }) });
    expect(response.status).toBe(200);
    const reply = await waitFor(() => h.fake.responses.at(-1), 'a reply on the response_url');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(String(reply.body.text)).toMatch(/expired_trigger_id.*Run the command again/);
    expect(h.fake.views.size).toBe(0);
  });

  it('creates one incident and one channel however often Slack retries the submission', async () => {
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
    expect(readDatabase(h.dbPath).incidents).toHaveLength(1);
    const channelId = readDatabase(h.dbPath).incidents[0]!.channel_id as string;
    expect(h.fake.messages(channelId)).toHaveLength(1);
    expect(h.fake.messages('CANNOUNCE')).toHaveLength(1);
  });
});

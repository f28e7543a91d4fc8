import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveIncident } from '../../src/domain/incident.js';
import { deliverDueSends } from '../../src/flows/outbox.js';
import { reopenIncident, resolveIncident } from '../../src/flows/resolve.js';
import { assignRole } from '../../src/flows/roles.js';
import { changeSeverity, postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { outboxDestinations } from '../../src/outlets/index.js';
import { configFile } from '../support/launcher.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver.js';

/**
 * The outbox delivering webhooks in this process: the real flows write the rows, the real pass
 * sends them to a receiver on 127.0.0.1 that checks signatures, and the clock is moved by hand
 * instead of waiting out the retries. (A crash with sends pending is in tests/e2e/webhooks.test.ts.)
 */
const SECRET = 'a-webhook-secret-of-some-length';

describe('the outbox delivering webhooks', () => {
  let bot: InProcessBot;
  let receiver: WebhookReceiver;
  afterEach(async () => {
    await bot?.close();
    await receiver?.stop();
  });

  const start = async (env: Record<string, string> = {}) => {
    receiver = await startWebhookReceiver(SECRET, { clockS: () => Math.floor(bot.clock.now().getTime() / 1000) });
    bot = await startInProcess({ env: { INCIDENT_WEBHOOK_URL: receiver.url, INCIDENT_WEBHOOK_SECRET: SECRET, ...env } });
  };
  /** One pass, as the running bot makes every tick. */
  const pass = () => deliverDueSends({ ...bot.deps, senders: outboxDestinations(bot.config, bot.clock.now).senders, outboxSettings: bot.config.outbox, owner: 'this-process' });
  const rowsOf = (incident: LiveIncident) => bot.deps.outbox.listFor(incident.id);
  const told = (incident: LiveIncident) => bot.fake.messages(incident.channelId).filter((message) => /webhook/.test(message.text));

  it('sends each change as a signed event, in order, with the documented body', async () => {
    await start();
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });
    bot.clock.advance(60_000);
    await changeSeverity(bot.deps, incident, 'UBOB', 'SEV1');
    await assignRole(bot.deps, incident, 'UBOB', 'comms', 'UCAROL');
    await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'identified', whatChanged: 'Bad deploy found', impact: 'Checkout fails for 20 %', nextSteps: 'Rolling back' });
    await resolveIncident(bot.deps, (await bot.deps.incidents.findLiveById(incident.id))!, 'UBOB', { summary: 'Rolled back', rootCause: 'A bad deploy' });
    await reopenIncident(bot.deps, (await bot.deps.incidents.findLiveById(incident.id))!, 'UBOB', 'Errors are back');
    // One per pass: each incident's sends to one endpoint go in order.
    for (let i = 0; i < 7; i += 1) expect(await pass()).toBe(1);
    expect(await pass()).toBe(0);

    expect(receiver.received.map((event) => event.body.event)).toEqual([
      'incident.declared',
      'incident.severity_changed',
      'incident.role_changed',
      'incident.status_updated',
      'incident.resolved',
      'incident.postmortem_ready',
      'incident.reopened',
    ]);
    expect(receiver.received.every((event) => event.signed && event.eventId === event.body.event_id)).toBe(true);
    expect(new Set(receiver.received.map((event) => event.eventId)).size).toBe(7);
    const [declared, severity, role, update, resolved, postmortem, reopened] = receiver.received.map((event) => event.body);
    expect(declared).toMatchObject({
      schema_version: 1,
      event: 'incident.declared',
      occurred_at: incident.declaredAt.toISOString(),
      actor: 'UALICE',
      incident: { id: incident.id, name: incident.channelName, title: 'Checkout errors', severity: 'SEV2', status: 'investigating', private: false, commander: 'UBOB', channel: { id: incident.channelId, name: incident.channelName } },
    });
    expect(declared!.incident.links.slack_channel).toBe(`https://slack.com/app_redirect?channel=${incident.channelId}`);
    expect(severity).toMatchObject({ incident: { severity: 'SEV1' }, data: { from: 'SEV2', to: 'SEV1', raised: true } });
    expect(role).toMatchObject({ incident: { comms_lead: 'UCAROL' }, data: { role: 'comms', user: 'UCAROL', previous_user: null } });
    expect(update).toMatchObject({ incident: { status: 'identified' }, data: { status: 'identified', previous_status: 'investigating', what_changed: 'Bad deploy found', source: 'person' } });
    expect(resolved).toMatchObject({ incident: { status: 'resolved' }, data: { summary: 'Rolled back', root_cause: 'A bad deploy', duration_seconds: 60 } });
    expect(postmortem).toMatchObject({ actor: null, data: { slack_file_id: expect.stringMatching(/^F/) } });
    expect(reopened).toMatchObject({ incident: { status: 'investigating' }, data: { reason: 'Errors are back' } });
    expect((await rowsOf(incident)).map((row) => row.state)).toEqual(Array(7).fill('sent'));
  });

  it('retries a 500 within 30 s, and not before its backoff', async () => {
    await start();
    receiver.answer({ status: 500 });
    const incident = await bot.declare();
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 500' });
    const retryAt = (await rowsOf(incident))[0]!.nextAttemptAt!;
    expect(retryAt.getTime() - bot.clock.now().getTime()).toBeLessThanOrEqual(30_000);
    bot.clock.set(new Date(retryAt.getTime() - 1));
    expect(await pass()).toBe(0);
    bot.clock.set(retryAt);
    expect(await pass()).toBe(1);
    expect(receiver.handled().map((event) => event.body.event)).toEqual(['incident.declared']);
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('gives up on an answer that takes longer than the timeout, and tries again', async () => {
    await start({ OUTBOX_SEND_TIMEOUT: '1s' });
    receiver.answer({ hangMs: 3000 });
    const incident = await bot.declare();
    const started = Date.now();
    await pass();
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', lastError: 'no answer within 1 s' });
    bot.clock.advance(30_000);
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('waits as long as a 429\'s Retry-After asks', async () => {
    await start();
    receiver.answer({ status: 429, retryAfter: '120' });
    const incident = await bot.declare();
    await pass();
    bot.clock.advance(119_000);
    expect(await pass()).toBe(0);
    bot.clock.advance(1000);
    expect(await pass()).toBe(1);
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('sends again with the same event id when the answer is lost, so the receiver handles it once', async () => {
    await start();
    receiver.answer({ cutAfterHandling: true });
    const incident = await bot.declare();
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', attempts: 1 });
    bot.clock.advance(30_000);
    await pass();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.eventId).toBe(receiver.received[1]!.eventId);
    expect(receiver.handled()).toHaveLength(1);
  });

  it('delivers once the receiver is back up', async () => {
    await start();
    await receiver.stop();
    const incident = await bot.declare();
    await pass();
    expect((await rowsOf(incident))[0]!.lastError).toMatch(/^could not connect \(ECONNREFUSED\)$/);
    await receiver.start();
    bot.clock.advance(30_000);
    await pass();
    expect(receiver.handled().map((event) => event.body.event)).toEqual(['incident.declared']);
  });

  it('tells the comms lead once when a send keeps failing, and again when it gets through', async () => {
    await start();
    receiver.answerAlways({ status: 503 });
    const incident = await bot.declare({ commanderId: 'UBOB' });
    await assignRole(bot.deps, incident, 'UBOB', 'comms', 'UCAROL');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await pass();
      bot.clock.advance(15 * 60_000);
    }
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', attempts: 5, reported: 'failing' });
    expect(told(incident).map((message) => message.text)).toEqual([
      '<@UCAROL> :warning: Sending incident.declared to the webhook default keeps failing (3 attempts; last: HTTP 503). The bot keeps trying and says here if it gives up.',
    ]);
    receiver.answerAlways({ status: 200 });
    await pass();
    await pass();
    expect(told(incident).map((message) => message.text)).toHaveLength(2);
    expect(told(incident)[1]!.text).toBe(':white_check_mark: incident.declared to the webhook default was delivered after all, at attempt 6.');
    expect((await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind.startsWith('send_')).map((entry) => entry.text)).toEqual([
      'Sending incident.declared to the webhook default keeps failing (3 attempts; last: HTTP 503)',
      'incident.declared to the webhook default delivered after all, at attempt 6',
    ]);
  });

  it('tells the commander when a send is refused for good (a redirect is not followed), and goes on with the next one', async () => {
    await start();
    receiver.answer({ status: 302 });
    const incident = await bot.declare({ commanderId: 'UBOB' });
    await changeSeverity(bot.deps, incident, 'UBOB', 'SEV1');
    await pass();
    await pass();
    expect((await rowsOf(incident)).map((row) => row.state)).toEqual(['failed', 'sent']);
    expect(told(incident).map((message) => message.text)).toEqual([
      '<@UBOB> :x: Gave up sending incident.declared to the webhook default after 1 attempt: HTTP 302. It will not be sent; tell whoever runs that system, or fix the setting and send it by hand.',
    ]);
    expect((await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'send_given_up').map((entry) => entry.text)).toEqual([
      'Gave up sending incident.declared to the webhook default after 1 attempt: HTTP 302',
    ]);
  });

  it('sends a private incident only to the endpoints that opt in, and only the events each asked for', async () => {
    const other = await startWebhookReceiver(SECRET);
    try {
      receiver = await startWebhookReceiver(SECRET, { clockS: () => Math.floor(bot.clock.now().getTime() / 1000) });
      const file = configFile(
        [
          'webhooks:',
          '  - name: security',
          `    url: ${receiver.url}`,
          '    secret_env: SECURITY_WEBHOOK_SECRET',
          '    private: true',
          '    events: [incident.declared]',
          '  - name: status-feed',
          `    url: ${other.url}`,
          '    secret_env: SECURITY_WEBHOOK_SECRET',
          '',
        ].join('\n'),
      );
      bot = await startInProcess({ env: { INCIDENT_CONFIG: file, SECURITY_WEBHOOK_SECRET: SECRET } });
      const secret = await bot.declare({ isPrivate: true, commanderId: 'UBOB' });
      await changeSeverity(bot.deps, secret, 'UBOB', 'SEV1');
      expect((await rowsOf(secret)).map((row) => `${row.destination}`)).toEqual(['webhook:security']);
      const open = await bot.declare({ commanderId: 'UBOB' });
      await changeSeverity(bot.deps, open, 'UBOB', 'SEV1');
      expect((await rowsOf(open)).map((row) => `${row.destination}`)).toEqual(['webhook:security', 'webhook:status-feed', 'webhook:status-feed']);
    } finally {
      await other.stop();
    }
  });

  it('has each send made by one of two processes delivering from one database at once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'outbox-replicas-'));
    const databasePath = join(folder, 'incidents.db');
    receiver = await startWebhookReceiver(SECRET, { clockS: () => Math.floor(bot.clock.now().getTime() / 1000) });
    const env = { INCIDENT_WEBHOOK_URL: receiver.url, INCIDENT_WEBHOOK_SECRET: SECRET };
    bot = await startInProcess({ env, databasePath });
    const other = await startInProcess({ env, databasePath });
    try {
      other.clock.set(bot.clock.now());
      for (let i = 0; i < 8; i += 1) await bot.declare({ title: `Incident ${i}` });
      // Slow answers, so the two passes overlap.
      receiver.answerAlways({ hangMs: 200 });
      const passOf = (process: InProcessBot, owner: string) =>
        deliverDueSends({ ...process.deps, senders: outboxDestinations(process.config, process.clock.now).senders, outboxSettings: process.config.outbox, owner });
      const [mine, theirs] = await Promise.all([passOf(bot, 'process-a'), passOf(other, 'process-b')]);
      expect(mine + theirs).toBe(8);
      expect(receiver.received).toHaveLength(8);
      expect(new Set(receiver.received.map((event) => event.eventId)).size).toBe(8);
    } finally {
      await other.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

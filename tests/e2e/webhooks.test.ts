import { afterEach, describe, expect, it } from 'vitest';
import { declareIncident, startHarness, waitFor, type Harness } from '../support/harness.js';
import { startApp } from '../support/launcher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver.js';

/**
 * Outgoing webhooks through the built bot (dist/main.js) and a receiver on 127.0.0.1 that checks
 * signatures: what needs a process, a real clock and a crash. Each case of retry and backoff, with
 * the clock moved by hand, is in tests/flows/outbox.test.ts.
 */
const SECRET = 'an-e2e-webhook-secret-0123456789';

describe('outgoing webhooks', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  afterEach(async () => {
    await h?.close();
    await receiver?.stop();
  });
  const start = async (env: Record<string, string> = {}) => {
    receiver = await startWebhookReceiver(SECRET);
    h = await startHarness({ env: { INCIDENT_WEBHOOK_URL: receiver.url, INCIDENT_WEBHOOK_SECRET: SECRET, OUTBOX_FIRST_RETRY: '1s', ...env } });
  };
  const gapS = (first: { at: number }, second: { at: number }) => (second.at - first.at) / 1000;

  it('delivers the declaration signed, and sends pending when the bot is killed go out after its restart', async () => {
    await start();
    await receiver.stop();
    const { channel } = await declareIncident(h, { title: 'Webhook outage', commander: 'UBOB' });
    await h.app.waitForLog((line) => line.msg === 'send failed; it is retried', 10_000);
    h.app.child.kill('SIGKILL');
    await new Promise((resolve) => h.app.child.once('exit', resolve));
    await receiver.start();

    h.app = await startApp(h.env, { cwd: h.dir });
    const [event] = await waitFor(() => receiver.handled().length > 0 && receiver.handled(), 'the declaration delivered after the restart', 15_000);
    expect(event).toMatchObject({ signed: true, body: { schema_version: 1, event: 'incident.declared', incident: { title: 'Webhook outage', channel: { id: channel.id } } } });
    expect(receiver.received.every((request) => request.signed)).toBe(true);
  });

  it('sends again with the same event id when the answer is lost; the receiver acts once', async () => {
    await start();
    receiver.answer({ cutAfterHandling: true });
    await declareIncident(h, { title: 'Lost answer', commander: 'UBOB' });
    await waitFor(() => receiver.received.length >= 2 && receiver.received, 'the send again after the lost answer', 15_000);
    expect(receiver.received[1]!.eventId).toBe(receiver.received[0]!.eventId);
    expect(receiver.handled()).toHaveLength(1);
  });

  it('tells the commander in the channel when a send keeps failing', async () => {
    await start();
    receiver.answerAlways({ status: 500 });
    const { channel } = await declareIncident(h, { title: 'Receiver broken', commander: 'UBOB' });
    const warning = await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.includes('keeps failing')), 'the warning in the channel', 20_000);
    expect(warning.text).toBe('<@UBOB> :warning: Sending incident.declared to the webhook default keeps failing (3 attempts; last: HTTP 500). The bot keeps trying and says here if it gives up.');
  });

  it('waits out a 429\'s Retry-After, and retries after a 500', async () => {
    await start();
    receiver.answer({ status: 429, retryAfter: '3' }, { status: 500 });
    await declareIncident(h, { title: 'Busy receiver', commander: 'UBOB' });
    const [busy, failed, handled] = await waitFor(() => receiver.received.length >= 3 && receiver.received, 'the send after a 429 and a 500', 20_000);
    expect(gapS(busy!, failed!)).toBeGreaterThanOrEqual(2.9);
    expect(receiver.handled()).toEqual([handled]);
    expect(handled!.eventId).toBe(busy!.eventId);
  });

  it('gives up on a receiver slower than OUTBOX_SEND_TIMEOUT and sends again', async () => {
    await start({ OUTBOX_SEND_TIMEOUT: '1s' });
    receiver.answer({ hangMs: 4000 });
    await declareIncident(h, { title: 'Slow receiver', commander: 'UBOB' });
    const failure = await h.app.waitForLog((line) => line.msg === 'send failed; it is retried', 10_000);
    expect(failure.error).toBe('no answer within 1 s');
    await waitFor(() => receiver.handled().length > 0, 'the send after the timeout', 15_000);
  });
});

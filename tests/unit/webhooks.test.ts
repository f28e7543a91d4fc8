import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Happened } from '../../src/domain/events.js';
import type { LiveIncident } from '../../src/domain/incident.js';
import type { WebhookEndpoint } from '../../src/domain/webhooks.js';
import { planSends } from '../../src/outlets/outbox.js';
import { webhookPlanner, webhookSignature } from '../../src/outlets/webhooks.js';
import { configProblems, minimalEnv, writeConfigFile } from '../support/configFiles.js';
import { sampleIncident } from '../support/sampleIncident.js';
import { verifySignature } from '../support/webhookReceiver.js';

const incident = sampleIncident({
  id: 7,
  title: 'Checkout errors',
  impact: 'Checkout fails',
  channelId: 'C0123',
  channelName: 'incident-2026-11-24-checkout-errors',
  kickoffTs: '1.0',
}) as LiveIncident;

const endpoint = (name: string, more: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({ name, url: `https://${name}.example.com/`, secret: 'x'.repeat(20), events: ['incident.declared', 'incident.resolved'], private: false, ...more });
const happened = (event: Happened['event'], changes: Partial<LiveIncident> = {}): Happened => ({ event, incident: { ...incident, ...changes }, actorId: 'UALICE', at: new Date('2026-11-24T02:00:00Z') });

describe('the webhook planner', () => {
  const plan = planSends([webhookPlanner([endpoint('feed'), endpoint('security', { private: true, events: ['incident.declared'] })])]);

  it('plans one row per endpoint that asked for the event, all with one event id and body', () => {
    const sends = plan(happened({ kind: 'declared' }));
    expect(sends.map((send) => send.destination)).toEqual(['webhook:feed', 'webhook:security']);
    expect(new Set(sends.map((send) => send.eventId)).size).toBe(1);
    expect(sends[0]!.eventId).toMatch(/^evt_[0-9a-f-]{36}$/);
    expect(JSON.parse(sends[0]!.payload)).toMatchObject({ schema_version: 1, event_id: sends[0]!.eventId, event: 'incident.declared', data: { impact: 'Checkout fails' } });
    expect(plan(happened({ kind: 'declared' }))[0]!.eventId).not.toBe(sends[0]!.eventId);
  });

  it('plans nothing for events nobody asked for, nor for changes that are not events', () => {
    expect(plan(happened({ kind: 'reopened', reason: 'back' }))).toEqual([]);
    expect(plan(happened({ kind: 'note_added', text: 'hi' }))).toEqual([]);
    expect(plan(happened({ kind: 'resolved', summary: 's', rootCause: 'r', durationMs: 90_500 })).map((send) => send.destination)).toEqual(['webhook:feed']);
  });

  it('sends a private incident only to endpoints that opt in, and a drill nowhere', () => {
    expect(plan(happened({ kind: 'declared' }, { isPrivate: true })).map((send) => send.destination)).toEqual(['webhook:security']);
    expect(plan(happened({ kind: 'declared' }, { drillScenario: 'database-outage' }))).toEqual([]);
  });
});

describe('the webhook signature', () => {
  const body = '{"event":"incident.declared"}';
  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>", which a receiver following docs/webhooks.md accepts', () => {
    const signature = webhookSignature('s3cret-s3cret-s3cret', 1_764_000_000, body);
    expect(signature).toBe(`v1=${createHmac('sha256', 's3cret-s3cret-s3cret').update(`1764000000.${body}`).digest('hex')}`);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret-s3cret-s3cret', { timestamp: '1764000000', signature, body }, 1_764_000_010)).toBe(true);
  });

  it('fails for another secret, another body, another timestamp or an old request', () => {
    const signature = webhookSignature('s3cret-s3cret-s3cret', 1_764_000_000, body);
    expect(verifySignature('another-secret-value', { timestamp: '1764000000', signature, body }, 1_764_000_000)).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', { timestamp: '1764000000', signature, body: body + ' ' }, 1_764_000_000)).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', { timestamp: '1764000001', signature, body }, 1_764_000_000)).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', { timestamp: '1764000000', signature, body }, 1_764_000_000 + 301)).toBe(false);
  });
});

describe('webhook settings', () => {
  const [minimal, problems, file] = [minimalEnv, configProblems, writeConfigFile];

  it('makes INCIDENT_WEBHOOK_URL the "default" endpoint of every event, and reads the file\'s with their secrets', () => {
    const config = loadConfig({
      ...minimal,
      INCIDENT_WEBHOOK_URL: 'https://ops.example.com/hooks',
      INCIDENT_WEBHOOK_SECRET: 'a-secret-of-20-chars',
      FEED_SECRET: 'another-secret-20-ch',
      INCIDENT_CONFIG: file('webhooks:\n  - name: feed\n    url: http://127.0.0.1:9/in\n    secret_env: FEED_SECRET\n    events: [incident.resolved]\n    private: true\n'),
    });
    expect(config.webhooks).toEqual([
      { name: 'default', url: 'https://ops.example.com/hooks', secret: 'a-secret-of-20-chars', events: expect.arrayContaining(['incident.declared', 'incident.postmortem_ready']), private: false },
      { name: 'feed', url: 'http://127.0.0.1:9/in', secret: 'another-secret-20-ch', events: ['incident.resolved'], private: true },
    ]);
    expect(config.webhooks[0]!.events).toHaveLength(7);
    expect(config.outbox).toEqual({ firstRetryMs: 15_000, maxRetryMs: 900_000, giveUpAfterMs: 86_400_000, reportAtAttempt: 3, sendTimeoutMs: 10_000 });
  });

  it('names each mistake: a URL without a secret, a secret variable not set, a name used twice, an unknown event', () => {
    expect(problems({ ...minimal, INCIDENT_WEBHOOK_URL: 'https://ops.example.com/hooks' })).toEqual([expect.stringMatching(/^INCIDENT_WEBHOOK_SECRET is missing/)]);
    expect(problems({ ...minimal, INCIDENT_WEBHOOK_URL: 'ftp://x', INCIDENT_WEBHOOK_SECRET: 'short' })).toEqual([
      'INCIDENT_WEBHOOK_URL must be an http:// or https:// URL that receives the incident events (see .env.example)',
      'INCIDENT_WEBHOOK_SECRET must be at least 16 characters: the receiver checks signatures with it (see .env.example)',
    ]);
    const twice = file('webhooks:\n  - name: feed\n    url: https://a.example.com\n    secret_env: FEED_SECRET\n  - name: feed\n    url: https://b.example.com\n    secret_env: FEED_SECRET\n');
    expect(problems({ ...minimal, INCIDENT_CONFIG: twice })).toEqual([`${twice}: webhooks.1.name "feed" appears twice; each webhook needs its own name (see incident.config.example.yml)`]);
    const unknown = file('webhooks:\n  - name: feed\n    url: https://a.example.com\n    secret_env: FEED_SECRET\n    events: [incident.exploded]\n');
    expect(problems({ ...minimal, INCIDENT_CONFIG: unknown })).toEqual([expect.stringMatching(/webhooks\.0\.events\.0 must be among incident\.declared, .* incident\.postmortem_ready \(see incident\.config\.example\.yml\)$/)]);
    const unset = file('webhooks:\n  - name: feed\n    url: https://a.example.com\n    secret_env: FEED_SECRET\n');
    expect(problems({ ...minimal, INCIDENT_CONFIG: unset })).toEqual([`${unset}: webhooks.0.secret_env names FEED_SECRET, which is not set in the environment (see incident.config.example.yml)`]);
  });
});

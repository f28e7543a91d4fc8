import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, startHarness, type Harness } from '../support/harness.js';
import { postSigned, sendSlashCommand, slackSignature, SIGNING_SECRET } from '../../src/sandbox/slackRequests.js';

describe('the HTTP surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const command = () => ({ text: 'declare Forged', userId: 'UALICE', channelId: 'CGENERAL', triggerId: h.fake.issueTriggerId('UALICE'), responseUrl: h.fake.responseUrl() });

  it.each([
    ['a forged signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['the wrong signing secret', { secret: 'not-the-signing-secret' }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('rejects %s with 401 and does nothing', async (_case, options) => {
    const callsBefore = h.fake.calls.length;
    const response = await sendSlashCommand(h.app.url, command(), options);
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.calls.length).toBe(callsBefore);
    expect(h.fake.views.size).toBe(0);
  });

  it('rejects a request whose body was changed after signing', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = slackSignature(SIGNING_SECRET, timestamp, 'text=help');
    const response = await postSigned(h.app.url, 'text=declare%20tampered', 'application/x-www-form-urlencoded', { timestamp, signature });
    expect(response.status).toBe(401);
  });

  it('answers GET /health with 200 and a small JSON body', async () => {
    const response = await fetch(`${h.app.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it.each([[''], ['help'], ['HELP']])('answers /incident %j with the help, only to the user', async (text) => {
    const response = await runCommand(h, text);
    expect(response.status).toBe(200);
    const body = response.json as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/\/incident declare \[title\]/);
  });

  it('answers an unknown subcommand with what it can do instead of silence', async () => {
    const body = (await runCommand(h, 'frobnicate now')).json as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/I don't know `\/incident frobnicate`/);
    expect(body.text).toMatch(/\/incident declare/);
  });

  it('opens one form when Slack retries the slash command', async () => {
    const triggerId = h.fake.issueTriggerId('UBOB');
    const opened = h.fake.callsTo('views.open').length;
    await runCommand(h, 'declare Retried command', { userId: 'UBOB', triggerId });
    await runCommand(h, 'declare Retried command', { userId: 'UBOB', triggerId, retryNum: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.fake.callsTo('views.open').length - opened).toBe(1);
    expect(h.fake.responses.filter((reply) => String(reply.body.text).includes('exchanged'))).toHaveLength(0);
  });
});

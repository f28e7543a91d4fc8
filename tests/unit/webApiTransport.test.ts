import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectSlack } from '../../src/slack/gateway.js';
import { SlackCallError } from '../../src/slack/slackErrors.js';

/**
 * How the gateway reaches Slack: the Web API client over node's http (kept alive), and the chat.*
 * calls made directly as JSON over the same connections. What Slack answers reaches the bot the
 * same way by either.
 */
describe('the Web API transport', () => {
  let server: Server;
  let answer: (request: IncomingMessage, body: string, response: ServerResponse) => void;
  let connections: number;
  let bodies: string[];
  let requests: IncomingMessage[];
  let url: string;
  beforeEach(async () => {
    connections = 0;
    bodies = [];
    requests = [];
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        bodies.push(body);
        requests.push(request);
        answer(request, body, response);
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const gateway = (options: { retries?: number; timeout?: number } = {}) =>
    connectSlack({ apiUrl: url, token: 'xoxb-test', retry: { retries: options.retries ?? 0, minTimeout: 10, maxTimeout: 10 }, timeoutMs: options.timeout ?? 5_000 });
  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const failureOf = async (call: Promise<unknown>) => {
    const error = await call.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackCallError);
    return (error as SlackCallError).code;
  };

  it('posts a message as JSON with the token, the client’s calls form-encoded, and keeps one connection for calls one after another', async () => {
    answer = (request, _body, response) => json(response, 200, { ok: true, ts: `${request.url}` });
    const slack = gateway();
    for (let call = 0; call < 5; call++) expect(await slack.postMessage('C1', { text: `note ${call} & more`, metadata: { event_type: 'reminder', event_payload: { key: 'k' } } })).toBe('/api/chat.postMessage');
    expect(JSON.parse(bodies[0]!)).toEqual({ channel: 'C1', text: 'note 0 & more', unfurl_links: false, metadata: { event_type: 'reminder', event_payload: { key: 'k' } } });
    expect(requests[0]!.headers).toMatchObject({ authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' });
    await slack.setTopic('C1', 'SEV2 & rising');
    expect(requests.at(-1)!.url).toBe('/api/conversations.setTopic');
    expect(new URLSearchParams(bodies.at(-1)).get('topic')).toBe('SEV2 & rising');
    expect(connections).toBe(1);
  });

  it('tries a failed message again as the client would, but not one Slack refused', async () => {
    let calls = 0;
    answer = (_request, _body, response) => (++calls < 3 ? json(response, 503, { ok: false }) : json(response, 200, { ok: true, ts: '1.000300' }));
    expect(await gateway({ retries: 2 }).postMessage('C1', { text: 'a note' })).toBe('1.000300');
    expect(calls).toBe(3);
    calls = 0;
    answer = (_request, _body, response) => void (calls++, json(response, 200, { ok: false, error: 'not_in_channel' }));
    expect(await failureOf(gateway({ retries: 2 }).postMessage('C1', { text: 'a note' }))).toBe('not_in_channel');
    expect(calls).toBe(1);
  });

  it("gives Slack's error code when Slack refuses, the HTTP status when Slack fails", async () => {
    answer = (_request, _body, response) => json(response, 200, { ok: false, error: 'channel_not_found' });
    expect(await failureOf(gateway().postMessage('C1', { text: 'a note' }))).toBe('channel_not_found');
    answer = (_request, _body, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('upstream broke');
    };
    expect(await failureOf(gateway().postMessage('C1', { text: 'a note' }))).toBe('http_500');
  });

  it('waits out a 429 as long as its Retry-After says, then gets the answer', async () => {
    let calls = 0;
    answer = (_request, _body, response) => (++calls === 1 ? json(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' }) : json(response, 200, { ok: true, ts: '1.000200' }));
    const started = Date.now();
    expect(await gateway({ retries: 1 }).postMessage('C1', { text: 'a note' })).toBe('1.000200');
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('says Slack is unreachable when it does not answer within the timeout, or is not there at all', async () => {
    answer = () => undefined; // never answers
    expect(await failureOf(gateway({ timeout: 200 }).postMessage('C1', { text: 'a note' }))).toBe('unreachable');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expect(await failureOf(gateway().postMessage('C1', { text: 'a note' }))).toBe('unreachable');
    // afterEach closes it again: listen on the same port so that it can.
    await new Promise<void>((resolve) => server.listen(Number(new URL(url).port), '127.0.0.1', resolve));
  });

  it('refuses a redirect, as the client asks', async () => {
    answer = (_request, _body, response) => {
      response.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' });
      response.end();
    };
    expect(await failureOf(gateway().postMessage('C1', { text: 'a note' }))).toBe('unreachable');
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackGateway } from '../../src/slack/gateway.js';
import { SlackCallError } from '../../src/slack/slackErrors.js';
import { webApiTransport } from '../../src/slack/webApiTransport.js';

/** The Web API client's transport (node's http, kept-alive) seen through the gateway: what Slack answers reaches the bot as it did by fetch. */
describe('the Web API transport', () => {
  let server: Server;
  let answer: (request: IncomingMessage, body: string, response: ServerResponse) => void;
  let connections: number;
  let bodies: string[];
  let url: string;
  beforeEach(async () => {
    connections = 0;
    bodies = [];
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        bodies.push(body);
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
    new SlackGateway(new WebClient('xoxb-test', { slackApiUrl: url, retryConfig: { retries: options.retries ?? 0, minTimeout: 10, maxTimeout: 10 }, timeout: options.timeout ?? 5_000, fetch: webApiTransport() }));
  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const failureOf = async (call: Promise<unknown>) => {
    const error = await call.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlackCallError);
    return (error as SlackCallError).code;
  };

  it('posts the call form-encoded, reads the answer, and keeps one connection for calls one after another', async () => {
    answer = (request, _body, response) => json(response, 200, { ok: true, ts: `${request.url}` });
    const slack = gateway();
    for (let call = 0; call < 5; call++) expect(await slack.postMessage('C1', { text: `note ${call} & more` })).toBe('/api/chat.postMessage');
    expect(new URLSearchParams(bodies[0]).get('text')).toBe('note 0 & more');
    expect(new URLSearchParams(bodies[0]).get('channel')).toBe('C1');
    expect(connections).toBe(1);
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

/**
 * How the Web API client reaches Slack: node's http and https with kept-alive connections, instead
 * of the global fetch. Every note is one chat.postMessage, and the global fetch (WHATWG streams,
 * Request, Response and Headers objects for each call) cost the client about twice what this does
 * (bench/ingest.ts). The client only reads a response's status, headers and text (`FetchResponse`);
 * a body that is not text (a file sent as a form) goes by the global fetch as before.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

/** What the client reads of a response (the package names the type but does not export it). */
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

export function webApiTransport(send: HttpSend = keptAliveHttp()): FetchFunction {
  return async (input, init = {}) => {
    const body = init.body;
    if (body !== undefined && typeof body !== 'string') return globalThis.fetch(input, init as RequestInit);
    const url = typeof input === 'string' ? new URL(input) : input;
    const { incoming, body: answer } = await send(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string> | undefined, body, signal: init.signal ?? undefined });
    const status = incoming.statusCode ?? 0;
    // As fetch with `redirect: 'error'`, which is how the client asks: Slack's Web API does not redirect.
    if (status >= 300 && status < 400 && init.redirect === 'error') throw new TypeError(`${url.href} redirected (HTTP ${status})`);
    return bufferedResponse(url.href, incoming, answer);
  };
}

/** One HTTP request and its whole answer. Rejects on a refused connection, a reset or the signal (a timeout). */
export type HttpSend = (url: URL, init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{ incoming: IncomingMessage; body: Buffer }>;

/** `HttpSend` over node's http and https, with connections kept alive (shared by the Web API client and the direct calls). */
export function keptAliveHttp(): HttpSend {
  // No cap on connections, as with fetch: the client's own queue bounds the calls in flight (100).
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (url, init) => {
    const secure = url.protocol === 'https:';
    const request = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { method: init.method, headers: init.headers, agent: secure ? agents.https : agents.http, ...(init.signal ? { signal: init.signal } : {}) }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => resolve({ incoming, body: Buffer.concat(chunks) }));
      });
      // A timeout (the client's AbortSignal), a refused connection or a reset: the client retries, then throws WebAPIRequestError.
      outgoing.on('error', reject);
      outgoing.end(init.body);
    });
  };
}

function bufferedResponse(url: string, incoming: IncomingMessage, body: Buffer): FetchResponse {
  const status = incoming.statusCode ?? 0;
  const text = () => body.toString('utf8');
  const headers = incoming.headers;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: incoming.statusMessage ?? '',
    url,
    headers: {
      get(name: string) {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
      entries: () => Object.entries(headers).flatMap(([name, value]): [string, string][] => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]])),
    },
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    json: async () => JSON.parse(text()) as unknown,
    text: async () => text(),
  };
}

/**
 * A webhook receiver on 127.0.0.1, as a team would write one from docs/webhooks.md: it checks each
 * request's signature and timestamp, and keeps the event ids it has handled so a repeat is dropped.
 * Tests set how it answers next (`answer`), stop it (the receiver down) and start it again on the
 * same port.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers: a status (with a Retry-After), no answer for a while, or the event handled and the connection cut before any answer. */
export type ReceiverAnswer = { status: number; retryAfter?: string } | { hangMs: number } | { cutAfterHandling: true };

export interface ReceivedEvent {
  eventId: string;
  body: Record<string, any>;
  /** Whether the signature and timestamp checked out. */
  signed: boolean;
  /** False for a repeat of an event already handled. */
  firstTime: boolean;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in order of arrival. */
  received: ReceivedEvent[];
  /** The events handled once each: what a receiver that deduplicates acted on. */
  handled(): ReceivedEvent[];
  /** How the next requests are answered, one each; after them, as `answerAlways` says (200 until told otherwise). */
  answer(...answers: ReceiverAnswer[]): void;
  answerAlways(answer: ReceiverAnswer): void;
  stop(): Promise<void>;
  /** Listens again on the same port, with what it received so far. */
  start(): Promise<void>;
}

/** Five minutes either way, as Slack allows for its own requests. */
const TOLERANCE_S = 300;

export function verifySignature(secret: string, request: { timestamp: string | undefined; signature: string | undefined; body: string }, nowS: number): boolean {
  if (!request.timestamp || !request.signature || !/^\d+$/.test(request.timestamp)) return false;
  if (Math.abs(nowS - Number(request.timestamp)) > TOLERANCE_S) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${request.timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(request.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function startWebhookReceiver(secret: string, options: { clockS?: () => number } = {}): Promise<WebhookReceiver> {
  const received: ReceivedEvent[] = [];
  const seen = new Set<string>();
  let answers: ReceiverAnswer[] = [];
  let always: ReceiverAnswer = { status: 200 };
  let port = 0;
  let server: Server | undefined;
  const nowS = options.clockS ?? (() => Math.floor(Date.now() / 1000));
  const sockets = new Set<import('node:net').Socket>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const eventId = String(request.headers['x-incident-event-id'] ?? '');
    const signed = verifySignature(secret, { timestamp: request.headers['x-incident-timestamp'] as string | undefined, signature: request.headers['x-incident-signature'] as string | undefined, body: raw }, nowS());
    const answer = answers.shift() ?? always;
    if ('hangMs' in answer) {
      await new Promise((resolve) => setTimeout(resolve, answer.hangMs));
      if (response.destroyed) return;
    }
    const failing = 'status' in answer && answer.status >= 300;
    const handledNow = signed && !failing && !seen.has(eventId);
    if (signed && !failing) seen.add(eventId);
    received.push({ eventId, body: JSON.parse(raw) as Record<string, any>, signed, firstTime: handledNow, at: Date.now() });
    if ('cutAfterHandling' in answer) {
      request.socket.destroy();
      return;
    }
    if (!signed) {
      response.writeHead(401).end('bad signature');
      return;
    }
    const status = 'status' in answer ? answer.status : 200;
    response.writeHead(status, 'retryAfter' in answer && answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}).end();
  };

  const receiver: WebhookReceiver = {
    url: '',
    received,
    handled: () => received.filter((event) => event.firstTime),
    answer(...next) {
      answers = next;
    },
    answerAlways(answer) {
      always = answer;
    },
    async stop() {
      if (!server) return;
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async start() {
      server = createServer((request, response) => void handle(request, response));
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/hooks/incidents`;
    },
  };
  await receiver.start();
  return receiver;
}

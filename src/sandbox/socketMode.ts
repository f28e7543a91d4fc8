/**
 * Socket Mode as Slack serves it, for the Slack emulator: `apps.connections.open` (with the
 * app-level token) hands out a single-use WebSocket URL; the socket greets the app with `hello`,
 * carries envelopes (slash commands, interactions, Events API callbacks) to it, and waits for each
 * envelope's acknowledgement, whose payload is the app's answer (a command's ephemeral reply, a
 * form's `response_action`). What Slack would not accept from an app (an ack that is not JSON,
 * names no envelope or one not awaiting it, or carries a payload the envelope takes none of) is
 * recorded in `problems`, so a test can insist there are none.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { eventCallback, slashCommandFields, type SlackResponse, type SlackSender } from './slackRequests.js';

type Json = Record<string, any>;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** An envelope as the app receives it. */
export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Json;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** What became of a delivered envelope. */
export type DeliveryOutcome =
  | { outcome: 'acked'; envelopeId: string; /** The ack's payload; undefined when it had none or an empty one. */ payload: Json | undefined; elapsedMs: number }
  | { outcome: 'timed_out'; envelopeId: string; elapsedMs: number }
  | { outcome: 'not_connected' };

export interface DeliverOptions {
  /** Slack redelivers an Events API envelope it saw no ack for, counting attempts from 1. */
  retryAttempt?: number;
  retryReason?: string;
  /** Reuse an envelope id (Slack gives a retry a new one; a test may want the same). */
  envelopeId?: string;
}

export interface SocketModeServer {
  /** The app-level token (`xapp-…`) the emulator accepts for apps.connections.open. */
  appToken: string;
  /** Sockets open now that were greeted with hello. */
  connectionCount(): number;
  /** Every envelope delivered, in order, with what became of it. */
  envelopes: { envelope: SocketEnvelope; outcome: DeliveryOutcome['outcome'] | 'pending' }[];
  /** What the app sent that Slack would not accept; empty for a well-behaved app. */
  problems: string[];
  /** Sends an envelope to the newest connection and waits for its ack (Slack's 3 seconds unless told otherwise). */
  deliver(type: EnvelopeType, payload: Json, options?: DeliverOptions): Promise<DeliveryOutcome>;
  /** Slack asks every connection to reconnect (`refresh_requested`, `warning`, `link_disabled`). */
  disconnectAll(reason?: string): void;
}

/** The parts the emulator wires into its HTTP server. */
export interface SocketModeEndpoint extends SocketModeServer {
  /** apps.connections.open's answer for a token: a URL, or Slack's error code. */
  openConnection(token: string, httpBase: string): { ok: true; url: string } | { ok: false; error: string };
  /** The HTTP server's 'upgrade' listener: accepts only a ticket issued by openConnection, once. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export interface SocketModeOptions {
  appId: string;
  /** The bot token: refused here with not_allowed_token_type, as Slack refuses it. */
  botToken: string;
  /** How long Slack waits for an ack; its own is 3 seconds. */
  ackTimeoutMs?: number;
}

/** The path of the WebSocket URL, as Slack's `wss://wss-primary.slack.com/link/?ticket=…`. */
const LINK_PATH = '/link/';

export function createSocketMode({ appId, botToken, ackTimeoutMs = 3000 }: SocketModeOptions): SocketModeEndpoint {
  const appToken = `xapp-1-${appId}-${Date.now()}-${randomBytes(16).toString('hex')}`;
  const webSocketServer = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const connections: WebSocket[] = [];
  const envelopes: SocketModeServer['envelopes'] = [];
  const problems: string[] = [];
  const awaiting = new Map<string, { acceptsPayload: boolean; resolve: (outcome: DeliveryOutcome) => void; sentAt: number; timer: NodeJS.Timeout }>();

  const recordOutcome = (envelopeId: string, outcome: DeliveryOutcome['outcome']) => {
    const entry = [...envelopes].reverse().find((candidate) => candidate.envelope.envelope_id === envelopeId);
    if (entry) entry.outcome = outcome;
  };

  const onMessage = (data: RawData, isBinary: boolean) => {
    if (isBinary) return void problems.push('a binary frame: Slack takes acknowledgements as JSON text');
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return void problems.push(`an acknowledgement that is not JSON: ${data.toString().slice(0, 200)}`);
    }
    const ack = message as Json;
    if (typeof ack !== 'object' || ack === null || typeof ack.envelope_id !== 'string') return void problems.push(`an acknowledgement without an envelope_id: ${JSON.stringify(message).slice(0, 200)}`);
    const pending = awaiting.get(ack.envelope_id);
    if (!pending) return void problems.push(`an acknowledgement for envelope ${ack.envelope_id}, which is not awaiting one (unknown, already acknowledged, or past its deadline)`);
    if (ack.payload !== undefined && (typeof ack.payload !== 'object' || ack.payload === null || Array.isArray(ack.payload))) {
      return void problems.push(`an acknowledgement of ${ack.envelope_id} whose payload is not an object`);
    }
    const payload = ack.payload && Object.keys(ack.payload as Json).length > 0 ? (ack.payload as Json) : undefined;
    if (payload && !pending.acceptsPayload) problems.push(`an acknowledgement of ${ack.envelope_id} with a payload, which its envelope does not accept (accepts_response_payload: false)`);
    clearTimeout(pending.timer);
    awaiting.delete(ack.envelope_id);
    recordOutcome(ack.envelope_id, 'acked');
    pending.resolve({ outcome: 'acked', envelopeId: ack.envelope_id, payload, elapsedMs: performance.now() - pending.sentAt });
  };

  webSocketServer.on('connection', (socket) => {
    connections.push(socket);
    socket.on('message', onMessage);
    socket.on('close', () => {
      const index = connections.indexOf(socket);
      if (index >= 0) connections.splice(index, 1);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: connections.length, debug_info: { host: 'slack-emulator', approximate_connection_time: 18_060 }, connection_info: { app_id: appId } }));
  });

  const refuseUpgrade = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  };

  return {
    appToken,
    envelopes,
    problems,
    connectionCount: () => connections.filter((socket) => socket.readyState === socket.OPEN).length,

    openConnection(token, httpBase) {
      if (token === botToken) return { ok: false, error: 'not_allowed_token_type' };
      if (token !== appToken) return { ok: false, error: 'invalid_auth' };
      const ticket = randomUUID();
      tickets.add(ticket);
      return { ok: true, url: `${httpBase.replace(/^http/, 'ws')}${LINK_PATH}?ticket=${ticket}&app_id=${appId}` };
    },

    handleUpgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://slack-emulator');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== LINK_PATH) return refuseUpgrade(socket, '404 Not Found');
      // A URL from apps.connections.open opens one connection; the app asks again to reconnect.
      if (!tickets.delete(ticket)) return refuseUpgrade(socket, '401 Unauthorized');
      webSocketServer.handleUpgrade(request, socket, head, (webSocket) => webSocketServer.emit('connection', webSocket, request));
    },

    deliver(type, payload, options = {}) {
      const socket = [...connections].reverse().find((candidate) => candidate.readyState === candidate.OPEN);
      if (!socket) return Promise.resolve({ outcome: 'not_connected' });
      // Only a slash command's and an interaction's ack can carry an answer; only events are retried.
      const envelope: SocketEnvelope = {
        envelope_id: options.envelopeId ?? randomUUID(),
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? (options.retryAttempt ? 'timeout' : '') } : {}),
      };
      envelopes.push({ envelope, outcome: 'pending' });
      return new Promise<DeliveryOutcome>((resolve) => {
        const sentAt = performance.now();
        const timer = setTimeout(() => {
          awaiting.delete(envelope.envelope_id);
          recordOutcome(envelope.envelope_id, 'timed_out');
          resolve({ outcome: 'timed_out', envelopeId: envelope.envelope_id, elapsedMs: performance.now() - sentAt });
        }, ackTimeoutMs);
        awaiting.set(envelope.envelope_id, { acceptsPayload: envelope.accepts_response_payload, resolve, sentAt, timer });
        socket.send(JSON.stringify(envelope));
      });
    },

    disconnectAll(reason = 'refresh_requested') {
      for (const socket of connections) socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'slack-emulator' } }));
    },

    close: () =>
      new Promise<void>((resolve) => {
        // Nothing will acknowledge an envelope any more: whoever waits for one hears so now.
        for (const [envelopeId, pending] of awaiting) {
          clearTimeout(pending.timer);
          recordOutcome(envelopeId, 'timed_out');
          pending.resolve({ outcome: 'timed_out', envelopeId, elapsedMs: performance.now() - pending.sentAt });
        }
        awaiting.clear();
        for (const socket of connections) socket.terminate();
        webSocketServer.close(() => resolve());
      }),
  };
}

/** A delivery that got no acknowledgement: Slack would show the person an error, or retry an event. */
export class SocketDeliveryError extends Error {
  constructor(readonly outcome: 'timed_out' | 'not_connected', type: EnvelopeType) {
    super(outcome === 'not_connected' ? `no Socket Mode connection is open to deliver ${type}: is the app running with SLACK_APP_TOKEN?` : `the app did not acknowledge a ${type} envelope in time`);
  }
}

/**
 * The SlackSender over Socket Mode: each request goes out as an envelope and resolves once the
 * app acknowledges it, with the ack's payload where an HTTP response would have its body.
 */
export function socketModeSender(server: SocketModeServer): SlackSender {
  const send = async (type: EnvelopeType, payload: Json, retryNum: number | undefined): Promise<SlackResponse> => {
    const delivered = await server.deliver(type, payload, retryNum ? { retryAttempt: retryNum } : {});
    if (delivered.outcome !== 'acked') throw new SocketDeliveryError(delivered.outcome, type);
    return { status: 200, text: delivered.payload ? JSON.stringify(delivered.payload) : '', json: delivered.payload, elapsedMs: delivered.elapsedMs };
  };
  return {
    slashCommand: (command, options = {}) => send('slash_commands', slashCommandFields(command), options.retryNum),
    interaction: (payload, options = {}) => send('interactive', payload as Json, options.retryNum),
    event: (event, options = {}) => send('events_api', eventCallback(event, options.eventId), options.retryNum),
  };
}

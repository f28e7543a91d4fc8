import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { socketModeSender, SocketDeliveryError } from '../../src/sandbox/socketMode.js';

/** The emulator's Socket Mode refuses and expects what Slack's does: these pin that down. */
describe("the Slack emulator's Socket Mode", () => {
  let fake: SlackEmulator;
  const sockets: WebSocket[] = [];
  beforeEach(async () => {
    fake = await startSlackEmulator({ socketAckTimeoutMs: 300 });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    await fake.close();
  });

  async function openConnection(token: string | undefined) {
    const response = await fetch(`${fake.url}apps.connections.open`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    return (await response.json()) as { ok: boolean; url?: string; error?: string };
  }

  /** A bare Socket Mode client: the messages Slack sent it, in order, and a way to wait for the next. */
  async function connect(url: string) {
    const socket = new WebSocket(url);
    sockets.push(socket);
    const received: Record<string, any>[] = [];
    const waiting: (() => void)[] = [];
    socket.on('message', (data) => {
      received.push(JSON.parse(data.toString()) as Record<string, any>);
      waiting.splice(0).forEach((wake) => wake());
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    let read = 0;
    const next = async () => {
      while (received.length <= read) await new Promise<void>((resolve) => waiting.push(resolve));
      return received[read++]!;
    };
    return { socket, next, send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)) };
  }

  async function connected() {
    const opened = await openConnection(fake.socketMode.appToken);
    const client = await connect(opened.url!);
    expect((await client.next()).type).toBe('hello');
    return client;
  }

  async function until(check: () => boolean) {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('opens a connection only with its app-level token, answering as Slack does otherwise', async () => {
    expect(await openConnection(fake.socketMode.appToken)).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A0001$/) });
    expect(await openConnection(fake.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await openConnection('xapp-1-A0001-1-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await openConnection(undefined)).toEqual({ ok: false, error: 'not_authed' });
    expect(fake.callsTo('apps.connections.open').map((call) => call.outcome)).toEqual(['ok', 'not_allowed_token_type', 'invalid_auth', 'not_authed']);
  });

  it('refuses the app-level token for the Web API methods a bot token is for', async () => {
    const response = await fetch(`${fake.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${fake.socketMode.appToken}` } });
    expect(await response.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });

  it('greets a connection with hello, and lets each URL connect once', async () => {
    const { url } = await openConnection(fake.socketMode.appToken);
    const client = await connect(url!);
    expect(await client.next()).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } });
    expect(fake.socketMode.connectionCount()).toBe(1);
    await expect(connect(url!)).rejects.toThrow(/401/);
    await expect(connect(url!.replace('/link/', '/elsewhere/'))).rejects.toThrow(/404/);
  });

  it('delivers an envelope and hands back the payload of its acknowledgement', async () => {
    const client = await connected();
    const delivery = fake.socketMode.deliver('slash_commands', { command: '/incident', text: 'help' });
    const envelope = await client.next();
    expect(envelope).toEqual({ envelope_id: expect.any(String), type: 'slash_commands', payload: { command: '/incident', text: 'help' }, accepts_response_payload: true });
    client.send({ envelope_id: envelope.envelope_id, payload: { text: 'Here is how' } });
    expect(await delivery).toMatchObject({ outcome: 'acked', envelopeId: envelope.envelope_id, payload: { text: 'Here is how' } });
    expect(fake.socketMode.envelopes.map((entry) => entry.outcome)).toEqual(['acked']);
    expect(fake.socketMode.problems).toEqual([]);
  });

  it('marks an Events API envelope with its retry attempt, and takes no answer in its ack', async () => {
    const client = await connected();
    const first = fake.socketMode.deliver('events_api', { type: 'event_callback', event_id: 'Ev1' });
    expect(await client.next()).toMatchObject({ type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    const retried = fake.socketMode.deliver('events_api', { type: 'event_callback', event_id: 'Ev1' }, { retryAttempt: 1 });
    const envelope = await client.next();
    expect(envelope).toMatchObject({ retry_attempt: 1, retry_reason: 'timeout' });
    client.send({ envelope_id: envelope.envelope_id, payload: { text: 'not wanted' } });
    expect((await retried).outcome).toBe('acked');
    expect(fake.socketMode.problems).toEqual([expect.stringContaining('accepts_response_payload: false')]);
    expect((await first).outcome).toBe('timed_out');
  });

  it('gives up on an envelope not acknowledged in time, and counts a late ack as a mistake', async () => {
    const client = await connected();
    const delivery = fake.socketMode.deliver('interactive', { type: 'block_actions' });
    const envelope = await client.next();
    const outcome = await delivery;
    expect(outcome.outcome).toBe('timed_out');
    expect(outcome.outcome === 'timed_out' && outcome.elapsedMs).toBeGreaterThanOrEqual(290);
    client.send({ envelope_id: envelope.envelope_id, payload: {} });
    await until(() => fake.socketMode.problems.length > 0);
    expect(fake.socketMode.problems).toEqual([expect.stringContaining(`envelope ${envelope.envelope_id}, which is not awaiting one`)]);
  });

  it('records an ack for an unknown envelope, one without an id, and one that is not JSON', async () => {
    const client = await connected();
    client.send({ envelope_id: 'never-sent', payload: {} });
    client.send({ payload: {} });
    client.send('ok thanks');
    await until(() => fake.socketMode.problems.length === 3);
    expect(fake.socketMode.problems).toEqual([
      expect.stringContaining('envelope never-sent, which is not awaiting one'),
      expect.stringContaining('without an envelope_id'),
      expect.stringContaining('not JSON'),
    ]);
  });

  it('says when nothing is connected to deliver to, and the sender throws then', async () => {
    expect(await fake.socketMode.deliver('events_api', {})).toEqual({ outcome: 'not_connected' });
    await expect(socketModeSender(fake.socketMode).event({ type: 'reaction_added' })).rejects.toThrow(SocketDeliveryError);
  });

  it('asks its connections to reconnect with a disconnect message', async () => {
    const client = await connected();
    fake.socketMode.disconnectAll('refresh_requested');
    expect(await client.next()).toMatchObject({ type: 'disconnect', reason: 'refresh_requested' });
  });
});

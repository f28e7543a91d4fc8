import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { socketModeSender } from '../../src/sandbox/socketMode.js';
import { appEnvironment, ask, clickButton, declareIncident, openDeclareForm, readDatabase, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import { scratchDir, startApp } from '../support/launcher.js';

/**
 * The bot in Socket Mode (SLACK_APP_TOKEN set, no signing secret), as README recommends: it opens
 * its connection with the app-level token, and every request reaches it as an envelope over the
 * emulator's WebSocket, answered by the envelope's acknowledgement.
 */
describe('Socket Mode, end to end', () => {
  let h: Harness & { sender: ReturnType<typeof socketModeSender> };

  beforeAll(async () => {
    const fake = await startSlackEmulator();
    const dir = scratchDir();
    // A port of its own rather than PORT=0: in Socket Mode Bolt keeps its HTTP server (the health
    // check's) to itself, so the bot can only log the port it was given.
    const env = appEnvironment(fake, dir, { SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: fake.socketMode.appToken, PORT: String(await freePort()) });
    const app = await startApp(env, { cwd: dir });
    h = {
      fake,
      app,
      dir,
      dbPath: env.DATABASE_PATH!,
      env,
      sender: socketModeSender(fake.socketMode),
      async close() {
        await app.stop();
        await fake.close();
      },
    };
  });
  afterAll(() => h.close());

  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  const timelineOf = (channelId: string) => {
    const db = readDatabase(h.dbPath);
    const incident = db.incidents.find((row) => row.channel_id === channelId)!;
    return db.timeline.filter((row) => row.incident_id === incident.id);
  };

  it('connects with the app-level token and is greeted before it says it is listening', async () => {
    expect(h.fake.callsTo('apps.connections.open').map((call) => call.outcome)).toEqual(['ok']);
    expect(h.fake.socketMode.connectionCount()).toBe(1);
    expect(h.app.logs().find((line) => line.msg === 'incident commander is listening')).toMatchObject({ mode: 'socket' });
    // No HTTP endpoint takes Slack's requests in Socket Mode; the health check still answers.
    expect((await fetch(`${h.app.url}/health`)).status).toBe(200);
  });

  it('answers a command with an ephemeral reply in the acknowledgement', async () => {
    expect(await ask(h, 'help')).toMatch(/\/incident declare/);
    expect(h.fake.socketMode.envelopes.at(-1)).toMatchObject({ envelope: { type: 'slash_commands', accepts_response_payload: true }, outcome: 'acked' });
  });

  it('opens the declare modal, refuses a blank title under the field, then declares: channel created, summary pinned', async () => {
    const { response, view } = await openDeclareForm(h, '');
    expect(response.text).toBe('');
    const refused = await submitForm(h, view, { Title: '   ' });
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { title: expect.any(String) } });

    const { channel, outcome } = await declareIncident(h, { title: 'Socket Mode checkout errors', severity: 'SEV2', commander: 'UBOB' });
    expect(outcome).toMatch(/Incident declared/);
    expect(channel.name).toMatch(/^incident-\d{4}-\d{2}-\d{2}-socket-mode-checkout-errors$/);
    expect([...channel.members].sort()).toEqual(['UALICE', 'UBOB', 'UBOT']);
    const kickoff = h.fake.messages(channel.id)[0]!;
    expect(visibleText(kickoff.blocks)).toContain('Socket Mode checkout errors');
    expect(h.fake.pins(channel.id)).toEqual([kickoff.ts]);
    expect(readDatabase(h.dbPath).incidents.find((row) => row.channel_id === channel.id)).toMatchObject({ title: 'Socket Mode checkout errors', phase: 'live', commander_id: 'UBOB' });
  });

  it("acknowledges the incident from the pinned summary's button", async () => {
    const { channel } = await declareIncident(h, { title: 'Acknowledged over the socket' });
    const kickoff = h.fake.messages(channel.id)[0]!;
    const buttons = kickoff.blocks!.find((block) => block.type === 'actions')!.elements as { action_id: string; value: string; text: { text: string } }[];
    const acknowledge = buttons.find((button) => button.text.text === 'Acknowledge')!;
    const { response } = await clickButton(h, { userId: 'UCAROL', channelId: channel.id, messageTs: kickoff.ts, actionId: acknowledge.action_id, value: acknowledge.value });
    expect(response.status).toBe(200);
    await waitFor(() => timelineOf(channel.id).find((row) => row.kind === 'acknowledged' && row.actor_id === 'UCAROL'), 'the acknowledgement on the timeline');
    await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.includes('<@UCAROL> acknowledged the incident')), 'the acknowledgement in the channel');
  });

  it('puts a :pushpin:-ed message on the timeline, and acts on a retried envelope once', async () => {
    const { channel } = await declareIncident(h, { title: 'Pinned over the socket' });
    const message = h.fake.postAsUser(channel.id, 'UDAVE', 'error rate back to 0.1% after the rollback');
    const reaction = { type: 'reaction_added', user: 'UALICE', reaction: 'pushpin', item_user: 'UDAVE', item: { type: 'message', channel: channel.id, ts: message.ts }, event_ts: `${Date.now() / 1000}` };

    await h.sender.event(reaction, { eventId: 'EvSOCKETPIN' });
    await waitFor(() => timelineOf(channel.id).find((row) => row.kind === 'pinned_message'), 'the pinned message on the timeline');
    await h.sender.event(reaction, { eventId: 'EvSOCKETPIN', retryNum: 1 });
    await h.app.waitForLog((line) => line.msg === 'ignored a request Slack delivered again' && line.requestKey === 'event:EvSOCKETPIN');

    expect(timelineOf(channel.id).filter((row) => row.kind === 'pinned_message')).toMatchObject([{ actor_id: 'UDAVE', text: 'error rate back to 0.1% after the rollback', message_ts: message.ts }]);
    const deliveries = h.fake.socketMode.envelopes.filter((entry) => entry.envelope.type === 'events_api');
    expect(deliveries.map((entry) => [entry.envelope.retry_attempt, entry.outcome])).toEqual([
      [0, 'acked'],
      [1, 'acked'],
    ]);
  });

  it('reconnects when Slack asks it to, and keeps answering', async () => {
    h.fake.socketMode.disconnectAll('refresh_requested');
    // The client waits a few seconds before it asks for a new URL: Slack's own advice.
    await waitFor(() => h.fake.callsTo('apps.connections.open').length === 2 && h.fake.socketMode.connectionCount() === 1, 'a new Socket Mode connection', 15_000);
    expect(h.fake.callsTo('apps.connections.open').map((call) => call.outcome)).toEqual(['ok', 'ok']);
    expect(await ask(h, 'help')).toMatch(/\/incident declare/);
  });

  it('took every kind of envelope and acknowledged each once, as Slack expects', () => {
    expect(new Set(h.fake.socketMode.envelopes.map((entry) => entry.envelope.type))).toEqual(new Set(['slash_commands', 'interactive', 'events_api']));
    expect(h.fake.socketMode.envelopes.filter((entry) => entry.outcome !== 'acked')).toEqual([]);
    expect(h.fake.socketMode.problems).toEqual([]);
  });
});

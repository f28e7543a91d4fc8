/**
 * Three bot processes (dist/main.js) on one PostgreSQL database, behind the test's own round-robin,
 * each pretending to run on a machine of its own (tests/support/otherMachine.cjs), so that a dead
 * one is known by its silent heartbeat, as across machines, not by its pid. Runs under
 * `npm run test:postgres` only.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { httpSender, sendEvent, type SlackSender } from '../../src/sandbox/slackRequests.js';
import { SILENT_AFTER_MS } from '../../src/scheduler/replicas.js';
import { appEnvironment, declareIncident, expectModal, openDeclareForm, runCommand, submitForm, waitFor, type BotUnderTest } from '../support/harness.js';
import { REPO_ROOT, scratchDir, startApp, type RunningApp } from '../support/launcher.js';
import { onServer, TEST_DATABASE_PREFIX, TEST_DATABASE_URL } from '../support/testDatabase.js';

if (!TEST_DATABASE_URL) throw new Error('tests/postgres/ need TEST_DATABASE_URL: run them with `npm run test:postgres`');
const serverUrl: string = TEST_DATABASE_URL;

const INTERVAL_MS = 2000;
/** The failover bound the README states: a killed replica's due work goes out within this. */
const FAILOVER_BOUND_MS = 15_000;
const IGNORED = 'ignored a request Slack delivered again';

interface Replica {
  machine: string;
  app: RunningApp;
}

describe('replicas sharing one PostgreSQL database', () => {
  let fake: SlackEmulator;
  let database: pg.Pool;
  const databaseName = `${TEST_DATABASE_PREFIX}replicas_${process.pid}`;
  const replicas: Replica[] = [];
  const running = () => replicas.filter((replica) => replica.app.child.exitCode === null && replica.app.child.signalCode === null);

  /** Each request to the next running replica, as a load balancer without sticky sessions does. */
  let turn = 0;
  const next = (): SlackSender => {
    const live = running();
    return httpSender(live[turn++ % live.length]!.app.url);
  };
  const roundRobin: SlackSender = {
    slashCommand: (command, options) => next().slashCommand(command, options),
    interaction: (payload, options) => next().interaction(payload, options),
    event: (event, options) => next().event(event, options),
  };
  let bot: BotUnderTest;

  const query = async <T>(text: string, values: unknown[] = []) => (await database.query(text, values)).rows as T[];
  const remindersIn = (channelId: string) => fake.messages(channelId).filter((message) => message.text.includes('No status update'));
  /** Two reminders closer together than the interval mean one was sent twice. */
  const expectSpaced = (channelId: string) => {
    const times = remindersIn(channelId).map((message) => Number(message.ts) * 1000);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThan(INTERVAL_MS * 0.75);
  };
  const resolveIncident = async (channelId: string) => {
    const view = await expectModal(bot, () => runCommand(bot, 'resolve', { channelId, userId: 'UBOB' }));
    await submitForm(bot, view, { 'Resolution summary': 'Fixed' }, 'UBOB');
    await waitFor(() => fake.messages(channelId).some((message) => message.text.startsWith('[RESOLVED]')), 'the resolution message');
  };
  const replicaOf = (owner: string) => replicas.find((replica) => owner.startsWith(`${replica.machine}:`))!;
  const killed = async (replica: Replica) => {
    replica.app.child.kill('SIGKILL');
    await new Promise((resolve) => replica.app.child.once('exit', resolve));
    return Date.now();
  };

  beforeAll(async () => {
    fake = await startSlackEmulator();
    await onServer(serverUrl, `create database ${databaseName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    database = new pg.Pool({ connectionString: url.toString(), max: 2 });
    // The database is dropped `with (force)` at the end, which ends any connection of this pool still open: not a failure.
    database.on('error', () => undefined);
    // Started together on an empty database: one migrates it, the others wait for its lock.
    const started = await Promise.all(
      ['machine-1', 'machine-2', 'machine-3'].map(async (machine) => {
        const env = appEnvironment(fake, scratchDir(), {
          DATABASE_URL: url.toString(),
          INCIDENT_UPDATE_INTERVAL: `${INTERVAL_MS / 1000}s`,
          INCIDENT_AUTO_UPDATE: 'none',
          NODE_OPTIONS: `--require ${join(REPO_ROOT, 'tests/support/otherMachine.cjs')}`,
          TEST_MACHINE_NAME: machine,
        });
        return { machine, app: await startApp(env, { timeoutMs: 30_000 }) };
      }),
    );
    replicas.push(...started);
    bot = { fake, app: { url: replicas[0]!.app.url }, sender: roundRobin };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.app.stop()));
    await database?.end();
    await fake?.close();
    await onServer(serverUrl, `drop database if exists ${databaseName} with (force)`);
  });

  it('acts once on an Events API retry that reaches another replica, and on one event reaching two replicas at the same moment', async () => {
    const { channel } = await declareIncident(bot, { title: 'Retry across replicas', commander: 'UBOB' });
    const [a, b, c] = replicas.map((replica) => replica.app);
    const pin = (ts: string) => ({ type: 'reaction_added', user: 'UCAROL', reaction: 'pushpin', item: { type: 'message', channel: channel.id, ts }, item_user: 'UCAROL', event_ts: '1.1' });
    const retried = fake.postAsUser(channel.id, 'UCAROL', 'Failover to the standby started');
    await sendEvent(a!.url, pin(retried.ts), { eventId: 'EvRETRIED' });
    await sendEvent(b!.url, pin(retried.ts), { eventId: 'EvRETRIED', retryNum: 1 });
    const twice = fake.postAsUser(channel.id, 'UCAROL', 'Standby promoted');
    await Promise.all([sendEvent(b!.url, pin(twice.ts), { eventId: 'EvTWICE' }), sendEvent(c!.url, pin(twice.ts), { eventId: 'EvTWICE', retryNum: 1 })]);

    const ignored = () => replicas.flatMap((replica) => replica.app.logs()).filter((line) => line.msg === IGNORED);
    await waitFor(() => ignored().length === 2, 'both repeats to be recognised', 5000);
    const pinned = () => query<{ text: string }>("select text from timeline_entries where kind = 'pinned_message' order by text");
    await waitFor(async () => (await pinned()).length === 2, 'both messages on the timeline', 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await pinned()).map((entry) => entry.text)).toEqual([expect.stringContaining('Failover to the standby started'), expect.stringContaining('Standby promoted')]);
    expect(ignored()).toHaveLength(2);
    // Resolved, so that its reminders (every 2 s) cannot be caught in the slowed Slack of the failover test below.
    await resolveIncident(channel.id);
  });

  it('sends each reminder once while three replicas run', async () => {
    const declared: Awaited<ReturnType<typeof declareIncident>>[] = [];
    for (const title of ['Queue backlog', 'Cache stampede', 'Disk full']) declared.push(await declareIncident(bot, { title, severity: 'SEV3', commander: 'UBOB' }));
    await waitFor(() => declared.every(({ channel }) => remindersIn(channel.id).length >= 3), 'three reminders in each channel', 20_000);
    for (const { channel } of declared) expectSpaced(channel.id);
    const senders = new Set(replicas.filter((replica) => replica.app.logs().some((line) => line.msg === 'reminder sent')).map((replica) => replica.machine));
    console.log(`reminders sent by ${senders.size} of 3 replicas`);

    // Resolved through whichever replica the balancer picks (the form may be submitted to another than opened it), so they stop.
    for (const { channel } of declared) await resolveIncident(channel.id);
    for (const { channel } of declared) expectSpaced(channel.id);
  });

  it('sends the due reminder of a replica killed while sending, from another replica, within the bound and once', async () => {
    const { channel } = await declareIncident(bot, { title: 'Killed mid-send', severity: 'SEV3', commander: 'UBOB' });
    await waitFor(() => remindersIn(channel.id).length >= 1, 'the first reminder', 6000);
    const before = remindersIn(channel.id).length;
    // The next reminder's call waits inside Slack before it is carried out; its sender dies there, and Slack never carries it out.
    fake.slowMethod('chat.postMessage', 60_000);
    const [held] = await waitFor(
      () => query<{ owner: string }>("select r.lease_owner as owner from reminders r join incidents i on i.id = r.incident_id where i.channel_id = $1 and r.pending_key is not null and r.lease_owner is not null", [channel.id]).then((rows) => rows.length > 0 && rows),
      'a replica to be inside the reminder call',
      8000,
    );
    const victim = replicaOf(held!.owner);
    // The key is stored just before the call: wait for the call to reach Slack, where it waits (a minute).
    await waitFor(() => fake.waitingCalls('chat.postMessage').some((args) => args.channel === channel.id), 'the reminder call to be inside Slack', 8000);
    const killedAt = await killed(victim);
    fake.slowMethod('chat.postMessage', 0);

    const sent = await waitFor(() => remindersIn(channel.id)[before], 'the reminder from another replica', FAILOVER_BOUND_MS + 5000);
    const failoverMs = Number(sent.ts) * 1000 - killedAt;
    console.log(`failover: ${victim.machine} killed mid-send; another replica sent its reminder ${failoverMs} ms later (heartbeat silent after ${SILENT_AFTER_MS} ms; bound ${FAILOVER_BOUND_MS} ms)`);
    expect(failoverMs).toBeLessThan(FAILOVER_BOUND_MS);
    expect(fake.calls.filter((call) => call.method === 'chat.postMessage' && call.outcome === 'caller_gone')).toHaveLength(1);
    await waitFor(() => remindersIn(channel.id).length >= before + 2, 'the reminder after it', 6000);
    expectSpaced(channel.id);
  });

  it('tells the declarer, from another replica, that a declaration cut short by a replica killed mid-way was not made', async () => {
    const declarer = running()[0]!;
    const direct: BotUnderTest = { fake, app: { url: declarer.app.url } };
    fake.slowMethod('conversations.create', 60_000);
    const { view } = await openDeclareForm(direct, 'Killed while declaring');
    await submitForm(direct, view, { Severity: 'SEV2', 'Incident commander': 'UBOB' });
    const [work] = await waitFor(() => query<{ owner: string }>("select owner from work_in_progress where what = 'declare'").then((rows) => rows.length > 0 && rows), 'the declaration in the work journal', 5000);
    expect(replicaOf(work!.owner)).toBe(declarer);
    const killedAt = await killed(declarer);
    fake.slowMethod('conversations.create', 0);

    const told = await waitFor(() => fake.dms('UALICE').find((message) => message.text.includes('Killed while declaring')), 'the declarer to be told', FAILOVER_BOUND_MS + 5000);
    console.log(`declaration cut short on ${declarer.machine}: the declarer was told ${Number(told.ts) * 1000 - killedAt} ms after the kill`);
    expect(told.text).toMatch(/was \*not\* declared/);
    expect(Number(told.ts) * 1000 - killedAt).toBeLessThan(FAILOVER_BOUND_MS);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.dms('UALICE').filter((message) => message.text.includes('Killed while declaring'))).toHaveLength(1);
    expect(await query("select phase from incidents where title = 'Killed while declaring'")).toEqual([{ phase: 'aborted' }]);
    expect(await query('select owner from work_in_progress')).toEqual([]);
  });
});

/**
 * The bot wired in the test process as src/main.ts wires it: an in-memory database (a fresh
 * PostgreSQL database under `npm run test:postgres`, see testDatabase.ts), the strict fake
 * Slack on 127.0.0.1, a fixed clock, a log kept in memory, the real flows and, when a test goes
 * through Slack's HTTP requests, the real Bolt app and listeners on a free port. No child process:
 * for everything that does not need one (start-up, exit codes, signals and crashes do).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type Database from 'better-sqlite3';
import pino from 'pino';
import { flowSettings, loadConfig, type Config } from '../../src/config.js';
import { boltLogger } from '../../src/logger.js';
import { asLive, type LiveIncident } from '../../src/domain/incident.js';
import type { SeverityLevel } from '../../src/domain/severity.js';
import type { Clock } from '../../src/domain/time.js';
import { completeDeclaration } from '../../src/flows/declare.js';
import type { FlowDependencies } from '../../src/flows/incidentFlow.js';
import { InFlight } from '../../src/inFlight.js';
import { loadTemplates, type Templates } from '../../src/render/templates.js';
import { createSlackApp, healthRoute } from '../../src/listeners/app.js';
import { connectSlack, SLACK_RETRY_CONFIG } from '../../src/slack/gateway.js';
import { registerListeners } from '../../src/listeners/index.js';
import { OUTLETS, outboxDestinations } from '../../src/outlets/index.js';
import type { Outlet } from '../../src/outlets/outlet.js';
import type { DatabaseHealth, OpenDatabase } from '../../src/store/sqlite/db.js';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import type { LogLine } from './launcher.js';
import { SIGNING_SECRET } from '../../src/sandbox/slackRequests.js';
import { openTestDatabase, type TestDatabase } from './testDatabase.js';

export interface InProcessBot {
  fake: SlackEmulator;
  /** The SQLite database, for tests of SQLite's own faults; such tests do not run under test:postgres, where reading this throws. */
  database: OpenDatabase;
  /** The database the bot runs on, SQLite or PostgreSQL. */
  testDatabase: TestDatabase;
  config: Config;
  /** What the listeners and the flows are given. */
  deps: FlowDependencies;
  /** The time the flows see; tests set or move it. */
  clock: Clock & { set(at: Date): void; advance(ms: number): void };
  /** Every log line so far, as pino wrote it. */
  logs: LogLine[];
  /** Every row of every table, to compare before and after something that must write nothing. */
  storedRows(): Promise<Record<string, unknown[]>>;
  /** The work journal: how many pieces of work were ever started (ids are never reused), and how many are unfinished. */
  work(): Promise<{ started: number; inProgress: number }>;
  /** The requests the Bolt app is still handling after answering Slack: drain it to know a listener finished. */
  inFlight: InFlight;
  /** A live incident, declared through the declare flow as the declare form does. */
  declare(answers?: { title?: string; severity?: SeverityLevel; commanderId?: string; declaredBy?: string; isPrivate?: boolean }): Promise<LiveIncident>;
  /** Starts the Bolt app with every listener on a free port; resolves with its base URL for signed requests. */
  startApp(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The bot wired as src/main.ts wires it, with settings from `env` as the environment gives them.
 * Bots given one `databasePath` share their database (on PostgreSQL too: see testDatabase.ts).
 */
export async function startInProcess(
  options: { env?: Record<string, string>; templates?: Templates; databasePath?: string; slackRetries?: 'none' | 'as in production'; outlets?: readonly Outlet[] } = {},
): Promise<InProcessBot> {
  const fake = await startSlackEmulator();
  const databasePath = options.databasePath ?? ':memory:';
  const config = loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, DATABASE_PATH: databasePath, ...options.env });
  const testDatabase = await openTestDatabase(databasePath);
  const logs: LogLine[] = [];
  const log = pino({ level: 'debug', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  // No retries unless asked: a test that makes Slack fail usually wants the failure, not a wait.
  const retryConfig = options.slackRetries === 'as in production' ? SLACK_RETRY_CONFIG : { retries: 0 };
  // The transport the bot runs with (src/bot.ts), so Slack's failures reach the flows as they would.
  const slack = connectSlack({ apiUrl: fake.url, token: fake.botToken, retry: retryConfig, logger: boltLogger(log) });
  let now = new Date('2026-11-24T02:00:00Z');
  const clock = { now: () => now, set: (at: Date) => void (now = at), advance: (ms: number) => void (now = new Date(now.getTime() + ms)) };
  const templates = options.templates ?? loadTemplates();
  const outbox = outboxDestinations(config, clock.now, () => deps);
  const deps: FlowDependencies = {
    ...testDatabase.store('in-process-test'),
    chat: slack,
    templates,
    clock,
    log,
    identity: { botUserId: fake.botUserId, botId: 'B0001' },
    outlets: options.outlets ?? OUTLETS,
    planSends: outbox.planSends,
    settings: flowSettings(config),
  };
  let app: App | undefined;
  const inFlight = new InFlight();
  let declarations = 0;
  return {
    fake,
    inFlight,
    get database(): OpenDatabase {
      if (!testDatabase.sqlite) throw new Error('this test reaches into SQLite and cannot run on PostgreSQL: exclude it in vitest.postgres.config.ts');
      return testDatabase.sqlite;
    },
    testDatabase,
    config,
    deps,
    clock,
    logs,
    storedRows: () => testDatabase.allRows(),
    async work() {
      const [counter] = testDatabase.sqlite
        ? await testDatabase.rows<{ started: number }>("select seq as started from sqlite_sequence where name = 'work_in_progress'")
        : await testDatabase.rows<{ started: number }>("select case when is_called then last_value else 0 end::int as started from work_in_progress_id_seq");
      const [unfinished] = await testDatabase.rows<{ count: number }>('select cast(count(*) as integer) as count from work_in_progress');
      return { started: counter?.started ?? 0, inProgress: unfinished?.count ?? 0 };
    },
    async declare(answers = {}) {
      const declaredBy = answers.declaredBy ?? 'UALICE';
      const { incident: recorded } = await deps.incidents.recordDeclaration(
        `V-test-${++declarations}`,
        { title: answers.title ?? `Incident ${declarations}`, severity: answers.severity ?? 'SEV2', impact: '', commanderId: answers.commanderId ?? declaredBy, isPrivate: answers.isPrivate ?? false },
        declaredBy,
        clock.now(),
      );
      const outcome = await completeDeclaration(deps, recorded);
      if (outcome.kind !== 'declared') throw new Error(`the test incident was not declared: ${outcome.message}`);
      return asLive(await deps.incidents.findById(recorded.id))!;
    },
    async startApp() {
      app = createSlackApp({ config: { ...config, port: 0 }, log, identity: deps.identity, health: testDatabase.health, inFlight });
      registerListeners(app, deps);
      const server = (await app.start(0)) as Server;
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      await app?.stop();
      // As the bot's own shutdown does: work a request started after its ack finishes before the database and Slack go.
      await inFlight.drain(10_000);
      await testDatabase.close();
      await fake.close();
    },
  };
}

/** From now on SQLite refuses every write (SQLITE_READONLY), as it does on a full disk or a read-only file; reads still work. */
export function refuseWrites(database: OpenDatabase, refuse = true): void {
  sqliteOf(database).pragma(`query_only = ${refuse ? 'ON' : 'OFF'}`);
}

/** GET /health through the bot's own route, over HTTP. */
export async function getHealth(database: { health(): DatabaseHealth | Promise<DatabaseHealth> }): Promise<{ status: number; body: Record<string, unknown> }> {
  const route = healthRoute(() => database.health());
  const server = createServer((request, response) => void route.handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } finally {
    server.close();
  }
}

/** The better-sqlite3 handle under drizzle, for what only a test does to a database. */
export const sqliteOf = (database: OpenDatabase) => (database.db as unknown as { $client: Database.Database }).$client;

type Handler = (args: Record<string, unknown>) => Promise<void>;

/**
 * Registers listeners on a stand-in for Bolt's App and returns them by what they listen to
 * (`view:<callback_id>`, `event:<type>`, `action:<action_id>`, `command:<name>`), to be called as
 * Bolt would call them.
 */
export function registeredListeners(register: (app: App) => void): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  const on = (kind: string) => (id: unknown, handler: Handler) => {
    handlers.set(`${kind}:${typeof id === 'string' ? id : JSON.stringify(id)}`, handler);
  };
  register({ view: on('view'), event: on('event'), action: on('action'), command: on('command') } as unknown as App);
  return handlers;
}

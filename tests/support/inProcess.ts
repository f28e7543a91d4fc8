/**
 * The bot's flows and listeners wired in the test process: an in-memory database, the strict fake
 * Slack on 127.0.0.1, a fixed clock and a log kept in memory. No child process: for everything that
 * does not need one (start-up, exit codes, signals and crashes do).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type Database from 'better-sqlite3';
import pino from 'pino';
import { SEVERITIES } from '../../src/domain/severity.js';
import type { Clock } from '../../src/domain/time.js';
import type { DeclareDependencies } from '../../src/flows/declare.js';
import type { IncidentDependencies } from '../../src/flows/incidentFlow.js';
import { loadTemplates, type Templates } from '../../src/render/templates.js';
import { healthRoute } from '../../src/slack/app.js';
import { SlackGateway } from '../../src/slack/gateway.js';
import type { ListenerDependencies } from '../../src/slack/listeners/types.js';
import { ActionItemRepository } from '../../src/store/actionItemRepository.js';
import { openDatabase, type OpenDatabase } from '../../src/store/db.js';
import { EscalationRepository } from '../../src/store/escalationRepository.js';
import { IncidentRepository } from '../../src/store/incidentRepository.js';
import { PostmortemRepository } from '../../src/store/postmortemRepository.js';
import { ReminderRepository } from '../../src/store/reminderRepository.js';
import { WorkJournal } from '../../src/store/workJournal.js';
import { startFakeSlack, type FakeSlack } from './fakeSlack.js';
import type { LogLine } from './launcher.js';

export interface InProcessBot {
  fake: FakeSlack;
  database: OpenDatabase;
  /** What the listeners are given; `deps.declare` and `deps.incident` are what flows are given. */
  deps: ListenerDependencies;
  clock: Clock & { set(at: Date): void };
  /** Every log line so far, as pino wrote it. */
  logs: LogLine[];
  close(): Promise<void>;
}

export async function startInProcess(options: { templates?: Templates; announceChannel?: string; databasePath?: string } = {}): Promise<InProcessBot> {
  const fake = await startFakeSlack();
  const database = openDatabase(options.databasePath ?? ':memory:');
  const logs: LogLine[] = [];
  const log = pino({ level: 'debug', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  // No retries: a test that makes Slack fail wants the failure, not a wait.
  const slack = new SlackGateway(new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } }));
  let now = new Date('2026-11-24T02:00:00Z');
  const clock = { now: () => now, set: (at: Date) => void (now = at) };
  const templates = options.templates ?? loadTemplates();
  const incidents = new IncidentRepository(database.db);
  const settings = { timeZone: 'UTC', severities: SEVERITIES, announceChannel: options.announceChannel };
  const declare: DeclareDependencies = {
    incidents,
    slack,
    templates,
    clock,
    log,
    identity: { botUserId: fake.botUserId, botId: 'B0001' },
    settings: { ...settings, channelPrefix: 'incident' },
  };
  const incident: IncidentDependencies = {
    incidents,
    slack,
    templates,
    clock,
    log,
    actions: new ActionItemRepository(database.db),
    reminders: new ReminderRepository(database.db),
    escalations: new EscalationRepository(database.db),
    postmortems: new PostmortemRepository(database.db),
    settings: { ...settings, responders: [] },
  };
  return {
    fake,
    database,
    deps: { log, slack, declare, incident, journal: new WorkJournal(database.db, 'in-process-test') },
    clock,
    logs,
    async close() {
      database.close();
      await fake.close();
    },
  };
}

/** From now on SQLite refuses every write (SQLITE_READONLY), as it does on a full disk or a read-only file; reads still work. */
export function refuseWrites(database: OpenDatabase, refuse = true): void {
  sqliteOf(database).pragma(`query_only = ${refuse ? 'ON' : 'OFF'}`);
}

/** GET /health through the bot's own route, over HTTP. */
export async function getHealth(database: OpenDatabase): Promise<{ status: number; body: Record<string, unknown> }> {
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

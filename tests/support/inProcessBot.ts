/**
 * The bot wired in the test's own process, as src/main.ts wires it: an in-memory database, the
 * strict fake Slack, the real flows and, when a test needs to go through Slack's HTTP requests,
 * the real Bolt app and listeners on a free port. Fast: no child process, no files.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import type { Incident } from '../../src/domain/incident.js';
import type { SeverityLevel } from '../../src/domain/severity.js';
import { completeDeclaration, type DeclareDependencies } from '../../src/flows/declare.js';
import type { IncidentDependencies } from '../../src/flows/incidentFlow.js';
import { InFlight } from '../../src/inFlight.js';
import { loadTemplates } from '../../src/render/templates.js';
import { createSlackApp } from '../../src/slack/app.js';
import { SlackGateway } from '../../src/slack/gateway.js';
import { registerListeners } from '../../src/slack/listeners/index.js';
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
import { SIGNING_SECRET } from './slackRequests.js';

export interface InProcessBot {
  fake: FakeSlack;
  database: OpenDatabase;
  config: Config;
  /** The time the flows see; tests move it with `advance`. */
  clock: { now(): Date; advance(ms: number): void };
  deps: IncidentDependencies;
  listeners: ListenerDependencies;
  /** Every line the bot logged, parsed. */
  logs: LogLine[];
  /** Every row of every table, to compare before and after something that must write nothing. */
  storedRows(): Record<string, unknown[]>;
  /** A live incident, declared through the declare flow as the declare form does. */
  declare(answers?: { title?: string; severity?: SeverityLevel; commanderId?: string; declaredBy?: string; isPrivate?: boolean }): Promise<Incident>;
  /** Starts the Bolt app with every listener on a free port; resolves with its base URL for signed requests. */
  startApp(): Promise<string>;
  close(): Promise<void>;
}

export async function startInProcessBot(env: Record<string, string> = {}): Promise<InProcessBot> {
  const fake = await startFakeSlack();
  const config = loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, DATABASE_PATH: ':memory:', ...env });
  const logs: LogLine[] = [];
  const log = pino({ level: 'info', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const database = openDatabase(':memory:');
  let now = new Date('2026-11-24T02:00:00Z');
  const clock = { now: () => now, advance: (ms: number) => void (now = new Date(now.getTime() + ms)) };
  // No retries: a refusal from the fake is an answer the test wants at once.
  const slack = new SlackGateway(new WebClient(fake.botToken, { slackApiUrl: fake.url, retryConfig: { retries: 0 } }));
  const incidents = new IncidentRepository(database.db);
  const shared = { incidents, slack, templates: loadTemplates(), clock, log };
  const deps: IncidentDependencies = {
    ...shared,
    actions: new ActionItemRepository(database.db),
    reminders: new ReminderRepository(database.db),
    escalations: new EscalationRepository(database.db),
    postmortems: new PostmortemRepository(database.db),
    settings: { timeZone: config.timeZone, severities: config.severities, announceChannel: config.announceChannel, responders: config.responders },
  };
  const declareDeps: DeclareDependencies = {
    ...shared,
    identity: { botUserId: fake.botUserId, botId: 'B0001' },
    settings: { channelPrefix: config.channelPrefix, timeZone: config.timeZone, severities: config.severities, announceChannel: config.announceChannel },
  };
  const listeners: ListenerDependencies = { log, slack, journal: new WorkJournal(database.db, 'in-process-test'), declare: declareDeps, incident: deps };
  let app: App | undefined;
  let declarations = 0;

  return {
    fake,
    database,
    config,
    clock,
    deps,
    listeners,
    logs,
    storedRows() {
      const tables = database.db.all<{ name: string }>(sql.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name"));
      return Object.fromEntries(tables.map(({ name }) => [name, database.db.all(sql.raw(`select * from "${name}"`))]));
    },
    async declare(answers = {}) {
      const declaredBy = answers.declaredBy ?? 'UALICE';
      const { incident } = incidents.recordDeclaration(
        `V-test-${++declarations}`,
        { title: answers.title ?? `Incident ${declarations}`, severity: answers.severity ?? 'SEV2', impact: '', commanderId: answers.commanderId ?? declaredBy, isPrivate: answers.isPrivate ?? false },
        declaredBy,
        clock.now(),
      );
      const outcome = await completeDeclaration(declareDeps, incident);
      if (outcome.kind !== 'declared') throw new Error(`the test incident was not declared: ${outcome.message}`);
      return incidents.findById(incident.id)!;
    },
    async startApp() {
      app = createSlackApp({ config: { ...config, port: 0 }, log, identity: declareDeps.identity, health: database.health, inFlight: new InFlight() });
      registerListeners(app, listeners);
      const server = (await app.start(0)) as Server;
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      await app?.stop();
      await fake.close();
      database.close();
    },
  };
}

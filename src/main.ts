import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { ConfigError, flowSettings, loadConfig } from './config.js';
import { systemClock } from './domain/time.js';
import { boltLogger, createLogger, type Logger } from './logger.js';
import { loadTemplates, TemplateError } from './render/templates.js';
import { createSlackApp } from './listeners/app.js';
import { SLACK_RETRY_CONFIG, SlackGateway, type BotIdentity } from './slack/gateway.js';
import { registerListeners } from './listeners/index.js';
import { SlackCallError } from './slack/slackErrors.js';
import { DatabaseOpenError, openDatabase } from './store/sqlite/db.js';
import { sqliteStore } from './store/sqlite/index.js';
import { playDueDrillSteps } from './flows/drills.js';
import { sendDueEscalations } from './flows/escalation.js';
import type { FlowDependencies } from './flows/incidentFlow.js';
import { sendDueReminders } from './flows/reminders.js';
import { recoverInterruptedWork } from './flows/recovery.js';
import { OUTLETS } from './outlets/index.js';
import { startScheduler } from './scheduler/loop.js';
import { leaseOwnerId, retryDelayMs } from './scheduler/leases.js';
import { InFlight } from './inFlight.js';
import { explainStartFailure, StartupError, TOKEN_REJECTED } from './startupErrors.js';
import { shutDown, stopOnSignals } from './shutdown.js';

/** How long the whole shutdown may take: within the 30 s most supervisors give before SIGKILL. */
const SHUTDOWN_GRACE_MS = 20_000;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const { log, output: logOutput } = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const templates = loadTemplates();
  const database = openDatabase(config.databasePath);

  const client = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(log),
    retryConfig: SLACK_RETRY_CONFIG,
    timeout: 15_000,
  });
  const slack = new SlackGateway(client);
  const identity: BotIdentity = { botUserId: '', botId: '' };
  await resolveIdentity(slack, identity, log);

  const owner = leaseOwnerId();
  const inFlight = new InFlight();
  const app = createSlackApp({ config, log, identity, health: database.health, inFlight });
  const store = sqliteStore(database.db, owner);
  const deps: FlowDependencies = {
    ...store,
    chat: slack,
    templates,
    clock: systemClock,
    log,
    identity,
    outlets: OUTLETS,
    settings: flowSettings(config),
  };
  registerListeners(app, deps);

  // Checks often enough that a reminder is at most a second late, or a quarter interval for tests' short ones.
  const tickMs = Math.max(100, Math.min(1000, config.reminders.defaultIntervalMs / 4));
  const retryMs = retryDelayMs(config.reminders.defaultIntervalMs);
  const scheduler = startScheduler(
    {
      reminders: () => sendDueReminders({ ...deps, reminderSettings: config.reminders, review: config.review, owner, retryMs }),
      escalations: () => sendDueEscalations({ ...deps, escalation: config.escalation, owner, retryMs }),
      drills: () => playDueDrillSteps({ ...deps, owner, retryMs }),
    },
    tickMs,
    log,
  );

  // SIGTERM: take no new requests, let the scheduler and the requests in hand finish, then close the database.
  // Heard from before listening, so a SIGTERM at any moment from here on stops the bot gracefully.
  stopOnSignals(async (signal) => {
    log.info({ signal, inFlight: inFlight.size }, 'shutting down');
    await shutDown(
      {
        stopListening: () => app.stop(),
        stopScheduler: () => scheduler.stop(),
        drainInFlight: (timeoutMs) => inFlight.drain(timeoutMs),
        closeDatabase: () => database.close(),
        flushLogs: (timeoutMs) => logOutput.flush(timeoutMs),
      },
      log,
      SHUTDOWN_GRACE_MS,
    );
    process.exit(0);
  }, log);

  // In Socket Mode, Bolt's HTTP server reports a port in use as an uncaught 'error' event, not by rejecting.
  const failedToListen = (error: unknown) => failStartup(explainStartFailure(error, config));
  process.once('uncaughtException', failedToListen);
  const started = await app.start(config.port).catch((error: unknown) => {
    throw explainStartFailure(error, config);
  });
  process.off('uncaughtException', failedToListen);
  const address = (started as Server | undefined)?.address?.();
  const port = address && typeof address === 'object' ? (address as AddressInfo).port : config.port;

  void recoverInterruptedWork({ ...deps, timeZone: config.timeZone })
    .then((found) => found > 0 && log.warn({ found }, 'told people about work a previous process left unfinished'))
    .catch((error: unknown) => log.error({ err: error }, 'could not check for work left unfinished'));

  log.info({ port, mode: config.mode, database: config.databasePath, configFile: config.configFile ?? '(defaults)' }, 'incident commander is listening');
}

/**
 * Asks Slack who the bot is. A rejected token stops start-up; Slack being unreachable does not (the
 * bot keeps trying in the background), because a bot that refuses to start during a Slack blip is
 * no use in the incident that blip may be.
 */
async function resolveIdentity(slack: SlackGateway, identity: BotIdentity, log: Logger): Promise<void> {
  try {
    Object.assign(identity, await slack.whoAmI());
    log.info({ botUserId: identity.botUserId }, 'connected to Slack');
  } catch (error) {
    if (error instanceof SlackCallError && TOKEN_REJECTED.has(error.code)) {
      throw new StartupError(`SLACK_BOT_TOKEN was rejected by Slack (${error.code}): copy the Bot User OAuth Token again from the app's OAuth & Permissions page.`);
    }
    log.warn({ err: error }, 'could not reach Slack to identify the bot; retrying in 30 s');
    setTimeout(() => void resolveIdentity(slack, identity, log).catch(() => {}), 30_000).unref();
  }
}

/** One line per problem on stderr and exit 1: never a stack trace for a setting someone got wrong. */
function failStartup(error: unknown): never {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
  } else if (error instanceof TemplateError || error instanceof StartupError) {
    console.error(`Start-up error: ${error.message}`);
  } else if (error instanceof DatabaseOpenError) {
    console.error(`Start-up error: ${error.message} (check DATABASE_PATH)`);
  } else if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE')) {
    console.error(`Start-up error: cannot open the database at ${process.env.DATABASE_PATH ?? './data/incidents.db'} (DATABASE_PATH): ${error.message}`);
  } else {
    console.error(`Start-up error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}

main().catch(failStartup);

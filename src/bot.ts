/**
 * The bot's composition: store, heartbeat, Slack client, listeners, scheduler (recovery among its
 * passes). `npm start` (src/main.ts) and `npm run sandbox` (src/sandbox/run.ts) both start the bot
 * through here, so the sandbox runs exactly the bot people deploy; process concerns (signals, exit
 * codes) stay with them.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flowSettings, type Config } from './config.js';
import type { Clock } from './domain/time.js';
import { boltLogger, type Logger } from './logger.js';
import type { DueWork } from './ports.js';
import type { Templates } from './render/templates.js';
import { createSlackApp } from './listeners/app.js';
import { connectSlack, SLACK_RETRY_CONFIG, type BotIdentity, type SlackGateway } from './slack/gateway.js';
import { registerListeners } from './listeners/index.js';
import { alertRoutes } from './listeners/http/alertRoutes.js';
import { SlackCallError } from './slack/slackErrors.js';
import { openStore } from './store/open.js';
import { showDueRepeats } from './flows/alerts.js';
import { archiveDueChannels } from './flows/archive.js';
import { playDueDrillSteps } from './flows/drills.js';
import { recomputeDueTimes } from './flows/dueTimes.js';
import { sendDueEscalations } from './flows/escalation.js';
import type { FlowDependencies } from './flows/incidentFlow.js';
import { REMINDERS_AHEAD_MS, startReminderSends } from './flows/reminders.js';
import { recoverInterruptedWork } from './flows/recovery.js';
import { OUTLETS, outboxDestinations } from './outlets/index.js';
import { deliverDueSends } from './flows/outbox.js';
import { publishDueHomes } from './flows/appHome.js';
import { startScheduler } from './scheduler/loop.js';
import { leaseOwnerId, retryDelayMs } from './scheduler/leases.js';
import { joinReplicas } from './scheduler/replicas.js';
import { wakeOnClock } from './scheduler/timedSends.js';
import { InFlight } from './inFlight.js';
import { explainStartFailure, StartupError, TOKEN_REJECTED } from './startupErrors.js';
import { shutDown } from './shutdown.js';

export interface BotOptions {
  config: Config;
  clock: Clock;
  log: Logger;
  templates: Templates;
  /** Flushes the log's last lines at shutdown. */
  flushLogs?: (timeoutMs: number) => Promise<boolean>;
  /**
   * How many bot seconds pass in one real second (the sandbox's SANDBOX_SPEED); the scheduler looks
   * for due work that much more often, so a sped-up reminder is not late by a whole real tick.
   */
  clockSpeed?: number;
  /** Listen on this address only (the sandbox: 127.0.0.1); all addresses when unset, as a deployed bot does. */
  host?: string;
}

export interface Bot {
  /** Requests being handled right now. */
  inFlight: InFlight;
  /** Starts listening (PORT); resolves with the port Bolt's HTTP server took (POST /slack/events, GET /health). */
  listen(): Promise<number>;
  /** Takes no new requests, lets the scheduler and the requests in hand finish, closes the database, within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/** The scheduler pass each kind of due work wakes: every kind must have one, or its work would never be done. */
const PASS_OF_DUE_WORK: Record<keyof DueWork, string> = { reminders: 'reminders', escalations: 'escalations', archives: 'archives', drills: 'drills', alertUpdates: 'alertUpdates', othersWork: 'recovery' };
const DUE_WORK_KINDS = Object.keys(PASS_OF_DUE_WORK) as (keyof DueWork)[];

/**
 * The bot, wired and its scheduler running, not yet listening: the caller can hear signals from
 * before the first request, so a stop at any moment from here on is graceful.
 */
export async function createBot({ config, clock, log, templates, flushLogs, clockSpeed = 1, host }: BotOptions): Promise<Bot> {
  const owner = leaseOwnerId();
  const database = await openStore(config, owner);
  let membership: { stop(): Promise<void> };
  try {
    membership = await joinReplicas(database.store.replicas, owner, log);
  } catch (error) {
    await database.close();
    throw error;
  }
  const slack = connectSlack({ apiUrl: config.slack.apiUrl, token: config.slack.botToken, logger: boltLogger(log), retry: SLACK_RETRY_CONFIG, timeoutMs: 15_000 });
  const identity: BotIdentity = { botUserId: '', botId: '' };
  try {
    await resolveIdentity(slack, identity, log);
  } catch (error) {
    await membership.stop().catch(() => undefined);
    await database.close();
    throw error;
  }

  const inFlight = new InFlight();
  const outbox = outboxDestinations(config, () => clock.now(), () => deps);
  const deps: FlowDependencies = {
    ...database.store,
    chat: slack,
    templates,
    clock,
    log,
    identity,
    outlets: OUTLETS,
    planSends: outbox.planSends,
    settings: flowSettings(config),
  };
  const routes = config.alerts ? alertRoutes(deps, config.alerts.token, inFlight) : [];
  const app = createSlackApp({ config, log, identity, health: database.health, inFlight, routes });
  registerListeners(app, deps);

  // Checks often enough that a reminder is at most a second late, or a quarter interval for tests' short ones.
  const tickMs = Math.max(100, Math.min(1000, config.reminders.defaultIntervalMs / 4) / clockSpeed);
  const retryMs = retryDelayMs(config.reminders.defaultIntervalMs);
  const schedulerDeps = { ...deps, reminderSettings: config.reminders, review: config.review, escalation: config.escalation, owner, retryMs };
  try {
    const incidents = await recomputeDueTimes(schedulerDeps);
    log.info({ incidents }, 'due times of reminders, escalations and channel archives computed with these settings');
  } catch (error) {
    await membership.stop().catch(() => undefined);
    await database.close();
    throw error;
  }
  // Reminders due within this are made ready ahead and posted on the dot (startReminderSends): a burst's reads and writes come before it, at most this much before, so a draft is at most this old.
  const remindersAheadMs = Math.min(REMINDERS_AHEAD_MS, config.reminders.defaultIntervalMs / 4);
  const reminderSends = startReminderSends(schedulerDeps, remindersAheadMs, wakeOnClock(clock, clockSpeed));
  const scheduler = startScheduler(
    {
      reminders: () => reminderSends.pass(),
      escalations: () => sendDueEscalations(schedulerDeps),
      drills: () => playDueDrillSteps(schedulerDeps),
      archives: () => archiveDueChannels(schedulerDeps),
      alertUpdates: () => showDueRepeats(deps),
      // Work journaled by a process that died (an earlier run of this one, or another replica), reported once.
      recovery: async () => {
        const found = await recoverInterruptedWork({ ...deps, owner, timeZone: config.timeZone });
        if (found > 0) log.warn({ found }, 'told people about work a process that stopped left unfinished');
      },
    },
    tickMs,
    log,
    // One indexed read a tick; a pass runs only when it has something to do (README, Performance).
    async () => {
      const now = clock.now();
      const due = await database.store.dueTimes.dueWork(now, owner, new Date(now.getTime() + remindersAheadMs));
      return new Set(DUE_WORK_KINDS.filter((kind) => due[kind]).map((kind) => PASS_OF_DUE_WORK[kind]));
    },
  );

  // Its own loop: a receiver taking its whole timeout to answer must not hold back reminders and pages.
  const outboxScheduler = startScheduler(
    { outbox: () => deliverDueSends({ ...deps, senders: outbox.senders, outboxSettings: config.outbox, owner }) },
    tickMs,
    log,
  );

  // Its own loop too: Home tabs are nobody's urgent work, and a slow views.publish must hold back nothing else.
  const homeScheduler = startScheduler({ home: () => publishDueHomes(deps) }, tickMs, log);

  const stop = (graceMs: number) =>
    shutDown(
      {
        stopListening: () => app.stop(),
        stopScheduler: async () => {
          await Promise.all([scheduler.stop().then(() => reminderSends.stop()), outboxScheduler.stop(), homeScheduler.stop()]);
        },
        drainInFlight: (timeoutMs) => inFlight.drain(timeoutMs),
        // Leaves the replicas only now: work still in hand until here is this process's, not yet the others' to report.
        closeDatabase: async () => {
          await membership.stop().catch((error: unknown) => log.warn({ err: error }, 'could not remove this process from the replicas; the others see it gone once its heartbeat is silent'));
          await database.close();
        },
        flushLogs: flushLogs ?? (async () => true),
      },
      log,
      graceMs,
    );

  const listen = async (): Promise<number> => {
    // In Socket Mode, Bolt's HTTP server reports a port in use as an uncaught 'error' event, not by rejecting.
    let failedToListen: (error: unknown) => void = () => {};
    const listenFailure = new Promise<never>((_resolve, reject) => {
      failedToListen = reject;
    });
    process.once('uncaughtException', failedToListen);
    let started: unknown;
    try {
      started = await Promise.race([host ? app.start({ port: config.port, host }) : app.start(config.port), listenFailure]);
    } catch (error) {
      throw explainStartFailure(error, config);
    } finally {
      process.off('uncaughtException', failedToListen);
    }
    const address = (started as Server | undefined)?.address?.();
    const port = address && typeof address === 'object' ? (address as AddressInfo).port : config.port;

    log.info(
      { port, mode: config.mode, database: database.location, configFile: config.configFile ?? '(defaults)', alerts: config.alerts ? `POST /alerts… → ${config.alerts.settings.triageChannel}` : 'off' },
      'incident commander is listening',
    );
    return port;
  };
  return { inFlight, listen, stop };
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

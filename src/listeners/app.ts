import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, AppOptions, CustomRoute, ReceiverEvent } from '@slack/bolt';
// Bolt's App from its own file: the package's index also loads the Express and AWS Lambda receivers
// (Express, body-parser, iconv-lite, mime-db), which the bot never uses, at every start.
import boltAppModule from '@slack/bolt/dist/App.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { boltLogger } from '../logger.js';
import type { InFlight } from '../inFlight.js';
import type { DatabaseHealth } from '../store/errors.js';
import type { BotIdentity } from '../slack/gateway.js';
import { readPayload, routablePayload } from './payloads.js';
import { routeListenersByName } from './router.js';

// Node and the bundle hand a CommonJS module's `exports` as its default export; vitest's loader hands `exports.default`.
const loadedBoltApp: unknown = boltAppModule;
const BoltApp = (typeof loadedBoltApp === 'function' ? loadedBoltApp : (loadedBoltApp as { default: unknown }).default) as typeof boltAppModule.default;

export interface SlackAppOptions {
  config: Config;
  log: Logger;
  identity: BotIdentity;
  health: () => DatabaseHealth | Promise<DatabaseHealth>;
  /** Every request's handling is tracked, to its end (after the ack), so shutdown can wait for it. */
  inFlight: InFlight;
  /** More routes on the same port (POST /alerts…), in HTTP and Socket Mode alike. */
  routes?: CustomRoute[];
}

/** GET /health: 200 while the database can be used, 503 (saying why) while it cannot be written or its file is gone. */
export function healthRoute(health: () => DatabaseHealth | Promise<DatabaseHealth>): CustomRoute {
  return {
    path: '/health',
    method: ['GET'],
    handler: async (_request: IncomingMessage, response: ServerResponse) => {
      const database = await health();
      response.writeHead(database.ok ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify(database.ok ? { status: 'ok', database: 'ok' } : { status: 'unavailable', database: database.database, detail: database.detail }));
    },
  };
}

/**
 * Bolt leaves a request it cannot route (a button click without `actions`, a form without a
 * `view`) unanswered, or throws on it, and Slack shows the user an error after 3 seconds. Such a
 * request is answered at once with nothing, and logged once.
 */
class IncidentApp extends BoltApp {
  constructor(
    options: AppOptions,
    private readonly log: Logger,
  ) {
    super(options);
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    if (!readPayload(routablePayload, event.body, this.log, 'routing')) return event.ack();
    return super.processEvent(event);
  }
}

/**
 * The Bolt app in HTTP mode (requests signed with the signing secret) or Socket Mode (when an
 * app-level token is set). Authorization answers from memory: the bot is installed in one
 * workspace, and a Slack call here would sit between a user's click and the 3-second deadline.
 */
export function createSlackApp({ config, log, identity, health, inFlight, routes = [] }: SlackAppOptions): App {
  const common = {
    logger: boltLogger(log),
    authorize: async () => ({ botToken: config.slack.botToken, botId: identity.botId, botUserId: identity.botUserId }),
    clientOptions: { slackApiUrl: config.slack.apiUrl },
    customRoutes: [healthRoute(health), ...routes],
    // The bot keeps no per-conversation state; Bolt's in-memory store would build an Error ("not found") for every request.
    convoStore: false as const,
  };
  // The Socket Mode client asks Slack for its connection with installerOptions' client options.
  const app =
    config.mode === 'socket'
      ? new IncidentApp({ ...common, socketMode: true, appToken: config.slack.appToken, installerOptions: { port: config.port, clientOptions: { slackApiUrl: config.slack.apiUrl } } }, log)
      : new IncidentApp({ ...common, signingSecret: config.slack.signingSecret ?? '', processBeforeResponse: false }, log);
  routeListenersByName(app);
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });
  return app;
}

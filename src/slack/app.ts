import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type CustomRoute } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { boltLogger } from '../logger.js';
import type { InFlight } from '../inFlight.js';
import type { BotIdentity } from './gateway.js';

export interface SlackAppOptions {
  config: Config;
  log: Logger;
  identity: BotIdentity;
  isHealthy: () => boolean;
  /** Every request's handling is tracked, to its end (after the ack), so shutdown can wait for it. */
  inFlight: InFlight;
}

/** GET /health: 200 while the database answers, 503 when it does not. */
function healthRoute(isHealthy: () => boolean): CustomRoute {
  return {
    path: '/health',
    method: ['GET'],
    handler: (_request: IncomingMessage, response: ServerResponse) => {
      const healthy = isHealthy();
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable', database: healthy ? 'ok' : 'unreachable' }));
    },
  };
}

/**
 * The Bolt app in HTTP mode (requests signed with the signing secret) or Socket Mode (when an
 * app-level token is set). Authorization answers from memory: the bot is installed in one
 * workspace, and a Slack call here would sit between a user's click and the 3-second deadline.
 */
export function createSlackApp({ config, log, identity, isHealthy, inFlight }: SlackAppOptions): App {
  const common = {
    logger: boltLogger(log),
    authorize: async () => ({ botToken: config.slack.botToken, botId: identity.botId, botUserId: identity.botUserId }),
    clientOptions: { slackApiUrl: config.slack.apiUrl },
    customRoutes: [healthRoute(isHealthy)],
  };
  // The Socket Mode client asks Slack for its connection with installerOptions' client options.
  const app =
    config.mode === 'socket'
      ? new App({ ...common, socketMode: true, appToken: config.slack.appToken, installerOptions: { port: config.port, clientOptions: { slackApiUrl: config.slack.apiUrl } } })
      : new App({ ...common, signingSecret: config.slack.signingSecret ?? '', processBeforeResponse: false });
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });
  return app;
}

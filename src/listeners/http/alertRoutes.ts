/**
 * POST /alerts/alertmanager, /alerts/grafana and /alerts on the bot's own port (beside GET
 * /health, in HTTP and Socket Mode alike): bearer-token checked in constant time, body limited,
 * parsed with zod, then handed to the alerts flow. Every refusal is a JSON `error` naming the
 * problem, and nothing is stored before the token and the whole body are checked.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { AlertSource } from '../../domain/alert.js';
import { ALERT_FORMATS } from '../../domain/alertFormats.js';
import { receiveAlerts } from '../../flows/alerts.js';
import type { InFlight } from '../../inFlight.js';
import { ALERT_ANSWERS } from '../../messages/alerts.js';
import { DatabaseFaultError } from '../../store/faults.js';
import type { ListenerDependencies } from '../types.js';

/** The largest body taken: Alertmanager's biggest groups are a few hundred KB. */
export const ALERT_BODY_LIMIT_BYTES = 1024 * 1024;
const LIMIT_TEXT = '1 MB';

export const ALERT_PATHS: Record<AlertSource, string> = {
  alertmanager: '/alerts/alertmanager',
  grafana: '/alerts/grafana',
  generic: '/alerts',
};

export function alertRoutes(deps: ListenerDependencies, token: string, inFlight: InFlight): CustomRoute[] {
  const expected = digest(token);
  return (Object.entries(ALERT_PATHS) as [AlertSource, string][]).map(([source, path]) => ({
    path,
    method: ['POST'],
    handler: (request: IncomingMessage, response: ServerResponse) => {
      void inFlight.track(
        handleAlerts(deps, source, expected, request, response).catch((error: unknown) => {
          deps.log.error({ err: error, source }, 'an alert request failed');
          if (!response.headersSent) answer(response, 500, { error: 'The bot failed to handle these alerts; its logs say why. Send them again.' });
        }),
      );
    },
  }));
}

async function handleAlerts(deps: ListenerDependencies, source: AlertSource, expected: Buffer, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const log = deps.log.child({ alertSource: source });
  if (!authorized(request.headers.authorization, expected)) {
    log.warn({ remote: request.socket.remoteAddress }, 'alert request refused: missing or wrong bearer token');
    request.resume();
    return answer(response, 401, { error: ALERT_ANSWERS.unauthorized }, { 'www-authenticate': 'Bearer' });
  }
  const body = await readBody(request, ALERT_BODY_LIMIT_BYTES);
  if (body === 'too large') {
    log.warn('alert request refused: body over the limit');
    return answer(response, 413, { error: ALERT_ANSWERS.tooLarge(LIMIT_TEXT) }, { connection: 'close' });
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    log.warn('alert request refused: the body is not JSON');
    return answer(response, 400, { error: ALERT_ANSWERS.notJson((error as Error).message) });
  }
  const check = ALERT_FORMATS[source](json);
  if (!check.ok) {
    log.warn({ problem: check.problem }, 'alert request refused: the body does not fit the format');
    return answer(response, 400, { error: ALERT_ANSWERS.invalid(check.problem) });
  }
  try {
    const intake = await receiveAlerts(deps, check.alerts);
    // A 5xx makes Alertmanager and Grafana send again: the repeat retries what Slack refused.
    if (intake.problems.length > 0) return answer(response, 502, { error: ALERT_ANSWERS.slackFailed(intake.problems.join(' ')), stored: intake.stored });
    return answer(response, 200, { stored: intake.stored });
  } catch (error) {
    if (!(error instanceof DatabaseFaultError)) throw error;
    log.error({ err: error }, 'alerts not stored: the database cannot be written');
    return answer(response, 503, { error: error.userMessage });
  }
}

/** Both sides hashed first: equal lengths for timingSafeEqual, and nothing learnt from how long a wrong token took. */
const digest = (text: string) => createHash('sha256').update(text).digest();

function authorized(header: string | undefined, expected: Buffer): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), expected);
}

/** The whole body, or 'too large' as soon as it passes `limit` (the rest is read and dropped). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      request.resume();
      return resolve('too large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve('too large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

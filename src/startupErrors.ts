import { ConfigError, type Config } from './config.js';
import { TemplateError } from './render/templates.js';
import { DatabaseOpenError } from './store/errors.js';

/** A reason the bot cannot start that a person must fix: printed as one line, exit code 1. */
export class StartupError extends Error {}

/** Slack errors that mean a token itself is wrong: retrying cannot help. */
export const TOKEN_REJECTED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/**
 * What a failure to start listening means for the person running the bot: which setting to change
 * and how. Errors it does not recognise are returned as they are.
 */
export function explainStartFailure(error: unknown, config: Pick<Config, 'port' | 'mode'>): unknown {
  const code = errorCode(error);
  if (code === 'EADDRINUSE') {
    return new StartupError(`PORT ${config.port} is already in use by another program (perhaps the bot is still running): stop that program, or set PORT to a free port.`);
  }
  if (code === 'EACCES') {
    return new StartupError(`PORT ${config.port} may only be used by a privileged user: set PORT to 1024 or above (e.g. 3000) and forward to it.`);
  }
  const slackError = slackErrorCode(error);
  if (config.mode === 'socket' && slackError && TOKEN_REJECTED.has(slackError)) {
    return new StartupError(
      `SLACK_APP_TOKEN was rejected by Slack (${slackError}): generate an app-level token with the connections:write scope at https://api.slack.com/apps → your app → Basic Information → App-Level Tokens, and paste it.`,
    );
  }
  return error;
}

const errorCode = (error: unknown): string | undefined =>
  error && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/** The `error` of a Web API answer (`{ ok: false, error: 'invalid_auth' }`), as the Slack client reports it. */
function slackErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object' || !('data' in error)) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** One line per problem on stderr and exit 1: never a stack trace for a setting someone got wrong. */
export function failStartup(error: unknown): never {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
  } else if (error instanceof TemplateError || error instanceof StartupError) {
    console.error(`Start-up error: ${error.message}`);
  } else if (error instanceof DatabaseOpenError) {
    console.error(`Start-up error: ${error.message} (check DATABASE_PATH)`);
  } else if (String(errorCode(rootCause(error))).startsWith('SQLITE')) {
    console.error(`Start-up error: cannot open the database at ${process.env.DATABASE_PATH ?? './data/incidents.db'} (DATABASE_PATH): ${describeError(error)}`);
  } else {
    console.error(`Start-up error: ${describeError(error)}`);
  }
  process.exit(1);
}

/**
 * An error and what caused it, on one line. drizzle wraps a driver's error in "Failed query: <the
 * whole SQL> params: …", which says which statement but not why; the why is in its cause.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 5; current = current instanceof Error ? current.cause : undefined) {
    const message = current instanceof Error ? current.message : String(current);
    parts.push(message.startsWith('Failed query:') ? 'a database query failed' : message.split('\n')[0]!);
  }
  return parts.join(': ');
}

function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; current instanceof Error && current.cause !== undefined && depth < 5; depth++) current = current.cause;
  return current;
}


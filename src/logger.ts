import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import type { LogLevel } from './config.js';
import { LogOutput } from './logOutput.js';

export type { Logger };

// Slack tokens and secrets must never reach a log line, whatever object or message carries them.
const TOKEN_PATTERN = /\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g;
const scrub = (value: unknown): unknown => (typeof value === 'string' ? value.replace(TOKEN_PATTERN, '$1-[redacted]') : value);

/** The logger, and its output, which shutdown flushes (within its grace period) before exiting. */
export function createLogger(options: { level: LogLevel; pretty: boolean | undefined }): { log: Logger; output: LogOutput } {
  // Pretty output is for a person at a terminal; anything else (files, log shippers) gets JSON lines.
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  // Formatted here rather than in pino-pretty's worker thread, whose exit flush also waits on the reader.
  const output = new LogOutput(process.stdout, pretty ? { format: prettyFormatter() } : {});
  const log = pino(
    {
      level: options.level,
      base: undefined,
      redact: {
        paths: ['token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map(scrub) as Parameters<typeof method>);
        },
      },
    },
    output,
  );
  return { log, output };
}

/** pino-pretty, loaded only when asked for: a bot whose output goes to a log shipper never needs it. */
function prettyFormatter(): (line: string) => string {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return prettyFactory({ colorize: true, translateTime: 'SYS:HH:MM:ss' });
}

/** Bolt and the Web API client log through this, so their lines are pino lines too. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  // Bolt logs a few debug lines per request: at the usual level they are dropped before being formatted.
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (...messages: unknown[]) => {
    if (child.isLevelEnabled(level)) child[level](messages.map((message) => (typeof message === 'string' ? message : JSON.stringify(message))).join(' '));
  };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    setLevel: () => {},
    getLevel: () => child.level as BoltLogLevel,
    setName: () => {},
  };
}

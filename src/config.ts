import { z } from 'zod';
import { loadIncidentProcess } from './configFile.js';
import type { EscalationPolicy } from './domain/escalation.js';
import { DEFAULT_UPDATE_INTERVAL_MS, parseInterval, type ReminderSettings, type ReviewSettings } from './domain/reminders.js';
import { SEVERITY_LEVELS, type Severity } from './domain/severity.js';
import { isValidTimeZone } from './domain/time.js';

/**
 * Settings come from the environment (and `.env`). Every value is checked here, once, so that a
 * typo stops start-up with a line naming the variable instead of failing at 3 a.m. mid-incident.
 */
export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
  };
  mode: 'http' | 'socket';
  port: number;
  databasePath: string;
  announceChannel: string | undefined;
  channelPrefix: string;
  timeZone: string;
  /** User ids who may hand over command and resolve any incident, besides its commander. */
  responders: string[];
  reminders: ReminderSettings;
  /** The severity catalogue, escalation ladder and review reminders: the file, else the runbooks' defaults. */
  severities: Severity[];
  escalation: EscalationPolicy;
  review: ReviewSettings;
  /** The configuration file read, if any. */
  configFile: string | undefined;
  logLevel: LogLevel;
  logPretty: boolean | undefined;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// People leave `NAME=` in .env for settings they don't use: treat empty as unset.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

const interval = z.string().transform((text, context) => {
  const ms = parseInterval(text);
  if (ms === undefined) context.addIssue({ code: 'custom', message: 'must be a duration such as 45s, 10m, 1h or 1h30m' });
  return ms ?? 0;
});

const envFields = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is missing: set it to the app\'s Bot User OAuth Token (starts with "xoxb-")' })
    .regex(/^xoxb-\S+$/, { error: 'must be a bot token starting with "xoxb-" (OAuth & Permissions page)' }),
  SLACK_SIGNING_SECRET: optional(
    z.string().regex(/^[A-Za-z0-9]{16,}$/, { error: 'does not look like a signing secret (Basic Information page)' }),
  ),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-\S+$/, { error: 'must be an app-level token starting with "xapp-" (for Socket Mode)' }),
  ),
  SLACK_API_URL: optional(z.url({ error: 'must be a URL such as https://slack.com/api/' })),
  PORT: optional(
    z.coerce
      .number({ error: 'must be a port number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must be between 0 and 65535' })
      .max(65535, { error: 'must be between 0 and 65535' }),
  ),
  DATABASE_PATH: optional(z.string()),
  INCIDENT_ANNOUNCE_CHANNEL: optional(
    z.string().regex(/^[CG][A-Z0-9]{2,}$/, {
      error: 'must be a channel id such as C0123ABCD, not a name (channel details → About → Channel ID)',
    }),
  ),
  INCIDENT_CHANNEL_PREFIX: optional(
    z.string().regex(/^[a-z0-9][a-z0-9_-]{0,29}$/, {
      error: 'must be 1–30 lowercase letters, digits, hyphens or underscores, e.g. "incident"',
    }),
  ),
  INCIDENT_TIMEZONE: optional(
    z.string().refine(isValidTimeZone, { error: 'must be an IANA time zone such as UTC or Europe/Berlin' }),
  ),
  INCIDENT_RESPONDERS: optional(
    z
      .string()
      .transform((list) => list.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be Slack user ids such as U012AB3CD, separated by commas' }))),
  ),
  INCIDENT_CONFIG: optional(z.string()),
  INCIDENT_UPDATE_INTERVAL: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV1: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV2: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV3: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV4: optional(interval),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  LOG_PRETTY: optional(z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' })),
});

const envSchema = envFields.superRefine((env, context) => {
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    context.addIssue({
      code: 'custom',
      path: ['SLACK_SIGNING_SECRET'],
      message:
        'is missing: set it to the app\'s Signing Secret (Basic Information page), or set SLACK_APP_TOKEN to use Socket Mode',
    });
  }
});

export class ConfigError extends Error {
  /** One line per problem, each ending with where to look. */
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv, options: { offline?: boolean } = {}): Config {
  // Tools that only read the database (npm run postmortem) need no Slack credentials.
  const parsed = (options.offline ? envFields.extend({ SLACK_BOT_TOKEN: optional(z.string()) }) : envSchema).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message} (see .env.example)`);
    throw new ConfigError([...new Set(problems)]);
  }
  const values = parsed.data;
  const loaded = loadIncidentProcess(values.INCIDENT_CONFIG);
  if ('problems' in loaded) throw new ConfigError(loaded.problems.map((problem) => `${problem} (see incident.config.example.yml)`));
  const process = loaded.process;
  const apiUrl = values.SLACK_API_URL ?? 'https://slack.com/api/';
  return {
    slack: {
      botToken: values.SLACK_BOT_TOKEN ?? '',
      signingSecret: values.SLACK_SIGNING_SECRET,
      appToken: values.SLACK_APP_TOKEN,
      // The Web API client appends the method name directly.
      apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    },
    mode: values.SLACK_APP_TOKEN ? 'socket' : 'http',
    port: values.PORT ?? 3000,
    databasePath: values.DATABASE_PATH ?? './data/incidents.db',
    announceChannel: values.INCIDENT_ANNOUNCE_CHANNEL,
    channelPrefix: values.INCIDENT_CHANNEL_PREFIX ?? 'incident',
    timeZone: values.INCIDENT_TIMEZONE ?? 'UTC',
    responders: values.INCIDENT_RESPONDERS ?? [],
    // The environment wins over the file, as it does over .env: one place to override in a hurry.
    reminders: {
      defaultIntervalMs: values.INCIDENT_UPDATE_INTERVAL ?? process.updateIntervalMs ?? DEFAULT_UPDATE_INTERVAL_MS,
      perSeverity: {
        ...process.perSeverityIntervalMs,
        ...Object.fromEntries(
          SEVERITY_LEVELS.flatMap((level) => {
            const ms = values[`INCIDENT_UPDATE_INTERVAL_${level}`];
            return ms === undefined ? [] : [[level, ms]];
          }),
        ),
      },
    },
    severities: process.severities,
    escalation: process.escalation,
    review: process.review,
    configFile: loaded.file,
    logLevel: values.LOG_LEVEL ?? 'info',
    logPretty: values.LOG_PRETTY === undefined ? undefined : values.LOG_PRETTY === 'true' || values.LOG_PRETTY === '1',
  };
}

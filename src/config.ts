import type { ArchiveSettings } from './domain/archive.js';
import { z } from 'zod';
import { CHANNEL_PREFIX_HINT, CHANNEL_PREFIX_PATTERN } from './domain/channelName.js';
import type { IncidentType } from './domain/incidentTypes.js';
import type { SlackPinHandling } from './domain/timeline.js';
import { ENV_WEBHOOK_NAME, loadIncidentProcess, type ConfiguredWebhook } from './configFile.js';
import { DEFAULT_OUTBOX_SETTINGS, type OutboxSettings } from './domain/outbox.js';
import { WEBHOOK_EVENTS, type WebhookEndpoint } from './domain/webhooks.js';
import { DEFAULT_DRILLS_DIR, loadDrillScenarios } from './drillScenarios.js';
import type { AlertSettings } from './domain/alert.js';
import type { DrillSettings } from './domain/drill.js';
import type { EscalationPolicy } from './domain/escalation.js';
import { DEFAULT_AUTO_POST, DEFAULT_UPDATE_INTERVAL_MS, parseInterval, type ReminderSettings, type ReviewSettings } from './domain/reminders.js';
import { SEVERITY_LEVELS, type Severity, type SeverityLevel } from './domain/severity.js';
import type { StatusPageComponents } from './domain/statusPage.js';
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
  /** Set when DATABASE_URL is: the bot then keeps its data in PostgreSQL, and DATABASE_PATH is unused. */
  postgres: { url: string; poolSize: number; statementTimeoutMs: number } | undefined;
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
  /** The drill scenarios (`drills/*.yml`) and whether drills are announced and page people. */
  drills: DrillSettings;
  /** When resolved incidents' channels are archived (archive_after_days in the file). */
  archive: ArchiveSettings;
  /** Set when ALERT_WEBHOOK_TOKEN is: POST /alerts… take alerts with that bearer token and post them to the triage channel. */
  alerts: { token: string; settings: AlertSettings } | undefined;
  /** Set when STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID are: incidents may be published there. */
  statusPage: StatusPageConfig | undefined;
  /** Outgoing webhooks: INCIDENT_WEBHOOK_URL's, then the file's. */
  webhooks: WebhookEndpoint[];
  /** How sends outside Slack are retried and timed out. */
  outbox: OutboxSettings;
  /** incident_types in the file: what the declare form offers, and what each type sets. */
  incidentTypes: IncidentType[];
  /** Whether Slack's own pin puts a message on the timeline (timeline.slack_pins in the file). */
  slackPins: SlackPinHandling;
  /** The configuration file read, if any. */
  configFile: string | undefined;
  logLevel: LogLevel;
  logPretty: boolean | undefined;
}

export interface StatusPageConfig {
  apiKey: string;
  pageId: string;
  /** Atlassian's API, or a test's fake: no trailing slash. */
  apiUrl: string;
  components: StatusPageComponents;
}

export const DEFAULT_STATUSPAGE_API_URL = 'https://api.statuspage.io/v1';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// People leave `NAME=` in .env for settings they don't use: treat empty as unset.
const blankAsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);
const optional = <T extends z.ZodType>(schema: T) => blankAsUnset(schema.optional());
const isBlank = (value: string | undefined) => value === undefined || value.trim() === '';

/** A URL the bot can connect to PostgreSQL with: DATABASE_URL, and the target of migrate-to-postgres. */
export const isPostgresUrl = (text: string) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/** Where the SQLite file is when DATABASE_PATH is unset. */
export const DEFAULT_DATABASE_PATH = './data/incidents.db';

/** Enough for a handful of requests and the scheduler at once; PostgreSQL's own limit is 100 for all replicas. */
export const DEFAULT_DATABASE_POOL_SIZE = 10;
/** The bot's statements take milliseconds: one still running after this is stuck behind a lock or a sick server. */
export const DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS = 15_000;

const interval = z.string().transform((text, context) => {
  const ms = parseInterval(text);
  if (ms === undefined) context.addIssue({ code: 'custom', message: 'must be a duration such as 45s, 10m, 1h or 1h30m' });
  return ms ?? 0;
});

/**
 * A token or secret setting: missing, still the example's placeholder, or of the wrong form, each
 * said differently, because each has a different fix. `where` is the page of the app's settings
 * (https://api.slack.com/apps → your app) that shows the real value.
 */
const credential = (options: { what: string; where: string; format: RegExp; formatError: string }) =>
  z
    .string({ error: `is missing: set it to the app's ${options.what} (${options.where} page)` })
    .refine((value) => !looksLikePlaceholder(value), {
      error: `is still a placeholder: paste the real ${options.what} from https://api.slack.com/apps → your app → ${options.where}`,
      abort: true,
    })
    .regex(options.format, { error: options.formatError });

/**
 * Example values (`xoxb-your-bot-token`, `xapp-...`, `<secret>`) are made of words or filler that
 * real tokens and secrets never are. Whole hyphen-separated words only: a token's random part could
 * contain "fill" or "xxx" by chance, and refusing a real token at 3 a.m. is worse than missing a typo.
 */
const PLACEHOLDER_WORDS = new Set(['your', 'example', 'placeholder', 'changeme', 'replace', 'paste', 'here', 'insert', 'todo']);
function looksLikePlaceholder(value: string): boolean {
  if (/[<>\u2026*]|\.\.\./.test(value)) return true;
  return value
    .toLowerCase()
    .split(/[-_\s]+/)
    .some((word) => PLACEHOLDER_WORDS.has(word) || /^x{3,}$/.test(word));
}

const BOT_TOKEN = credential({
  what: 'Bot User OAuth Token',
  where: 'OAuth & Permissions',
  format: /^xoxb-\S+$/,
  formatError: 'must be a bot token starting with "xoxb-" (OAuth & Permissions page)',
});
const SIGNING_SECRET = credential({
  what: 'Signing Secret',
  where: 'Basic Information → App Credentials',
  format: /^[A-Za-z0-9]{16,}$/,
  formatError: 'does not look like a signing secret (Basic Information page)',
});
const APP_TOKEN = credential({
  what: 'app-level token',
  where: 'Basic Information → App-Level Tokens',
  format: /^xapp-\S+$/,
  formatError: 'must be an app-level token starting with "xapp-" (for Socket Mode)',
});

const envFields = z.object({
  SLACK_BOT_TOKEN: blankAsUnset(BOT_TOKEN),
  SLACK_SIGNING_SECRET: optional(SIGNING_SECRET),
  SLACK_APP_TOKEN: optional(APP_TOKEN),
  SLACK_API_URL: optional(z.url({ error: 'must be a URL such as https://slack.com/api/' })),
  PORT: optional(
    z.coerce
      .number({ error: 'must be a port number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must be between 0 and 65535' })
      .max(65535, { error: 'must be between 0 and 65535' }),
  ),
  DATABASE_PATH: optional(z.string()),
  // The message never repeats the value: a URL carries the database password.
  DATABASE_URL: optional(
    z.string().refine(isPostgresUrl, { error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/incidents' }),
  ),
  DATABASE_POOL_SIZE: optional(
    z.coerce.number({ error: 'must be a number of connections' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be between 1 and 100' }).max(100, { error: 'must be between 1 and 100' }),
  ),
  DATABASE_STATEMENT_TIMEOUT: optional(interval),
  INCIDENT_ANNOUNCE_CHANNEL: optional(
    z.string().regex(/^[CG][A-Z0-9]{2,}$/, {
      error: 'must be a channel id such as C0123ABCD, not a name (channel details → About → Channel ID)',
    }),
  ),
  ALERT_WEBHOOK_TOKEN: optional(
    z
      .string()
      .refine((value) => !looksLikePlaceholder(value), { error: 'is still a placeholder: set it to a long random secret, e.g. the output of `openssl rand -hex 32`', abort: true })
      .refine((value) => value.length >= 16 && !/\s/.test(value), { error: 'must be at least 16 characters with no spaces, e.g. the output of `openssl rand -hex 32`' }),
  ),
  INCIDENT_TRIAGE_CHANNEL: optional(
    z.string().regex(/^[CG][A-Z0-9]{2,}$/, {
      error: 'must be a channel id such as C0123ABCD, not a name (channel details → About → Channel ID)',
    }),
  ),
  INCIDENT_CHANNEL_PREFIX: optional(
    z.string().regex(CHANNEL_PREFIX_PATTERN, { error: CHANNEL_PREFIX_HINT }),
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
  INCIDENT_DRILLS_DIR: optional(z.string()),
  INCIDENT_UPDATE_INTERVAL: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV1: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV2: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV3: optional(interval),
  INCIDENT_UPDATE_INTERVAL_SEV4: optional(interval),
  INCIDENT_AUTO_UPDATE: optional(
    z
      .string()
      .transform((list) => list.split(/[\s,]+/).filter(Boolean).map((item) => item.toUpperCase()))
      .pipe(
        z.union([
          z.tuple([z.literal('NONE')]).transform((): SeverityLevel[] => []),
          // A list of nothing (",") is a slip, not a way to say none: that turns SEV1's updates off silently.
          z.array(z.enum(SEVERITY_LEVELS)).min(1).transform((levels) => [...new Set(levels)]),
        ], { error: `must be severities such as SEV1,SEV2, or none` }),
      ),
  ),
  STATUSPAGE_API_KEY: optional(
    z.string().refine((value) => !looksLikePlaceholder(value) && !/\s/.test(value), {
      error: 'is not an API key: paste it from Statuspage → your avatar → API info',
    }),
  ),
  STATUSPAGE_PAGE_ID: optional(z.string().regex(/^[A-Za-z0-9]+$/, { error: 'must be a Statuspage page id such as kctbh9vrtdwd (API info page)' })),
  STATUSPAGE_API_URL: optional(z.url({ error: 'must be a URL such as https://api.statuspage.io/v1' })),
  INCIDENT_WEBHOOK_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL that receives the incident events' })),
  INCIDENT_WEBHOOK_SECRET: optional(z.string().min(16, { error: 'must be at least 16 characters: the receiver checks signatures with it' })),
  OUTBOX_FIRST_RETRY: optional(interval),
  OUTBOX_MAX_RETRY: optional(interval),
  OUTBOX_GIVE_UP_AFTER: optional(interval),
  OUTBOX_SEND_TIMEOUT: optional(interval),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  LOG_PRETTY: optional(z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' })),
});

/**
 * Settings that are only wrong together. Checked on the raw values, not in a zod refinement, which
 * zod skips when any single field fails: a newcomer would then learn of one problem per start.
 */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (isBlank(env.SLACK_APP_TOKEN) && isBlank(env.SLACK_SIGNING_SECRET)) {
    problems.push('SLACK_SIGNING_SECRET is missing: set it to the app\'s Signing Secret (Basic Information page), or set SLACK_APP_TOKEN to use Socket Mode');
  }
  if (!isBlank(env.ALERT_WEBHOOK_TOKEN) && isBlank(env.INCIDENT_TRIAGE_CHANNEL)) {
    problems.push('INCIDENT_TRIAGE_CHANNEL is missing: alerts are on (ALERT_WEBHOOK_TOKEN is set) and are posted there; set it to a channel id such as C0123ABCD');
  }
  if (isBlank(env.STATUSPAGE_API_KEY) !== isBlank(env.STATUSPAGE_PAGE_ID)) {
    const missing = isBlank(env.STATUSPAGE_API_KEY) ? 'STATUSPAGE_API_KEY' : 'STATUSPAGE_PAGE_ID';
    problems.push(`${missing} is missing: the status page needs both STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID (Statuspage → API info), or neither to leave it off`);
  }
  if (!isBlank(env.INCIDENT_WEBHOOK_URL) && isBlank(env.INCIDENT_WEBHOOK_SECRET)) {
    problems.push('INCIDENT_WEBHOOK_SECRET is missing: every webhook is signed; set it to a long random string the receiver also knows');
  }
  if (isBlank(env.INCIDENT_WEBHOOK_URL) && !isBlank(env.INCIDENT_WEBHOOK_SECRET)) {
    problems.push('INCIDENT_WEBHOOK_URL is missing: INCIDENT_WEBHOOK_SECRET is set, but for no endpoint');
  }
  return problems;
}

/** The file's webhooks with their secrets from the environment; a secret missing or too short is a problem naming its variable. */
function webhookSecrets(webhooks: readonly ConfiguredWebhook[], env: NodeJS.ProcessEnv, file: string | undefined): { endpoints: WebhookEndpoint[]; problems: string[] } {
  const endpoints: WebhookEndpoint[] = [];
  const problems: string[] = [];
  for (const [index, webhook] of webhooks.entries()) {
    const secret = env[webhook.secretEnv];
    if (isBlank(secret)) problems.push(`${file}: webhooks.${index}.secret_env names ${webhook.secretEnv}, which is not set in the environment`);
    else if (secret!.length < 16) problems.push(`${webhook.secretEnv} (the secret of webhook "${webhook.name}") must be at least 16 characters`);
    else endpoints.push({ name: webhook.name, url: webhook.url, secret: secret!, events: webhook.events, private: webhook.private });
  }
  return { endpoints, problems };
}

export class ConfigError extends Error {
  /** One line per problem, each ending with where to look. */
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** What the flows need of the configuration: times, the severity catalogue, where to announce, who may manage. */
export function flowSettings(config: Config) {
  return {
    timeZone: config.timeZone,
    severities: config.severities,
    channelPrefix: config.channelPrefix,
    announceChannel: config.announceChannel,
    responders: config.responders,
    autoPost: config.reminders.autoPost,
    drills: config.drills,
    archive: config.archive,
    alerts: config.alerts?.settings,
    statusPage: config.statusPage?.components,
    incidentTypes: config.incidentTypes,
    slackPins: config.slackPins,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv, options: { offline?: boolean } = {}): Config {
  // Tools that only read the database (npm run postmortem) need no Slack credentials.
  const parsed = (options.offline ? envFields.extend({ SLACK_BOT_TOKEN: optional(z.string()) }) : envFields).safeParse(env);
  // Every problem at once, the environment's and the file's: one start to learn them all.
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message} (see .env.example)`);
  if (!options.offline) problems.push(...crossFieldProblems(env).map((problem) => `${problem} (see .env.example)`));
  const loaded = loadIncidentProcess(isBlank(env.INCIDENT_CONFIG) ? undefined : env.INCIDENT_CONFIG);
  if ('problems' in loaded) problems.push(...loaded.problems.map((problem) => `${problem} (see incident.config.example.yml)`));
  const drillsDir = isBlank(env.INCIDENT_DRILLS_DIR) ? undefined : env.INCIDENT_DRILLS_DIR!;
  const drills = loadDrillScenarios(drillsDir ?? DEFAULT_DRILLS_DIR, drillsDir !== undefined);
  if ('problems' in drills) problems.push(...drills.problems.map((problem) => `${problem} (see README, Drills)`));
  const webhooks = 'problems' in loaded ? { endpoints: [], problems: [] } : webhookSecrets(loaded.process.webhooks, env, loaded.file);
  problems.push(...webhooks.problems.map((problem) => `${problem} (see incident.config.example.yml)`));
  if (!parsed.success || 'problems' in loaded || 'problems' in drills || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const values = parsed.data;
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
    databasePath: values.DATABASE_PATH ?? DEFAULT_DATABASE_PATH,
    postgres: values.DATABASE_URL
      ? {
          url: values.DATABASE_URL,
          poolSize: values.DATABASE_POOL_SIZE ?? DEFAULT_DATABASE_POOL_SIZE,
          statementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT ?? DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS,
        }
      : undefined,
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
      autoPost: values.INCIDENT_AUTO_UPDATE ?? SEVERITY_LEVELS.filter((level) => process.autoPost[level] ?? DEFAULT_AUTO_POST.includes(level)),
      autoPostAfterMs: process.autoPostAfterMs,
    },
    severities: process.severities,
    escalation: process.escalation,
    review: process.review,
    drills: { scenarios: drills.scenarios, ...process.drills },
    archive: process.archive,
    incidentTypes: process.incidentTypes,
    slackPins: process.slackPins,
    alerts:
      values.ALERT_WEBHOOK_TOKEN && values.INCIDENT_TRIAGE_CHANNEL
        ? { token: values.ALERT_WEBHOOK_TOKEN, settings: { triageChannel: values.INCIDENT_TRIAGE_CHANNEL, ...process.alerts } }
        : undefined,
    statusPage:
      values.STATUSPAGE_API_KEY && values.STATUSPAGE_PAGE_ID
        ? {
            apiKey: values.STATUSPAGE_API_KEY,
            pageId: values.STATUSPAGE_PAGE_ID,
            apiUrl: (values.STATUSPAGE_API_URL ?? DEFAULT_STATUSPAGE_API_URL).replace(/\/+$/, ''),
            components: process.statusPage,
          }
        : undefined,
    webhooks: [
      ...(values.INCIDENT_WEBHOOK_URL && values.INCIDENT_WEBHOOK_SECRET
        ? [{ name: ENV_WEBHOOK_NAME, url: values.INCIDENT_WEBHOOK_URL, secret: values.INCIDENT_WEBHOOK_SECRET, events: WEBHOOK_EVENTS, private: false }]
        : []),
      ...webhooks.endpoints,
    ],
    outbox: {
      ...DEFAULT_OUTBOX_SETTINGS,
      firstRetryMs: values.OUTBOX_FIRST_RETRY ?? DEFAULT_OUTBOX_SETTINGS.firstRetryMs,
      maxRetryMs: values.OUTBOX_MAX_RETRY ?? DEFAULT_OUTBOX_SETTINGS.maxRetryMs,
      giveUpAfterMs: values.OUTBOX_GIVE_UP_AFTER ?? DEFAULT_OUTBOX_SETTINGS.giveUpAfterMs,
      sendTimeoutMs: values.OUTBOX_SEND_TIMEOUT ?? DEFAULT_OUTBOX_SETTINGS.sendTimeoutMs,
    },
    configFile: loaded.file,
    logLevel: values.LOG_LEVEL ?? 'info',
    logPretty: values.LOG_PRETTY === undefined ? undefined : values.LOG_PRETTY === 'true' || values.LOG_PRETTY === '1',
  };
}

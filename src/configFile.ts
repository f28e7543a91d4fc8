import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DAY_MS, DEFAULT_ARCHIVE, type ArchiveSettings } from './domain/archive.js';
import { DEFAULT_SEVERITY_LABELS, type AlertRule } from './domain/alert.js';
import { DEFAULT_ESCALATION, parsePageTarget, type EscalationPolicy } from './domain/escalation.js';
import { DEFAULT_REVIEW, parseInterval, type ReviewSettings } from './domain/reminders.js';
import { SEVERITIES, SEVERITY_LEVELS, type Severity, type SeverityLevel } from './domain/severity.js';
import { COMPONENT_STATUSES, DEFAULT_COMPONENT_STATUS, type StatusPageComponents } from './domain/statusPage.js';
import { CHANNEL_PREFIX_HINT, CHANNEL_PREFIX_PATTERN } from './domain/channelName.js';
import { FIELD_KINDS, FIELD_LIMITS, type IncidentType } from './domain/incidentTypes.js';
import { DEFAULT_SLACK_PIN_HANDLING, SLACK_PIN_HANDLING, type SlackPinHandling } from './domain/timeline.js';
import { WEBHOOK_EVENTS, type WebhookEventName } from './domain/webhooks.js';

/**
 * The incident process as a team writes it down: its severity catalogue, how often updates are
 * due, its escalation ladder and its post-mortem review. One YAML file (INCIDENT_CONFIG, default
 * ./incident.config.yml), checked here at start so a typo is one line at start-up, not a silent
 * ladder that never pages. Every part is optional; what is left out keeps the runbooks' defaults.
 */
export interface IncidentProcess {
  severities: Severity[];
  updateIntervalMs: number | undefined;
  perSeverityIntervalMs: Partial<Record<SeverityLevel, number>>;
  /** Each severity's `autoPost`, where the file says. */
  autoPost: Partial<Record<SeverityLevel, boolean>>;
  autoPostAfterMs: number | undefined;
  escalation: EscalationPolicy;
  review: ReviewSettings;
  /** Whether drills are announced and page the ladder's people: by default neither, they stay in their channel. */
  drills: { announce: boolean; page: boolean };
  /** How long a resolved incident's channel stays before the bot archives it (archive_after_days). */
  archive: ArchiveSettings;
  /** What alerts' `severity` labels mean, and which alerts are declared at once. */
  alerts: { severityLabels: Record<string, SeverityLevel>; rules: AlertRule[] };
  /** The status page's components by name, and what each severity marks them as (used when STATUSPAGE_* is set). */
  statusPage: StatusPageComponents;
  /** Outgoing webhooks; each secret is named by the environment variable holding it, read by config.ts. */
  webhooks: ConfiguredWebhook[];
  /** Incident types, in the order the declare form lists them; none: the form asks for no type. */
  incidentTypes: IncidentType[];
  /** Whether Slack's own pin puts a message on the timeline as :pushpin: does (timeline.slack_pins). */
  slackPins: SlackPinHandling;
}

export interface ConfiguredWebhook {
  name: string;
  url: string;
  secretEnv: string;
  events: WebhookEventName[];
  private: boolean;
}

/** The name INCIDENT_WEBHOOK_URL's endpoint goes by. */
export const ENV_WEBHOOK_NAME = 'default';

export const DEFAULT_CONFIG_FILE = './incident.config.yml';

const DURATION_HINT = 'must be a duration such as 45s, 10m, 1h or 1h30m';

/** A duration; `zeroAllowed` for a rung's delay, which may be 0 (at once), which YAML reads as a number. */
const durationOf = (zeroAllowed: boolean) =>
  z.union([z.string(), z.number()], { error: DURATION_HINT }).transform((value, context) => {
    if (zeroAllowed && /^0[smh]?$/.test(String(value).trim())) return 0;
    const ms = typeof value === 'string' ? parseInterval(value) : undefined;
    if (ms === undefined) context.addIssue({ code: 'custom', message: `${DURATION_HINT}${zeroAllowed ? ', or 0' : ''}, not "${value}"` });
    return ms ?? 0;
  });
const duration = durationOf(false);
/** A delay that may be 0 (at once): a rung's `after`, a drill script line's `after`. */
export const delay = durationOf(true);

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

const pageTarget = z.string().refine((value) => parsePageTarget(value) !== undefined, {
  error: 'must be a Slack user id (U0123ABCD), a user-group id (S0123ABCD) or a user-group handle (@oncall)',
});

const tierSchema = z.strictObject({
  tier: text(60),
  after: delay,
  page: z.array(pageTarget).default([]),
  until: z.enum(['acknowledged', 'resolved'], { error: 'must be "acknowledged" or "resolved"' }).default('resolved'),
});

const severitySchema = z.strictObject({
  name: text(30).optional(),
  description: text(150).optional(),
  responseTime: text(60).optional(),
  notify: text(150).optional(),
  updateInterval: duration.optional(),
  autoPost: z.boolean({ error: 'must be true or false' }).optional(),
  escalation: z
    .array(tierSchema)
    .superRefine((tiers, context) => {
      const seen = new Set<string>();
      for (const [index, rung] of tiers.entries()) {
        if (seen.has(rung.tier)) context.addIssue({ code: 'custom', path: [index, 'tier'], message: `"${rung.tier}" appears twice; each rung needs its own name` });
        seen.add(rung.tier);
      }
    })
    .optional(),
});

const ARCHIVE_DAYS_HINT = 'must be a number of days such as 7 (or 0.5 for 12 hours), or 0 to never archive';
const severityLevel = z.enum(SEVERITY_LEVELS, { error: `must be one of ${SEVERITY_LEVELS.join(', ')}` });

const alertRuleSchema = z.strictObject({
  match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String), { error: 'must be labels and their values, e.g. {severity: critical}' }).refine((labels) => Object.keys(labels).length > 0, {
    error: 'must name at least one label: a rule matching every alert would declare an incident for each',
  }),
  declare: severityLevel,
  commander: z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack user id such as U012AB3CD' }).optional(),
});

const componentStatus = z.enum(COMPONENT_STATUSES, { error: `must be one of ${COMPONENT_STATUSES.join(', ')}` });

const statusPageSchema = z.strictObject({
  // Names are what people pick in the declare form; ids are Statuspage's (Components → the component → its id).
  components: z.record(z.string().trim().min(1, { error: 'must not be empty' }).max(75, { error: 'must be at most 75 characters' }), z.string().regex(/^[A-Za-z0-9]+$/, { error: 'must be a Statuspage component id such as 8kbf7d35c070' })).optional(),
  componentStatus: z.strictObject(Object.fromEntries(SEVERITY_LEVELS.map((level) => [level, componentStatus.optional()])) as Record<SeverityLevel, z.ZodOptional<typeof componentStatus>>).optional(),
});

const webhookSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { error: 'must be 1–40 lowercase letters, digits, hyphens or underscores, e.g. "ops-feed"' }),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must be the name of an environment variable holding the secret, e.g. OPS_FEED_WEBHOOK_SECRET' }),
  events: z.array(z.enum(WEBHOOK_EVENTS, { error: `must be among ${WEBHOOK_EVENTS.join(', ')}` })).min(1, { error: 'must name at least one event (leave it out for all)' }).optional(),
  private: z.boolean({ error: 'must be true or false' }).optional(),
});

const KEY_HINT = 'must be 1–40 letters, digits, hyphens or underscores, e.g. "security" or "customer_tier"';
const dataKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, { error: KEY_HINT });

const fieldSchema = z
  .strictObject({
    key: dataKey,
    label: text(FIELD_LIMITS.label),
    kind: z.enum(FIELD_KINDS, { error: `must be one of ${FIELD_KINDS.join(', ')}` }),
    options: z.array(z.union([z.string(), z.number()]).transform(String).pipe(text(FIELD_LIMITS.optionText))).min(1, { error: 'must list at least one option' }).max(FIELD_LIMITS.options, { error: `must list at most ${FIELD_LIMITS.options} options (Slack's limit)` }).optional(),
    required: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine((field, context) => {
    const isSelect = field.kind === 'single_select' || field.kind === 'multi_select';
    if (isSelect && !field.options) context.addIssue({ code: 'custom', path: ['options'], message: `must list the choices of a ${field.kind}` });
    if (!isSelect && field.options) context.addIssue({ code: 'custom', path: ['options'], message: `is only for single_select and multi_select, not ${field.kind}` });
    if (field.options && new Set(field.options).size !== field.options.length) context.addIssue({ code: 'custom', path: ['options'], message: 'lists an option twice' });
  });

const incidentTypeSchema = z.strictObject({
  key: dataKey,
  label: text(75),
  private: z.boolean({ error: 'must be true or false' }).optional(),
  channelPrefix: z.string().regex(CHANNEL_PREFIX_PATTERN, { error: CHANNEL_PREFIX_HINT }).optional(),
  responders: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack user id such as U012AB3CD' })).optional(),
  userGroup: z.string().regex(/^@?[a-z0-9][a-z0-9._-]*$/, { error: 'must be a user-group handle such as @security-oncall' }).transform((handle) => handle.replace(/^@/, '')).optional(),
  fields: z
    .array(fieldSchema)
    .superRefine((fields, context) => {
      const seen = new Set<string>();
      for (const [index, field] of fields.entries()) {
        if (seen.has(field.key)) context.addIssue({ code: 'custom', path: [index, 'key'], message: `"${field.key}" appears twice; each field needs its own key` });
        seen.add(field.key);
      }
    })
    .optional(),
});

const fileSchema = z.strictObject({
  incidentTypes: z
    .array(incidentTypeSchema)
    .superRefine((types, context) => {
      const seen = new Set<string>();
      for (const [index, type] of types.entries()) {
        if (seen.has(type.key)) context.addIssue({ code: 'custom', path: [index, 'key'], message: `"${type.key}" appears twice; each type needs its own key` });
        seen.add(type.key);
      }
    })
    .optional(),
  // A year at most: a typo such as 70000 would otherwise never archive anything without saying so.
  archiveAfterDays: z.number({ error: ARCHIVE_DAYS_HINT }).min(0, { error: ARCHIVE_DAYS_HINT }).max(365, { error: `${ARCHIVE_DAYS_HINT}; at most 365` }).optional(),
  updateInterval: duration.optional(),
  autoPostAfter: delay.optional(),
  severities: z.strictObject(Object.fromEntries(SEVERITY_LEVELS.map((level) => [level, severitySchema.optional()])) as Record<SeverityLevel, z.ZodOptional<typeof severitySchema>>).optional(),
  postMortemReview: z
    .strictObject({
      severities: z.array(z.enum(SEVERITY_LEVELS, { error: `must be one of ${SEVERITY_LEVELS.join(', ')}` })).optional(),
      within: duration.optional(),
      remindEvery: duration.optional(),
    })
    .optional(),
  timeline: z
    .strictObject({
      slackPins: z.enum(SLACK_PIN_HANDLING, { error: `must be ${SLACK_PIN_HANDLING.map((value) => `"${value}"`).join(' or ')}` }).optional(),
    })
    .optional(),
  drills: z
    .strictObject({
      announce: z.boolean({ error: 'must be true or false' }).optional(),
      page: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .optional(),
  alerts: z
    .strictObject({
      severityLabels: z.record(z.string(), severityLevel).optional(),
      rules: z.array(alertRuleSchema).optional(),
    })
    .optional(),
  statusPage: statusPageSchema.optional(),
  webhooks: z
    .array(webhookSchema)
    .superRefine((webhooks, context) => {
      const seen = new Set<string>([ENV_WEBHOOK_NAME]);
      for (const [index, webhook] of webhooks.entries()) {
        if (seen.has(webhook.name)) {
          const why = webhook.name === ENV_WEBHOOK_NAME ? 'is the name of INCIDENT_WEBHOOK_URL\'s endpoint' : 'appears twice';
          context.addIssue({ code: 'custom', path: [index, 'name'], message: `"${webhook.name}" ${why}; each webhook needs its own name` });
        }
        seen.add(webhook.name);
      }
    })
    .optional(),
});

/** The runbooks' process: what a team gets before it writes a configuration file. */
export const DEFAULT_PROCESS: IncidentProcess = {
  severities: [...SEVERITIES],
  updateIntervalMs: undefined,
  perSeverityIntervalMs: {},
  autoPost: {},
  autoPostAfterMs: undefined,
  escalation: DEFAULT_ESCALATION,
  review: DEFAULT_REVIEW,
  drills: { announce: false, page: false },
  archive: DEFAULT_ARCHIVE,
  alerts: { severityLabels: DEFAULT_SEVERITY_LABELS, rules: [] },
  statusPage: { byName: {}, statusBySeverity: DEFAULT_COMPONENT_STATUS },
  webhooks: [],
  incidentTypes: [],
  slackPins: DEFAULT_SLACK_PIN_HANDLING,
};

/**
 * Reads the file at `path` (or the default file when there is one). Returns the problems, one line
 * each naming the file and the setting, instead of throwing: the caller reports them with the
 * environment's.
 */
export function loadIncidentProcess(path: string | undefined): { process: IncidentProcess; file: string | undefined } | { problems: string[] } {
  const file = path ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!file) return { process: DEFAULT_PROCESS, file: undefined };
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message.split('\n')[0];
    return { problems: [`${file} (INCIDENT_CONFIG) cannot be read: ${reason}`] };
  }
  const parsed = fileSchema.safeParse(camelCaseKeys(raw ?? {}));
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => {
        const where = issue.path.length > 0 ? issue.path.join('.') : 'the file';
        const message = issue.code === 'unrecognized_keys' ? `has unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}` : issue.message;
        return `${file}: ${where} ${message}`;
      }),
    };
  }
  const settings = parsed.data;
  const perSeverity = settings.severities ?? {};
  return {
    file,
    process: {
      severities: SEVERITIES.map((base) => {
        const override = perSeverity[base.level];
        return {
          level: base.level,
          name: override?.name ?? base.name,
          summary: override?.description ?? base.summary,
          responseTime: override?.responseTime ?? base.responseTime,
          notify: override?.notify ?? base.notify,
        };
      }),
      updateIntervalMs: settings.updateInterval,
      perSeverityIntervalMs: Object.fromEntries(SEVERITY_LEVELS.flatMap((level) => (perSeverity[level]?.updateInterval ? [[level, perSeverity[level].updateInterval]] : []))),
      autoPost: Object.fromEntries(SEVERITY_LEVELS.flatMap((level) => (perSeverity[level]?.autoPost === undefined ? [] : [[level, perSeverity[level].autoPost]]))),
      autoPostAfterMs: settings.autoPostAfter,
      escalation: Object.fromEntries(
        SEVERITY_LEVELS.map((level) => {
          const tiers = perSeverity[level]?.escalation;
          return [level, tiers ? tiers.map((rung) => ({ name: rung.tier, afterMs: rung.after, page: rung.page, until: rung.until })) : DEFAULT_ESCALATION[level]];
        }),
      ) as EscalationPolicy,
      review: {
        severities: settings.postMortemReview?.severities ?? DEFAULT_REVIEW.severities,
        withinMs: settings.postMortemReview?.within ?? DEFAULT_REVIEW.withinMs,
        remindEveryMs: settings.postMortemReview?.remindEvery ?? DEFAULT_REVIEW.remindEveryMs,
      },
      drills: { announce: settings.drills?.announce ?? false, page: settings.drills?.page ?? false },
      archive: settings.archiveAfterDays === undefined ? DEFAULT_ARCHIVE : { afterMs: Math.round(settings.archiveAfterDays * DAY_MS) },
      alerts: {
        // Label values are matched without regard to case: `Critical` and `critical` are one severity.
        severityLabels: settings.alerts?.severityLabels
          ? Object.fromEntries(Object.entries(settings.alerts.severityLabels).map(([label, level]) => [label.toLowerCase(), level]))
          : DEFAULT_SEVERITY_LABELS,
        rules: (settings.alerts?.rules ?? []).map((rule) => ({ match: rule.match, declare: rule.declare, commander: rule.commander })),
      },
      statusPage: {
        byName: settings.statusPage?.components ?? {},
        statusBySeverity: { ...DEFAULT_COMPONENT_STATUS, ...definedOnly(settings.statusPage?.componentStatus ?? {}) },
      },
      webhooks: (settings.webhooks ?? []).map((webhook) => ({
        name: webhook.name,
        url: webhook.url,
        secretEnv: webhook.secretEnv,
        events: [...new Set(webhook.events ?? WEBHOOK_EVENTS)],
        private: webhook.private ?? false,
      })),
      incidentTypes: (settings.incidentTypes ?? []).map((type) => ({
        key: type.key,
        label: type.label,
        // `private: true` only sets where the form's checkbox starts; the declarer can still change it.
        isPrivate: type.private ?? false,
        channelPrefix: type.channelPrefix,
        responders: type.responders ?? [],
        userGroup: type.userGroup,
        fields: (type.fields ?? []).map((field) => ({ key: field.key, label: field.label, kind: field.kind, options: field.options ?? [], required: field.required ?? false })),
      })),
      slackPins: settings.timeline?.slackPins ?? DEFAULT_SLACK_PIN_HANDLING,
    },
  };
}

const definedOnly = <T extends object>(record: T): Partial<T> => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;


/**
 * YAML files are written both ways: `auto_post` reads as `autoPost`, `update_interval` as
 * `updateInterval`. Keys only; values (tier names, handles) and names used as keys are left as written.
 */
function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const name = key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
      return [name, KEYS_ARE_DATA.has(name) ? inner : camelCaseKeys(inner)];
    }),
  );
}

/**
 * Settings whose keys are data, kept as written: alert labels (`team_name` is not `teamName`) and
 * the status page's component names.
 */
const KEYS_ARE_DATA = new Set(['match', 'severityLabels', 'components']);

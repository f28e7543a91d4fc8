/**
 * When an open incident is owed an update reminder. The schedule is derived from what is stored
 * (last update, last reminder, snooze), never from a timer's memory, so a restart computes the
 * same answer: a reminder missed while the bot was down is due once, now.
 */
import type { Incident } from './incident.js';
import type { SeverityLevel } from './severity.js';

export const DEFAULT_UPDATE_INTERVAL_MS = 30 * 60_000;
export const SNOOZE_MS = 15 * 60_000;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** "45s", "10m", "1h", "1h30m" → milliseconds; undefined for anything else. */
export function parseInterval(text: string): number | undefined {
  const compact = text.trim().toLowerCase();
  if (!/^(\d+[smh])+$/.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)([smh])/g)) total += Number(amount) * UNITS[unit!]!;
  return total > 0 ? total : undefined;
}

export interface ReminderSettings {
  defaultIntervalMs: number;
  perSeverity: Partial<Record<SeverityLevel, number>>;
  /** Severities whose update the bot posts itself when nobody does (`autoPost`, INCIDENT_AUTO_UPDATE). */
  autoPost: readonly SeverityLevel[];
  /** How long after the drafted reminder the bot posts it itself; undefined: `autoPostDelayMs`'s default. */
  autoPostAfterMs: number | undefined;
}

/** The runbooks promise SEV1 and SEV2 stakeholders an update every interval, whoever is free to write it. */
export const DEFAULT_AUTO_POST: readonly SeverityLevel[] = ['SEV1', 'SEV2'];
/** Time for the commander to post the draft or their own before the bot does: 5 minutes, or a third of a shorter interval. */
export const DEFAULT_AUTO_POST_AFTER_MS = 5 * 60_000;

export const intervalFor = (settings: ReminderSettings, severity: SeverityLevel) => settings.perSeverity[severity] ?? settings.defaultIntervalMs;

/** Never longer than the interval: the bot's update comes before what would have been the next reminder. */
export function autoPostDelayMs(settings: ReminderSettings, severity: SeverityLevel): number {
  const interval = intervalFor(settings, severity);
  return Math.min(settings.autoPostAfterMs ?? Math.min(DEFAULT_AUTO_POST_AFTER_MS, Math.floor(interval / 3)), interval);
}

/** What is stored about an incident's reminders. */
export interface ReminderState {
  lastRemindedAt: Date | null;
  /** Snoozed, or waiting after Slack failed: not before this. */
  notBefore: Date | null;
  /** Restarted (reopen): counts like an update. */
  restartedAt: Date | null;
}

export const NO_REMINDER_STATE: ReminderState = { lastRemindedAt: null, notBefore: null, restartedAt: null };

/**
 * What an open incident is owed next about its updates, and when: the drafted reminder once the
 * interval has passed since the last update (or reminder); for severities the bot updates itself,
 * the automatic update `autoPostDelayMs` after that reminder if still nobody has posted. Undefined
 * when nothing is owed (resolved, or not live).
 */
export function nextUpdateDue(incident: Incident, state: ReminderState, settings: ReminderSettings): { kind: 'update' | 'automatic'; at: Date } | undefined {
  if (incident.phase !== 'live' || incident.status === 'resolved') return undefined;
  const updated = Math.max((incident.lastUpdateAt ?? incident.declaredAt).getTime(), state.restartedAt?.getTime() ?? 0);
  const reminded = state.lastRemindedAt?.getTime() ?? 0;
  const notBefore = state.notBefore?.getTime() ?? 0;
  const automatic = settings.autoPost.includes(incident.severity);
  const delay = autoPostDelayMs(settings, incident.severity);
  // This interval's reminder is out and nobody has posted since: the bot's turn.
  if (automatic && reminded > updated) return { kind: 'automatic', at: new Date(Math.max(reminded + delay, notBefore)) };
  const due = Math.max(Math.max(updated, reminded) + intervalFor(settings, incident.severity), notBefore);
  // No time to wait for anyone: the automatic update is the reminder.
  return { kind: automatic && delay === 0 ? 'automatic' : 'update', at: new Date(due) };
}

/** When the next reminder or automatic update is due, or undefined when none is owed. */
export const nextReminderAt = (incident: Incident, state: ReminderState, settings: ReminderSettings): Date | undefined => nextUpdateDue(incident, state, settings)?.at;

/** Post-incident review reminders: for which severities (the highest reached), by when, how often. */
export interface ReviewSettings {
  severities: SeverityLevel[];
  withinMs: number;
  remindEveryMs: number;
}

/** The runbooks: SEV1 and SEV2 get a post-mortem review within 24 hours. */
export const DEFAULT_REVIEW: ReviewSettings = { severities: ['SEV1', 'SEV2'], withinMs: 24 * 3_600_000, remindEveryMs: 6 * 3_600_000 };

/** Whether a resolved incident still owes its post-mortem review. Judged by the highest severity it reached. */
export const awaitsReview = (incident: Incident, review: ReviewSettings) =>
  incident.phase === 'live' && incident.status === 'resolved' && !incident.reviewDoneAt && review.severities.includes(incident.highestSeverity);

/** When the review should be held by. */
export const reviewDeadline = (incident: Incident, review: ReviewSettings) => new Date((incident.resolvedAt ?? incident.declaredAt).getTime() + review.withinMs);

/**
 * When the next review reminder is due: every `remindEveryMs` after the resolve until the review is
 * marked held. The same stored state as update reminders, so it survives restarts the same way.
 */
export function nextReviewReminderAt(incident: Incident, state: ReminderState, review: ReviewSettings): Date | undefined {
  if (!awaitsReview(incident, review)) return undefined;
  const since = Math.max(incident.resolvedAt?.getTime() ?? 0, state.lastRemindedAt?.getTime() ?? 0, state.restartedAt?.getTime() ?? 0);
  return new Date(Math.max(since + review.remindEveryMs, state.notBefore?.getTime() ?? 0));
}

export type ReminderKind = 'update' | 'automatic' | 'review';

/** The one reminder an incident is owed next: an update (drafted, or posted by the bot) while open, the review once resolved. */
export function nextReminder(incident: Incident, state: ReminderState, settings: ReminderSettings, review: ReviewSettings): { kind: ReminderKind; at: Date } | undefined {
  const update = nextUpdateDue(incident, state, settings);
  if (update) return update;
  const reviewAt = nextReviewReminderAt(incident, state, review);
  return reviewAt && { kind: 'review', at: reviewAt };
}

/** How long since the last update (or the declaration): what the reminder says. */
export const silenceMs = (incident: Incident, now: Date) => Math.max(0, now.getTime() - (incident.lastUpdateAt ?? incident.declaredAt).getTime());

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
}

export const intervalFor = (settings: ReminderSettings, severity: SeverityLevel) => settings.perSeverity[severity] ?? settings.defaultIntervalMs;

/** What is stored about an incident's reminders. */
export interface ReminderState {
  lastRemindedAt: Date | null;
  /** Snoozed, or waiting after Slack failed: not before this. */
  notBefore: Date | null;
  /** Restarted (reopen): counts like an update. */
  restartedAt: Date | null;
}

export const NO_REMINDER_STATE: ReminderState = { lastRemindedAt: null, notBefore: null, restartedAt: null };

/** When the next reminder is due, or undefined when none is owed (resolved, or not live). */
export function nextReminderAt(incident: Incident, state: ReminderState, settings: ReminderSettings): Date | undefined {
  if (incident.phase !== 'live' || incident.status === 'resolved') return undefined;
  const since = Math.max(
    (incident.lastUpdateAt ?? incident.declaredAt).getTime(),
    state.lastRemindedAt?.getTime() ?? 0,
    state.restartedAt?.getTime() ?? 0,
  );
  const due = since + intervalFor(settings, incident.severity);
  return new Date(Math.max(due, state.notBefore?.getTime() ?? 0));
}

/** How long since the last update (or the declaration): what the reminder says. */
export const silenceMs = (incident: Incident, now: Date) => Math.max(0, now.getTime() - (incident.lastUpdateAt ?? incident.declaredAt).getTime());

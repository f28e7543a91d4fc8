/**
 * The insights report (`npm run report`): one row of figures per incident, totals with medians,
 * and incidents per week. Pure, so the figures can be fixed in tests with any clock.
 */
import type { Incident } from './incident.js';
import { median } from './insights.js';
import { keyFigures } from './postmortem.js';
import { SEVERITY_LEVELS, type SeverityLevel } from './severity.js';
import { isoDateInZone } from './time.js';
import type { TimelineEntry } from './timeline.js';

/**
 * An incident as the report reads it. One without a type (or an impact start) shows "—" in that
 * column, and its time to resolve counts from the declaration.
 */
export type ReportedIncident = Incident;

export interface ReportSource {
  incident: ReportedIncident;
  /** Its status updates (other entries may be given; only updates count). */
  timeline: readonly TimelineEntry[];
  actionItems: { open: number; done: number };
}

export interface ReportRow {
  id: number;
  title: string;
  type: string | null;
  highestSeverity: SeverityLevel;
  finalSeverity: SeverityLevel;
  declaredAt: Date;
  impactStartedAt: Date | null;
  resolvedAt: Date | null;
  timeToAcknowledgeMs: number | null;
  /** From the impact start when one is given, else from the declaration; null while open. */
  timeToResolveMs: number | null;
  updateCount: number;
  /** The longest stretch without a status update while open: declaration, updates, resolve (or now). */
  longestSilenceMs: number | null;
  actionsOpen: number;
  actionsDone: number;
}

/** The figures of one incident; `now` ends the silence of one still open. */
export function reportRow({ incident, timeline, actionItems }: ReportSource, now: Date): ReportRow {
  const figures = keyFigures(incident, timeline, now);
  const impactStartedAt = incident.impactStartedAt;
  const resolveFrom = impactStartedAt ?? incident.declaredAt;
  return {
    id: incident.id,
    title: incident.title,
    type: incident.type ?? null,
    highestSeverity: incident.highestSeverity,
    finalSeverity: incident.severity,
    declaredAt: incident.declaredAt,
    impactStartedAt,
    resolvedAt: incident.resolvedAt,
    timeToAcknowledgeMs: figures.timeToAcknowledgeMs,
    timeToResolveMs: incident.resolvedAt ? Math.max(0, incident.resolvedAt.getTime() - resolveFrom.getTime()) : null,
    updateCount: figures.updateCount,
    longestSilenceMs: figures.longestGap?.ms ?? null,
    actionsOpen: actionItems.open,
    actionsDone: actionItems.done,
  };
}

export interface ReportTotal {
  /** The severity or type; null for incidents without a type. */
  key: string | null;
  count: number;
  /** Of the incidents acknowledged (resolved), the median time; null when none was. */
  medianTimeToAcknowledgeMs: number | null;
  medianTimeToResolveMs: number | null;
}

const present = (values: (number | null)[]) => values.filter((value): value is number => value !== null);

function totalsOf(rows: readonly ReportRow[], keys: readonly (string | null)[], keyOf: (row: ReportRow) => string | null): ReportTotal[] {
  return keys.map((key) => {
    const group = rows.filter((row) => keyOf(row) === key);
    return {
      key,
      count: group.length,
      medianTimeToAcknowledgeMs: median(present(group.map((row) => row.timeToAcknowledgeMs))),
      medianTimeToResolveMs: median(present(group.map((row) => row.timeToResolveMs))),
    };
  });
}

/** Per highest severity (what the incident was at its worst), in the catalogue's order, only those seen. */
export function totalsBySeverity(rows: readonly ReportRow[]): ReportTotal[] {
  return totalsOf(rows, SEVERITY_LEVELS.filter((level) => rows.some((row) => row.highestSeverity === level)), (row) => row.highestSeverity);
}

/** Per type, alphabetically, the incidents without one last. */
export function totalsByType(rows: readonly ReportRow[]): ReportTotal[] {
  const types = [...new Set(rows.map((row) => row.type).filter((type): type is string => type !== null))].sort((a, b) => a.localeCompare(b, 'en'));
  return totalsOf(rows, rows.some((row) => row.type === null) ? [...types, null] : types, (row) => row.type);
}

export interface WeekCount {
  /** The Monday the week starts on (YYYY-MM-DD, in the report's zone). */
  weekOf: string;
  count: number;
}

const DAY_MS = 86_400_000;

/** The Monday of a calendar date (YYYY-MM-DD), as a calendar date. */
function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

/** Every week (Monday to Sunday in `timeZone`) from the one holding `since` to the one holding `now`, with the incidents declared in it; weeks without any count 0. */
export function incidentsPerWeek(rows: readonly ReportRow[], since: Date, now: Date, timeZone: string): WeekCount[] {
  const counts = new Map<string, number>();
  for (let week = mondayOf(isoDateInZone(since, timeZone)), last = mondayOf(isoDateInZone(now, timeZone)); week <= last; week = new Date(Date.parse(`${week}T00:00:00Z`) + 7 * DAY_MS).toISOString().slice(0, 10)) counts.set(week, 0);
  for (const row of rows) {
    const week = mondayOf(isoDateInZone(row.declaredAt, timeZone));
    if (counts.has(week)) counts.set(week, counts.get(week)! + 1);
  }
  return [...counts].map(([weekOf, count]) => ({ weekOf, count }));
}

/** The longest window a report covers: ten years. */
export const MAX_REPORT_DAYS = 3650;

/** "90d", "12w": the start of a window ending `now`; undefined when the text is not one (or is longer than ten years). */
export function reportWindowStart(text: string, now: Date): Date | undefined {
  const match = /^(\d{1,5})([dw])$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const days = Number(match[1]) * (match[2] === 'w' ? 7 : 1);
  if (days < 1 || days > MAX_REPORT_DAYS) return undefined;
  return new Date(now.getTime() - days * DAY_MS);
}

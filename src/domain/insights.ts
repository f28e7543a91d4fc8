/**
 * How fast incidents are answered and ended, per severity, over a window of days: the statistics
 * the Home tab shows and the insights report (`npm run report`) reuses. Pure: the incidents and
 * `now` are given. Drills are left out here too, so a caller cannot count one by mistake.
 */
import type { Incident } from './incident.js';
import { SEVERITY_LEVELS, type SeverityLevel } from './severity.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The windows Home shows, in days. */
export const HOME_WINDOWS_DAYS = [30, 90] as const;

/** What the statistics read of an incident. */
export type MeasuredIncident = Pick<Incident, 'severity' | 'declaredAt' | 'acknowledgedAt' | 'resolvedAt' | 'drillScenario'>;

/** One severity in one window. A median is null when no incident in it has the time measured. */
export interface SeverityStatistics {
  severity: SeverityLevel;
  /** Incidents declared in the window (resolved or not). */
  count: number;
  /** Median milliseconds from declaration to acknowledgement, of those acknowledged. */
  medianTimeToAcknowledgeMs: number | null;
  /** Median milliseconds from declaration to resolution, of those resolved. */
  medianTimeToResolveMs: number | null;
}

export interface WindowStatistics {
  days: number;
  /** Every severity level, in order, even those with no incident (count 0). */
  bySeverity: SeverityStatistics[];
}

/** The median of the values (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Milliseconds from declaration to acknowledgement; null until acknowledged. */
export const timeToAcknowledgeMs = (incident: MeasuredIncident): number | null =>
  incident.acknowledgedAt ? Math.max(0, incident.acknowledgedAt.getTime() - incident.declaredAt.getTime()) : null;

/** Milliseconds from declaration to resolution; null until resolved. */
export const timeToResolveMs = (incident: MeasuredIncident): number | null =>
  incident.resolvedAt ? Math.max(0, incident.resolvedAt.getTime() - incident.declaredAt.getTime()) : null;

/** Count and medians per severity of the real incidents declared in the last `days` days before `now` (now included). */
export function severityStatistics(incidents: readonly MeasuredIncident[], now: Date, days: number): WindowStatistics {
  const since = now.getTime() - days * DAY_MS;
  const inWindow = incidents.filter((incident) => incident.drillScenario === null && incident.declaredAt.getTime() >= since && incident.declaredAt.getTime() <= now.getTime());
  const bySeverity = SEVERITY_LEVELS.map((severity): SeverityStatistics => {
    const ofLevel = inWindow.filter((incident) => incident.severity === severity);
    return {
      severity,
      count: ofLevel.length,
      medianTimeToAcknowledgeMs: median(ofLevel.map(timeToAcknowledgeMs).filter((ms): ms is number => ms !== null)),
      medianTimeToResolveMs: median(ofLevel.map(timeToResolveMs).filter((ms): ms is number => ms !== null)),
    };
  });
  return { days, bySeverity };
}

/** The start of the longest window: what to read from the store. */
export const windowStart = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

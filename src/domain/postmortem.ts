/**
 * The facts a post-mortem starts from, computed from the incident and its timeline: pure, so the
 * bot and `npm run postmortem` give the same figures, and tests can fix every time.
 */
import type { Incident } from './incident.js';
import type { TimelineEntry } from './timeline.js';

export interface KeyFigures {
  timeToAcknowledgeMs: number | null;
  timeToFirstUpdateMs: number | null;
  timeToResolveMs: number | null;
  updateCount: number;
  /**
   * The longest stretch without news: between the declaration, each status update and the resolve
   * (or `now` while open). What the update reminders are there to keep short.
   */
  longestGap: { ms: number; from: Date; to: Date } | null;
}

const since = (from: Date, to: Date | null | undefined) => (to ? Math.max(0, to.getTime() - from.getTime()) : null);

/** `timeline` in any order; entries are read, never changed. */
export function keyFigures(incident: Incident, timeline: readonly TimelineEntry[], now: Date): KeyFigures {
  const updates = timeline.filter((entry) => entry.kind === 'status_update').map((entry) => entry.at.getTime());
  updates.sort((a, b) => a - b);
  const end = (incident.resolvedAt ?? now).getTime();
  const points = [incident.declaredAt.getTime(), ...updates.filter((at) => at <= end), end];
  let longestGap: KeyFigures['longestGap'] = null;
  for (let i = 1; i < points.length; i += 1) {
    const ms = points[i]! - points[i - 1]!;
    if (!longestGap || ms > longestGap.ms) longestGap = { ms, from: new Date(points[i - 1]!), to: new Date(points[i]!) };
  }
  return {
    timeToAcknowledgeMs: since(incident.declaredAt, incident.acknowledgedAt),
    timeToFirstUpdateMs: updates.length > 0 ? Math.max(0, updates[0]! - incident.declaredAt.getTime()) : null,
    timeToResolveMs: since(incident.declaredAt, incident.resolvedAt),
    updateCount: updates.length,
    longestGap,
  };
}

/** The timeline in time order; entries at the same instant keep the order they were recorded in. */
export function inTimeOrder<T extends TimelineEntry>(timeline: readonly T[]): T[] {
  return timeline
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
}

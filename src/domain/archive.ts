/**
 * When a resolved incident's channel is archived: `afterMs` (archive_after_days) after the resolve,
 * or after the last **Keep open**, never while its post-mortem review is owed. The channel is
 * warned first, 24 hours ahead (at once when the whole period is shorter than a day), and a warned
 * channel always gets its full notice: a review held late warns then, and archives a day later.
 * Pure: the scheduler pass and its tests ask it with the time.
 */
import type { Incident } from './incident.js';

export const DAY_MS = 24 * 3_600_000;

export interface ArchiveSettings {
  /** How long after the resolve the channel is archived; 0: never. */
  afterMs: number;
}

/** The runbooks' week: a channel stays a week after the resolve, for the post-mortem and questions. */
export const DEFAULT_ARCHIVE: ArchiveSettings = { afterMs: 7 * DAY_MS };

/** What the bot has done about an incident's channel since it was resolved. */
export interface ArchiveState {
  warnedAt: Date | null;
  keptOpenAt: Date | null;
  keptOpenBy: string | null;
  archivedAt: Date | null;
  /** Slack refused for good (not in the channel, a missing scope): told once, not tried again until kept open or resolved again. */
  gaveUpAt: Date | null;
}

export const NO_ARCHIVE_STATE: ArchiveState = { warnedAt: null, keptOpenAt: null, keptOpenBy: null, archivedAt: null, gaveUpAt: null };

export type ArchiveStepKind = 'warn' | 'archive';

/** How far ahead the warning comes: a day, or the whole period when it is shorter. */
export const noticeMs = (settings: ArchiveSettings) => Math.min(DAY_MS, settings.afterMs);

/** What the period counts from: the resolve, or the last Keep open since it. */
export function archiveClockStart(incident: Incident, state: ArchiveState): Date | undefined {
  if (!incident.resolvedAt) return undefined;
  return state.keptOpenAt && state.keptOpenAt >= incident.resolvedAt ? state.keptOpenAt : incident.resolvedAt;
}

/** When the channel is archived if nobody keeps it open, as the warning says. */
export function plannedArchiveAt(incident: Incident, state: ArchiveState, settings: ArchiveSettings): Date | undefined {
  const start = archiveClockStart(incident, state);
  return start && new Date(start.getTime() + settings.afterMs);
}

/**
 * The next thing owed to the incident's channel and when: the warning, then the archive. Nothing
 * when archiving is off, the incident is not resolved, its channel is archived, Slack refused for
 * good since the clock started, or its post-mortem review is still owed (`reviewPending`).
 */
export function nextArchiveStep(incident: Incident, state: ArchiveState, settings: ArchiveSettings, reviewPending: boolean): { kind: ArchiveStepKind; at: Date } | undefined {
  if (settings.afterMs <= 0 || incident.phase !== 'live' || incident.status !== 'resolved' || state.archivedAt) return undefined;
  const start = archiveClockStart(incident, state);
  if (!start || reviewPending) return undefined;
  if (state.gaveUpAt && state.gaveUpAt >= start) return undefined;
  const archiveAt = start.getTime() + settings.afterMs;
  const notice = noticeMs(settings);
  // A warning from before the clock started (an earlier resolve, or before a Keep open) does not count.
  const warnedAt = state.warnedAt && state.warnedAt >= start ? state.warnedAt : null;
  if (!warnedAt) return { kind: 'warn', at: new Date(Math.max(start.getTime(), archiveAt - notice)) };
  return { kind: 'archive', at: new Date(Math.max(archiveAt, warnedAt.getTime() + notice)) };
}

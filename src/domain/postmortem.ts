/**
 * The facts a post-mortem starts from, computed from the incident and its timeline: pure, so the
 * bot and `npm run postmortem` give the same figures, and tests can fix every time.
 */
import type { Incident } from './incident.js';
import { updateSourceOf } from './statusDraft.js';
import type { TimelineEntry } from './timeline.js';

export interface KeyFigures {
  timeToAcknowledgeMs: number | null;
  timeToFirstUpdateMs: number | null;
  timeToResolveMs: number | null;
  updateCount: number;
  /** Of those: written by people (from the bot's draft or not), the bot's drafts posted as is, posted by the bot alone. */
  updatesBySource: { person: number; draft: number; automatic: number };
  /**
   * The longest stretch without news: between the declaration, each status update and the resolve
   * (or `now` while open). What the update reminders are there to keep short.
   */
  longestGap: Gap | null;
  /** The same, counting only updates people wrote: how long the responders were silent while the bot spoke. */
  longestGapWithoutPerson: Gap | null;
}

type Gap = { ms: number; from: Date; to: Date };

/** The longest stretch between consecutive points. */
function longestBetween(points: readonly number[]): Gap | null {
  let longest: Gap | null = null;
  for (let i = 1; i < points.length; i += 1) {
    const ms = points[i]! - points[i - 1]!;
    if (!longest || ms > longest.ms) longest = { ms, from: new Date(points[i - 1]!), to: new Date(points[i]!) };
  }
  return longest;
}

const since = (from: Date, to: Date | null | undefined) => (to ? Math.max(0, to.getTime() - from.getTime()) : null);

/** `timeline` in any order; entries are read, never changed. */
export function keyFigures(incident: Incident, timeline: readonly TimelineEntry[], now: Date): KeyFigures {
  const entries = timeline.filter((entry) => entry.kind === 'status_update');
  const updates = entries.map((entry) => entry.at.getTime()).sort((a, b) => a - b);
  const written = entries.filter((entry) => updateSourceOf(entry) === 'person').map((entry) => entry.at.getTime()).sort((a, b) => a - b);
  const end = (incident.resolvedAt ?? now).getTime();
  const between = (times: number[]) => longestBetween([incident.declaredAt.getTime(), ...times.filter((at) => at <= end), end]);
  const updatesBySource = { person: 0, draft: 0, automatic: 0 };
  for (const entry of entries) updatesBySource[updateSourceOf(entry)] += 1;
  return {
    timeToAcknowledgeMs: since(incident.declaredAt, incident.acknowledgedAt),
    timeToFirstUpdateMs: updates.length > 0 ? Math.max(0, updates[0]! - incident.declaredAt.getTime()) : null,
    // From the impact's start when given: how long users were hurt, not how long the bot knew.
    timeToResolveMs: since(incident.impactStartedAt ?? incident.declaredAt, incident.resolvedAt),
    updateCount: updates.length,
    updatesBySource,
    longestGap: between(updates),
    longestGapWithoutPerson: between(written),
  };
}

/** The timeline in time order; entries at the same instant keep the order they were recorded in. */
export function inTimeOrder<T extends TimelineEntry>(timeline: readonly T[]): T[] {
  return timeline
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
}

/** One value the impact had, and since when. */
export interface ImpactChange {
  at: Date;
  impact: string;
}

/**
 * The impact as declared and each change to it, in time order: the declaration's entry carries the
 * impact as declared, each status update people wrote the impact it gave. An update that repeats
 * the impact is no change. An incident declared before the declaration carried it starts from its
 * first update's impact (or its current one).
 */
export function impactHistory(incident: Incident, timeline: readonly TimelineEntry[]): ImpactChange[] {
  const history: ImpactChange[] = [];
  const declared = timeline.find((entry) => entry.kind === 'declared');
  if (typeof declared?.data?.impact === 'string' && declared.data.impact.trim()) history.push({ at: incident.declaredAt, impact: declared.data.impact.trim() });
  for (const entry of inTimeOrder(timeline)) {
    if (entry.kind !== 'status_update' || typeof entry.data?.impact !== 'string') continue;
    const impact = entry.data.impact.trim();
    if (impact && impact !== history.at(-1)?.impact) history.push({ at: entry.at, impact });
  }
  if (history.length === 0 && incident.impact.trim()) history.push({ at: incident.declaredAt, impact: incident.impact.trim() });
  return history;
}

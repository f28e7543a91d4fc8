/** One line of an incident's timeline, as stored: who did what, when. */
export interface TimelineEntry {
  at: Date;
  /** Null for what the bot did by itself (an escalation). */
  actorId: string | null;
  kind: string;
  text: string;
  data?: Record<string, unknown>;
  /** For a :pushpin:-pinned message: the Slack message it is. */
  messageTs?: string | null;
}

/**
 * What Slack's own pin (the message menu's "Pin to channel") does: `record` counts it as a
 * :pushpin: on the message, `ignore` leaves the timeline to :pushpin: alone.
 */
export const SLACK_PIN_HANDLING = ['record', 'ignore'] as const;
export type SlackPinHandling = (typeof SLACK_PIN_HANDLING)[number];
/** People pin what matters in Slack's own way and expect it on the record (README, Timeline). */
export const DEFAULT_SLACK_PIN_HANDLING: SlackPinHandling = 'record';

/** What a pinned message's entry becomes: its text and data. */
export type PinnedRevision = { text: string; data: Record<string, unknown> };

/**
 * A :pushpin:-ed message edited in Slack: the entry shows the text as it is now, and keeps each
 * earlier text in `data.edits`, so the record still says what was first written. Undefined when
 * the text did not change (Slack sends message_changed for a link preview too).
 */
export function pinnedMessageEdited(entry: Pick<TimelineEntry, 'text' | 'data'>, text: string, at: Date): PinnedRevision | undefined {
  if (entry.text === text) return undefined;
  const edits = Array.isArray(entry.data?.edits) ? (entry.data.edits as unknown[]) : [];
  return { text, data: { ...entry.data, edits: [...edits, { at: at.toISOString(), previousText: entry.text }] } };
}

/**
 * A :pushpin:-ed message deleted in Slack: the entry keeps its text for the record (the post-mortem
 * marks it deleted) and says when. Undefined when already marked.
 */
export function pinnedMessageDeleted(entry: Pick<TimelineEntry, 'text' | 'data'>, at: Date): PinnedRevision | undefined {
  if (typeof entry.data?.deletedAt === 'string') return undefined;
  return { text: entry.text, data: { ...entry.data, deletedAt: at.toISOString() } };
}

/** An entry taken off the timeline with `/incident timeline`: kept in the store, left out of the post-mortem. */
export const isRemovedEntry = (entry: Pick<TimelineEntry, 'data'>): boolean => typeof entry.data?.removedAt === 'string';

/** The entries that record an edit or a removal: the store's record of who changed the timeline, not part of the story itself. */
export const TIMELINE_REVISION_KINDS: readonly string[] = ['timeline_edited', 'timeline_removed'];

/** What the post-mortem tells: the entries as they read now, without the removed ones and the records of the revisions. */
export const storyOf = <E extends Pick<TimelineEntry, 'kind' | 'data'>>(timeline: readonly E[]): E[] =>
  timeline.filter((entry) => !isRemovedEntry(entry) && !TIMELINE_REVISION_KINDS.includes(entry.kind));

/**
 * An entry's text changed with `/incident timeline`: like a pinned message's edit, the earlier
 * text stays in `data.edits`, with who changed it. Undefined when nothing changes or the entry is removed.
 */
export function timelineEntryEdited(entry: Pick<TimelineEntry, 'text' | 'data'>, text: string, by: string, at: Date): PinnedRevision | undefined {
  if (entry.text === text || isRemovedEntry(entry)) return undefined;
  const edits = Array.isArray(entry.data?.edits) ? (entry.data.edits as unknown[]) : [];
  return { text, data: { ...entry.data, edits: [...edits, { at: at.toISOString(), by, previousText: entry.text }] } };
}

/** An entry taken off with `/incident timeline`: kept, marked with who and when. Undefined when already removed. */
export function timelineEntryRemoved(entry: Pick<TimelineEntry, 'text' | 'data'>, by: string, at: Date): PinnedRevision | undefined {
  if (isRemovedEntry(entry)) return undefined;
  return { text: entry.text, data: { ...entry.data, removedBy: by, removedAt: at.toISOString() } };
}

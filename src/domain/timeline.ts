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

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

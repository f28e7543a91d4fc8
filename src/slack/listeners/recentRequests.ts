/**
 * Remembers request keys (trigger ids) for a few minutes, so a request Slack delivers twice is
 * acted on once. Used where the action itself is not stored (opening a form); stored actions are
 * made idempotent in the database instead.
 */
export class RecentRequests {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs = 5 * 60_000) {}

  /** True the first time a key is offered within the TTL, false for a repeat. */
  firstTime(key: string, now = Date.now()): boolean {
    for (const [seenKey, at] of this.seen) {
      if (now - at <= this.ttlMs) break; // insertion order: the rest are newer
      this.seen.delete(seenKey);
    }
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }
}

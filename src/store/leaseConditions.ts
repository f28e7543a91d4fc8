/**
 * The compare-and-set conditions of the one lease mechanism, the same in SQL for every store: the
 * SQLite and PostgreSQL lease tables have the same columns.
 */
import { inArray, isNull, lt, lte, or, type Column } from 'drizzle-orm';
import type { Claim } from '../ports.js';

/** A send finished or given up: nobody holds the lease and nothing is in flight. */
export const NO_LEASE = { leaseOwner: null, leaseUntil: null, pendingKey: null, pendingSince: null };
/** The same for a reminder, which also says what its send in flight is. */
export const NOTHING_PENDING = { ...NO_LEASE, pendingKind: null, pendingDraftId: null };

/** The lease columns every scheduled slot has. */
export interface LeaseColumns {
  leaseOwner: Column;
  leaseUntil: Column;
  notBefore: Column;
}

/** Nobody holds the lease, it ran out, or its holder is known to be gone. */
export const leaseFree = (table: LeaseColumns, now: Date, deadOwners: readonly string[]) =>
  or(isNull(table.leaseUntil), lt(table.leaseUntil, now), deadOwners.length > 0 ? inArray(table.leaseOwner, [...deadOwners]) : undefined);

/** Not waiting to retry (or snoozed) past now. */
export const notWaiting = (table: LeaseColumns, now: Date) => or(isNull(table.notBefore), lte(table.notBefore, now));

/** The reminder row a claim returned, in both stores' shape: what was in flight, and the schedule. */
export function reminderClaim(row: {
  lastRemindedAt: Date | null;
  notBefore: Date | null;
  restartedAt: Date | null;
  pendingKey: string | null;
  pendingSince: Date | null;
  pendingKind: 'reminder' | 'automatic' | null;
  pendingDraftId: number | null;
}): Claim {
  return {
    pendingKey: row.pendingKey,
    pendingSince: row.pendingSince,
    pending: row.pendingKind === 'automatic' && row.pendingDraftId !== null ? { kind: 'automatic', draftId: row.pendingDraftId } : row.pendingKey ? { kind: 'reminder' } : null,
    reminder: { lastRemindedAt: row.lastRemindedAt, notBefore: row.notBefore, restartedAt: row.restartedAt },
  };
}

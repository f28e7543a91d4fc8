/**
 * The due-time index, the same for every store: each incident row says when it is next owed a
 * reminder, an escalation page and its channel's archive step, so a scheduler pass reads only what is due. The store does not
 * know the schedule's rule (it is the domain's, with settings from the configuration); a change
 * that may move a due time writes "look again now" in its own transaction, and the pass stores the
 * true time it computes, unless another change came in meanwhile (`scheduleVersion`).
 */
import { sql, type Column } from 'drizzle-orm';
import type { DueKind } from '../ports.js';

/** The due time that means "look again now": before any real time, so the next pass reads the incident. */
export const LOOK_AGAIN = new Date(0);

/** Written with every change that may move an incident's due times. */
export const lookAgain = (scheduleVersion: Column) => ({ reminderDueAt: LOOK_AGAIN, escalationDueAt: LOOK_AGAIN, archiveDueAt: LOOK_AGAIN, scheduleVersion: sql`${scheduleVersion} + 1` });

/** The column of each kind of due time, in both stores' incidents table. */
export const DUE_COLUMN: Record<DueKind, string> = { reminder: 'reminder_due_at', escalation: 'escalation_due_at', archive: 'archive_due_at' };

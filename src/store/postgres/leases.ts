import { and, eq, gt, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { leaseFree, NO_LEASE, NOTHING_PENDING, notWaiting, reminderClaim, type LeaseColumns } from '../leaseConditions.js';
import type { Claim, Leases, PendingSend, ScheduledSlot } from '../../ports.js';
import type { PgDb as Db } from './db.js';
import { channelArchives, drillSteps, escalations, incidents, reminders } from './schema.js';

/** Every incident of $1 has its reminder row, so a batch claim finds one to lock. */
const REMINDER_ROWS = `insert into reminders (incident_id) select unnest($1::integer[]) on conflict do nothing`;

/**
 * `claimDueReminders`: the rows are locked by the subquery, which skips any another process has
 * locked and checks the conditions again on the row it locked; the UPDATE leases what it locked.
 */
const CLAIM_DUE_REMINDERS = `
  update reminders set lease_owner = $2, lease_until = $3
  where incident_id in (
    select reminders.incident_id from reminders join incidents on incidents.id = reminders.incident_id
    where reminders.incident_id = any($1::integer[])
      and (reminders.lease_until is null or reminders.lease_until < $4 or reminders.lease_owner = any($5::text[]))
      and (reminders.not_before is null or reminders.not_before <= $6)
      and incidents.reminder_due_at <= $6
    for update of reminders skip locked)
  returning incident_id, last_reminded_at, not_before, restarted_at, pending_key, pending_since, pending_kind, pending_draft_id`;

interface ClaimedReminderRow {
  incident_id: number;
  last_reminded_at: Date | null;
  not_before: Date | null;
  restarted_at: Date | null;
  pending_key: string | null;
  pending_since: Date | null;
  pending_kind: 'reminder' | 'automatic' | null;
  pending_draft_id: number | null;
}

const fromClaimedRow = (row: ClaimedReminderRow) => ({
  lastRemindedAt: row.last_reminded_at,
  notBefore: row.not_before,
  restartedAt: row.restarted_at,
  pendingKey: row.pending_key,
  pendingSince: row.pending_since,
  pendingKind: row.pending_kind,
  pendingDraftId: row.pending_draft_id,
});

/**
 * The leases of reminders, escalation rungs, drill script messages and channel archives: the lease columns of their
 * own rows, claimed and released the same way. Each claim is one UPDATE whose WHERE is the
 * compare-and-set, so of two processes claiming at once exactly one wins. A paged rung or a posted
 * script message is never claimed again; a reminder is, once its send is finished and the due-time
 * index says it is due again, and its claim returns the schedule its pass decides on.
 */
export class PostgresLeases implements Leases {
  /**
   * A reminder's claim, prepared once (a burst of due reminders claims one each): one upsert whose
   * conflict WHERE is the compare-and-set, returning the schedule the pass decides on.
   */
  private readonly claimReminder;
  /** Prepared too: written once for every reminder sent. */
  private readonly markReminderPending;

  constructor(private readonly db: Db) {
    const now = sql.placeholder('now');
    this.claimReminder = db
      .insert(reminders)
      .values({ incidentId: sql.placeholder('incidentId'), leaseOwner: sql.placeholder('owner'), leaseUntil: sql.placeholder('until') })
      .onConflictDoUpdate({
        target: reminders.incidentId,
        set: { leaseOwner: sql`excluded.lease_owner`, leaseUntil: sql`excluded.lease_until` },
        // leaseFree and notWaiting, with the dead holders as one array parameter so the statement stays the same.
        setWhere: and(
          or(isNull(reminders.leaseUntil), lt(reminders.leaseUntil, now), sql`${reminders.leaseOwner} = any(${sql.placeholder('dead')}::text[])`),
          or(isNull(reminders.notBefore), lte(reminders.notBefore, now)),
          // Still due by the index: one another process just sent (and stored its next time) is not claimed only to be let go.
          sql`exists (select 1 from ${incidents} where ${incidents.id} = ${reminders.incidentId} and ${incidents.reminderDueAt} <= ${now})`,
        ),
      })
      .returning()
      .prepare('reminder_claim');
    this.markReminderPending = db
      .update(reminders)
      .set({ pendingKey: sql`${sql.placeholder('key')}`, pendingSince: sql`${sql.placeholder('at')}`, pendingKind: sql`${sql.placeholder('kind')}`, pendingDraftId: sql`${sql.placeholder('draftId')}` })
      .where(and(eq(reminders.incidentId, sql.placeholder('incidentId')), eq(reminders.leaseOwner, sql.placeholder('owner'))))
      .prepare('reminder_mark_pending');
  }

  async claim(slot: ScheduledSlot, owner: string, now: Date, leaseMs: number, deadOwners: readonly string[]): Promise<Claim | undefined> {
    const lease = { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) };
    if (slot.kind === 'reminder') {
      const [row] = await this.claimReminder.execute({ incidentId: slot.incidentId, owner, until: lease.leaseUntil, now, dead: [...deadOwners] });
      return row && reminderClaim(row);
    }
    if (slot.kind === 'archive') {
      await this.db.insert(channelArchives).values({ incidentId: slot.incidentId }).onConflictDoNothing();
      const row = (await this.db
        .update(channelArchives)
        .set(lease)
        .where(and(eq(channelArchives.incidentId, slot.incidentId), leaseFree(channelArchives, now, deadOwners), notWaiting(channelArchives, now)))
        .returning()
        )[0];
      return row && { pendingKey: row.pendingKey, pendingSince: row.pendingSince, pending: null };
    }
    if (slot.kind === 'drill_step') {
      // Script rows are written with the drill's declaration; a removed drill has none to claim.
      const row = (await this.db
        .update(drillSteps)
        .set(lease)
        .where(and(this.step(slot), isNull(drillSteps.postedAt), leaseFree(drillSteps, now, deadOwners), notWaiting(drillSteps, now)))
        .returning()
        )[0];
      return row && { pendingKey: row.pendingKey, pendingSince: row.pendingSince, pending: null };
    }
    await this.db.insert(escalations).values({ incidentId: slot.incidentId, tier: slot.tier }).onConflictDoNothing();
    const row = (await this.db
      .update(escalations)
      .set(lease)
      .where(and(this.rung(slot), isNull(escalations.pagedAt), leaseFree(escalations, now, deadOwners), notWaiting(escalations, now)))
      .returning()
      )[0];
    return row && { pendingKey: row.pendingKey, pendingSince: row.pendingSince, pending: null };
  }

  async claimDueReminders(incidentIds: readonly number[], owner: string, now: Date, leaseMs: number, deadOwners: readonly string[], dueBy = now): Promise<{ incidentId: number; claim: Claim }[]> {
    if (incidentIds.length === 0) return [];
    const ids = [...incidentIds];
    await this.db.$client.query({ name: 'reminder_rows', text: REMINDER_ROWS, values: [ids] });
    const until = new Date(now.getTime() + leaseMs);
    const result = await this.db.$client.query<ClaimedReminderRow>({ name: 'reminder_claim_due', text: CLAIM_DUE_REMINDERS, values: [ids, owner, until, now, [...deadOwners], dueBy] });
    return result.rows.map((row) => ({ incidentId: row.incident_id, claim: reminderClaim(fromClaimedRow(row)) }));
  }

  async holders(now: Date): Promise<string[]> {
    const owners = new Set<string>();
    const live = (table: LeaseColumns) => gt(table.leaseUntil, now);
    for (const row of (await this.db.selectDistinct({ owner: reminders.leaseOwner }).from(reminders).where(live(reminders)))) if (row.owner) owners.add(row.owner);
    for (const row of (await this.db.selectDistinct({ owner: escalations.leaseOwner }).from(escalations).where(and(live(escalations), isNull(escalations.pagedAt))))) if (row.owner) owners.add(row.owner);
    for (const row of (await this.db.selectDistinct({ owner: channelArchives.leaseOwner }).from(channelArchives).where(live(channelArchives)))) if (row.owner) owners.add(row.owner);
    for (const row of (await this.db.selectDistinct({ owner: drillSteps.leaseOwner }).from(drillSteps).where(and(live(drillSteps), isNull(drillSteps.postedAt))))) if (row.owner) owners.add(row.owner);
    return [...owners];
  }

  async markPending(slot: ScheduledSlot, owner: string, key: string, at: Date, what: PendingSend = { kind: 'reminder' }): Promise<void> {
    if (slot.kind === 'reminder') {
      await this.markReminderPending.execute({ incidentId: slot.incidentId, owner, key, at, kind: what.kind, draftId: what.kind === 'automatic' ? what.draftId : null });
    } else if (slot.kind === 'archive') {
      await this.db.update(channelArchives).set({ pendingKey: key, pendingSince: at }).where(this.held(slot, owner));
    } else if (slot.kind === 'drill_step') {
      await this.db.update(drillSteps).set({ pendingKey: key, pendingSince: at }).where(this.held(slot, owner));
    } else {
      await this.db.update(escalations).set({ pendingKey: key, pendingSince: at }).where(this.held(slot, owner));
    }
  }

  async unlock(slot: ScheduledSlot, owner: string): Promise<void> {
    if (slot.kind === 'reminder') (await this.db.update(reminders).set(NOTHING_PENDING).where(this.held(slot, owner)));
    else if (slot.kind === 'archive') (await this.db.update(channelArchives).set(NO_LEASE).where(this.held(slot, owner)));
    else if (slot.kind === 'drill_step') (await this.db.update(drillSteps).set(NO_LEASE).where(this.held(slot, owner)));
    else (await this.db.update(escalations).set(NO_LEASE).where(this.held(slot, owner)));
  }

  async release(slot: ScheduledSlot, owner: string, retryAt: Date): Promise<void> {
    if (slot.kind === 'reminder') (await this.db.update(reminders).set({ ...NOTHING_PENDING, notBefore: retryAt }).where(this.held(slot, owner)));
    else if (slot.kind === 'archive') (await this.db.update(channelArchives).set({ ...NO_LEASE, notBefore: retryAt }).where(this.held(slot, owner)));
    else if (slot.kind === 'drill_step') (await this.db.update(drillSteps).set({ ...NO_LEASE, notBefore: retryAt }).where(this.held(slot, owner)));
    else (await this.db.update(escalations).set({ ...NO_LEASE, notBefore: retryAt }).where(this.held(slot, owner)));
  }

  private rung(slot: ScheduledSlot & { kind: 'escalation' }): SQL | undefined {
    return and(eq(escalations.incidentId, slot.incidentId), eq(escalations.tier, slot.tier));
  }

  private step(slot: ScheduledSlot & { kind: 'drill_step' }): SQL | undefined {
    return and(eq(drillSteps.incidentId, slot.incidentId), eq(drillSteps.step, slot.step));
  }

  private held(slot: ScheduledSlot, owner: string): SQL | undefined {
    switch (slot.kind) {
      case 'reminder':
        return and(eq(reminders.incidentId, slot.incidentId), eq(reminders.leaseOwner, owner));
      case 'archive':
        return and(eq(channelArchives.incidentId, slot.incidentId), eq(channelArchives.leaseOwner, owner));
      case 'drill_step':
        return and(this.step(slot), eq(drillSteps.leaseOwner, owner));
      case 'escalation':
        return and(this.rung(slot), eq(escalations.leaseOwner, owner));
    }
  }
}

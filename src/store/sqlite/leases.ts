import { and, eq, gt, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { leaseFree, NO_LEASE, NOTHING_PENDING, notWaiting, reminderClaim, type LeaseColumns } from '../leaseConditions.js';
import type { Claim, Leases, PendingSend, ScheduledSlot } from '../../ports.js';
import type { Db } from './db.js';
import { channelArchives, drillSteps, escalations, incidents, reminders } from './schema.js';

/**
 * The leases of reminders, escalation rungs, drill script messages and channel archives: the lease columns of their
 * own rows, claimed and released the same way. Each claim is one UPDATE whose WHERE is the
 * compare-and-set, so of two processes claiming at once exactly one wins. A paged rung or a posted
 * script message is never claimed again; a reminder is, once its send is finished and the due-time
 * index says it is due again, and its claim returns the schedule its pass decides on.
 */
export class SqliteLeases implements Leases {
  /**
   * A reminder's claim, prepared once (a burst of due reminders claims one each): one upsert whose
   * conflict WHERE is the compare-and-set, returning the schedule the pass decides on.
   */
  private readonly claimReminder;
  /** Prepared too: written once for every reminder sent (its time in milliseconds, as the column holds it). */
  private readonly markReminderPending;

  constructor(private readonly db: Db) {
    // Compared, not written, so not converted by the column: milliseconds, as the columns hold them.
    const now = sql.placeholder('nowMs');
    this.claimReminder = db
      .insert(reminders)
      .values({ incidentId: sql.placeholder('incidentId'), leaseOwner: sql.placeholder('owner'), leaseUntil: sql.placeholder('until') })
      .onConflictDoUpdate({
        target: reminders.incidentId,
        set: { leaseOwner: sql`excluded.lease_owner`, leaseUntil: sql`excluded.lease_until` },
        // leaseFree and notWaiting, with the dead holders as one JSON parameter so the statement stays the same.
        setWhere: and(
          or(isNull(reminders.leaseUntil), lt(reminders.leaseUntil, now), sql`${reminders.leaseOwner} in (select value from json_each(${sql.placeholder('dead')}))`),
          or(isNull(reminders.notBefore), lte(reminders.notBefore, now)),
          // Still due by the index: one another process just sent (and stored its next time) is not claimed only to be let go.
          sql`exists (select 1 from ${incidents} where ${incidents.id} = ${reminders.incidentId} and ${incidents.reminderDueAt} <= ${now})`,
        ),
      })
      .returning()
      .prepare();
    this.markReminderPending = db
      .update(reminders)
      .set({ pendingKey: sql`${sql.placeholder('key')}`, pendingSince: sql`${sql.placeholder('atMs')}`, pendingKind: sql`${sql.placeholder('kind')}`, pendingDraftId: sql`${sql.placeholder('draftId')}` })
      .where(and(eq(reminders.incidentId, sql.placeholder('incidentId')), eq(reminders.leaseOwner, sql.placeholder('owner'))))
      .prepare();
  }

  async claim(slot: ScheduledSlot, owner: string, now: Date, leaseMs: number, deadOwners: readonly string[]): Promise<Claim | undefined> {
    const lease = { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) };
    if (slot.kind === 'reminder') {
      const row = this.claimReminder.get({ incidentId: slot.incidentId, owner, until: lease.leaseUntil, nowMs: now.getTime(), dead: JSON.stringify(deadOwners) });
      return row && reminderClaim(row);
    }
    if (slot.kind === 'archive') {
      this.db.insert(channelArchives).values({ incidentId: slot.incidentId }).onConflictDoNothing().run();
      const row = this.db
        .update(channelArchives)
        .set(lease)
        .where(and(eq(channelArchives.incidentId, slot.incidentId), leaseFree(channelArchives, now, deadOwners), notWaiting(channelArchives, now)))
        .returning()
        .get();
      return row && { pendingKey: row.pendingKey, pendingSince: row.pendingSince, pending: null };
    }
    if (slot.kind === 'drill_step') {
      // Script rows are written with the drill's declaration; a removed drill has none to claim.
      const row = this.db
        .update(drillSteps)
        .set(lease)
        .where(and(this.step(slot), isNull(drillSteps.postedAt), leaseFree(drillSteps, now, deadOwners), notWaiting(drillSteps, now)))
        .returning()
        .get();
      return row && { pendingKey: row.pendingKey, pendingSince: row.pendingSince, pending: null };
    }
    this.db.insert(escalations).values({ incidentId: slot.incidentId, tier: slot.tier }).onConflictDoNothing().run();
    const row = this.db
      .update(escalations)
      .set(lease)
      .where(and(this.rung(slot), isNull(escalations.pagedAt), leaseFree(escalations, now, deadOwners), notWaiting(escalations, now)))
      .returning()
      .get();
    return row && { pendingKey: row.pendingKey, pendingSince: row.pendingSince, pending: null };
  }

  async claimDueReminders(incidentIds: readonly number[], owner: string, now: Date, leaseMs: number, deadOwners: readonly string[], dueBy = now): Promise<{ incidentId: number; claim: Claim }[]> {
    if (incidentIds.length === 0) return [];
    const ids = JSON.stringify(incidentIds);
    const nowMs = now.getTime();
    // One writer at a time: the conditions read are the rows leased.
    const rows = this.db.transaction((tx) => {
      tx.run(sql`insert into reminders (incident_id) select value from json_each(${ids}) where true on conflict do nothing`);
      return tx
        .update(reminders)
        .set({ leaseOwner: owner, leaseUntil: new Date(nowMs + leaseMs) })
        .where(
          inArray(
            reminders.incidentId,
            tx
              .select({ id: reminders.incidentId })
              .from(reminders)
              .innerJoin(incidents, eq(incidents.id, reminders.incidentId))
              .where(and(sql`${reminders.incidentId} in (select value from json_each(${ids}))`, leaseFree(reminders, now, deadOwners), notWaiting(reminders, dueBy), lte(incidents.reminderDueAt, dueBy))),
          ),
        )
        .returning()
        .all();
    });
    return rows.map((row) => ({ incidentId: row.incidentId, claim: reminderClaim(row) }));
  }

  async holders(now: Date): Promise<string[]> {
    const owners = new Set<string>();
    const live = (table: LeaseColumns) => gt(table.leaseUntil, now);
    for (const row of this.db.selectDistinct({ owner: reminders.leaseOwner }).from(reminders).where(live(reminders)).all()) if (row.owner) owners.add(row.owner);
    for (const row of this.db.selectDistinct({ owner: escalations.leaseOwner }).from(escalations).where(and(live(escalations), isNull(escalations.pagedAt))).all()) if (row.owner) owners.add(row.owner);
    for (const row of this.db.selectDistinct({ owner: channelArchives.leaseOwner }).from(channelArchives).where(live(channelArchives)).all()) if (row.owner) owners.add(row.owner);
    for (const row of this.db.selectDistinct({ owner: drillSteps.leaseOwner }).from(drillSteps).where(and(live(drillSteps), isNull(drillSteps.postedAt))).all()) if (row.owner) owners.add(row.owner);
    return [...owners];
  }

  async markPending(slot: ScheduledSlot, owner: string, key: string, at: Date, what: PendingSend = { kind: 'reminder' }): Promise<void> {
    if (slot.kind === 'reminder') {
      this.markReminderPending.run({ incidentId: slot.incidentId, owner, key, atMs: at.getTime(), kind: what.kind, draftId: what.kind === 'automatic' ? what.draftId : null });
    } else if (slot.kind === 'archive') {
      this.db.update(channelArchives).set({ pendingKey: key, pendingSince: at }).where(this.held(slot, owner)).run();
    } else if (slot.kind === 'drill_step') {
      this.db.update(drillSteps).set({ pendingKey: key, pendingSince: at }).where(this.held(slot, owner)).run();
    } else {
      this.db.update(escalations).set({ pendingKey: key, pendingSince: at }).where(this.held(slot, owner)).run();
    }
  }

  async unlock(slot: ScheduledSlot, owner: string): Promise<void> {
    if (slot.kind === 'reminder') this.db.update(reminders).set(NOTHING_PENDING).where(this.held(slot, owner)).run();
    else if (slot.kind === 'archive') this.db.update(channelArchives).set(NO_LEASE).where(this.held(slot, owner)).run();
    else if (slot.kind === 'drill_step') this.db.update(drillSteps).set(NO_LEASE).where(this.held(slot, owner)).run();
    else this.db.update(escalations).set(NO_LEASE).where(this.held(slot, owner)).run();
  }

  async release(slot: ScheduledSlot, owner: string, retryAt: Date): Promise<void> {
    if (slot.kind === 'reminder') this.db.update(reminders).set({ ...NOTHING_PENDING, notBefore: retryAt }).where(this.held(slot, owner)).run();
    else if (slot.kind === 'archive') this.db.update(channelArchives).set({ ...NO_LEASE, notBefore: retryAt }).where(this.held(slot, owner)).run();
    else if (slot.kind === 'drill_step') this.db.update(drillSteps).set({ ...NO_LEASE, notBefore: retryAt }).where(this.held(slot, owner)).run();
    else this.db.update(escalations).set({ ...NO_LEASE, notBefore: retryAt }).where(this.held(slot, owner)).run();
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

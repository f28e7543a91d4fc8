/**
 * Reading rows into the domain's types, the same for every store: the SQLite and the PostgreSQL
 * tables have the same columns, so one mapping serves both.
 */
import { NO_ARCHIVE_STATE, type ArchiveState } from '../domain/archive.js';
import type { StoredAlert } from '../domain/alert.js';
import { asLive, type Incident, type LiveIncident } from '../domain/incident.js';
import type { OutboxRow } from '../domain/outbox.js';
import type { SeverityLevel } from '../domain/severity.js';
import type { LeaseCheck } from '../ports.js';

/** An incident row as either store reads it: the incident's fields (an old row may lack its highest severity). */
export type IncidentRowFields = Omit<Incident, 'highestSeverity' | 'fields'> & { highestSeverity: SeverityLevel | null; fields: Incident['fields'] | null };

export function toIncident(row: IncidentRowFields): Incident {
  return {
    id: row.id,
    declarationKey: row.declarationKey,
    phase: row.phase,
    title: row.title,
    severity: row.severity,
    status: row.status,
    impact: row.impact,
    commanderId: row.commanderId,
    declaredBy: row.declaredBy,
    isPrivate: row.isPrivate,
    declaredAt: row.declaredAt,
    channelId: row.channelId,
    channelName: row.channelName,
    kickoffTs: row.kickoffTs,
    failureReason: row.failureReason,
    commsId: row.commsId,
    scribeId: row.scribeId,
    highestSeverity: row.highestSeverity ?? row.severity,
    lastUpdateAt: row.lastUpdateAt,
    resolvedAt: row.resolvedAt,
    resolutionSummary: row.resolutionSummary,
    rootCause: row.rootCause,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    reviewDoneAt: row.reviewDoneAt,
    drillScenario: row.drillScenario,
    impactStartedAt: row.impactStartedAt,
    type: row.type,
    fields: row.fields ?? {},
  };
}

/** A row read with `phase = 'live'`: a live incident has its channel. */
export function toLiveIncident(row: IncidentRowFields): LiveIncident {
  const incident = asLive(toIncident(row));
  if (!incident) throw new Error(`incident ${row.id} is live without a channel`);
  return incident;
}

/** Whether two values of an incident field are the same (dates by their instant). */
export const sameValue = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/** An escalation rung's row, as far as deciding whether it may be paged now. */
export interface RungRow {
  incidentId: number;
  tier: string;
  pagedAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  notBefore: Date | null;
}

/** Per incident, the rungs not to page now: paged already, leased by a live process, or waiting to retry. */
export function unavailableRungsOf(rows: readonly RungRow[], now: Date, leaseIsLive: LeaseCheck): Map<number, Set<string>> {
  const byIncident = new Map<number, Set<string>>();
  for (const row of rows) {
    const busy = row.pagedAt !== null || leaseIsLive(row.leaseOwner, row.leaseUntil, now) || (row.notBefore !== null && row.notBefore > now);
    if (!busy) continue;
    const tiers = byIncident.get(row.incidentId) ?? new Set<string>();
    tiers.add(row.tier);
    byIncident.set(row.incidentId, tiers);
  }
  return byIncident;
}

/** Per incident, the rungs paged already. */
export function pagedRungsOf(rows: readonly Pick<RungRow, 'incidentId' | 'tier' | 'pagedAt'>[]): Map<number, Set<string>> {
  const byIncident = new Map<number, Set<string>>();
  for (const row of rows) {
    if (row.pagedAt === null) continue;
    const tiers = byIncident.get(row.incidentId) ?? new Set<string>();
    tiers.add(row.tier);
    byIncident.set(row.incidentId, tiers);
  }
  return byIncident;
}

/** A channel_archives row as either store reads it. */
export interface ArchiveRowFields {
  warnedAt: Date | null;
  keptOpenAt: Date | null;
  keptOpenBy: string | null;
  archivedAt: Date | null;
  gaveUpAt: Date | null;
}

export const toArchiveState = (row: ArchiveRowFields | undefined): ArchiveState =>
  row ? { warnedAt: row.warnedAt, keptOpenAt: row.keptOpenAt, keptOpenBy: row.keptOpenBy, archivedAt: row.archivedAt, gaveUpAt: row.gaveUpAt } : NO_ARCHIVE_STATE;

/** An alert row as either store reads it. */
export type AlertRowFields = Omit<StoredAlert, 'summary' | 'description'> & { summary: string | null; description: string | null };

export function toAlert(row: AlertRowFields): StoredAlert {
  return {
    id: row.id,
    source: row.source,
    fingerprint: row.fingerprint,
    status: row.status,
    name: row.name,
    summary: row.summary ?? undefined,
    description: row.description ?? undefined,
    labels: row.labels,
    annotations: row.annotations,
    links: row.links,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    fireCount: row.fireCount,
    resolvedAt: row.resolvedAt,
    triageTs: row.triageTs,
    triageState: row.triageState,
    incidentId: row.incidentId,
    declaredBy: row.declaredBy,
    dismissedBy: row.dismissedBy,
  };
}

/** An outbox row as either store reads it. */
export interface OutboxRowFields {
  id: number;
  destination: string;
  incidentId: number;
  eventId: string;
  payload: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  reported: 'failing' | 'given_up' | null;
  createdAt: Date;
}

export function toOutboxRow(row: OutboxRowFields): OutboxRow {
  return {
    id: row.id,
    destination: row.destination,
    incidentId: row.incidentId,
    eventId: row.eventId,
    payload: row.payload,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    reported: row.reported,
    createdAt: row.createdAt,
  };
}

/** Rows grouped by their incident, each group in the order given. */
export function byIncident<R extends { incidentId: number }, T>(rows: readonly R[], map: (row: R) => T): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.incidentId);
    if (group) group.push(map(row));
    else groups.set(row.incidentId, [map(row)]);
  }
  return groups;
}

/** Open and done counts from `(incidentId, status, count)` rows. */
export function actionCountsOf(rows: readonly { incidentId: number; status: string; count: number }[]): Map<number, { open: number; done: number }> {
  const counts = new Map<number, { open: number; done: number }>();
  for (const row of rows) {
    const entry = counts.get(row.incidentId) ?? { open: 0, done: 0 };
    if (row.status === 'open' || row.status === 'done') entry[row.status] += Number(row.count);
    counts.set(row.incidentId, entry);
  }
  return counts;
}

/**
 * The incident state machine: which changes are allowed from which state, and what each change
 * records. Pure: callers pass the incident and the time, and apply the returned change.
 */
import { STATUS_LABELS, ROLE_LABELS, roleHolder, type Incident, type IncidentRole, type IncidentStatus } from './incident.js';
import { SEVERITY_LEVELS, type SeverityLevel } from './severity.js';
import type { StatusDraft, UpdateSource } from './statusDraft.js';

export type Decision<T> = { ok: true; change: T } | { ok: false; reason: string };

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** A change to the incident row plus the timeline entry that explains it. */
export interface IncidentChange {
  patch: Partial<Pick<Incident, 'status' | 'severity' | 'highestSeverity' | 'impact' | 'commanderId' | 'commsId' | 'scribeId' | 'lastUpdateAt' | 'resolvedAt' | 'resolutionSummary' | 'rootCause' | 'acknowledgedAt' | 'acknowledgedBy' | 'reviewDoneAt' | 'impactStartedAt' | 'fields'>>;
  entry: { kind: TimelineKind; text: string; data: Record<string, unknown> };
}

export type TimelineKind =
  | 'declared'
  | 'status_update'
  | 'severity_changed'
  | 'role_assigned'
  | 'note'
  | 'pinned_message'
  | 'details_edited'
  | 'action_added'
  | 'action_done'
  | 'resolved'
  | 'reopened'
  | 'acknowledged'
  | 'escalated'
  | 'review_done'
  | 'impact_started';

/** SEV1 is the most severe: a lower rank is more severe. */
export const severityRank = (level: SeverityLevel) => SEVERITY_LEVELS.indexOf(level);
export const moreSevere = (a: SeverityLevel, b: SeverityLevel): SeverityLevel => (severityRank(a) <= severityRank(b) ? a : b);

const resolvedRefusal = (what: string) => refuse(`This incident is resolved. Run \`/incident reopen\` first if you need to ${what}.`);

export interface StatusUpdate {
  status: Exclude<IncidentStatus, 'resolved'>;
  whatChanged: string;
  impact: string;
  nextSteps: string;
}

/**
 * Who wrote an update: a person (`draftId` when they started from the bot's draft and edited it),
 * the bot's draft posted as is by a person, or the bot alone when nobody posted in time.
 */
export type UpdateOrigin =
  | { source: 'person'; draftId?: number }
  | { source: Exclude<UpdateSource, 'person'>; draft: Pick<StatusDraft, 'status' | 'basedOnUpdateAt'> & { id: number } };

const PERSON: UpdateOrigin = { source: 'person' };

/** How the timeline names an update the bot wrote, after its status. */
const WRITTEN_BY_BOT: Record<Exclude<UpdateSource, 'person'>, string> = {
  draft: "the bot's draft, posted as is",
  automatic: 'nobody had posted an update this interval',
};

export const STALE_DRAFT =
  'The incident has had a status update or a change of status since this draft was written, so it was not posted: it would tell older news. `/incident update` posts a new one.';

/**
 * Any open status may follow any other: a fix that did not hold sends Monitoring back to
 * Investigating. Resolved is only reached through resolve, which asks for the root cause. An
 * update the bot drafted is only posted on the incident it was drafted from: no update since.
 */
export function planStatusUpdate(incident: Incident, update: StatusUpdate, at: Date, actorId: string | null, origin: UpdateOrigin = PERSON): Decision<IncidentChange> {
  if (incident.status === 'resolved') return resolvedRefusal('post updates');
  if (origin.source !== 'person') {
    const basis = origin.draft.basedOnUpdateAt?.getTime() ?? null;
    if ((incident.lastUpdateAt?.getTime() ?? null) !== basis || incident.status !== origin.draft.status) return refuse(STALE_DRAFT);
  }
  // The commander posting means someone is on it: that counts as acknowledging, and stops the ladder's unacknowledged rungs.
  const acknowledges = !incident.acknowledgedAt && actorId !== null && actorId === incident.commanderId;
  const label = STATUS_LABELS[update.status];
  const draftId = origin.source === 'person' ? origin.draftId : origin.draft.id;
  return {
    ok: true,
    change: {
      patch: {
        status: update.status,
        lastUpdateAt: at,
        ...(update.impact ? { impact: update.impact } : {}),
        ...(acknowledges ? { acknowledgedAt: at, acknowledgedBy: actorId } : {}),
      },
      entry: {
        kind: 'status_update',
        text: origin.source === 'person' ? `${label}: ${update.whatChanged}` : `${label} (${WRITTEN_BY_BOT[origin.source]})`,
        data: {
          from: incident.status,
          to: update.status,
          whatChanged: update.whatChanged,
          impact: update.impact,
          nextSteps: update.nextSteps,
          acknowledges,
          source: origin.source,
          ...(draftId === undefined ? {} : { draftId }),
        },
      },
    },
  };
}

/** "I'm on it": recorded once, with the time it took, which the post-mortem reports. */
export function planAcknowledge(incident: Incident, at: Date, actorId: string): Decision<IncidentChange & { afterMs: number }> {
  if (incident.status === 'resolved') return refuse('This incident is already resolved.');
  if (incident.acknowledgedAt) {
    return refuse(`Already acknowledged by <@${incident.acknowledgedBy ?? 'someone'}>, ${formatDuration(incident.acknowledgedAt.getTime() - incident.declaredAt.getTime())} after it was declared.`);
  }
  const afterMs = Math.max(0, at.getTime() - incident.declaredAt.getTime());
  return {
    ok: true,
    change: {
      afterMs,
      patch: { acknowledgedAt: at, acknowledgedBy: actorId },
      entry: { kind: 'acknowledged', text: `Acknowledged ${formatDuration(afterMs)} after declaration`, data: { afterMs } },
    },
  };
}

/** The post-mortem review was held: its reminders stop. Only after resolve, and once. */
export function planReviewDone(incident: Incident, at: Date): Decision<IncidentChange> {
  if (incident.status !== 'resolved') return refuse('The post-mortem review comes after the incident is resolved. Resolve it first with `/incident resolve`.');
  if (incident.reviewDoneAt) return refuse('The post-mortem review is already marked as held.');
  return { ok: true, change: { patch: { reviewDoneAt: at }, entry: { kind: 'review_done', text: 'Post-mortem review marked as held', data: {} } } };
}

export function planSeverityChange(incident: Incident, severity: SeverityLevel): Decision<IncidentChange & { raised: boolean }> {
  if (incident.status === 'resolved') return resolvedRefusal('change the severity');
  if (incident.severity === severity) return refuse(`The incident is already ${severity}.`);
  const raised = severityRank(severity) < severityRank(incident.severity);
  return {
    ok: true,
    change: {
      raised,
      patch: { severity, highestSeverity: moreSevere(incident.highestSeverity, severity) },
      entry: { kind: 'severity_changed', text: `Severity ${raised ? 'raised' : 'lowered'} from ${incident.severity} to ${severity}`, data: { from: incident.severity, to: severity } },
    },
  };
}

export function planRoleAssignment(incident: Incident, role: IncidentRole, userId: string): Decision<IncidentChange & { previous: string | null }> {
  if (incident.status === 'resolved') return resolvedRefusal('hand over roles');
  const previous = roleHolder(incident, role);
  if (previous === userId) return refuse(`<@${userId}> is already the ${ROLE_LABELS[role].toLowerCase()}.`);
  const patch: IncidentChange['patch'] = role === 'commander' ? { commanderId: userId } : role === 'comms' ? { commsId: userId } : { scribeId: userId };
  return {
    ok: true,
    change: {
      previous,
      patch,
      entry: {
        kind: 'role_assigned',
        text: previous ? `${ROLE_LABELS[role]} handed from <@${previous}> to <@${userId}>` : `<@${userId}> is now ${ROLE_LABELS[role].toLowerCase()}`,
        data: { role, from: previous, to: userId },
      },
    },
  };
}

export function planResolve(incident: Incident, resolution: { summary: string; rootCause: string }, at: Date): Decision<IncidentChange & { durationMs: number }> {
  if (incident.status === 'resolved') return refuse('This incident is already resolved.');
  const durationMs = Math.max(0, at.getTime() - impactStart(incident).getTime());
  return {
    ok: true,
    change: {
      durationMs,
      patch: { status: 'resolved', resolvedAt: at, resolutionSummary: resolution.summary, rootCause: resolution.rootCause },
      entry: { kind: 'resolved', text: `Resolved after ${formatDuration(durationMs)}: ${resolution.summary}`, data: { from: incident.status, durationMs, ...resolution } },
    },
  };
}

/** Reopening goes back to Investigating: whatever was believed fixed is not. */
export function planReopen(incident: Incident, reason: string): Decision<IncidentChange> {
  if (incident.status !== 'resolved') return refuse('This incident is not resolved; there is nothing to reopen.');
  return {
    ok: true,
    change: {
      patch: { status: 'investigating', resolvedAt: null },
      entry: { kind: 'reopened', text: reason ? `Reopened: ${reason}` : 'Reopened', data: { reason, previouslyResolvedAt: incident.resolvedAt?.toISOString() ?? null } },
    },
  };
}

/** Handing over command and resolving belong to the commander and the configured responders. */
export function mayManage(incident: Incident, userId: string, responders: readonly string[]): boolean {
  return incident.commanderId === userId || responders.includes(userId);
}

export const managementRefusal = (incident: Incident, action: string) =>
  `Only the incident commander (<@${incident.commanderId}>) or a listed responder can ${action}.`;

/** A change only the commander or a listed responder may make, judged on the same incident as the change itself. */
export function planAsManager<T>(incident: Incident, actorId: string, responders: readonly string[], action: string, plan: () => Decision<T>): Decision<T> {
  return mayManage(incident, actorId, responders) ? plan() : refuse(managementRefusal(incident, action));
}

/** Where an incident's duration counts from: the impact's start when someone gave it, else the declaration. */
export const impactStart = (incident: Pick<Incident, 'declaredAt' | 'impactStartedAt'>): Date => incident.impactStartedAt ?? incident.declaredAt;

/** How long the incident has lasted (or lasted, once resolved), from the impact's start. */
export function incidentDurationMs(incident: Incident, now: Date): number {
  return Math.max(0, (incident.resolvedAt ?? now).getTime() - impactStart(incident).getTime());
}

/**
 * Says when the impact started. Any time up to now, before the declaration too (that is the point);
 * not after the resolve, when the incident was over.
 */
export function planImpactStart(incident: Incident, startedAt: Date, now: Date, shownAs: string): Decision<IncidentChange> {
  if (startedAt.getTime() > now.getTime()) return refuse(`${shownAs} is in the future: the impact cannot have started yet.`);
  if (incident.resolvedAt && startedAt.getTime() > incident.resolvedAt.getTime()) {
    return refuse(`${shownAs} is after the incident was resolved; the impact must have started before that.`);
  }
  if (incident.impactStartedAt?.getTime() === startedAt.getTime()) return refuse(`The impact is already recorded as starting at ${shownAs}.`);
  const previous = incident.impactStartedAt?.toISOString() ?? null;
  return {
    ok: true,
    change: {
      patch: { impactStartedAt: startedAt },
      entry: {
        kind: 'impact_started',
        text: previous ? `Impact start moved to ${shownAs}` : `Impact started at ${shownAs}`,
        data: { at: startedAt.toISOString(), previous },
      },
    },
  };
}

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h": as people say durations in an incident. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/**
 * The escalation ladder: who is paged, and when, while an incident is not handled. Pure: the
 * scheduler passes the incident, which tiers were already paged and the time, and pages what is due.
 */
import type { Incident } from './incident.js';
import type { SeverityLevel } from './severity.js';

/**
 * One rung of the ladder. It pages its people `afterMs` after the declaration unless, by then, the
 * incident is resolved (or, with `until: 'acknowledged'`, someone has acknowledged it).
 */
export interface EscalationTier {
  /** What the runbook calls this rung: "Team lead". Each tier is paged at most once per incident. */
  name: string;
  afterMs: number;
  /** Slack user ids (U…), user-group ids (S…) or user-group handles (@oncall). May be empty. */
  page: string[];
  until: 'acknowledged' | 'resolved';
}

export type EscalationPolicy = Record<SeverityLevel, EscalationTier[]>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const tier = (name: string, afterMs: number, until: EscalationTier['until'] = 'resolved'): EscalationTier => ({ name, afterMs, page: [], until });

/**
 * The runbooks' ladder (shared/seeds): SEV1 pages on-call at once, the team lead after 30 minutes,
 * the engineering manager after an hour and the CTO after two; SEV2 escalates after an hour, SEV3
 * after four, SEV4 never. Nobody is named here: the configuration file says who each rung is.
 */
export const DEFAULT_ESCALATION: EscalationPolicy = {
  SEV1: [tier('On-call engineer', 0, 'acknowledged'), tier('Team lead', 30 * MINUTE), tier('Engineering manager', HOUR), tier('CTO', 2 * HOUR)],
  SEV2: [tier('On-call engineer', 0, 'acknowledged'), tier('Team lead', HOUR)],
  SEV3: [tier('Team lead', 4 * HOUR)],
  SEV4: [],
};

/**
 * The tiers owed a page now, earliest first. A tier with nobody to page is still due when it has a
 * delay (the bot then tells the commander to escalate by hand), but not at once: the kickoff
 * summary already says whom to notify.
 */
export function dueEscalations(incident: Incident, policy: EscalationPolicy, paged: ReadonlySet<string>, now: Date): EscalationTier[] {
  const openMs = now.getTime() - incident.declaredAt.getTime();
  return owedRungs(incident, policy, paged).filter((rung) => openMs >= rung.afterMs);
}

/** When the next rung is owed a page (perhaps already past), or undefined when no rung ever will be. */
export function nextEscalationAt(incident: Incident, policy: EscalationPolicy, paged: ReadonlySet<string>): Date | undefined {
  const afterMs = Math.min(...owedRungs(incident, policy, paged).map((rung) => rung.afterMs));
  return Number.isFinite(afterMs) ? new Date(incident.declaredAt.getTime() + afterMs) : undefined;
}

/** The rungs still to page, now or later: not paged, and not called off by the incident's state. */
function owedRungs(incident: Incident, policy: EscalationPolicy, paged: ReadonlySet<string>): EscalationTier[] {
  if (incident.phase !== 'live' || incident.status === 'resolved') return [];
  return policy[incident.severity].filter(
    (rung) => !paged.has(rung.name) && !(rung.until === 'acknowledged' && incident.acknowledgedAt) && (rung.page.length > 0 || rung.afterMs > 0),
  );
}

/** What the page says happened: "30 min without being resolved". */
export function escalationReason(rung: EscalationTier): string {
  return rung.until === 'acknowledged' ? 'not acknowledged' : 'not resolved';
}

/** User ids, user-group ids and user-group handles, as the configuration may name them. */
export type PageTarget = { kind: 'user'; id: string } | { kind: 'group'; id: string } | { kind: 'handle'; handle: string };

export function parsePageTarget(text: string): PageTarget | undefined {
  const trimmed = text.trim();
  if (/^[UW][A-Z0-9]{2,}$/.test(trimmed)) return { kind: 'user', id: trimmed };
  if (/^S[A-Z0-9]{2,}$/.test(trimmed)) return { kind: 'group', id: trimmed };
  const handle = /^@([a-z0-9][a-z0-9._-]{0,79})$/.exec(trimmed);
  return handle ? { kind: 'handle', handle: handle[1]! } : undefined;
}

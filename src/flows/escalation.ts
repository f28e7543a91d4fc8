import { dueEscalations, escalationReason, nextEscalationAt, parsePageTarget, type EscalationPolicy, type EscalationTier } from '../domain/escalation.js';
import { isDrill } from '../domain/drill.js';
import type { LiveIncident } from '../domain/incident.js';
import { inviteFailed, noSuchUserGroup, userGroupLookupFailed } from '../messages/schedule.js';
import { escalatedEntry } from '../messages/timeline.js';
import type { Chat, ScheduledSlot } from '../ports.js';
import { forEachConcurrently, fromRandomStart, SENDS_AT_ONCE } from '../scheduler/concurrently.js';
import { deliverOnce } from '../scheduler/deliverOnce.js';
import { LEASE_MS } from '../scheduler/leases.js';
import { deadHolders, leaseCheckWithout } from '../scheduler/replicas.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { ESCALATION_EVENT_TYPE, escalationMessage, type PagedPeople } from '../slack/views/escalationMessage.js';
import type { SchedulerDependencies } from './incidentFlow.js';
import { runChange, type Change } from './pipeline.js';

export interface EscalationDependencies extends SchedulerDependencies {
  escalation: EscalationPolicy;
}

/**
 * One pass of the escalation ladder: every rung due on an open incident is claimed, its people
 * invited and mentioned in the channel, and the page recorded on the timeline and handed to the
 * outlets, once. Returns how many rungs were paged. Only incidents whose stored due time has come
 * are read (`DueTimes`); one with a rung paged, held or waiting to retry stays due until a pass
 * finds nothing owed now and stores when the next rung is.
 */
export async function sendDueEscalations(deps: EscalationDependencies): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.dueTimes.dueNow('escalation', now);
  if (due.length === 0) return 0;
  const dead = await deadHolders(deps, deps.owner, now);
  const leaseIsLive = leaseCheckWithout(dead);
  const groups = lazyUserGroups(deps.chat);
  let paged = 0;
  await forEachConcurrently(fromRandomStart(due), SENDS_AT_ONCE, async ({ incidentId, version }) => {
    const incident = await deps.incidents.findLiveById(incidentId);
    const next = incident && nextEscalationAt(incident, deps.escalation, new Set((await deps.escalations.pagedTiers(incidentId)).map((paged) => paged.tier)));
    if (!incident || !next || next > now) return deps.dueTimes.store('escalation', [{ incidentId, version, at: next ?? null }]);
    const unavailable = (await deps.escalations.unavailableRungs([incidentId], now, leaseIsLive)).get(incidentId) ?? new Set();
    for (const rung of dueEscalations(incident, deps.escalation, unavailable, now)) {
      if (await pageRung(deps, incident, rung, groups, now, dead)) paged += 1;
    }
  });
  return paged;
}

/** Claims one rung and pages it once; true when this pass sent the page. */
async function pageRung(deps: EscalationDependencies, incident: LiveIncident, rung: EscalationTier, groups: UserGroups, now: Date, dead: readonly string[]): Promise<boolean> {
  const channelId = incident.channelId;
  const slot: ScheduledSlot = { kind: 'escalation', incidentId: incident.id, tier: rung.name };
  const claim = await deps.leases.claim(slot, deps.owner, now, LEASE_MS, dead);
  if (!claim) return false;
  const openMs = now.getTime() - incident.declaredAt.getTime();
  const log = deps.log.child({ incidentId: incident.id, tier: rung.name });
  const outcome = await deliverOnce(
    deps,
    slot,
    claim,
    {
      channelId,
      eventType: ESCALATION_EVENT_TYPE,
      send: async (key) => {
        // A rehearsal never wakes the CTO: unless `drills.page` says so, the page only names whom it would bring in.
        const people = isDrill(incident) && !deps.settings.drills.page ? { mentions: [], problems: [], wouldPage: rung.page } : await pageInChannel(deps.chat, channelId, rung, groups);
        await deps.chat.postMessage(channelId, escalationMessage(incident, rung, people, openMs, key));
      },
      markSent: async (at) => void (await runChange(deps, pageChange(deps, incident, rung, openMs, at))),
    },
    new Date(now.getTime() + deps.retryMs),
    log,
  );
  if (outcome !== 'sent') return false;
  log.info({ severity: incident.severity }, 'escalation rung paged');
  return true;
}

/**
 * A page as a change: recorded with its timeline entry by the lease holder, once (a page found in
 * the channel after a crash is recorded by whoever finds it); the outlets hear it as `escalated`.
 */
function pageChange(deps: EscalationDependencies, incident: LiveIncident, rung: EscalationTier, openMs: number, at: Date): Change<{ kind: 'escalated'; tier: string; page: readonly string[] }> {
  const entry = { at, actorId: null, kind: 'escalated' as const, text: escalatedEntry(rung.name, escalationReason(rung), openMs), data: { tier: rung.name, page: rung.page, afterMs: rung.afterMs, until: rung.until } };
  return {
    actorId: null,
    at,
    async record() {
      const first = await deps.escalations.markPaged(incident.id, rung.name, deps.owner, at, entry);
      return first ? { ok: true, incident, event: { kind: 'escalated', tier: rung.name, page: rung.page } } : { ok: false, reason: 'already paged' };
    },
  };
}

type UserGroups = () => Promise<{ id: string; handle: string; users: string[] }[]>;

/** The workspace's user groups, asked of Slack at most once per pass and only when a rung names one. */
function lazyUserGroups(chat: Chat): UserGroups {
  let groups: ReturnType<UserGroups> | undefined;
  return () => (groups ??= chat.userGroups());
}

/**
 * Invites the rung's people to the channel and says whom to mention. What cannot be done (an
 * unknown group, an invite Slack refuses) is reported in the page itself, not hidden in a log.
 */
async function pageInChannel(chat: Chat, channelId: string, rung: EscalationTier, userGroups: UserGroups): Promise<PagedPeople> {
  const people: PagedPeople = { mentions: [], problems: [] };
  const invitees = new Set<string>();
  for (const text of rung.page) {
    const target = parsePageTarget(text);
    if (!target) continue; // the configuration was checked at start
    if (target.kind === 'user') {
      people.mentions.push(`<@${target.id}>`);
      invitees.add(target.id);
      continue;
    }
    let groups: Awaited<ReturnType<UserGroups>>;
    try {
      groups = await userGroups();
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      people.problems.push(userGroupLookupFailed(text, error.userMessage));
      continue;
    }
    const group = groups.find((candidate) => (target.kind === 'group' ? candidate.id === target.id : candidate.handle === target.handle));
    if (!group) {
      people.problems.push(noSuchUserGroup(text));
      continue;
    }
    people.mentions.push(`<!subteam^${group.id}>`);
    for (const user of group.users) invitees.add(user);
  }
  try {
    await chat.invite(channelId, [...invitees]);
  } catch (error) {
    if (!(error instanceof SlackCallError)) throw error;
    if (error.code === 'channel_not_found' || error.code === 'not_in_channel') throw error;
    people.problems.push(inviteFailed(error.userMessage));
  }
  return people;
}

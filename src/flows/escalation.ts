import { dueEscalations, escalationReason, parsePageTarget, type EscalationPolicy, type EscalationTier } from '../domain/escalation.js';
import { inviteFailed, noSuchUserGroup, userGroupLookupFailed } from '../messages/schedule.js';
import { escalatedEntry } from '../messages/timeline.js';
import type { SlackGateway } from '../slack/gateway.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { ESCALATION_EVENT_TYPE, escalationMessage, type PagedPeople } from '../slack/views/escalationMessage.js';
import type { EscalationRepository } from '../store/escalationRepository.js';
import { deliverOnce, LEASE_MS, leaseIsLive, type SchedulerDependencies } from './delivery.js';

export interface EscalationDependencies extends SchedulerDependencies {
  escalation: EscalationPolicy;
  escalations: EscalationRepository;
}

/**
 * One pass of the escalation ladder: every rung due on an open incident is claimed in the database,
 * its people invited and mentioned in the channel, and the page put on the timeline, once.
 * Returns how many rungs were paged.
 */
export async function sendDueEscalations(deps: EscalationDependencies): Promise<number> {
  const now = deps.clock.now();
  const open = deps.incidents.listOpen();
  const { unavailable, deadOwners } = deps.escalations.scan(
    open.map((incident) => incident.id),
    now,
    leaseIsLive,
  );
  const groups = lazyUserGroups(deps.slack);
  let paged = 0;
  for (const incident of open) {
    const channelId = incident.channelId;
    if (!channelId) continue;
    for (const rung of dueEscalations(incident, deps.escalation, unavailable.get(incident.id) ?? new Set(), now)) {
      const claimed = deps.escalations.claim(incident.id, rung.name, deps.owner, now, LEASE_MS, deadOwners);
      if (!claimed) continue;
      const openMs = now.getTime() - incident.declaredAt.getTime();
      const log = deps.log.child({ incidentId: incident.id, tier: rung.name });
      const outcome = await deliverOnce(
        deps.slack,
        {
          channelId,
          eventType: ESCALATION_EVENT_TYPE,
          pending: claimed.pendingKey && claimed.pendingSince ? { key: claimed.pendingKey, since: claimed.pendingSince } : undefined,
          markPending: (key, at) => deps.escalations.markPending(incident.id, rung.name, deps.owner, key, at),
          send: async (key) => {
            const people = await pageInChannel(deps.slack, channelId, rung, groups);
            await deps.slack.postMessage(channelId, escalationMessage(incident, rung, people, openMs, key));
          },
          markSent: (at) =>
            deps.escalations.markPaged(incident.id, rung.name, deps.owner, at, {
              at,
              actorId: null,
              kind: 'escalated',
              text: escalatedEntry(rung.name, escalationReason(rung), openMs),
              data: { tier: rung.name, page: rung.page, afterMs: rung.afterMs, until: rung.until },
            }),
          release: (retryAt) => deps.escalations.release(incident.id, rung.name, deps.owner, retryAt),
        },
        deps.clock,
        new Date(now.getTime() + deps.retryMs),
        log,
      );
      if (outcome === 'sent') {
        paged += 1;
        log.info({ severity: incident.severity }, 'escalation rung paged');
      }
    }
  }
  return paged;
}

type UserGroups = () => Promise<{ id: string; handle: string; users: string[] }[]>;

/** The workspace's user groups, asked of Slack at most once per pass and only when a rung names one. */
function lazyUserGroups(slack: SlackGateway): UserGroups {
  let groups: ReturnType<UserGroups> | undefined;
  return () => (groups ??= slack.userGroups());
}

/**
 * Invites the rung's people to the channel and says whom to mention. What cannot be done (an
 * unknown group, an invite Slack refuses) is reported in the page itself, not hidden in a log.
 */
async function pageInChannel(slack: SlackGateway, channelId: string, rung: EscalationTier, userGroups: UserGroups): Promise<PagedPeople> {
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
    await slack.invite(channelId, [...invitees]);
  } catch (error) {
    if (!(error instanceof SlackCallError)) throw error;
    if (error.code === 'channel_not_found' || error.code === 'not_in_channel') throw error;
    people.problems.push(inviteFailed(error.userMessage));
  }
  return people;
}

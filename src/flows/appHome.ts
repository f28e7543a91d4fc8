/**
 * The Home tab, published when it changes rather than rebuilt on every open: a change marks every
 * viewer's Home stale (`outlets/appHome.ts`) and this pass publishes it a few seconds later, once
 * per burst; opening Home publishes only when what that person was last shown is stale. The
 * version is stored, so replicas agree on what is current and only one of them publishes it.
 */
import { HOME_WINDOWS_DAYS, severityStatistics, windowStart } from '../domain/insights.js';
import type { Incident } from '../domain/incident.js';
import { formatInZone } from '../domain/time.js';
import type { Chat, IncidentStore } from '../ports.js';
import type { OutletDependencies } from '../outlets/outlet.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { appHomeView, HOME_RESOLVED_SHOWN } from '../slack/views/appHome.js';

/** Homes published in one pass at most; the rest are due still and go in the next tick. */
const PUBLISHES_PER_PASS = 50;

type HomeDependencies = Pick<IncidentStore, 'appHome' | 'incidents'> & Pick<OutletDependencies, 'clock' | 'log' | 'settings'> & { chat: Pick<Chat, 'publishHome'> };

/** The Home tab of `userId` as the incidents stand now. */
export async function buildAppHome(deps: Omit<HomeDependencies, 'chat'>, userId: string): Promise<ReturnType<typeof appHomeView>> {
  const now = deps.clock.now();
  const longest = Math.max(...HOME_WINDOWS_DAYS);
  const { open, recentlyResolved, declaredSince } = await deps.appHome.incidentsForHome(windowStart(now, longest), HOME_RESOLVED_SHOWN);
  // Private incidents are shown only to the people in them; a role holder is in it by definition.
  const seen = new Set<number>();
  for (const incident of [...open, ...recentlyResolved]) {
    if (incident.isPrivate && (await deps.incidents.isParticipant(incident.id, userId))) seen.add(incident.id);
  }
  return appHomeView({
    userId,
    open,
    recentlyResolved,
    statistics: HOME_WINDOWS_DAYS.map((days) => severityStatistics(declaredSince, now, days)),
    canSee: (incident: Incident) => seen.has(incident.id),
    now,
    nowText: formatInZone(now, deps.settings.timeZone),
  });
}

/**
 * Publishes `userId`'s Home if it is stale; false when it was current (or another replica took
 * it). Slack refusing is logged, not told: nobody asked for it. The Home stays stale, so the next
 * open or change tries again.
 */
export async function publishHomeIfStale(deps: HomeDependencies, userId: string): Promise<boolean> {
  const version = await deps.appHome.claimPublish(userId);
  if (version === undefined) return false;
  try {
    await deps.chat.publishHome(userId, await buildAppHome(deps, userId));
    return true;
  } catch (error) {
    await deps.appHome.publishFailed(userId, version);
    if (!(error instanceof SlackCallError)) throw error;
    deps.log.warn({ err: error, userId, code: error.code }, 'could not publish the Home tab; it is published again on the next open or change');
    return false;
  }
}

/** Someone opened the Home tab: remembered for later changes, and published if what they see is stale. */
export async function homeOpened(deps: HomeDependencies, userId: string): Promise<void> {
  await deps.appHome.recordOpened(userId, deps.clock.now());
  const published = await publishHomeIfStale(deps, userId);
  deps.log.debug({ userId, published }, 'Home tab opened');
}

/** The scheduler's pass: publishes each Home whose burst of changes has settled. Returns how many were published. */
export async function publishDueHomes(deps: HomeDependencies): Promise<number> {
  let published = 0;
  for (const userId of await deps.appHome.dueViewers(deps.clock.now(), PUBLISHES_PER_PASS)) {
    if (await publishHomeIfStale(deps, userId)) published += 1;
  }
  return published;
}

/**
 * Archiving resolved incidents' channels (archive_after_days): the scheduler pass that warns a day
 * ahead and then archives, the Keep open button, and what reopening an archived incident needs
 * first. When each step is due is the domain's rule (`domain/archive.ts`); each step is claimed
 * through the one lease mechanism, so with replicas it happens once.
 */
import { nextArchiveStep, noticeMs, plannedArchiveAt, type ArchiveState } from '../domain/archive.js';
import type { LiveIncident } from '../domain/incident.js';
import { formatDuration } from '../domain/lifecycle.js';
import { awaitsReview, type ReviewSettings } from '../domain/reminders.js';
import { formatInZone } from '../domain/time.js';
import {
  archivedTimeline,
  archiveRefusedTimeline,
  archiveRefusedToCommander,
  FOUND_ARCHIVED_TIMELINE,
  keptOpenInChannel,
  keptOpenTimeline,
  NOTHING_TO_KEEP_OPEN,
} from '../messages/archive.js';
import type { Claim, ComputedDueTime, NewTimelineEntry, ScheduledSlot } from '../ports.js';
import { forEachConcurrently, SENDS_AT_ONCE } from '../scheduler/concurrently.js';
import { deliverOnce } from '../scheduler/deliverOnce.js';
import { LEASE_MS } from '../scheduler/leases.js';
import { deadHolders, leaseCheckWithout } from '../scheduler/replicas.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { ARCHIVE_WARNING_EVENT_TYPE, archiveWarningMessage } from '../slack/views/archiveWarning.js';
import { done, type FlowDependencies, type FlowResult, type SchedulerDependencies } from './incidentFlow.js';
import { runChange } from './pipeline.js';

export interface ArchiveDependencies extends SchedulerDependencies {
  /** A channel whose post-mortem review is owed is not archived until it is held. */
  review: ReviewSettings;
}

/**
 * Slack's refusals that asking again will not change: the bot is not in the channel, cannot see
 * it, lacks the scope, or may not archive it. Told once and not retried; anything else (rate
 * limits, Slack down) is retried after `retryMs`.
 */
const REFUSED_FOR_GOOD = new Set(['not_in_channel', 'channel_not_found', 'missing_scope', 'restricted_action', 'cant_archive_general', 'method_not_supported_for_channel_type']);

/** A post-mortem review still owed holds the archive back; a drill's is owed to nobody (as `listAwaitingReview` says). */
const reviewHoldsArchive = (incident: LiveIncident, review: ReviewSettings) => awaitsReview(incident, review) && incident.drillScenario === null;

/** The next archive step of an incident as stored now. */
async function archiveStepOf(deps: ArchiveDependencies, incidentId: number) {
  const incident = await deps.incidents.findLiveById(incidentId);
  if (!incident) return undefined;
  const state = await deps.archives.stateOf(incidentId);
  const next = nextArchiveStep(incident, state, deps.settings.archive, reviewHoldsArchive(incident, deps.review));
  return { incident, state, next };
}

/**
 * One pass: every incident whose archive due time has come is read, and, if its warning or its
 * archive is owed now, claimed, done once and recorded. Only incidents whose stored time has come
 * are read (`DueTimes`); one done stays due until a pass reads it again and stores its next time.
 * Returns how many steps were done.
 */
export async function archiveDueChannels(deps: ArchiveDependencies): Promise<number> {
  const now = deps.clock.now();
  const dueNow = await deps.dueTimes.dueNow('archive', now);
  if (dueNow.length === 0) return 0;
  const dead = await deadHolders(deps, deps.owner, now);
  const leaseIsLive = leaseCheckWithout(dead);
  const unclaimed = dueNow.filter((incident) => !leaseIsLive(incident.leaseOwner, incident.leaseUntil, now));
  let doneSteps = 0;
  await forEachConcurrently(unclaimed, SENDS_AT_ONCE, async ({ incidentId, version }) => {
    const listed = await archiveStepOf(deps, incidentId);
    if (!listed?.next || listed.next.at > now) return deps.dueTimes.store('archive', [{ incidentId, version, at: listed?.next?.at ?? null }]);
    const slot: ScheduledSlot = { kind: 'archive', incidentId };
    const claim = await deps.leases.claim(slot, deps.owner, now, LEASE_MS, dead);
    if (!claim) return;
    // Read again now that it is ours: another process may have done it, or someone kept the channel open.
    const current = await archiveStepOf(deps, incidentId);
    if (!current?.next || current.next.at > now) return deps.leases.unlock(slot, deps.owner);
    const { incident, state } = current;
    const finished = current.next.kind === 'warn' ? await warn(deps, slot, claim, incident, state, now) : await archive(deps, slot, incident, now);
    if (finished) doneSteps += 1;
  });
  return doneSteps;
}

/** How long the period is, as the messages say it ("7 d"). */
const periodText = (deps: ArchiveDependencies) => formatDuration(deps.settings.archive.afterMs);

async function warn(deps: ArchiveDependencies, slot: ScheduledSlot, claim: Claim, incident: LiveIncident, state: ArchiveState, now: Date): Promise<boolean> {
  const log = deps.log.child({ incidentId: incident.id });
  const archiveAt = plannedArchiveAt(incident, state, deps.settings.archive)!;
  // The warning promises a full notice from when it is posted: a late warning moves the archive with it.
  const when = new Date(Math.max(archiveAt.getTime(), now.getTime() + noticeMs(deps.settings.archive)));
  const outcome = await deliverOnce(
    deps,
    slot,
    claim,
    {
      channelId: incident.channelId,
      eventType: ARCHIVE_WARNING_EVENT_TYPE,
      send: async (key) => void (await deps.chat.postMessage(incident.channelId, archiveWarningMessage(incident.id, formatInZone(when, deps.settings.timeZone), periodText(deps), key))),
      markSent: (at) => deps.archives.markWarned(incident.id, deps.owner, at),
      refusedForGood: async (error) => {
        // Archived by hand: nothing to warn about, and a reopen will have to unarchive it.
        if (error.code === 'is_archived') return deps.archives.markArchived(incident.id, deps.owner, botEntry(now, 'channel_archived', FOUND_ARCHIVED_TIMELINE, { foundArchived: true }));
        if (!REFUSED_FOR_GOOD.has(error.code)) return false;
        await giveUp(deps, incident, error, 'warn', now);
        return true;
      },
    },
    new Date(now.getTime() + deps.retryMs),
    log,
  );
  if (outcome !== 'failed') log.info({ archiveAt: when.toISOString() }, 'channel warned it will be archived');
  return outcome !== 'failed';
}

async function archive(deps: ArchiveDependencies, slot: ScheduledSlot, incident: LiveIncident, now: Date): Promise<boolean> {
  const log = deps.log.child({ incidentId: incident.id });
  try {
    await deps.chat.archive(incident.channelId);
  } catch (error) {
    if (!(error instanceof SlackCallError)) throw error;
    if (REFUSED_FOR_GOOD.has(error.code)) {
      await giveUp(deps, incident, error, 'archive', now);
      return false;
    }
    const retryAt = new Date(now.getTime() + deps.retryMs);
    await deps.leases.release(slot, deps.owner, retryAt);
    log.warn({ code: error.code, retryAt: retryAt.toISOString() }, 'Slack did not archive the channel; will retry');
    return false;
  }
  const entry = botEntry(now, 'channel_archived', archivedTimeline(periodText(deps)), {});
  const outcome = await runChange(deps, {
    actorId: null,
    at: now,
    async record() {
      if (!(await deps.archives.markArchived(incident.id, deps.owner, entry))) return { ok: false, reason: 'the archive lease was taken over' };
      return { ok: true, incident, event: { kind: 'channel_archived' as const } };
    },
  });
  if (!outcome.ok) log.warn({ reason: outcome.result.message }, 'channel archived but not recorded by this process');
  else log.info('channel archived');
  return outcome.ok;
}

/**
 * Slack refused for good: recorded first (so it is never retried, whatever happens next), then
 * told to the commander by direct message, since the channel itself may be what the bot cannot reach.
 */
async function giveUp(deps: ArchiveDependencies, incident: LiveIncident, error: SlackCallError, step: 'warn' | 'archive', now: Date): Promise<void> {
  const log = deps.log.child({ incidentId: incident.id });
  if (!(await deps.archives.giveUp(incident.id, deps.owner, botEntry(now, 'archive_failed', archiveRefusedTimeline(error.code), { code: error.code, step })))) return;
  log.warn({ code: error.code, step }, 'Slack refused to archive the channel for good; telling the commander, not retrying');
  try {
    await deps.chat.postMessage(incident.commanderId, { text: archiveRefusedToCommander(incident.channelName, error.userMessage) });
  } catch (dmError) {
    log.error({ err: dmError, commanderId: incident.commanderId }, 'could not tell the commander that the channel cannot be archived');
  }
}

const botEntry = (at: Date, kind: string, text: string, data: Record<string, unknown>): NewTimelineEntry => ({ at, actorId: null, kind, text, data });

/** Keep open: the period starts again from now, on the timeline with who kept it. The answer says so for the whole channel. */
export async function keepChannelOpen(deps: FlowDependencies, incident: LiveIncident, userId: string): Promise<FlowResult> {
  const at = deps.clock.now();
  const until = new Date(at.getTime() + deps.settings.archive.afterMs);
  const untilText = formatInZone(until, deps.settings.timeZone);
  const outcome = await runChange(deps, {
    actorId: userId,
    at,
    async record() {
      const kept = await deps.archives.keepOpen(incident.id, userId, { at, actorId: userId, kind: 'archive_postponed', text: keptOpenTimeline(untilText), data: { until: until.toISOString() } });
      if (!kept) return { ok: false, reason: NOTHING_TO_KEEP_OPEN };
      return { ok: true, incident: (await deps.incidents.findLiveById(incident.id)) ?? incident, event: { kind: 'archive_postponed' as const, until } };
    },
  });
  return outcome.ok ? done(keptOpenInChannel(userId, untilText), outcome.warnings) : outcome.result;
}

/** Archive due times of every resolved incident whose channel is not archived, for the start-up's recompute. */
export async function computeArchiveDueTimes(deps: Pick<ArchiveDependencies, 'archives' | 'settings' | 'review'>, versions: ReadonlyMap<number, number>): Promise<ComputedDueTime[]> {
  const times: ComputedDueTime[] = [];
  const owing = new Set<number>();
  for (const { incident, state } of await deps.archives.notArchived()) {
    const version = versions.get(incident.id);
    if (version === undefined) continue;
    owing.add(incident.id);
    times.push({ incidentId: incident.id, version, at: nextArchiveStep(incident, state, deps.settings.archive, reviewHoldsArchive(incident, deps.review))?.at ?? null });
  }
  for (const [incidentId, version] of versions) if (!owing.has(incidentId)) times.push({ incidentId, version, at: null });
  return times;
}

import type { Logger } from 'pino';
import { formatInZone, type Clock } from '../domain/time.js';
import { escapeMrkdwn, mentionChannel } from '../render/mrkdwn.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { IncidentRepository } from '../store/incidentRepository.js';
import { DECLARE_WORK, type StoredWork, type WorkJournal } from '../store/workJournal.js';
import { leaseIsLive } from './delivery.js';

/** Slack's response_urls work for 30 minutes; later, the bot writes by direct message. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/** Work of a process on another machine is presumed dead when it has run this long. */
const FOREIGN_WORK_TIMEOUT_MS = 10 * 60_000;

export interface RecoveryDependencies {
  journal: WorkJournal;
  incidents: IncidentRepository;
  slack: SlackGateway;
  clock: Clock;
  log: Logger;
  timeZone: string;
}

/**
 * At start: work a dead process acknowledged and never finished. A declaration caught half-way is
 * called off (its channel archived) and the declarer told to declare again; anything else, the
 * person is told it may not have been done. Nothing is silently lost. Returns how many were found.
 */
export async function recoverInterruptedWork(deps: RecoveryDependencies): Promise<number> {
  const now = deps.clock.now();
  const interrupted = deps.journal
    .othersEntries()
    .filter((work) => !leaseIsLive(work.owner, new Date(work.startedAt.getTime() + FOREIGN_WORK_TIMEOUT_MS), now));
  for (const work of interrupted) {
    const log = deps.log.child({ what: work.what, userId: work.userId, incidentId: work.incidentId });
    try {
      await tell(deps, work, await undo(deps, work, now));
    } catch (error) {
      log.error({ err: error }, 'could not tell the user about work interrupted by a restart');
    }
    deps.journal.finish(work.id);
    log.warn('reported work interrupted by a restart');
  }
  return interrupted.length;
}

/** What to tell the person; a half-made declaration is called off first. */
async function undo(deps: RecoveryDependencies, work: StoredWork, now: Date): Promise<string> {
  const when = formatInZone(work.startedAt, deps.timeZone);
  const incident = work.incidentId === null ? undefined : deps.incidents.findById(work.incidentId);
  if (work.what === DECLARE_WORK && incident) {
    const title = escapeMrkdwn(incident.title);
    if (!deps.incidents.markAborted(incident.id, 'the bot restarted during the declaration', now)) {
      return incident.phase === 'live' && incident.channelId
        ? `:warning: The bot restarted just after declaring "${title}" (${when}). The incident is open in ${mentionChannel(incident.channelId)}; check that its summary is there.`
        : `:warning: The bot restarted while declaring "${title}" (${when}).`;
    }
    if (incident.channelId) await deps.slack.archive(incident.channelId).catch(() => undefined);
    return `:x: The bot restarted while declaring "${title}" (${when}): the incident was *not* declared. Declare it again with \`/incident declare\`.`;
  }
  const where = work.channelId ? ` Check ${mentionChannel(work.channelId)}` : ' Check the channel';
  return `:warning: The bot restarted while it was trying to ${work.what} for you (${when}), so it may not have been done.${where}, and do it again if it is missing.`;
}

async function tell(deps: RecoveryDependencies, work: StoredWork, text: string): Promise<void> {
  const fresh = deps.clock.now().getTime() - work.startedAt.getTime() < RESPONSE_URL_LIFETIME_MS;
  if (work.responseUrl && fresh) {
    try {
      await deps.slack.respond(work.responseUrl, text);
      return;
    } catch {
      // The response_url expired or was used up: a direct message instead.
    }
  }
  await deps.slack.postMessage(work.userId, { text });
}

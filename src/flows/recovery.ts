import type { Logger } from 'pino';
import { formatInZone, type Clock } from '../domain/time.js';
import { ABORT_REASONS } from '../messages/declare.js';
import { declarationCalledOff, mayNotHaveBeenDone, stoppedAfterDeclaring, stoppedWhileDeclaring } from '../messages/recovery.js';
import { DECLARE_WORK, type Chat, type IncidentRecords, type Replicas, type StoredWork, type WorkJournal } from '../ports.js';
import { goneAmong } from '../scheduler/replicas.js';

/** Slack's response_urls work for 30 minutes; later, the bot writes by direct message. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export interface RecoveryDependencies {
  journal: WorkJournal;
  incidents: IncidentRecords;
  replicas: Replicas;
  chat: Chat;
  /** This process: it takes over what it reports. */
  owner: string;
  clock: Clock;
  log: Logger;
  timeZone: string;
}

/**
 * Work a dead process acknowledged and never finished: at start (an earlier run of this process)
 * and on each scheduler tick that finds another process's entries (another replica, silent past
 * its heartbeat's bound). A declaration caught half-way is called off (its channel archived) and
 * the declarer told to declare again; anything else, the person is told it may not have been done.
 * Nothing is silently lost, and each entry is claimed before it is reported, so of the replicas
 * finding it exactly one tells the person.
 * Returns how many this process reported.
 */
export async function recoverInterruptedWork(deps: RecoveryDependencies): Promise<number> {
  const entries = await deps.journal.othersEntries();
  if (entries.length === 0) return 0;
  const gone = new Set(await goneAmong(deps.replicas, entries.map((work) => work.owner), deps.owner));
  let reported = 0;
  for (const work of entries.filter((entry) => gone.has(entry.owner))) {
    if (!(await deps.journal.claim(work.id, work.owner))) continue; // another replica is reporting it
    const log = deps.log.child({ what: work.what, userId: work.userId, incidentId: work.incidentId, deadOwner: work.owner });
    try {
      await tell(deps, work, await undo(deps, work, deps.clock.now()));
    } catch (error) {
      log.error({ err: error }, 'could not tell the user about work interrupted by a restart');
    }
    await deps.journal.finish(work.id);
    log.warn('reported work interrupted by a restart');
    reported += 1;
  }
  return reported;
}

/** What to tell the person; a half-made declaration is called off first. */
async function undo(deps: RecoveryDependencies, work: StoredWork, now: Date): Promise<string> {
  const when = formatInZone(work.startedAt, deps.timeZone);
  const incident = work.incidentId === null ? undefined : await deps.incidents.findById(work.incidentId);
  if (work.what === DECLARE_WORK && incident) {
    if (!(await deps.incidents.markAborted(incident.id, ABORT_REASONS.stopped, now))) {
      return incident.phase === 'live' && incident.channelId
        ? stoppedAfterDeclaring(incident.title, when, incident.channelId)
        : stoppedWhileDeclaring(incident.title, when);
    }
    if (incident.channelId) await deps.chat.archive(incident.channelId).catch(() => undefined);
    return declarationCalledOff(incident.title, when);
  }
  return mayNotHaveBeenDone(work.what, when, work.channelId);
}

async function tell(deps: RecoveryDependencies, work: StoredWork, text: string): Promise<void> {
  const fresh = deps.clock.now().getTime() - work.startedAt.getTime() < RESPONSE_URL_LIFETIME_MS;
  if (work.responseUrl && fresh) {
    try {
      await deps.chat.respond(work.responseUrl, text);
      return;
    } catch {
      // The response_url expired or was used up: a direct message instead.
    }
  }
  await deps.chat.postMessage(work.userId, { text });
}

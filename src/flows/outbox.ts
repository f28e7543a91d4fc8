/**
 * The outbox's scheduler pass: delivers the sends whose time has come, each claimed once across
 * processes, and retries the ones that fail with a growing wait (`domain/outbox.ts`). A send that
 * keeps failing is told once to the comms lead (or the commander) in the incident's channel, and
 * on its timeline; if it is given up, that is told too, and if it gets through after all, so is that.
 */
import { settle, type OutboxRow, type OutboxSettings, type SendResult, type Settlement } from '../domain/outbox.js';
import { noAnswerInTime, noSenderFor, sendGivenUp, sendGivenUpEntry, sendKeepsFailing, sendKeepsFailingEntry, sendWorksAgain, sendWorksAgainEntry } from '../messages/outbox.js';
import type { OutboxSender } from '../outlets/outbox.js';
import type { NewTimelineEntry, OutboxSettlement } from '../ports.js';
import { forEachConcurrently, SENDS_AT_ONCE } from '../scheduler/concurrently.js';
import type { FlowDependencies } from './incidentFlow.js';

export interface OutboxDependencies extends FlowDependencies {
  senders: readonly OutboxSender[];
  outboxSettings: OutboxSettings;
  /** Who holds a claim: this process. */
  owner: string;
}

/** Rows read per pass; more wait for the next tick. */
const ROWS_PER_PASS = 100;
/** A claim outlives the attempt's timeout by this much, so a live claimant always settles before anyone else may claim. */
const CLAIM_MARGIN_MS = 20_000;

/** One pass: returns how many sends were attempted. */
export async function deliverDueSends(deps: OutboxDependencies): Promise<number> {
  const due = await deps.outbox.due(deps.clock.now(), ROWS_PER_PASS);
  if (due.length === 0) return 0;
  let attempted = 0;
  // Each row is the head of its own (destination, incident): rows in flight at once never need an order between them.
  await forEachConcurrently(due, SENDS_AT_ONCE, async (row) => {
    if (await deliverOne(deps, row)) attempted += 1;
  });
  return attempted;
}

async function deliverOne(deps: OutboxDependencies, row: OutboxRow): Promise<boolean> {
  const { outboxSettings: settings } = deps;
  const until = new Date(deps.clock.now().getTime() + settings.sendTimeoutMs + CLAIM_MARGIN_MS);
  const claimed = await deps.outbox.claim(row, deps.owner, until);
  if (!claimed) return false;
  const log = deps.log.child({ incidentId: claimed.incidentId, destination: claimed.destination, eventId: claimed.eventId, attempt: claimed.attempts });
  const sender = deps.senders.find((candidate) => candidate.handles(claimed.destination));
  const result = sender ? await attempt(sender, claimed, settings.sendTimeoutMs) : { ok: false as const, error: noSenderFor(claimed.destination), permanent: true };
  const now = deps.clock.now();
  const outcome = settle(settings, claimed, result, now);
  const what = sender?.describe(claimed) ?? claimed.destination;
  const told = await tellingOf(deps, claimed, outcome, what);
  const written = await deps.outbox.settle(claimed, deps.owner, toSettlement(claimed, outcome, now, told?.entry));
  if (!written) {
    // Only when this attempt outlived its claim: the row is another process's now, and it reports.
    log.warn('a send took longer than its claim; another process has it now');
    return true;
  }
  if (outcome.state === 'sent') log.info('sent');
  else if (outcome.state === 'pending') log.warn({ error: outcome.error, retryAt: outcome.retryAt.toISOString() }, 'send failed; it is retried');
  else log.error({ error: outcome.error }, 'send given up');
  if (told) {
    try {
      await deps.chat.postMessage(told.channelId, { text: told.text });
    } catch (error) {
      log.error({ err: error }, 'could not tell the channel about a failing send; it is on the timeline');
    }
  }
  return true;
}

/** One attempt, abandoned after `timeoutMs`; a sender that throws counts as a failure worth retrying. */
async function attempt(sender: OutboxSender, row: OutboxRow, timeoutMs: number): Promise<SendResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const result = await sender.send(row, signal);
    return signal.aborted && !result.ok ? { ...result, error: noAnswerInTime(Math.round(timeoutMs / 1000)) } : result;
  } catch (error) {
    return { ok: false, error: signal.aborted ? noAnswerInTime(Math.round(timeoutMs / 1000)) : error instanceof Error ? error.message : String(error), permanent: false };
  }
}

/** What the channel is to be told about this attempt, and its timeline entry; undefined when nothing is. */
async function tellingOf(deps: OutboxDependencies, row: OutboxRow, outcome: Settlement, what: string): Promise<{ channelId: string; text: string; entry: NewTimelineEntry } | undefined> {
  const said = saying(row, outcome, what);
  if (!said) return undefined;
  const incident = await deps.incidents.findById(row.incidentId);
  if (!incident?.channelId) return undefined;
  const entry: NewTimelineEntry = {
    at: deps.clock.now(),
    actorId: null,
    kind: said.kind,
    text: said.entry,
    data: { destination: row.destination, eventId: row.eventId, attempts: row.attempts },
  };
  return { channelId: incident.channelId, text: said.message(incident.commsId ?? incident.commanderId), entry };
}

/** The words for what happened to a send, if it is to be told: it keeps failing, it was given up, or it got through after all. */
function saying(row: OutboxRow, outcome: Settlement, what: string): { kind: string; entry: string; message: (who: string) => string } | undefined {
  if (outcome.state === 'sent') {
    return outcome.tellRecovered ? { kind: 'send_recovered', entry: sendWorksAgainEntry(what, row.attempts), message: () => sendWorksAgain(what, row.attempts) } : undefined;
  }
  if (outcome.state === 'pending') {
    return outcome.tell ? { kind: 'send_failing', entry: sendKeepsFailingEntry(what, row.attempts, outcome.error), message: (who) => sendKeepsFailing(who, what, row.attempts, outcome.error) } : undefined;
  }
  return outcome.tell ? { kind: 'send_given_up', entry: sendGivenUpEntry(what, row.attempts, outcome.error), message: (who) => sendGivenUp(who, what, row.attempts, outcome.error) } : undefined;
}

function toSettlement(row: OutboxRow, outcome: Settlement, at: Date, entry: NewTimelineEntry | undefined): OutboxSettlement {
  switch (outcome.state) {
    case 'sent':
      return { state: 'sent', nextAttemptAt: null, lastError: row.lastError, reported: row.reported, at, entry };
    case 'pending':
      return { state: 'pending', nextAttemptAt: outcome.retryAt, lastError: outcome.error, reported: outcome.tell ?? row.reported, at, entry };
    case 'failed':
      return { state: 'failed', nextAttemptAt: null, lastError: outcome.error, reported: outcome.tell ?? row.reported, at, entry };
  }
}

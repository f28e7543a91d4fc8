import type { View } from '@slack/types';
import type { LiveIncident } from '../domain/incident.js';
import { resultText, type FlowResult } from '../flows/incidentFlow.js';
import { FORM_NOT_OPENED, refusalText, somethingWentWrong } from '../messages/replies.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { DatabaseFaultError } from '../store/faults.js';
import type { JournalEntry, WorkEntry } from '../ports.js';
import { REPEATED_REQUEST_IGNORED } from './requestDeliveries.js';
import type { ListenerDependencies } from './types.js';

/** Whether the person must hear an outcome the channel already shows when it went well: a refusal or a warning. */
export const needsTelling = (result: FlowResult): boolean => !result.ok || result.warnings.length > 0;

/**
 * Tells one person the outcome of something they did from a modal (which has no response_url):
 * ephemeral in the incident channel, or by direct message if that is refused. Success without
 * warnings needs no word when the channel already shows it; `evenOnSuccess` for a change it does not show.
 */
export async function tellOutcome(deps: ListenerDependencies, incident: LiveIncident, userId: string, result: FlowResult, evenOnSuccess = false): Promise<void> {
  if (!evenOnSuccess && !needsTelling(result)) return;
  const text = resultText(result);
  try {
    await deps.chat.postEphemeral(incident.channelId, userId, { text });
  } catch {
    await deps.chat.postMessage(userId, { text }).catch((error: unknown) => deps.log.error({ err: error, incidentId: incident.id }, 'could not tell the user the outcome'));
  }
}

/**
 * Runs a flow and turns an unexpected crash into a result, so the user always hears something.
 * While it runs it is in the work journal: if the process dies mid-way, the next start tells
 * `asker` that it may not have been done. `acknowledge` (the listener's ack) is called once the
 * entry is written, so a crash just after Slack was answered is reported too.
 */
export async function runSafely(
  deps: ListenerDependencies,
  what: string,
  flow: () => Promise<FlowResult>,
  asker: Omit<WorkEntry, 'what'>,
  acknowledge: () => Promise<void> = async () => {},
): Promise<FlowResult> {
  const entry = { what, ...asker };
  // Never undefined: only a request already handled has no entry.
  return (await runJournaled(deps, entry, () => deps.journal.start(entry, deps.clock.now()), flow, acknowledge))!;
}

/**
 * runSafely for a request Slack may deliver again (X-Slack-Retry-Num), to this process or another:
 * `requestKey` is recorded as handled with the journal entry, in one write. A repeat is
 * acknowledged with nothing, runs nothing and returns undefined. When that write fails the request
 * is not acted on: the person hears the database's words, as from any other flow that could not write.
 */
export async function runSafelyOnce(
  deps: ListenerDependencies,
  requestKey: string,
  what: string,
  flow: (work: JournalEntry) => Promise<FlowResult>,
  asker: Omit<WorkEntry, 'what'>,
  acknowledge: () => Promise<void>,
): Promise<FlowResult | undefined> {
  const entry = { what, ...asker };
  return runJournaled(deps, entry, () => deps.journal.startFirstDelivery(requestKey, entry, deps.clock.now()), flow, acknowledge, () => {
    deps.log.info({ requestKey }, REPEATED_REQUEST_IGNORED);
  });
}

async function runJournaled(
  deps: ListenerDependencies,
  entry: WorkEntry,
  startEntry: () => Promise<number | undefined>,
  flow: (work: JournalEntry) => Promise<FlowResult>,
  acknowledge: () => Promise<void>,
  repeated?: () => void,
): Promise<FlowResult | undefined> {
  let acknowledged = false;
  const acknowledgeOnce = async () => {
    acknowledged = true;
    await acknowledge();
  };
  try {
    const id = await startEntry();
    if (id === undefined) {
      repeated?.();
      await acknowledgeOnce();
      return undefined;
    }
    return await journaled(deps, id, entry, flow, acknowledgeOnce);
  } catch (error) {
    // Slack is answered even when the journal could not be written: the reply says why nothing was done.
    if (!acknowledged) await acknowledgeOnce();
    deps.log.error({ err: error, what: entry.what }, 'flow crashed');
    return { ok: false, message: failureMessage(error, entry.what) };
  }
}

/** What the person is told when trying to `what` failed inside the bot: the database's own words when it was the database. */
export function failureMessage(error: unknown, what: string): string {
  if (error instanceof DatabaseFaultError) return error.userMessage;
  return somethingWentWrong(what);
}

/** Opens a form; when Slack refuses, returns what to tell the user (ephemeral, by the caller). */
export async function openForm(deps: ListenerDependencies, triggerId: string, view: View, context: Record<string, unknown>): Promise<string | undefined> {
  try {
    await deps.chat.openView(triggerId, view);
    return undefined;
  } catch (error) {
    deps.log.warn({ err: error, ...context }, 'could not open a form');
    return refusalText(error instanceof SlackCallError ? error.userMessage : FORM_NOT_OPENED);
  }
}

/**
 * Runs `work` under the journal entry `id`, just written; the entry goes when the work ends,
 * however it ends, unless the work's own last write removed it. `started` runs before the work:
 * where a listener acknowledges the request, so that nothing the person was told is under way can
 * be lost to a crash unreported.
 * Work that was done stays done when its entry cannot be removed (the database went away in
 * between): the person hears the outcome; the entry stays, so the start after this process ends
 * says it may not have been done, a false alarm rather than a loss.
 */
async function journaled<T>(deps: Pick<ListenerDependencies, 'journal' | 'log'>, id: number, entry: WorkEntry, work: (entry: JournalEntry) => Promise<T>, started: () => Promise<void>): Promise<T> {
  const journalEntry: JournalEntry = { id, removed: false };
  let outcome: { done: true; value: T } | { done: false; error: unknown };
  try {
    await started();
    outcome = { done: true, value: await work(journalEntry) };
  } catch (error) {
    outcome = { done: false, error };
  }
  try {
    if (!journalEntry.removed) await deps.journal.finish(id);
  } catch (error) {
    deps.log.error({ err: error, journalId: id, what: entry.what }, 'could not remove finished work from the work journal');
  }
  if (!outcome.done) throw outcome.error;
  return outcome.value;
}

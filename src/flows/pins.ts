import type { LiveIncident } from '../domain/incident.js';
import { pinnedMessageDeleted, pinnedMessageEdited } from '../domain/timeline.js';
import { SlackCallError } from '../slack/slackErrors.js';
import type { FlowDependencies } from './incidentFlow.js';
import { runChange } from './pipeline.js';

/** Slack's message ts is seconds since the epoch, with microseconds after the dot. */
export const tsToDate = (ts: string) => new Date(Math.round(Number.parseFloat(ts) * 1000));

/**
 * `holder` is the pin as the store keeps it: the user for a :pushpin:, SLACK_PIN_HOLDER for
 * Slack's own pin (`userId` is then who pinned it, shown as pinnedBy).
 *
 * A :pushpin: on a message in an incident channel puts the message (author, time, text) on the
 * timeline, once however many people pin it or Slack retries the event. Every pin of a message not
 * on the timeline yet tries again, so a pin the bot could not finish (Slack failed, or the bot was
 * killed mid-way) is recovered by the next one.
 */
export async function messagePinned(
  deps: FlowDependencies,
  incident: LiveIncident,
  messageTs: string,
  userId: string,
  holder: string = userId,
): Promise<'recorded' | 'already' | 'gone'> {
  const first = await deps.incidents.addPinReaction(incident.id, messageTs, holder, deps.clock.now());
  if (!first) return 'already';
  let message: Awaited<ReturnType<typeof deps.chat.fetchMessage>>;
  try {
    message = await deps.chat.fetchMessage(incident.channelId, messageTs);
  } catch (error) {
    // Without the text there is nothing to record; the next :pushpin: on the message tries again.
    if (error instanceof SlackCallError) deps.log.warn({ incidentId: incident.id, code: error.code }, 'could not read the pinned message');
    throw error;
  }
  if (!message) {
    await deps.incidents.removePinReaction(incident.id, messageTs, holder);
    return 'gone';
  }
  const author = message.user;
  const text = message.text;
  // The post-mortem links to the message; without a link the message is still on the timeline.
  const permalink = await deps.chat.permalink(incident.channelId, messageTs).catch((error: unknown) => {
    deps.log.warn({ incidentId: incident.id, err: error }, 'could not get a link to the pinned message');
    return '';
  });
  const outcome = await runChange(deps, {
    actorId: userId,
    at: deps.clock.now(),
    async record() {
      const recorded = await deps.incidents.recordPinnedMessage(incident.id, {
        at: tsToDate(messageTs),
        actorId: author,
        kind: 'pinned_message',
        text,
        data: { pinnedBy: userId, ...(permalink ? { permalink } : {}) },
        messageTs,
      });
      return recorded ? { ok: true as const, incident, event: { kind: 'message_pinned' as const, messageTs, pinnedBy: userId } } : { ok: false as const, reason: 'already on the timeline' };
    },
  });
  return outcome.ok ? 'recorded' : 'already';
}

/**
 * Who holds a message on the timeline besides the people who put :pushpin: on it: Slack's own pin.
 * A message is pinned in Slack once, whoever unpins it, and unpinning it must not take back
 * anyone's :pushpin: (the pinner's included), so it is held under this name, never a user id.
 */
export const SLACK_PIN_HOLDER = 'slack-pin';

/**
 * `holder` is who lets go of the message: the user for a :pushpin:, SLACK_PIN_HOLDER for Slack's
 * pin (`userId` is then who unpinned it). When it was the last pin, the message leaves the
 * timeline and the outlets hear it. Returns whether it left.
 */
export async function pinRemoved(deps: FlowDependencies, incident: LiveIncident, messageTs: string, userId: string, holder: string = userId): Promise<boolean> {
  const outcome = await runChange(deps, {
    actorId: userId,
    at: deps.clock.now(),
    async record() {
      const left = await deps.incidents.removePinReaction(incident.id, messageTs, holder);
      return left ? { ok: true as const, incident, event: { kind: 'message_unpinned' as const, messageTs } } : { ok: false as const, reason: 'still pinned by someone else, or not on the timeline' };
    },
  });
  return outcome.ok;
}

/**
 * A :pushpin:-ed message was edited in Slack (by `editorId`, its author): its entry shows the new
 * text and keeps the earlier one (`pinnedMessageEdited`). A message not on the timeline is left
 * alone. Returns whether the entry changed.
 */
export async function pinnedMessageChanged(deps: FlowDependencies, incident: LiveIncident, messageTs: string, text: string, editorId: string | null): Promise<boolean> {
  const at = deps.clock.now();
  const outcome = await runChange(deps, {
    actorId: editorId,
    at,
    async record() {
      let previousText = '';
      const changed = await deps.incidents.revisePinnedMessage(incident.id, messageTs, (entry) => {
        previousText = entry.text;
        return pinnedMessageEdited(entry, text, at);
      });
      return changed ? { ok: true as const, incident, event: { kind: 'pinned_message_edited' as const, messageTs, previousText, text } } : { ok: false as const, reason: 'not a pinned message, or the same text' };
    },
  });
  return outcome.ok;
}

/**
 * A :pushpin:-ed message was deleted in Slack: its entry stays, marked deleted and when
 * (`pinnedMessageDeleted`). Slack does not say who deleted it, so nobody is named.
 */
export async function pinnedMessageGone(deps: FlowDependencies, incident: LiveIncident, messageTs: string): Promise<boolean> {
  const at = deps.clock.now();
  const outcome = await runChange(deps, {
    actorId: null,
    at,
    async record() {
      const changed = await deps.incidents.revisePinnedMessage(incident.id, messageTs, (entry) => pinnedMessageDeleted(entry, at));
      return changed ? { ok: true as const, incident, event: { kind: 'pinned_message_deleted' as const, messageTs } } : { ok: false as const, reason: 'not a pinned message, or already marked deleted' };
    },
  });
  return outcome.ok;
}

/**
 * What the bot says about a change to an incident: in its channel, and to the person who made the
 * change. Values typed by people arrive raw and are escaped here; titles arrive raw too.
 */
import { formatDuration } from '../domain/lifecycle.js';
import { NOTE_MAX_LENGTH } from '../domain/limits.js';
import { escapeMrkdwn, escapeTypedText, mentionUser } from '../render/mrkdwn.js';

// Acknowledging
export const acknowledgedInChannel = (actorId: string, afterMs: number) =>
  `:eyes: ${mentionUser(actorId)} acknowledged the incident, ${formatDuration(afterMs)} after it was declared.`;
export const acknowledged = (afterMs: number) => `Acknowledged after ${formatDuration(afterMs)}.`;

// Severity
export const severityChangedInChannel = (raised: boolean, from: string, to: string, actorId: string) =>
  `Severity ${raised ? ':arrow_double_up: raised' : ':arrow_down: lowered'} from ${from} to *${to}* by ${mentionUser(actorId)}`;
/** The event line of the announcement channel's update template. */
export const severityRaisedEvent = (from: string, to: string) => `severity raised from ${from} to ${to}`;
export const severityIsNow = (severity: string) => `Severity is now ${severity}.`;

// Roles
export const roleHandedOverInChannel = (label: string, previousId: string, userId: string, actorId: string, at: string) =>
  `:handshake: *${label}:* ${mentionUser(previousId)} → ${mentionUser(userId)} (handed over by ${mentionUser(actorId)} at ${at})`;
export const roleAssignedInChannel = (label: string, userId: string, actorId: string, at: string) =>
  `:bust_in_silhouette: *${label}:* ${mentionUser(userId)} (assigned by ${mentionUser(actorId)} at ${at})`;
export const roleIsNow = (label: string, userId: string) => `${mentionUser(userId)} is now ${label.toLowerCase()}.`;

// Notes
export const NOTE_EMPTY = 'A note needs some text: `/incident note Rolled back deploy 4521`.';
export const noteTooLong = (length: number) => `Keep a note under ${NOTE_MAX_LENGTH} characters (this one has ${length}); split it in two.`;
export const noteInChannel = (actorId: string, note: string) => `:memo: *Note* from ${mentionUser(actorId)}: ${escapeTypedText(note)}`;
export const NOTE_ADDED = 'Note added to the timeline.';

// Action items; `description` is the item as the views describe it.
export const actionItemAddedInChannel = (id: number, actorId: string, description: string) =>
  `:ballot_box_with_check: *Action item #${id}* added by ${mentionUser(actorId)}: ${description}`;
export const actionItemAdded = (id: number) => `Action item #${id} added. \`/incident actions\` lists them all.`;
export const actionItemDoneInChannel = (id: number, actorId: string, description: string) =>
  `:white_check_mark: *Action item #${id}* done by ${mentionUser(actorId)}: ${description}`;
export const actionItemDone = (id: number) => `Action item #${id} marked done.`;
export const actionItemAlreadyDone = (id: number) => `Action item #${id} was already done.`;
/** `id` as the person or the button gave it, which may not even be a number. */
export const noActionItem = (id: number | string) => `There is no action item #${id}.`;

// Status updates
export const updatePosted = (label: string) => `Update posted: ${label}.`;
/** The notification text of the bot's own update; `lastPersonUpdate` is a short time, or ''. */
export const automaticUpdateFallback = (label: string, lastPersonUpdate: string, commanderId: string) =>
  `Automatic update: ${label}. No update from people since ${lastPersonUpdate || 'the incident was declared'}. ${mentionUser(commanderId)}`;
export const personUpdateFallback = (label: string, whatChanged: string) => `${label}: ${escapeTypedText(whatChanged)}`;
/** The announcement channel's event line for an update; `news` is already escaped and on one line. */
export const automaticUpdateEvent = (lastPersonUpdate: string | null, news: string) =>
  `automatic update, nothing from the responders since ${lastPersonUpdate ?? 'the declaration'}: ${news}`;
export const statusUpdateEvent = (news: string) => `status update: ${news}`;

// Resolving and reopening
export const resolvedFallback = (title: string) => `[RESOLVED] ${escapeMrkdwn(title)}`;
export const resolved = (durationMs: number, draftPosted: boolean) =>
  `Resolved after ${formatDuration(durationMs)}.${draftPosted ? ' The post-mortem draft is in the channel.' : ''}`;
export const reopenedInChannel = (actorId: string, reason: string) =>
  `:rotating_light: Incident *reopened* by ${mentionUser(actorId)}${reason ? `: ${escapeTypedText(reason)}` : ''}. Status is back to Investigating.`;
export const REOPENED = 'Incident reopened; status is Investigating.';

// Post-mortem and its review
export const NO_CHANNEL_FOR_DRAFT = 'This incident has no channel to post the draft in.';
export const postmortemFileTitle = (title: string) => `Post-mortem draft: ${title}`;
/** The comment on the uploaded draft: what it is drawn from and the key figures. */
export function postmortemComment(figures: { title: string; entries: number; updateCount: number; timeToAcknowledgeMs: number | null; timeToResolveMs: number | null }): string {
  const parts = [
    `:memo: *Post-mortem draft* for *${escapeMrkdwn(figures.title)}*, from the timeline (${figures.entries} entries).`,
    `${figures.updateCount} status update${figures.updateCount === 1 ? '' : 's'}`,
    figures.timeToAcknowledgeMs === null ? 'never acknowledged' : `acknowledged after ${formatDuration(figures.timeToAcknowledgeMs)}`,
    figures.timeToResolveMs === null ? 'not resolved yet' : `resolved after ${formatDuration(figures.timeToResolveMs)}`,
  ];
  return `${parts[0]} ${parts.slice(1).join(' · ')}. Review it, fill in the gaps, and hold the review.`;
}
export const postmortemNotUploaded = (why: string) => `The post-mortem draft is saved, but Slack did not take the file: ${why} Run \`/incident postmortem\` to try again.`;
export const POSTMORTEM_POSTED = 'Post-mortem draft posted in the channel.';
export const reviewHeldInChannel = (actorId: string) => `:white_check_mark: Post-mortem review marked as held by ${mentionUser(actorId)}. No more review reminders.`;
export const REVIEW_HELD = 'Post-mortem review marked as held.';

// Impact started at
export const impactStartInChannel = (actorId: string, at: string, previous: string | null) =>
  previous
    ? `:clock1: ${mentionUser(actorId)} moved the impact's start from ${previous} to *${at}*. Time to resolve counts from it.`
    : `:clock1: ${mentionUser(actorId)} set the impact's start: *${at}*. Time to resolve counts from it.`;
export const impactStartRecorded = (at: string) => `Impact start recorded: ${at}.`;

/** `/incident timeline`'s Edit and Remove. */
export const TIMELINE_ENTRY_EDITED = 'Timeline entry edited; the post-mortem shows the new text.';
export const TIMELINE_ENTRY_REMOVED = 'Timeline entry removed; the post-mortem leaves it out.';
export const TIMELINE_ENTRY_UNCHANGED = 'Nothing changed: the entry has that text already, or it was removed in the meantime.';
export const TIMELINE_ENTRY_GONE = 'That timeline entry is not there any more (removed, or not of this incident).';
/** Edit on an entry longer than the form's field holds: opened, it would show the text cut, and saving would lose the end. */
export const timelineEntryTooLongToEdit = (length: number) =>
  `This entry has ${length} characters, more than the ${NOTE_MAX_LENGTH} a Slack form can hold, so it cannot be edited here without losing its end. Remove it and add what matters with \`/incident note\`; a pinned message's entry also follows an edit of the message in Slack.`;

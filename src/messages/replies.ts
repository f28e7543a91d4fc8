/**
 * Answers to one person, only to them: the outcome of what they asked, refusals, failures, and
 * what to do next. What the bot says in a channel about a change is in incident.ts.
 */

/** A refusal or failure as the person sees it. */
export const refusalText = (message: string) => `:x: ${message}`;

/** Success, then each step that did not work. */
export function doneText(message: string, warnings: readonly string[]): string {
  const listed = warnings.length > 0 ? `\n:warning: Some steps did not work:\n${warnings.map((warning) => `• ${warning}`).join('\n')}` : '';
  return `:white_check_mark: ${message}${listed}`;
}

/**
 * What the person was trying to do, as "Something went wrong while trying to …" and the restart
 * notice ("…was trying to … for you") say it. Also stored in the work journal.
 */
export const TASKS = {
  acknowledge: 'acknowledge the incident',
  markReviewHeld: 'mark the review as held',
  postDraftedUpdate: 'post the drafted update',
  markActionItemDone: 'mark the action item done',
  snoozeReminder: 'snooze the reminder',
  keepChannelOpen: 'keep the channel open',
  changeSeverity: 'change the severity',
  assignRole: 'assign the role',
  handOverCommand: 'hand over command',
  editTimeline: 'edit the timeline',
  addNote: 'add the note',
  addActionItem: 'add the action item',
  draftPostmortem: 'draft the post-mortem',
  reopen: 'reopen the incident',
  recordSubmission: 'record what you submitted',
  startDrill: 'start the drill',
  endDrill: 'end the drill',
  setImpactStart: 'record when the impact started',
} as const;

/** What only the commander or a listed responder may do, as the domain's refusal ("… can resolve it.") says it. */
export const MANAGED = {
  resolve: 'resolve it',
  reopen: 'reopen it',
  handOverCommand: 'hand over command',
  editTimeline: 'edit the timeline',
} as const;

/** Trying to `what` failed inside the bot. */
export const somethingWentWrong = (what: string) => `Something went wrong while trying to ${what}; the bot's logs say why. Check the channel before trying again.`;

/** Slack refused to open a form for an unknown reason. */
export const FORM_NOT_OPENED = 'Something went wrong opening the form. Try again.';

export const INCIDENT_GONE = "This incident no longer exists in the bot's database.";

export const BUTTON_IN_OTHER_CHANNEL = "This button belongs to an incident in another channel, so nothing was done. Use the buttons in the incident's own channel.";

/** What someone did, for `notLiveText` to ask them to do again. */
export const RETRY_BUTTON = 'the button';
export const retryCommand = (subcommand: string) => `\`/incident ${subcommand}\``;

/** Acting on an incident whose summary is still being posted. */
export const stillBeingSetUp = (retry: string) => `This incident is still being set up: the bot is posting its summary. Try ${retry} again in a moment.`;

/** Acting on an incident whose declaration was called off; `why` is already escaped. */
export const neverDeclared = (escapedTitle: string, escapedReason: string | null) =>
  `"${escapedTitle}" was never declared: setting it up failed${escapedReason ? ` (${escapedReason})` : ''}, so there is no incident here to act on. \`/incident declare\` declares it again; \`/incident list\` shows the open incidents.`;

/** A command typed in a channel whose incident is not live: waiting, or refused. */
export const notLiveCommandAnswer = (declaring: boolean, text: string) => `${declaring ? ':hourglass_flowing_sand:' : ':x:'} ${text}`;

export const RESOLVED_REOPEN_FIRST = 'This incident is resolved. Run `/incident reopen` first if it is not over.';
export const SEVERITY_FINAL = 'This incident is resolved; its severity is final.';
export const SEVERITY_FINAL_REOPEN_FIRST = `${SEVERITY_FINAL} Run \`/incident reopen\` first if it is not over.`;
export const ALREADY_RESOLVED = 'This incident is already resolved.';
export const RESOLVED_IN_THE_MEANTIME = 'This incident was resolved in the meantime. Run `/incident reopen` first if it is not over.';
export const RESOLVED_NO_MORE_UPDATES = 'This incident is resolved; it needs no more updates. Run `/incident reopen` first if it is not over.';
export const NOTHING_TO_SNOOZE = 'This incident is no longer open; there is nothing to snooze.';
export const DRAFT_GONE = "This draft is not in the bot's database any more. `/incident update` posts an update.";

export const UNREADABLE_COMMAND = 'Slack sent this command in a form the bot cannot read, so nothing was done. Try typing it again.';
export const notASeverity = (typed: string, levels: readonly string[]) => `"${typed}" is not a severity. Use ${levels.join(', ')}.`;
export const POSTMORTEM_USAGE = 'Use `/incident postmortem` to post a fresh draft, or `/incident postmortem done` once the review has been held.';
export const COMMANDER_USAGE = '/incident commander @person';

/** Form field errors. */
export const CHOOSE_SEVERITY = 'Choose a severity.';
export const alreadySeverity = (severity: string) => `The incident is already ${severity}.`;
export const SAY_HOW_RESOLVED = 'Say how it was resolved: it opens the resolution message and the post-mortem.';

/** A :pushpin: the bot could not put on the timeline, told to the person who added it. */
export const pinNotRecorded = (why: string) => `:x: Your :pushpin: was not put on the incident timeline: ${why} Remove it and add it again to retry.`;

/** Slack's own pin (timeline.slack_pins: record) that could not be recorded. */
export const slackPinNotRecorded = (why: string) => `:x: The message you pinned was not put on the incident timeline: ${why} Unpin it and pin it again to retry.`;

/** The last :pushpin: taken off a message, but the message could not be taken off the timeline. */
export const pinRemovalNotRecorded = (why: string) => `:x: You took your :pushpin: off, but the message is still on the incident timeline: ${why} Add the :pushpin: and remove it again to retry.`;

/** Slack's own pin removed, but the message could not be taken off the timeline. */
export const slackUnpinNotRecorded = (why: string) => `:x: You unpinned the message, but it is still on the incident timeline: ${why} Pin it and unpin it again to retry.`;

/** A message on the timeline was edited in Slack, but its entry could not follow: told to its author. */
export const pinnedEditNotRecorded = (why: string) =>
  `:x: You edited a message that is on the incident timeline, but its entry still shows the earlier text: ${why} Edit the message again to retry.`;

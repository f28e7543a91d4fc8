/**
 * The steps named under "Some steps did not work": each is what the bot was doing, so the person
 * who made the change knows what to check or do by hand.
 */
export const STEPS = {
  sayInChannel: 'Saying so in the channel',
  announceIncident: 'Announcing the incident',
  inviteResponders: 'Inviting the responders',
  inviteTypeResponders: "Inviting the incident type's responders",
  setTopic: 'Setting the channel topic',
  pinSummary: 'Pinning the summary',
  updatePinnedSummary: 'Updating the pinned summary',
  updateTopic: 'Updating the channel topic',
  postResolution: 'Posting the resolution in the channel',
  announceResolution: 'Announcing the resolution',
  repeatInAnnouncementChannel: 'Repeating it in the announcement channel',
  announceRaisedSeverity: 'Announcing the raised severity',
  postHandoff: 'Posting the handoff in the channel',
  restartReminders: 'Restarting the update reminders',
  keepChannelInformed: 'Telling the channel',
  keepSummaryCurrent: 'Bringing the pinned summary and topic up to date',
  announce: 'Telling the announcement channel',
  keepSchedule: 'Updating the reminder schedule',
  markHomeStale: 'Bringing the Home tab up to date',
  keepPostmortemDraft: 'Bringing the post-mortem draft up to date',
} as const;

/** One step that did not work, and why (Slack's refusal in a tired human's words). */
export const stepFailed = (step: string, why: string) => `${step}: ${why}`;

/** One step that crashed inside the bot rather than being refused by Slack. */
export const stepCrashed = (step: string) => stepFailed(step, 'the bot hit an internal error; its logs say why.');

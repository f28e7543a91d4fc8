/** What the bot says on its own schedule: escalation pages' problems and reminders' answers. */
import { mentionUser } from '../render/mrkdwn.js';

// Escalation: what could not be done for a page, said in the page itself.
export const userGroupLookupFailed = (group: string, why: string) => `Could not look up the user group ${group}: ${why}`;
export const noSuchUserGroup = (group: string) => `There is no user group ${group} in this workspace (check escalation in the configuration file).`;
export const inviteFailed = (why: string) => `Could not invite them to this channel: ${why}`;

// Update reminders
/** The button under the bot's own update, for the commander to answer with a real one. */
export const POST_UPDATE_BUTTON = 'Post update';
/** Replaces the reminder once its draft was posted. */
export const draftPostedAsIs = (userId: string) => `:white_check_mark: ${mentionUser(userId)} posted the drafted update as is.`;
/** Replaces the reminder once snoozed; `until` is formatted in the zone. */
export const reminderSnoozed = (userId: string, until: string, automaticHeldBack: boolean) =>
  `:zzz: Update reminder snoozed by ${mentionUser(userId)} until ${until}.${automaticHeldBack ? ' The bot will not post its own update before then either.' : ''}`;

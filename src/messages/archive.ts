/** What the bot says about archiving a resolved incident's channel (archive_after_days). */
import { mentionUser } from '../render/mrkdwn.js';

export const KEEP_OPEN_BUTTON = 'Keep open';

/** The warning in the channel, a day ahead; `period` is how long Keep open keeps it ("7 d"). */
export const archiveWarning = (when: string, period: string) =>
  `:file_cabinet: This incident is resolved, so this channel will be archived on *${when}*. Still using it? Click *${KEEP_OPEN_BUTTON}* to keep it another ${period}.`;
/** What replaces the warning once someone kept the channel open (the answer to the click). */
export const keptOpenInChannel = (userId: string, until: string) => `:file_cabinet: ${mentionUser(userId)} kept this channel open. It will be archived on ${until} instead, with a warning the day before.`;
export const keptOpenTimeline = (until: string) => `Channel kept open; archiving moved to ${until}`;
export const NOTHING_TO_KEEP_OPEN = 'This channel is not waiting to be archived: the incident was reopened, or the channel is archived already.';

export const archivedTimeline = (period: string) => `Channel archived, ${period} after the incident was resolved`;
export const FOUND_ARCHIVED_TIMELINE = 'Channel found archived already (archived by hand)';

/** On the timeline when Slack refused to archive for a reason retrying cannot fix. */
export const archiveRefusedTimeline = (code: string) => `Channel not archived: Slack refused (${code}); the bot will not try again`;
/** Told once to the commander, by direct message: the channel may be the very thing the bot cannot reach. */
export const archiveRefusedToCommander = (channelName: string, why: string) =>
  `I could not archive #${channelName} (resolved incident): ${why} I will not try again; archive it by hand, or fix this and click *${KEEP_OPEN_BUTTON}* on my warning to start the period again.`;

/** Appended to the reopen answer when the channel had been archived. */
export const UNARCHIVED = 'The channel is unarchived.';
/** `/incident reopen #channel` names a channel that is not an incident's. */
export const notAnIncidentChannelToReopen = (channel: string) => `${channel} is not an incident channel the bot knows. Name the incident's channel: \`/incident reopen #incident-… why\`.`;

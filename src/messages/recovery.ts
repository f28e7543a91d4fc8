/** What the bot tells people after a restart about work it was doing for them. `title` arrives raw; `when` formatted. */
import { escapeMrkdwn, mentionChannel } from '../render/mrkdwn.js';

export const restartedAfterDeclaring = (title: string, when: string, channelId: string) =>
  `:warning: The bot restarted just after declaring "${escapeMrkdwn(title)}" (${when}). The incident is open in ${mentionChannel(channelId)}; check that its summary is there.`;
export const restartedWhileDeclaring = (title: string, when: string) => `:warning: The bot restarted while declaring "${escapeMrkdwn(title)}" (${when}).`;
export const declarationCalledOff = (title: string, when: string) =>
  `:x: The bot restarted while declaring "${escapeMrkdwn(title)}" (${when}): the incident was *not* declared. Declare it again with \`/incident declare\`.`;
export const mayNotHaveBeenDone = (what: string, when: string, channelId: string | null) =>
  `:warning: The bot restarted while it was trying to ${what} for you (${when}), so it may not have been done.${channelId ? ` Check ${mentionChannel(channelId)}` : ' Check the channel'}, and do it again if it is missing.`;

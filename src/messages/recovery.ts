/** What the bot tells people after it stopped (a crash, a restart, a replica gone: another replica tells them) about work it was doing for them. `title` arrives raw; `when` formatted. */
import { escapeMrkdwn, mentionChannel } from '../render/mrkdwn.js';

export const stoppedAfterDeclaring = (title: string, when: string, channelId: string) =>
  `:warning: The bot stopped just after declaring "${escapeMrkdwn(title)}" (${when}). The incident is open in ${mentionChannel(channelId)}; check that its summary is there.`;
export const stoppedWhileDeclaring = (title: string, when: string) => `:warning: The bot stopped while declaring "${escapeMrkdwn(title)}" (${when}).`;
export const declarationCalledOff = (title: string, when: string) =>
  `:x: The bot stopped while declaring "${escapeMrkdwn(title)}" (${when}): the incident was *not* declared. Declare it again with \`/incident declare\`.`;
export const mayNotHaveBeenDone = (what: string, when: string, channelId: string | null) =>
  `:warning: The bot stopped while it was trying to ${what} for you (${when}), so it may not have been done.${channelId ? ` Check ${mentionChannel(channelId)}` : ' Check the channel'}, and do it again if it is missing.`;

/** What the bot says about a declaration: to the declarer, and the reasons an aborted one records. */
import { escapeMrkdwn, mentionChannel } from '../render/mrkdwn.js';

export const INTERNAL_ERROR_TRY_AGAIN = 'The bot hit an internal error; its logs say why. Try again.';
export const internalErrorWhileDeclaring = (channelArchived: boolean) =>
  `The bot hit an internal error${channelArchived ? ' after creating the channel, so it archived the channel' : ''}; its logs say why. Try again, and if it fails again, tell whoever runs the bot.`;
export const DECLARATION_CRASHED = 'The bot hit an internal error; its logs say why. Check `/incident list` before declaring again.';
/** Shown for an aborted declaration that recorded no reason. */
export const UNKNOWN_FAILURE = 'Slack refused a step.';

/** Why a declaration was aborted, as stored and later shown ("setting it up failed (…)"). */
export const ABORT_REASONS = {
  journalUnwritable: 'the work journal could not be written',
  internalError: 'internal error',
  stopped: 'the bot stopped during the declaration',
  slackRefused: (method: string, code: string) => `${method}: ${code}`,
} as const;

/** The notification text of the announcement. */
export const announcementFallback = (severity: string, title: string) => `${severity} incident declared: ${escapeMrkdwn(title)}`;

/** By direct message, when the declare modal was closed before the outcome was known. */
export const declaredByMessage = (channelId: string, warnings: readonly string[]) =>
  `:white_check_mark: Incident declared: ${mentionChannel(channelId)}${warnings.length ? `\n:warning: ${warnings.join('\n:warning: ')}` : ''}`;
export const notDeclaredByMessage = (title: string, why: string) => `:x: The incident "${escapeMrkdwn(title)}" was *not* declared. ${why}`;

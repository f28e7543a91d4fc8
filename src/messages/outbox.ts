/**
 * What the channel and the timeline say about sends outside Slack (webhooks, a status page) that
 * fail. `what` is the sender's own description of the send ("incident.resolved to the webhook
 * ops-feed"); `why` is the last failure, in a few words.
 */
import { escapeMrkdwn, mentionUser } from '../render/mrkdwn.js';

export const sendKeepsFailing = (who: string, what: string, attempts: number, why: string) =>
  `${mentionUser(who)} :warning: Sending ${escapeMrkdwn(what)} keeps failing (${attempts} attempts; last: ${escapeMrkdwn(why)}). The bot keeps trying and says here if it gives up.`;

const attemptsText = (attempts: number) => `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;

export const sendGivenUp = (who: string, what: string, attempts: number, why: string) =>
  `${mentionUser(who)} :x: Gave up sending ${escapeMrkdwn(what)} after ${attemptsText(attempts)}: ${escapeMrkdwn(why)}. It will not be sent; tell whoever runs that system, or fix the setting and send it by hand.`;

export const sendWorksAgain = (what: string, attempts: number) =>
  `:white_check_mark: ${escapeMrkdwn(what)} was delivered after all, at attempt ${attempts}.`;

export const sendKeepsFailingEntry = (what: string, attempts: number, why: string) => `Sending ${what} keeps failing (${attempts} attempts; last: ${why})`;
export const sendGivenUpEntry = (what: string, attempts: number, why: string) => `Gave up sending ${what} after ${attemptsText(attempts)}: ${why}`;
export const sendWorksAgainEntry = (what: string, attempts: number) => `${what} delivered after all, at attempt ${attempts}`;

/** Why a send could not even be tried. */
export const noSenderFor = (destination: string) => `nothing in this bot sends to "${destination}" (its setting was removed)`;
export const noAnswerInTime = (seconds: number) => `no answer within ${seconds} s`;
export const couldNotConnect = (reason: string) => `could not connect (${reason})`;
export const webhookRemoved = (name: string) => `no webhook named "${name}" is configured any more`;

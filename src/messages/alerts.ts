/** What the bot says about alerts from monitoring: in the triage channel, on timelines, to senders. */
import type { AlertSource } from '../domain/alert.js';
import { mentionChannel, mentionUser } from '../render/mrkdwn.js';

export const SOURCE_NAMES: Record<AlertSource, string> = { alertmanager: 'Alertmanager', grafana: 'Grafana', generic: 'webhook' };

export const firingHeading = (name: string) => `:rotating_light: *Alert firing: ${name}*`;
export const resolvedHeading = (name: string) => `:white_check_mark: *Alert resolved: ${name}*`;
export const firingNotification = (name: string) => `Alert firing: ${name}`;
export const resolvedNotification = (name: string) => `Alert resolved: ${name}`;

export const seenLine = (source: AlertSource, firstSeen: string, fireCount: number, lastSeen: string) =>
  `From ${SOURCE_NAMES[source]} · first fired ${firstSeen}${fireCount > 1 ? ` · fired ${fireCount} times, last ${lastSeen}` : ''}`;
export const resolvedLine = (when: string) => `:white_check_mark: Resolved ${when}.`;

export const declaredByRuleLine = (severity: string, channelId: string | null) =>
  `:robot_face: Declared ${severity} at once by a rule in the configuration file${channelId ? `: ${mentionChannel(channelId)}` : ''}.`;
export const declaredByPersonLine = (userId: string, channelId: string | null) =>
  `:white_check_mark: ${mentionUser(userId)} declared an incident from this alert${channelId ? `: ${mentionChannel(channelId)}` : ''}.`;
export const dismissedLine = (userId: string) => `:no_bell: Dismissed by ${mentionUser(userId)}.`;
export const ruleDeclareFailedLine = (severity: string, reason: string) =>
  `:warning: A rule says to declare ${severity} for this alert, but the incident could not be declared: ${reason} Use *Declare incident* to try again.`;

export const DECLARE_BUTTON = 'Declare incident';
export const DISMISS_BUTTON = 'Dismiss';

/** On the timeline of the incident declared from the alert (and so in its post-mortem). */
export const alertLinkedEntry = (name: string, source: AlertSource, links: string) => `Declared from the ${SOURCE_NAMES[source]} alert "${name}"${links ? ` (${links})` : ''}`;
export const alertResolvedEntry = (name: string, source: AlertSource) => `The ${SOURCE_NAMES[source]} alert "${name}" resolved`;
export const alertResolvedInChannel = (name: string) => `:white_check_mark: The alert this incident was declared from, *${name}*, has resolved. Resolve the incident with \`/incident resolve\` once you have checked.`;

/** The declare form's "What is happening" for an alert: what it says, where it comes from. */
export const alertImpact = (what: string | undefined, name: string, source: AlertSource, links: string) =>
  [what, `Alert: ${name} (${SOURCE_NAMES[source]})${links ? `, ${links}` : ''}`].filter(Boolean).join('\n\n');

export const RULE_DECLARATION_UNFINISHED = 'an earlier attempt to declare it was cut short when the bot stopped; the bot calls that attempt off and archives any half-made channel.';
export const ALERT_GONE = "This alert is not in the bot's database any more, so nothing was done.";
export const alreadyDeclared = (channelId: string | null) => `An incident was already declared from this alert${channelId ? `: ${mentionChannel(channelId)}` : ''}.`;
export const alreadyDismissed = (userId: string | null) => `This alert was already dismissed${userId ? ` by ${mentionUser(userId)}` : ''}.`;

/** Answers to whoever sends alerts (Alertmanager, Grafana, a script), in the JSON body's `error`. */
export const ALERT_ANSWERS = {
  unauthorized: 'Missing or wrong bearer token: send "Authorization: Bearer <ALERT_WEBHOOK_TOKEN>". Nothing was stored.',
  tooLarge: (limit: string) => `The body is larger than ${limit}, the limit for one request. Nothing was stored; send fewer alerts per request (Alertmanager: max_alerts).`,
  notJson: (reason: string) => `The body is not JSON (${reason}). Nothing was stored.`,
  invalid: (problem: string) => `${problem}. Nothing was stored.`,
  slackFailed: (problems: string) => `The alerts are stored, but the triage channel could not be told: ${problems} Sending them again retries.`,
};

/** What the bot writes on an incident's timeline (and so in its post-mortem) in its own words. */
import { formatDuration } from '../domain/lifecycle.js';
import { mentionUser } from '../render/mrkdwn.js';

export const declaredEntry = (severity: string, title: string, commanderId: string) =>
  `Declared ${severity} "${title}" with ${mentionUser(commanderId)} as incident commander`;
export const actionItemEntry = (text: string) => `Action item: ${text}`;
export const escalatedEntry = (tier: string, reason: string, openMs: number) => `Escalated to ${tier}: ${reason} after ${formatDuration(openMs)}`;
export const timelineEditedEntry = (previousText: string, text: string) => `Timeline entry edited: "${previousText}" → "${text}"`;
export const timelineRemovedEntry = (text: string) => `Timeline entry removed: "${text}"`;

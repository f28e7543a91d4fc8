import type { LiveIncident } from '../../domain/incident.js';
import { SlackCallError } from '../../slack/slackErrors.js';
import { DatabaseFaultError } from '../../store/faults.js';
import type { ListenerDependencies } from '../types.js';

/**
 * Tells the person whose pin, unpin or edit the timeline could not follow. An event has no
 * response_url: they are told in the channel, only to them, or by direct message when Slack will
 * not show it there (someone may pin in a channel they are not in); if even that fails, the log says so.
 */
export async function tellOnly(deps: ListenerDependencies, incident: LiveIncident, userId: string, text: string): Promise<void> {
  try {
    await deps.chat.postEphemeral(incident.channelId, userId, { text });
  } catch {
    await deps.chat.postMessage(userId, { text }).catch((tellError: unknown) =>
      deps.log.warn({ err: tellError, incidentId: incident.id }, 'could not tell the person the timeline did not follow'),
    );
  }
}

/** Why, in the words of the database's or Slack's refusal; anything else is a bug, whose details are in the log. */
export const whyNotRecorded = (error: unknown): string =>
  error instanceof DatabaseFaultError || error instanceof SlackCallError ? error.userMessage : 'something went wrong; the details are in the bot\'s log.';

import { asLive, type Incident, type LiveIncident } from '../domain/incident.js';
import { neverDeclared, notLiveCommandAnswer, retryCommand, stillBeingSetUp } from '../messages/replies.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { notAnIncidentChannelText } from '../slack/views/helpMessage.js';
import type { ListenerDependencies } from './types.js';

/**
 * What to tell someone acting on an incident that is not live: its channel exists from the moment
 * Slack creates it, a second or so before the summary is pinned and the incident goes live, and it
 * stays when a declaration is called off and archiving the channel fails. `retry` is what they did
 * (`/incident ack`, "the button"), for them to do again.
 */
export function notLiveText(incident: Incident, retry: string): string {
  if (incident.phase === 'declaring') return stillBeingSetUp(retry);
  return neverDeclared(escapeMrkdwn(incident.title), incident.failureReason ? escapeMrkdwn(incident.failureReason) : null);
}

/** The live incident a command typed in this channel acts on, or what to answer instead. */
export async function incidentOfChannel(
  deps: ListenerDependencies,
  channelId: string,
  subcommand: string,
): Promise<{ ok: true; incident: LiveIncident } | { ok: false; message: string }> {
  const incident = await deps.incidents.findByChannel(channelId);
  if (!incident) return { ok: false, message: notAnIncidentChannelText(subcommand) };
  const live = asLive(incident);
  return live ? { ok: true, incident: live } : { ok: false, message: notLiveCommandAnswer(incident.phase === 'declaring', notLiveText(incident, retryCommand(subcommand))) };
}

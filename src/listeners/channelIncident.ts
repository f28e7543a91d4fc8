import type { Incident } from '../domain/incident.js';
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
export function incidentOfChannel(deps: ListenerDependencies, channelId: string, subcommand: string): { ok: true; incident: Incident } | { ok: false; message: string } {
  const incident = deps.incident.incidents.findByChannel(channelId);
  if (!incident) return { ok: false, message: notAnIncidentChannelText(subcommand) };
  if (incident.phase !== 'live') return { ok: false, message: notLiveCommandAnswer(incident.phase === 'declaring', notLiveText(incident, retryCommand(subcommand))) };
  return { ok: true, incident };
}

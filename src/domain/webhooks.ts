/**
 * Outgoing webhooks, pure: the endpoints as configured, which events each hears, and the JSON body
 * of each event (schema version 1, documented in docs/webhooks.md; a field is only ever added
 * within a version).
 */
import { isDrill } from './drill.js';
import type { Happened } from './events.js';

export const WEBHOOK_SCHEMA_VERSION = 1;

export const WEBHOOK_EVENTS = [
  'incident.declared',
  'incident.status_updated',
  'incident.severity_changed',
  'incident.role_changed',
  'incident.resolved',
  'incident.reopened',
  'incident.postmortem_ready',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEndpoint {
  /** Names the endpoint in the outbox (`webhook:<name>`), the log and the channel. */
  name: string;
  url: string;
  secret: string;
  /** The events it is sent. */
  events: readonly WebhookEventName[];
  /** Whether private incidents are sent to it too. */
  private: boolean;
}

/** The outbox destination of an endpoint. */
export const webhookDestination = (name: string) => `webhook:${name}`;

/** The webhook event a change is, if it is one. */
export function webhookEventOf(happened: Happened): { name: WebhookEventName; data: Record<string, unknown> } | undefined {
  const { event } = happened;
  switch (event.kind) {
    case 'declared':
      return { name: 'incident.declared', data: { impact: happened.incident.impact } };
    case 'status_updated':
      return {
        name: 'incident.status_updated',
        data: {
          status: event.update.status,
          previous_status: event.previousStatus,
          what_changed: event.update.whatChanged,
          impact: event.update.impact,
          next_steps: event.update.nextSteps,
          source: event.source,
        },
      };
    case 'severity_changed':
      return { name: 'incident.severity_changed', data: { from: event.from, to: event.to, raised: event.raised } };
    case 'role_assigned':
      return { name: 'incident.role_changed', data: { role: event.role, user: event.userId, previous_user: event.previous } };
    case 'resolved':
      return { name: 'incident.resolved', data: { summary: event.summary, root_cause: event.rootCause, duration_seconds: Math.round(event.durationMs / 1000) } };
    case 'reopened':
      return { name: 'incident.reopened', data: { reason: event.reason } };
    case 'postmortem_ready':
      return { name: 'incident.postmortem_ready', data: { slack_file_id: event.fileId } };
    default:
      return undefined;
  }
}

/** Whether `endpoint` is sent this change: an event it asked for, of a real incident it may see (private ones only if it opted in). */
export function endpointWants(endpoint: WebhookEndpoint, happened: Happened, name: WebhookEventName): boolean {
  if (isDrill(happened.incident)) return false;
  if (happened.incident.isPrivate && !endpoint.private) return false;
  return endpoint.events.includes(name);
}

/** The JSON body of an event, schema version 1. */
export function webhookBody(happened: Happened, eventId: string, name: WebhookEventName, data: Record<string, unknown>): string {
  const { incident } = happened;
  return JSON.stringify({
    schema_version: WEBHOOK_SCHEMA_VERSION,
    event_id: eventId,
    event: name,
    occurred_at: happened.at.toISOString(),
    actor: happened.actorId,
    incident: {
      id: incident.id,
      name: incident.channelName,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      private: incident.isPrivate,
      declared_at: incident.declaredAt.toISOString(),
      resolved_at: incident.resolvedAt?.toISOString() ?? null,
      channel: { id: incident.channelId, name: incident.channelName },
      commander: incident.commanderId,
      comms_lead: incident.commsId,
      links: { slack_channel: `https://slack.com/app_redirect?channel=${incident.channelId}` },
    },
    data,
  });
}

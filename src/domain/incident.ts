import type { FieldValue } from './incidentTypes.js';
import type { SeverityLevel } from './severity.js';

/** The statuses the runbooks' status updates move through. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/**
 * Where the incident is in its own setup. An incident is only `live` once its channel exists and
 * its kickoff summary is posted; a declaration Slack refused ends `aborted` and is never shown as
 * an open incident.
 */
export type IncidentPhase = 'declaring' | 'live' | 'aborted';

export interface Incident {
  id: number;
  /** Slack's id of the modal the declaration came from: the same declaration retried has the same key. */
  declarationKey: string;
  phase: IncidentPhase;
  title: string;
  severity: SeverityLevel;
  status: IncidentStatus;
  impact: string;
  commanderId: string;
  declaredBy: string;
  isPrivate: boolean;
  declaredAt: Date;
  channelId: string | null;
  channelName: string | null;
  kickoffTs: string | null;
  failureReason: string | null;
  commsId: string | null;
  scribeId: string | null;
  /** The highest severity the incident ever had: the post-mortem reports it next to the final one. */
  highestSeverity: SeverityLevel;
  /** When the last status update was posted; null until the first. */
  lastUpdateAt: Date | null;
  resolvedAt: Date | null;
  resolutionSummary: string;
  rootCause: string;
  /** When someone first said they are on it (the Acknowledge button, or the commander's first update). */
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  /** When the post-mortem review was marked held: review reminders stop. */
  reviewDoneAt: Date | null;
  /** Set for a drill: the scenario it plays. Null for a real incident. */
  drillScenario: string | null;
  /** When the impact began, as someone said (declare form or `/incident impact-start`); null: counted from the declaration. */
  impactStartedAt: Date | null;
  /** The incident type's key as configured (incident_types); null when no types are configured or none was chosen. */
  type: string | null;
  /** The type's custom fields, by field key; a field left empty has no entry. */
  fields: Record<string, FieldValue>;
}

/**
 * An incident that is live: its channel exists and its summary is posted. Every change, command,
 * click and scheduled send acts on one; the type is what tells it from a declaration still under way.
 */
export type LiveIncident = Incident & { phase: 'live'; channelId: string; channelName: string };

/** The incident if it is live, else undefined. */
export function asLive(incident: Incident | undefined): LiveIncident | undefined {
  if (!incident || incident.phase !== 'live' || incident.channelId === null || incident.channelName === null) return undefined;
  return incident as LiveIncident;
}

/** The roles someone can be handed in an incident, as the runbooks name them. */
export const INCIDENT_ROLES = ['commander', 'comms', 'scribe'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

export const ROLE_LABELS: Record<IncidentRole, string> = {
  commander: 'Incident commander',
  comms: 'Communications lead',
  scribe: 'Scribe',
};

export type ParticipantRole = 'declarer' | 'member' | IncidentRole;

/** Who holds a role now. */
export function roleHolder(incident: Incident, role: IncidentRole): string | null {
  if (role === 'commander') return incident.commanderId;
  return role === 'comms' ? incident.commsId : incident.scribeId;
}

/** Open means declared and not yet resolved: the incidents people are working on. */
export const isOpen = (incident: Incident) => incident.phase === 'live' && incident.status !== 'resolved';

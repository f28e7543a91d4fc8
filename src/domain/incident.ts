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
}

export type ParticipantRole = 'declarer' | 'commander' | 'member';

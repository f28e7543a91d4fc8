/**
 * The public status page (Atlassian Statuspage): which incidents may be published, with which
 * status, and how much of the page they mark as affected. Pure: the client is in outlets/.
 */
import type { Incident, IncidentStatus } from './incident.js';
import type { SeverityLevel } from './severity.js';

/** A component's state as Statuspage names it. */
export const COMPONENT_STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** The page's components by the name people use, and what each severity marks the affected ones as. */
export interface StatusPageComponents {
  /** Name (as offered in the declare form) → Statuspage component id. */
  byName: Record<string, string>;
  statusBySeverity: Record<SeverityLevel, ComponentStatus>;
}

export const DEFAULT_COMPONENT_STATUS: Record<SeverityLevel, ComponentStatus> = {
  SEV1: 'major_outage',
  SEV2: 'partial_outage',
  SEV3: 'degraded_performance',
  SEV4: 'degraded_performance',
};

/** Only these are offered the status page in the declare form: a customer-facing outage. */
export const DECLARE_PUBLISH_SEVERITIES: readonly SeverityLevel[] = ['SEV1', 'SEV2'];

/** The longest public message: what a customer reads on the page, not the channel's detail. */
export const PUBLIC_MESSAGE_MAX_LENGTH = 2000;

/**
 * What one form asked to publish: the public message as the person left it, and (declare only)
 * the names of the components the incident affects.
 */
export interface Publication {
  message: string;
  components: readonly string[];
}

/**
 * Whether the form's "Publish to the status page" box starts ticked. A private incident (a
 * security matter) is never published unless someone ticks the box themselves; a public one is
 * offered ticked when its severity is one the page is for.
 */
export const publishTickedByDefault = (incident: Pick<Incident, 'isPrivate' | 'severity'>) =>
  !incident.isPrivate && DECLARE_PUBLISH_SEVERITIES.includes(incident.severity);

/** What a publication marks the affected components as: the severity's status while open, operational once resolved. */
export const componentStatusFor = (components: StatusPageComponents, severity: SeverityLevel, status: IncidentStatus): ComponentStatus =>
  status === 'resolved' ? 'operational' : components.statusBySeverity[severity];

/** The timeline entry kind of a message published on the status page. */
export const PUBLISHED_KIND = 'status_page';

/** The last message published on the status page, and when: what the pinned summary shows. */
export function lastPublicMessage(timeline: readonly { kind: string; at: Date; data?: Record<string, unknown> }[]): { message: string; at: Date } | undefined {
  for (let index = timeline.length - 1; index >= 0; index -= 1) {
    const entry = timeline[index]!;
    if (entry.kind === PUBLISHED_KIND && typeof entry.data?.message === 'string') return { message: entry.data.message, at: entry.at };
  }
  return undefined;
}

/** Our key for an incident on the status page: the same incident always, never another's (even from another database). */
export const statusPageKey = (incident: Pick<Incident, 'id' | 'declarationKey'>) => `${incident.id}:${incident.declarationKey}`;

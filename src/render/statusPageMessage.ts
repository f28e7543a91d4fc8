import { STATUS_LABELS, type Incident, type IncidentStatus } from '../domain/incident.js';
import { formatDuration } from '../domain/lifecycle.js';
import { severityOf } from '../domain/severity.js';
import { formatInZone } from '../domain/time.js';
import type { RenderDependencies } from './incidentMessages.js';

/** What the public message may say about an incident: a declaration being filled in has no more. */
export type PublicFacts = Pick<Incident, 'title' | 'impact' | 'rootCause' | 'resolutionSummary' | 'severity' | 'declaredAt' | 'resolvedAt'>;

/**
 * The public message for `status`, from the status-page template: what prefills the forms' "Public
 * status page message". Plain text, not Slack mrkdwn: customers read it on the status page, so
 * values are not escaped for Slack.
 */
export function publicStatusMessage(deps: RenderDependencies, incident: PublicFacts, status: IncidentStatus): string {
  const { timeZone, severities } = deps.settings;
  return deps.templates.render('status-page', {
    title: incident.title,
    status: STATUS_LABELS[status],
    investigating: status === 'investigating',
    identified: status === 'identified',
    monitoring: status === 'monitoring',
    resolved: status === 'resolved',
    impact: incident.impact,
    rootCause: incident.rootCause,
    resolutionSummary: incident.resolutionSummary,
    severity: severityOf(severities, incident.severity),
    declaredAt: formatInZone(incident.declaredAt, timeZone),
    resolvedAt: incident.resolvedAt ? formatInZone(incident.resolvedAt, timeZone) : '',
    duration: formatDuration(Math.max(0, (incident.resolvedAt ?? deps.clock.now()).getTime() - incident.declaredAt.getTime())),
  });
}

/** The facts of a declaration not made yet: what the declare form's prefill is written from. */
export const declarationFacts = (declaration: { title: string; impact: string; severity: Incident['severity'] }, now: Date): PublicFacts => ({
  ...declaration,
  rootCause: '',
  resolutionSummary: '',
  declaredAt: now,
  resolvedAt: null,
});

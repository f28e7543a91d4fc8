import { STATUS_LABELS, type Incident, type IncidentStatus } from '../domain/incident.js';
import { formatDuration, incidentDurationMs } from '../domain/lifecycle.js';
import { severityOf } from '../domain/severity.js';
import { formatInZone } from '../domain/time.js';
import type { RenderDependencies } from './incidentMessages.js';

/**
 * The public message for `status`, from the status-page template: what prefills the forms' "Public
 * status page message". Plain text, not Slack mrkdwn: customers read it on the status page, so
 * values are not escaped for Slack.
 */
export function publicStatusMessage(deps: RenderDependencies, incident: Incident, status: IncidentStatus): string {
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
    duration: formatDuration(incidentDurationMs(incident, deps.clock.now())),
  });
}

import type { Logger } from 'pino';
import { isOpen, STATUS_LABELS, type Incident } from '../domain/incident.js';
import { formatDuration, incidentDurationMs } from '../domain/lifecycle.js';
import { severityOf, type Severity } from '../domain/severity.js';
import { formatInZone, type Clock } from '../domain/time.js';
import { escapeMrkdwn, escapeTypedText, mentionChannel, mentionUser } from '../render/mrkdwn.js';
import type { Templates } from '../render/templates.js';
import type { SlackGateway, SlackMessage } from '../slack/gateway.js';
import { truncate } from '../slack/views/blocks.js';
import { kickoffMessage } from '../slack/views/kickoffMessage.js';
import { STEPS } from '../messages/steps.js';
import { Warnings } from './warnings.js';

/** Slack keeps 250 characters of a topic. */
const TOPIC_LIMIT = 250;

export interface SummaryDependencies {
  slack: SlackGateway;
  templates: Templates;
  clock: Clock;
  log: Logger;
  settings: TemplateSettings;
}

/** What rendering an incident needs besides the incident: the zone for times, the catalogue for the severity. */
export interface TemplateSettings {
  timeZone: string;
  severities: readonly Severity[];
}

/** What every template sees about an incident: user-typed values escaped for Slack mrkdwn. */
export function incidentTemplateData(incident: Incident, { timeZone, severities }: TemplateSettings, now: Date) {
  const optionalMention = (userId: string | null) => (userId ? mentionUser(userId) : '');
  return {
    title: escapeMrkdwn(incident.title),
    severity: severityOf(severities, incident.severity),
    highestSeverity: incident.highestSeverity,
    severityChanged: incident.highestSeverity !== incident.severity,
    status: STATUS_LABELS[incident.status],
    commander: mentionUser(incident.commanderId),
    comms: optionalMention(incident.commsId),
    scribe: optionalMention(incident.scribeId),
    declaredBy: mentionUser(incident.declaredBy),
    impact: escapeTypedText(incident.impact),
    channel: incident.channelId ? mentionChannel(incident.channelId) : '',
    declaredAt: formatInZone(incident.declaredAt, timeZone),
    lastUpdate: incident.lastUpdateAt ? formatInZone(incident.lastUpdateAt, timeZone) : '',
    resolved: incident.status === 'resolved',
    resolvedAt: incident.resolvedAt ? formatInZone(incident.resolvedAt, timeZone) : '',
    duration: formatDuration(incidentDurationMs(incident, now)),
    resolutionSummary: escapeTypedText(incident.resolutionSummary),
    rootCause: escapeTypedText(incident.rootCause),
    acknowledgedBy: optionalMention(incident.acknowledgedBy),
    timeToAcknowledge: incident.acknowledgedAt ? formatDuration(incident.acknowledgedAt.getTime() - incident.declaredAt.getTime()) : '',
  };
}

/** The pinned kickoff summary as it should read now. */
export function summaryMessage(deps: Pick<SummaryDependencies, 'templates' | 'clock' | 'settings'>, incident: Incident): SlackMessage {
  return kickoffMessage({
    incidentId: incident.id,
    title: incident.title,
    severityLevel: incident.severity,
    body: deps.templates.render('kickoff', incidentTemplateData(incident, deps.settings, deps.clock.now())),
    declaredAtEpochSeconds: Math.floor(incident.declaredAt.getTime() / 1000),
    open: isOpen(incident),
    acknowledged: incident.acknowledgedAt !== null,
  });
}

export function topicText(deps: Pick<SummaryDependencies, 'templates' | 'clock' | 'settings'>, incident: Incident): string {
  return truncate(deps.templates.render('topic', incidentTemplateData(incident, deps.settings, deps.clock.now())), TOPIC_LIMIT);
}

/**
 * Brings the pinned summary and the topic in line with the incident after a change. The change is
 * already recorded; what Slack refuses here is returned as warnings for the person who made it.
 */
export async function refreshSummary(deps: SummaryDependencies, incident: Incident): Promise<string[]> {
  const warnings = new Warnings(deps.log.child({ incidentId: incident.id }));
  const channelId = incident.channelId;
  if (!channelId) return warnings.list;
  if (incident.kickoffTs) {
    const kickoffTs = incident.kickoffTs;
    await warnings.attempt(STEPS.updatePinnedSummary, () => deps.slack.updateMessage(channelId, kickoffTs, summaryMessage(deps, incident)));
  }
  await warnings.attempt(STEPS.updateTopic, () => deps.slack.setTopic(channelId, topicText(deps, incident)));
  return warnings.list;
}

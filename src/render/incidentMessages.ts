/**
 * An incident rendered into the messages the chat shows: the pinned summary, the topic, a status
 * update, the resolution, an announcement line. Pure given the templates; used by the flows that
 * post these and by the outlets that keep them current.
 */
import { incidentDetails, typeByKey, type IncidentType } from '../domain/incidentTypes.js';
import { isOpen, STATUS_LABELS, type Incident, type IncidentStatus } from '../domain/incident.js';
import { formatDuration, incidentDurationMs, type StatusUpdate } from '../domain/lifecycle.js';
import { severityOf, type Severity } from '../domain/severity.js';
import type { UpdateSource } from '../domain/statusDraft.js';
import { formatInZone, isoDateInZone, timeOfDayInZone, type Clock } from '../domain/time.js';
import { announcementFallback } from '../messages/declare.js';
import { automaticUpdateFallback, personUpdateFallback, resolvedFallback } from '../messages/incident.js';
import type { ChatMessage } from '../ports.js';
import { mrkdwnSections, truncate } from '../slack/views/blocks.js';
import { announcementMessage, kickoffMessage } from '../slack/views/kickoffMessage.js';
import { escapeMrkdwn, escapeTypedText, mentionChannel, mentionUser } from './mrkdwn.js';
import type { Templates } from './templates.js';

/** Slack keeps 250 characters of a topic. */
const TOPIC_LIMIT = 250;
/** A notification's text is a preview: Slack shows a few lines of it. */
const TEXT_FALLBACK_LIMIT = 3000;

/** What rendering an incident needs besides the incident: the zone for times, the catalogue for the severity. */
export interface TemplateSettings {
  timeZone: string;
  severities: readonly Severity[];
  /** incident_types: the labels of an incident's type and fields. */
  incidentTypes?: readonly IncidentType[];
}

export interface RenderDependencies {
  templates: Templates;
  clock: Clock;
  settings: TemplateSettings;
}

/** What every template sees about an incident: user-typed values escaped for Slack mrkdwn. */
export function incidentTemplateData(incident: Incident, { timeZone, severities, incidentTypes }: TemplateSettings, now: Date) {
  const optionalMention = (userId: string | null) => (userId ? mentionUser(userId) : '');
  const details = incidentDetails(incident, incidentTypes ?? []);
  return {
    type: details.type === null ? '' : escapeMrkdwn(details.type),
    details: details.fields.map(({ field, value }) => ({
      label: escapeMrkdwn(field.label),
      value: field.kind === 'user' && typeof value === 'string' ? mentionUser(value) : escapeTypedText(Array.isArray(value) ? value.join(', ') : String(value)),
    })),
    title: escapeMrkdwn(incident.title),
    drill: incident.drillScenario !== null,
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

/** The pinned kickoff summary as it should read now, with the last message published on the status page if any. */
export function summaryMessage(deps: RenderDependencies, incident: Incident, lastPublic?: { message: string; at: Date }): ChatMessage {
  return kickoffMessage({
    incidentId: incident.id,
    title: incident.title,
    severityLevel: incident.severity,
    body: deps.templates.render('kickoff', {
      ...incidentTemplateData(incident, deps.settings, deps.clock.now()),
      publicMessage: lastPublic ? escapeTypedText(lastPublic.message) : '',
      publicMessageAt: lastPublic ? formatInZone(lastPublic.at, deps.settings.timeZone) : '',
    }),
    declaredAtEpochSeconds: Math.floor(incident.declaredAt.getTime() / 1000),
    open: isOpen(incident),
    drill: incident.drillScenario !== null,
    acknowledged: incident.acknowledgedAt !== null,
    editableDetails: (typeByKey(deps.settings.incidentTypes ?? [], incident.type)?.fields.length ?? 0) > 0,
  });
}

export function topicText(deps: RenderDependencies, incident: Incident): string {
  return truncate(deps.templates.render('topic', incidentTemplateData(incident, deps.settings, deps.clock.now())), TOPIC_LIMIT);
}

/** "14:05" today, "11-25 23:50" another day: when people last wrote. */
export const shortTime = (instant: Date, timeZone: string, now: Date) => timeOfDayInZone(instant, timeZone, isoDateInZone(now, timeZone));

/** Who an update is from, as its message says. */
export interface UpdateAuthorship {
  previousStatus: IncidentStatus;
  source: UpdateSource;
  /** The person who posted it; null for the bot's automatic update. */
  postedBy: string | null;
  /** The last update a person wrote: what an automatic update says people have been silent since. */
  lastPersonUpdateAt: Date | null;
}

/** A status update as the channel sees it: the status-update template, marked when the bot wrote it. */
export function statusUpdateMessage(deps: RenderDependencies, incident: Incident, update: StatusUpdate, by: UpdateAuthorship): ChatMessage {
  const { text, lastPersonUpdate } = statusUpdateText(deps, incident, update, by);
  const label = STATUS_LABELS[update.status];
  const fallback =
    by.source === 'automatic'
      ? automaticUpdateFallback(label, lastPersonUpdate, incident.commanderId)
      : personUpdateFallback(label, update.whatChanged);
  return { text: truncate(fallback, TEXT_FALLBACK_LIMIT), blocks: mrkdwnSections(text) };
}

/** The status-update template rendered: the body of the message, and of the draft a reminder shows. */
export function statusUpdateText(deps: RenderDependencies, incident: Incident, update: StatusUpdate, by: UpdateAuthorship): { text: string; lastPersonUpdate: string } {
  const now = deps.clock.now();
  const data = {
    ...incidentTemplateData(incident, deps.settings, now),
    previousStatus: by.previousStatus === update.status ? '' : STATUS_LABELS[by.previousStatus],
    whatChanged: escapeTypedText(update.whatChanged),
    impact: escapeTypedText(update.impact),
    nextSteps: escapeTypedText(update.nextSteps),
    postedBy: by.postedBy ? mentionUser(by.postedBy) : '',
    automatic: by.source === 'automatic',
    drafted: by.source === 'draft',
    lastPersonUpdate: by.lastPersonUpdateAt ? shortTime(by.lastPersonUpdateAt, deps.settings.timeZone, now) : '',
  };
  return { text: deps.templates.render('status-update', data), lastPersonUpdate: data.lastPersonUpdate };
}

/** The runbooks' resolution message, from the resolution template: in the channel and where the company watches. */
export function resolutionMessage(deps: RenderDependencies, incident: Incident, resolution: { summary: string }, resolvedBy: string | null): ChatMessage {
  const text = deps.templates.render('resolution', {
    ...incidentTemplateData(incident, deps.settings, deps.clock.now()),
    summary: escapeTypedText(resolution.summary),
    resolvedBy: resolvedBy ? mentionUser(resolvedBy) : '',
  });
  return { text: resolvedFallback(incident.title), blocks: mrkdwnSections(text) };
}

/** One line for the announcement channel about an incident, from the update-announcement template. */
export function announcementLine(deps: RenderDependencies, incident: Incident, event: string): ChatMessage {
  const text = deps.templates.render('update-announcement', { ...incidentTemplateData(incident, deps.settings, deps.clock.now()), event });
  return { text, blocks: mrkdwnSections(text) };
}

/** The announcement of a new incident, from the announcement template. */
export function declaredAnnouncement(deps: RenderDependencies, incident: Incident): ChatMessage {
  const body = deps.templates.render('announcement', incidentTemplateData(incident, deps.settings, deps.clock.now()));
  return announcementMessage(body, announcementFallback(incident.severity, incident.title));
}

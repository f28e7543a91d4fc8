/**
 * The post-mortem draft: what `templates/postmortem.md.hbs` sees, built from the incident, its
 * timeline and action items. Everything people typed in Slack is turned into readable Markdown
 * here (names, links, no markup), so the template only places values.
 */
import { incidentDetails, type IncidentType } from '../domain/incidentTypes.js';
import { STATUS_LABELS, ROLE_LABELS, type Incident } from '../domain/incident.js';
import { formatDuration, impactStart, incidentDurationMs } from '../domain/lifecycle.js';
import { impactHistory, inTimeOrder, keyFigures, type KeyFigures } from '../domain/postmortem.js';
import { updateSourceOf, type UpdateSource } from '../domain/statusDraft.js';
import { severityOf, type Severity } from '../domain/severity.js';
import { storyOf, type TimelineEntry } from '../domain/timeline.js';
import { formatInZone, isoDateInZone, timeOfDayInZone } from '../domain/time.js';
import { slackToMarkdown, slackToMarkdownCell, type Names } from './slackMarkup.js';
import type { Templates } from './templates.js';

export interface PostmortemActionItem {
  id: number;
  text: string;
  ownerId: string | null;
  dueOn: string | null;
  status: 'open' | 'done';
}

export interface PostmortemSource {
  incident: Incident;
  timeline: readonly TimelineEntry[];
  actionItems: readonly PostmortemActionItem[];
  /** Everyone who took part (joined the channel, held a role), by user id. */
  participantIds: readonly string[];
}

export interface PostmortemSettings {
  timeZone: string;
  severities: readonly Severity[];
  names: Names;
  now: Date;
  /** incident_types: the labels of the incident's type and fields. */
  incidentTypes?: readonly IncidentType[];
}

/** What a timeline entry's kind reads as in the "what" column, before its text. */
const KIND_PREFIX: Record<string, string> = {
  status_update: 'Status update: ',
  note: 'Note: ',
  pinned_message: ':pushpin: ',
};

/** Updates the bot wrote are told from those people wrote. */
const UPDATE_PREFIX: Record<UpdateSource, string> = {
  person: KIND_PREFIX.status_update!,
  draft: 'Status update (bot draft): ',
  automatic: 'Automatic status update: ',
};

/** "5 (3 by people, 1 bot draft posted as is, 1 automatic)", or just "3" when people wrote them all. */
function updateCount(total: number, by: { person: number; draft: number; automatic: number }): string {
  if (by.person === total) return String(total);
  const parts = [`${by.person} by people`, by.draft ? `${by.draft} bot ${by.draft === 1 ? 'draft' : 'drafts'} posted as is` : '', by.automatic ? `${by.automatic} automatic` : ''];
  return `${total} (${parts.filter(Boolean).join(', ')})`;
}

const figure = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

/** A Slack channel link that works in any workspace, from outside Slack too. */
export const channelUrl = (channelId: string) => `https://slack.com/app_redirect?channel=${channelId}`;

export function postmortemData(source: PostmortemSource, settings: PostmortemSettings) {
  const { incident } = source;
  const { timeZone, names } = settings;
  const person = (userId: string | null | undefined) => (userId ? `@${names.user(userId)}` : '');
  const inline = (text: string) => slackToMarkdown(text, names).replace(/\r?\n/g, ' ');
  const block = (text: string) => slackToMarkdown(text.trim(), names);
  const cell = (text: string) => slackToMarkdownCell(text, names);
  const day = isoDateInZone(incident.declaredAt, timeZone);
  const story = storyOf(source.timeline);
  const figures = keyFigures(incident, story, settings.now);
  const impactChanges = impactHistory(incident, story);
  const severity = severityOf(settings.severities, incident.severity);
  const highest = severityOf(settings.severities, incident.highestSeverity);
  const resolved = incident.status === 'resolved';
  const gap = (longest: KeyFigures['longestGap']) =>
    longest ? `${formatDuration(longest.ms)} (${timeOfDayInZone(longest.from, timeZone, day)} to ${timeOfDayInZone(longest.to, timeZone, day)})` : '—';

  const timeline = inTimeOrder(story).map((entry) => {
    const update = entry.kind === 'status_update' ? entry.data : undefined;
    // The bot's own updates restate what the timeline already shows; only people's carry details.
    const written = update && updateSourceOf(entry) === 'person' ? update : undefined;
    const details = [
      typeof written?.impact === 'string' && written.impact ? `Impact: ${written.impact}` : '',
      typeof written?.nextSteps === 'string' && written.nextSteps ? `Next: ${written.nextSteps}` : '',
    ].filter(Boolean);
    // A pinned message keeps the record of what Slack did to it: edited, or deleted (its text kept).
    const deletedAt = entry.kind === 'pinned_message' && typeof entry.data?.deletedAt === 'string' ? new Date(entry.data.deletedAt) : undefined;
    if (entry.kind === 'pinned_message' && Array.isArray(entry.data?.edits) && entry.data.edits.length > 0) details.push('edited in Slack');
    if (deletedAt) details.push(`deleted in Slack at ${timeOfDayInZone(deletedAt, timeZone, day)}`);
    return {
      time: timeOfDayInZone(entry.at, timeZone, day),
      who: entry.actorId ? cell(person(entry.actorId)) : 'bot',
      what: cell([`${update ? UPDATE_PREFIX[updateSourceOf(entry)] : (KIND_PREFIX[entry.kind] ?? '')}${entry.text}`, ...details].join(' · ')),
    };
  });

  const pinned = story.flatMap((entry) =>
    entry.kind === 'pinned_message' && typeof entry.data?.permalink === 'string'
      ? [{ label: `Message from ${inline(person(entry.actorId) || 'someone')} at ${timeOfDayInZone(entry.at, timeZone, day)}`, url: entry.data.permalink }]
      : [],
  );

  const roles = [
    { role: ROLE_LABELS.commander, person: person(incident.commanderId) },
    { role: ROLE_LABELS.comms, person: person(incident.commsId) },
    { role: ROLE_LABELS.scribe, person: person(incident.scribeId) },
    { role: 'Declared by', person: person(incident.declaredBy) },
    { role: 'Acknowledged by', person: person(incident.acknowledgedBy) },
  ].filter((row) => row.person);

  return {
    title: inline(incident.title),
    date: day,
    timeZone,
    // The incident starts when users were hurt, if someone said when; the declaration otherwise.
    start: formatInZone(impactStart(incident), timeZone),
    declared: formatInZone(incident.declaredAt, timeZone),
    impactStarted: incident.impactStartedAt ? formatInZone(incident.impactStartedAt, timeZone) : '',
    end: incident.resolvedAt ? formatInZone(incident.resolvedAt, timeZone) : '',
    resolved,
    status: STATUS_LABELS[incident.status],
    duration: formatDuration(incidentDurationMs(incident, settings.now)),
    severity: { level: severity.level, name: severity.name },
    highestSeverity: { level: highest.level, name: highest.name },
    severityChanged: incident.highestSeverity !== incident.severity,
    drill: incident.drillScenario !== null,
    drillScenario: incident.drillScenario ?? '',
    ...typeDetails(incident, settings.incidentTypes ?? [], inline, person),
    commander: person(incident.commanderId),
    roles,
    responders: [...new Set(source.participantIds)].map(person).join(', '),
    impact: block(incident.impact),
    // Shown when the impact changed during the incident: each value with the time it was given.
    impactChanges: impactChanges.length > 1 ? impactChanges.map((change) => ({ time: timeOfDayInZone(change.at, timeZone, day), impact: inline(change.impact) })) : [],
    rootCause: block(incident.rootCause),
    resolution: block(incident.resolutionSummary),
    figures: {
      timeToAcknowledge: figure(figures.timeToAcknowledgeMs),
      timeToFirstUpdate: figure(figures.timeToFirstUpdateMs),
      timeToResolve: figure(figures.timeToResolveMs),
      updateCount: updateCount(figures.updateCount, figures.updatesBySource),
      updatesByPeople: figures.updatesBySource.person,
      botWroteUpdates: figures.updatesBySource.person !== figures.updateCount,
      longestGap: gap(figures.longestGap),
      longestGapWithoutPerson: gap(figures.longestGapWithoutPerson),
    },
    timeline,
    actionItems: source.actionItems.map((item) => ({
      id: item.id,
      text: cell(item.text),
      owner: item.ownerId ? cell(person(item.ownerId)) : '—',
      due: item.dueOn ?? '—',
      status: item.status === 'done' ? 'Done' : 'Open',
    })),
    channel: incident.channelId ? { name: incident.channelName ?? incident.channelId, url: channelUrl(incident.channelId) } : undefined,
    pinned,
    generatedAt: formatInZone(settings.now, timeZone),
  };
}

export type PostmortemData = ReturnType<typeof postmortemData>;

/** The Markdown document, ending with a newline as text files do. */
/** The type's label and its fields' values, as Markdown: `type` empty without a type. */
function typeDetails(incident: PostmortemSource['incident'], types: readonly IncidentType[], inline: (text: string) => string, person: (userId: string) => string) {
  const details = incidentDetails(incident, types);
  return {
    type: details.type === null ? '' : inline(details.type),
    details: details.fields.map(({ field, value }) => ({
      label: inline(field.label),
      value: field.kind === 'user' && typeof value === 'string' ? inline(person(value)) : inline(Array.isArray(value) ? value.join(', ') : String(value)),
    })),
  };
}

export function renderPostmortem(templates: Templates, source: PostmortemSource, settings: PostmortemSettings): string {
  return `${templates.render('postmortem', postmortemData(source, settings))}\n`;
}

/** What `/incident status`, `/incident list` and `/incident actions` show, only to the person who asked. */
import { incidentDetails, type IncidentType } from '../../domain/incidentTypes.js';
import type { KnownBlock } from '@slack/types';
import { isDrill } from '../../domain/drill.js';
import { ROLE_LABELS, STATUS_LABELS, type Incident } from '../../domain/incident.js';
import { formatDuration, incidentDurationMs } from '../../domain/lifecycle.js';
import type { Severity } from '../../domain/severity.js';
import { escapeMrkdwn, escapeTypedText, mentionChannel, mentionUser } from '../../render/mrkdwn.js';
import type { ActionItem } from '../../domain/actionItem.js';
import { contextLine, mrkdwnSections, plainText, SECTION_TEXT_LIMIT, truncate } from './blocks.js';

export const ACTION_DONE_BUTTON = 'action_item_done';

/** An action item in one line of mrkdwn: its text as typed, its owner and due date. */
export function describeActionItem(item: Pick<ActionItem, 'text' | 'ownerId' | 'dueOn'>): string {
  const owner = item.ownerId ? ` · owner ${mentionUser(item.ownerId)}` : ' · no owner yet';
  const due = item.dueOn ? ` · due ${item.dueOn}` : '';
  return `${escapeTypedText(item.text)}${owner}${due}`;
}
/** Slack allows 50 blocks in a message: a header, the items, a footer. */
const MAX_LISTED_ACTIONS = 45;
const MAX_LISTED_INCIDENTS = 30;

export function statusReport(incident: Incident, severity: Severity, now: Date, escalations: readonly { tier: string; pagedAt: Date }[], incidentTypes: readonly IncidentType[] = []): string {
  const details = incidentDetails(incident, incidentTypes);
  const roles = (
    [
      ['commander', incident.commanderId],
      ['comms', incident.commsId],
      ['scribe', incident.scribeId],
    ] as const
  ).map(([role, userId]) => `${ROLE_LABELS[role]}: ${userId ? mentionUser(userId) : '_nobody_'}`);
  const lastUpdate = incident.lastUpdateAt ? `${formatDuration(now.getTime() - incident.lastUpdateAt.getTime())} ago` : '_none yet_';
  const age = incident.status === 'resolved' ? `resolved after ${formatDuration(incidentDurationMs(incident, now))}` : `open for ${formatDuration(incidentDurationMs(incident, now))}`;
  return [
    `*${isDrill(incident) ? 'DRILL: ' : ''}${escapeMrkdwn(incident.title)}* (#${incident.id})`,
    `*Severity:* ${severity.level} · ${severity.name} · *Status:* ${STATUS_LABELS[incident.status]} · ${age}`,
    roles.join(' · '),
    `*Last update:* ${lastUpdate}`,
    incident.acknowledgedAt
      ? `*Acknowledged* by ${mentionUser(incident.acknowledgedBy ?? '')} after ${formatDuration(incident.acknowledgedAt.getTime() - incident.declaredAt.getTime())}`
      : '*Acknowledged:* _not yet_',
    escalations.length > 0 ? `*Escalated to:* ${escalations.map((paged) => escapeMrkdwn(paged.tier)).join(', ')}` : '',
    details.type === null ? '' : `*Type:* ${escapeMrkdwn(details.type)}`,
    ...details.fields.map(({ field, value }) => `*${escapeMrkdwn(field.label)}:* ${field.kind === 'user' && typeof value === 'string' ? mentionUser(value) : escapeTypedText(Array.isArray(value) ? value.join(', ') : String(value))}`),
    incident.impact ? `*Impact:* ${escapeTypedText(incident.impact)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Open incidents, newest first. A private incident is listed in full only to people in it;
 * others learn that one exists, never its title or channel.
 */
/**
 * `/incident list`. Drills are listed apart, under their own heading, and never counted as open
 * incidents: someone in a rehearsal still finds its channel here, and nobody reads a drill as an
 * outage. Left out, a drill's channel could only be found by name.
 */
export function openIncidentsReport(incidents: Incident[], canSee: (incident: Incident) => boolean, now: Date): string {
  const real = incidents.filter((incident) => !isDrill(incident));
  const drills = incidents.filter(isDrill);
  const line = (incident: Incident) => {
    const channel = incident.channelId ? mentionChannel(incident.channelId) : '';
    return `• *${incident.severity}* ${escapeMrkdwn(incident.title)} · ${STATUS_LABELS[incident.status]} · ${formatDuration(incidentDurationMs(incident, now))} · IC ${mentionUser(incident.commanderId)} · ${channel}`;
  };
  const drillLines = drills.length > 0 ? `\n*Drills under way (${drills.length})*: rehearsals, not incidents\n${drills.slice(0, MAX_LISTED_INCIDENTS).map(line).join('\n')}` : '';
  if (real.length === 0) return `:white_check_mark: No open incidents.${drillLines}`;
  const visible = real.filter((incident) => !incident.isPrivate || canSee(incident));
  const hidden = real.length - visible.length;
  const lines = visible.slice(0, MAX_LISTED_INCIDENTS).map(line);
  if (visible.length > MAX_LISTED_INCIDENTS) lines.push(`…and ${visible.length - MAX_LISTED_INCIDENTS} older ones.`);
  if (hidden > 0) lines.push(`_Plus ${hidden} private incident${hidden === 1 ? '' : 's'} you are not part of._`);
  return `*Open incidents (${real.length})*\n${lines.join('\n')}${drillLines}`;
}

export function actionItemsReport(incident: Incident, items: ActionItem[]): { text: string; blocks: KnownBlock[] } {
  if (items.length === 0) {
    const text = 'No action items yet. Add one: `/incident action Add an alert on pool exhaustion @owner 2026-12-01`.';
    return { text, blocks: mrkdwnSections(text) };
  }
  const open = items.filter((item) => item.status === 'open').length;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*Action items of ${escapeMrkdwn(incident.title)}* (${open} open, ${items.length - open} done)` } }];
  for (const item of items.slice(0, MAX_LISTED_ACTIONS)) {
    const line = `${item.status === 'done' ? ':white_check_mark: ~' : ':black_square_button: '}#${item.id} ${describeActionItem(item)}${item.status === 'done' ? '~' : ''}`;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(line, SECTION_TEXT_LIMIT) },
      ...(item.status === 'open' ? { accessory: { type: 'button', action_id: ACTION_DONE_BUTTON, text: plainText('Mark done'), value: String(item.id) } } : {}),
    });
  }
  if (items.length > MAX_LISTED_ACTIONS) blocks.push(contextLine(`${items.length - MAX_LISTED_ACTIONS} more not shown.`));
  return { text: `${open} open action items`, blocks };
}

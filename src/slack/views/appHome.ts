/**
 * The bot's Home tab for one person: the open incidents (theirs first), the last ones resolved, and
 * how fast each severity was answered and ended. Pure: everything it shows is given.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import { INCIDENT_ROLES, ROLE_LABELS, STATUS_LABELS, roleHolder, type Incident, type IncidentRole } from '../../domain/incident.js';
import type { WindowStatistics } from '../../domain/insights.js';
import { incidentDurationMs } from '../../domain/lifecycle.js';
import {
  HOME_NONE_OPEN,
  HOME_NONE_RESOLVED,
  HOME_OPEN_HEADING,
  HOME_RESOLVED_HEADING,
  HOME_STATISTICS_HEADING,
  HOME_TITLE,
  homeHiddenPrivate,
  homeMore,
  homeOpenFor,
  homeResolvedAfter,
  homeSeverityLine,
  homeUpdatedAt,
  homeWindowHeading,
  homeYourRole,
} from '../../messages/appHome.js';
import { escapeMrkdwn, mentionChannel } from '../../render/mrkdwn.js';
import { contextLine, plainText, SECTION_TEXT_LIMIT, truncate } from './blocks.js';

/** Slack shows at most 100 blocks in a Home tab. */
export const HOME_BLOCK_LIMIT = 100;
/** How many resolved incidents Home lists. */
export const HOME_RESOLVED_SHOWN = 10;
/**
 * Open incidents listed one block each; what is left of the 100 blocks after the fixed parts
 * (headers, dividers, the resolved list, the statistics, the footers) with room to spare.
 */
export const HOME_OPEN_SHOWN = 60;

export interface HomeContent {
  /** Whose Home this is. */
  userId: string;
  /** Open incidents, newest first, drills left out. */
  open: readonly Incident[];
  /** Resolved, most recent first, drills left out. */
  recentlyResolved: readonly Incident[];
  /** The statistics windows, shortest first. */
  statistics: readonly WindowStatistics[];
  /** Private incidents the viewer may see (they take part); any other private one is only counted. */
  canSee: (incident: Incident) => boolean;
  now: Date;
  /** `now` as people in the incidents' zone read it. */
  nowText: string;
}

/** The role the user holds in the incident, if any (the commander's first). */
export function roleOf(incident: Incident, userId: string): IncidentRole | undefined {
  return INCIDENT_ROLES.find((role) => roleHolder(incident, role) === userId);
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_TEXT_LIMIT) } });
const header = (text: string): KnownBlock => ({ type: 'header', text: plainText(text) });

function incidentLine(incident: Incident, userId: string, detail: string): string {
  const role = roleOf(incident, userId);
  const channel = incident.channelId ? ` · ${mentionChannel(incident.channelId)}` : '';
  return [`*${incident.severity}* ${escapeMrkdwn(incident.title)} (#${incident.id})${channel}`, `${STATUS_LABELS[incident.status]} · ${detail}${role ? ` · ${homeYourRole(ROLE_LABELS[role])}` : ''}`].join('\n');
}

/** The Home tab as Slack's views.publish takes it, within Slack's 100 blocks. */
export function appHomeView(content: HomeContent): HomeView {
  const { userId, now } = content;
  const visible = (incidents: readonly Incident[]) => incidents.filter((incident) => !incident.isPrivate || content.canSee(incident));
  const open = visible(content.open);
  const hidden = content.open.length - open.length;
  // Where the viewer holds a role first; otherwise newest first, as given (the sort is stable).
  const ordered = [...open].sort((a, b) => Number(roleOf(b, userId) !== undefined) - Number(roleOf(a, userId) !== undefined));

  const blocks: KnownBlock[] = [header(HOME_TITLE), section(`*${HOME_OPEN_HEADING(open.length)}*`)];
  if (ordered.length === 0 && hidden === 0) blocks.push(section(HOME_NONE_OPEN));
  for (const incident of ordered.slice(0, HOME_OPEN_SHOWN)) blocks.push(section(incidentLine(incident, userId, homeOpenFor(incidentDurationMs(incident, now)))));
  if (ordered.length > HOME_OPEN_SHOWN) blocks.push(contextLine(homeMore(ordered.length - HOME_OPEN_SHOWN)));
  if (hidden > 0) blocks.push(contextLine(homeHiddenPrivate(hidden)));

  blocks.push({ type: 'divider' }, section(`*${HOME_RESOLVED_HEADING}*`));
  const resolved = visible(content.recentlyResolved).slice(0, HOME_RESOLVED_SHOWN);
  if (resolved.length === 0) blocks.push(contextLine(HOME_NONE_RESOLVED));
  for (const incident of resolved) {
    const resolvedAt = incident.resolvedAt ?? now;
    blocks.push(section(incidentLine(incident, userId, homeResolvedAfter(incidentDurationMs(incident, now), now.getTime() - resolvedAt.getTime()))));
  }

  blocks.push({ type: 'divider' }, section(`*${HOME_STATISTICS_HEADING}*`));
  for (const window of content.statistics) {
    const lines = window.bySeverity.map((row) => homeSeverityLine(row.severity, row.count, row.medianTimeToAcknowledgeMs, row.medianTimeToResolveMs));
    blocks.push(section([homeWindowHeading(window.days), ...lines].join('\n')));
  }
  blocks.push(contextLine(homeUpdatedAt(content.nowText)));
  return { type: 'home', blocks };
}

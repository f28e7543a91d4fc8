/** What the bot's Home tab says. Titles arrive raw and are escaped by the view. */
import { formatDuration } from '../domain/lifecycle.js';

export const HOME_TITLE = 'Incidents';
export const HOME_OPEN_HEADING = (count: number) => `Open incidents (${count})`;
export const HOME_NONE_OPEN = ':white_check_mark: No open incidents.';
export const HOME_RESOLVED_HEADING = 'Recently resolved';
export const HOME_NONE_RESOLVED = 'Nothing resolved yet.';
export const HOME_STATISTICS_HEADING = 'How fast we respond';
export const homeMore = (count: number) => `…and ${count} more. \`/incident list\` lists every open incident.`;
export const homeHiddenPrivate = (count: number) => `_Plus ${count} private incident${count === 1 ? '' : 's'} you are not part of._`;
export const homeYourRole = (label: string) => `*you are ${label.toLowerCase()}*`;
export const homeOpenFor = (ms: number) => `open for ${formatDuration(ms)}`;
export const homeResolvedAfter = (ms: number, ago: number) => `resolved after ${formatDuration(ms)}, ${formatDuration(ago)} ago`;
export const homeWindowHeading = (days: number) => `*Last ${days} days* (drills left out)`;
export const homeSeverityLine = (severity: string, count: number, tta: number | null, ttr: number | null) =>
  count === 0
    ? `*${severity}*: none`
    : `*${severity}*: ${count} incident${count === 1 ? '' : 's'} · median time to acknowledge ${tta === null ? '—' : formatDuration(tta)} · median time to resolve ${ttr === null ? '—' : formatDuration(ttr)}`;
export const homeUpdatedAt = (at: string) => `Updated ${at}. Changes appear here within a few seconds.`;

/**
 * The status update the bot writes when an interval passes without one: the incident as it stands
 * and what the timeline recorded since the last update. Pure: the reminder offers it, the
 * commander posts it as is or edits it, or the bot posts it itself.
 */
import type { Incident, IncidentStatus } from './incident.js';
import { unescapeMrkdwn } from './text.js';
import type { TimelineEntry } from './timeline.js';
import { timeOfDayInZone, isoDateInZone } from './time.js';

/** Who wrote a status update: a person, the bot's draft posted as is by a person, or the bot alone. */
export type UpdateSource = 'person' | 'draft' | 'automatic';

/** Updates recorded before the bot wrote any were all written by people. */
export const updateSourceOf = (entry: Pick<TimelineEntry, 'data'>): UpdateSource => {
  const source = entry.data?.source;
  return source === 'draft' || source === 'automatic' ? source : 'person';
};

export interface StatusDraft {
  status: Exclude<IncidentStatus, 'resolved'>;
  /** As a person would type it: mentions and links as Slack markup, nothing escaped. */
  whatChanged: string;
  impact: string;
  nextSteps: string;
  /** The incident's last update when the draft was written: posting it after another update would repeat stale news. */
  basedOnUpdateAt: Date | null;
  /** The last update a person wrote, or null: the automatic update says how long people have been silent. */
  lastPersonUpdateAt: Date | null;
  createdAt: Date;
}

/** The draft as the update it proposes. */
export const draftAsUpdate = (draft: Pick<StatusDraft, 'status' | 'whatChanged' | 'impact' | 'nextSteps'>) => ({
  status: draft.status,
  whatChanged: draft.whatChanged,
  impact: draft.impact,
  nextSteps: draft.nextSteps,
});

/** What the draft lists from the timeline, and how each reads. */
const LISTED: Record<string, (entry: TimelineEntry) => string> = {
  note: (entry) => `Note${entry.actorId ? ` from <@${entry.actorId}>` : ''}: ${entry.text}`,
  // A pinned message is stored as Slack sent it, with & < > as entities; the draft is typed text.
  pinned_message: (entry) => `:pushpin: ${entry.actorId ? `<@${entry.actorId}>` : 'A message'}: ${unescapeMrkdwn(entry.text)}`,
  severity_changed: (entry) => entry.text,
  role_assigned: (entry) => entry.text,
  action_added: (entry) => {
    const owner = typeof entry.data?.ownerId === 'string' ? ` (owner <@${entry.data.ownerId}>)` : '';
    return `New action item: ${entry.text.replace(/^Action item: /, '')}${owner}`;
  },
  action_done: (entry) => entry.text,
  acknowledged: (entry) => `${entry.text}${entry.actorId ? ` by <@${entry.actorId}>` : ''}`,
  reopened: (entry) => entry.text,
};

/** "(from the 02:10 update) ", as the draft marks next steps it repeats, once or more. */
const NEXT_STEPS_MARK = /^(?:\(from the [\d\- :]+(?:\(UTC[+-]\d\d:\d\d\) )?update\)\s*)+/;

/** One line is kept short, and the whole list fits the update form's field. */
const LINE_LIMIT = 280;
export const DRAFT_TEXT_LIMIT = 1900;

const oneLine = (text: string) => {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > LINE_LIMIT ? `${[...flat].slice(0, LINE_LIMIT - 1).join('')}…` : flat;
};

/**
 * Writes the update for `incident` at `at` from its timeline (with ids, in any order). "Since the
 * last update" is by the order entries were recorded, not their time: a message pinned now may
 * have been written an hour ago, and is news all the same.
 */
export function draftStatusUpdate(incident: Incident, timeline: readonly (TimelineEntry & { id: number })[], at: Date, timeZone: string): StatusDraft {
  const recorded = [...timeline].sort((a, b) => a.id - b.id);
  const updates = recorded.filter((entry) => entry.kind === 'status_update');
  const lastUpdate = updates.at(-1);
  const lastWritten = updates.filter((entry) => updateSourceOf(entry) === 'person').at(-1);
  const day = isoDateInZone(at, timeZone);
  const time = (instant: Date) => timeOfDayInZone(instant, timeZone, day);

  const since = lastUpdate ? `the last update (${time(lastUpdate.at)})` : `the incident was declared (${time(incident.declaredAt)})`;
  const news = recorded.filter((entry) => entry.id > (lastUpdate?.id ?? 0) && LISTED[entry.kind]).map((entry) => `• ${time(entry.at)} ${oneLine(LISTED[entry.kind]!(entry))}`);
  const heading = `Since ${since}:`;
  const leftOut = (count: number) => `• …${count} earlier ${count === 1 ? 'entry' : 'entries'}, on the timeline`;
  // Room for the heading and the longest "left out" line: a time on another day, or in the hour clocks turn back, makes them longer.
  const room = DRAFT_TEXT_LIMIT - heading.length - leftOut(news.length).length - 1;
  const kept: string[] = [];
  let length = 0;
  // The newest news matters most: when it does not all fit, the oldest lines give way.
  for (const line of [...news].reverse()) {
    if (length + line.length + 1 > room) break;
    kept.unshift(line);
    length += line.length + 1;
  }
  const left = news.length - kept.length;
  const whatChanged = news.length === 0 ? `Nothing new on the timeline since ${since}.` : [heading, ...(left > 0 ? [leftOut(left)] : []), ...kept].join('\n');

  // Edit and post fills the form with the draft's marked next steps; left as they were, they come back marked: mark them once.
  const nextSteps = typeof lastWritten?.data?.nextSteps === 'string' ? lastWritten.data.nextSteps.trim().replace(NEXT_STEPS_MARK, '') : '';
  return {
    status: incident.status === 'resolved' ? 'monitoring' : incident.status,
    whatChanged,
    impact: incident.impact,
    nextSteps: lastWritten && nextSteps ? `(from the ${time(lastWritten.at)} update) ${nextSteps}` : '',
    basedOnUpdateAt: incident.lastUpdateAt,
    lastPersonUpdateAt: lastWritten?.at ?? null,
    createdAt: at,
  };
}

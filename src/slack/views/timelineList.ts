/** What `/incident timeline` shows the commander: the entries, newest last, each with Edit and Remove. */
import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../domain/incident.js';
import { isRemovedEntry, TIMELINE_REVISION_KINDS } from '../../domain/timeline.js';
import type { StoredTimelineEntry } from '../../ports.js';
import { escapeMrkdwn, escapeTypedText, mentionUser } from '../../render/mrkdwn.js';
import { contextLine, plainText, SECTION_TEXT_LIMIT, truncate } from './blocks.js';

/** Each entry's menu has its own action id (Slack wants them unique in a message); the listener matches them all. */
export const TIMELINE_ENTRY_MENU = /^timeline_entry_menu:\d+$/;
const menuActionId = (entryId: number) => `timeline_entry_menu:${entryId}`;
export const EDIT_ENTRY = 'edit';
export const REMOVE_ENTRY = 'remove';

/** Slack allows 50 blocks in a message: a header, the entries, a line for the earlier ones. */
export const MAX_LISTED_ENTRIES = 20;

type EntryChoice = { what: typeof EDIT_ENTRY | typeof REMOVE_ENTRY; incidentId: number; entryId: number };

/** An overflow option's value: what to do to which incident's entry. */
export const entryChoice = ({ what, incidentId, entryId }: EntryChoice) => `${what}:${incidentId}:${entryId}`;

export function readEntryChoice(value: string): EntryChoice | undefined {
  const match = /^(edit|remove):(\d+):(\d+)$/.exec(value);
  if (!match) return undefined;
  const [incidentId, entryId] = [Number(match[2]), Number(match[3])];
  return Number.isSafeInteger(incidentId) && Number.isSafeInteger(entryId) ? { what: match[1] as EntryChoice['what'], incidentId, entryId } : undefined;
}

const timeOf = (at: Date) => `<!date^${Math.floor(at.getTime() / 1000)}^{date_short} {time}|${at.toISOString()}>`;

export function timelineList(incident: Incident, entries: readonly StoredTimelineEntry[]): { text: string; blocks: KnownBlock[] } {
  const shown = entries.slice(-MAX_LISTED_ENTRIES);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*Timeline of ${escapeMrkdwn(incident.title)}* (${entries.length} entries, newest last)` } }];
  const earlier = entries.length - shown.length;
  if (earlier > 0) blocks.push(contextLine(`…${earlier} earlier`));
  for (const entry of shown) {
    const removed = isRemovedEntry(entry);
    const who = entry.actorId ? ` ${mentionUser(entry.actorId)}` : '';
    const line = `${timeOf(entry.at)}${who} · ${escapeTypedText(entry.text)}`;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(removed ? `~${line}~ (removed)` : line, SECTION_TEXT_LIMIT) },
      // A record of a revision is not itself revised: the record stays true.
      ...(removed || TIMELINE_REVISION_KINDS.includes(entry.kind)
        ? {}
        : {
            accessory: {
              type: 'overflow',
              action_id: menuActionId(entry.id),
              options: [
                { text: plainText('Edit'), value: entryChoice({ what: EDIT_ENTRY, incidentId: incident.id, entryId: entry.id }) },
                { text: plainText('Remove'), value: entryChoice({ what: REMOVE_ENTRY, incidentId: incident.id, entryId: entry.id }) },
              ],
            },
          }),
    });
  }
  return { text: `Timeline: ${entries.length} entries`, blocks };
}

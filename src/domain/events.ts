/**
 * What happened to an incident, as the change pipeline hands it to every outlet (the channel, the
 * pinned summary, the announcement channel, the schedule; later a status page or a webhook). Pure
 * data: each outlet decides what, if anything, a kind of event means for its destination.
 */
import type { ActionItem } from './actionItem.js';
import type { FieldValue } from './incidentTypes.js';
import type { IncidentRole, IncidentStatus, LiveIncident } from './incident.js';
import type { StatusUpdate } from './lifecycle.js';
import type { SeverityLevel } from './severity.js';
import type { UpdateSource } from './statusDraft.js';
import type { Publication } from './statusPage.js';

/**
 * `publication`: the person asked, in the form that made the change, to publish this public message
 * on the status page. Absent: the status page is not touched.
 */
export type IncidentEvent =
  | { kind: 'declared'; publication?: Publication }
  | { kind: 'status_updated'; update: StatusUpdate; previousStatus: IncidentStatus; source: UpdateSource; lastPersonUpdateAt: Date | null; publication?: Publication }
  | { kind: 'severity_changed'; from: SeverityLevel; to: SeverityLevel; raised: boolean }
  | { kind: 'role_assigned'; role: IncidentRole; userId: string; previous: string | null }
  | { kind: 'acknowledged'; afterMs: number }
  | { kind: 'note_added'; text: string }
  | { kind: 'details_edited'; field: string; label: string; from: FieldValue | null; to: FieldValue | null }
  | { kind: 'message_pinned'; messageTs: string; pinnedBy: string }
  | { kind: 'message_unpinned'; messageTs: string }
  | { kind: 'pinned_message_edited'; messageTs: string; previousText: string; text: string }
  | { kind: 'pinned_message_deleted'; messageTs: string }
  | { kind: 'timeline_entry_edited'; entryId: number; previousText: string; text: string }
  | { kind: 'timeline_entry_removed'; entryId: number; text: string }
  | { kind: 'action_added'; item: ActionItem }
  | { kind: 'action_done'; item: ActionItem }
  | { kind: 'resolved'; summary: string; rootCause: string; durationMs: number; publication?: Publication }
  | { kind: 'reopened'; reason: string }
  | { kind: 'review_held' }
  | { kind: 'impact_start_set'; at: Date; previous: Date | null }
  | { kind: 'escalated'; tier: string; page: readonly string[] }
  | { kind: 'archive_postponed'; until: Date }
  | { kind: 'channel_archived' }
  | { kind: 'postmortem_ready'; fileId: string | null };

export type IncidentEventKind = IncidentEvent['kind'];

/**
 * Changes to what the timeline says, not to the incident: a pinned message taken off, edited or
 * deleted in Slack, an entry edited or removed with `/incident timeline`. Only what shows the
 * timeline (the post-mortem draft) has anything to do for them.
 */
export const TIMELINE_REVISIONS: ReadonlySet<IncidentEventKind> = new Set([
  'message_unpinned',
  'pinned_message_edited',
  'pinned_message_deleted',
  'timeline_entry_edited',
  'timeline_entry_removed',
]);

/**
 * One change as the outlets see it: the event, the incident (as the change left it; for a change
 * that does not touch the incident's own fields, such as a note, a pin, an action item or a page,
 * as its flow read it), who did it (null: the bot, or nobody known: Slack does not say who deleted
 * a message) and when.
 */
export interface Happened<E extends IncidentEvent = IncidentEvent> {
  event: E;
  incident: LiveIncident;
  actorId: string | null;
  at: Date;
}

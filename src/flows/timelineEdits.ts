import type { LiveIncident } from '../domain/incident.js';
import { managementRefusal, mayManage } from '../domain/lifecycle.js';
import { timelineEntryEdited, timelineEntryRemoved } from '../domain/timeline.js';
import { TIMELINE_ENTRY_EDITED, TIMELINE_ENTRY_REMOVED, TIMELINE_ENTRY_UNCHANGED } from '../messages/incident.js';
import { MANAGED } from '../messages/replies.js';
import { timelineEditedEntry, timelineRemovedEntry } from '../messages/timeline.js';
import { done, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { noteProblem } from './notes.js';

/**
 * `/incident timeline`'s Edit: the entry shows the new text, keeps the earlier one in `data.edits`,
 * and a `timeline_edited` entry records who changed what, in one transaction.
 */
export async function editTimelineEntry(deps: FlowDependencies, incident: LiveIncident, entryId: number, userId: string, text: string): Promise<FlowResult> {
  if (!mayManage(incident, userId, deps.settings.responders)) return refused(managementRefusal(incident, MANAGED.editTimeline));
  const problem = noteProblem(text);
  if (problem) return refused(problem);
  const at = deps.clock.now();
  const changed = await deps.incidents.reviseTimelineEntry(incident.id, entryId, (entry) => {
    const revision = timelineEntryEdited(entry, text, userId, at);
    if (!revision) return undefined;
    return { revision, record: { at, actorId: userId, kind: 'timeline_edited', text: timelineEditedEntry(entry.text, text), data: { entryId, previousText: entry.text, text } } };
  });
  return changed ? done(TIMELINE_ENTRY_EDITED) : refused(TIMELINE_ENTRY_UNCHANGED);
}

/** `/incident timeline`'s Remove: the entry stays in the store, marked removed; a `timeline_removed` entry records it. */
export async function removeTimelineEntry(deps: FlowDependencies, incident: LiveIncident, entryId: number, userId: string): Promise<FlowResult> {
  if (!mayManage(incident, userId, deps.settings.responders)) return refused(managementRefusal(incident, MANAGED.editTimeline));
  const at = deps.clock.now();
  const changed = await deps.incidents.reviseTimelineEntry(incident.id, entryId, (entry) => {
    const revision = timelineEntryRemoved(entry, userId, at);
    if (!revision) return undefined;
    return { revision, record: { at, actorId: userId, kind: 'timeline_removed', text: timelineRemovedEntry(entry.text), data: { entryId, text: entry.text } } };
  });
  return changed ? done(TIMELINE_ENTRY_REMOVED) : refused(TIMELINE_ENTRY_UNCHANGED);
}

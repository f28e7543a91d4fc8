import type { LiveIncident } from '../domain/incident.js';
import { managementRefusal, mayManage } from '../domain/lifecycle.js';
import { timelineEntryEdited, timelineEntryRemoved } from '../domain/timeline.js';
import { TIMELINE_ENTRY_EDITED, TIMELINE_ENTRY_REMOVED, TIMELINE_ENTRY_UNCHANGED } from '../messages/incident.js';
import { MANAGED } from '../messages/replies.js';
import { timelineEditedEntry, timelineRemovedEntry } from '../messages/timeline.js';
import { done, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { noteProblem } from './notes.js';
import { runChange } from './pipeline.js';

/**
 * `/incident timeline`'s Edit: the entry shows the new text, keeps the earlier one in `data.edits`,
 * and a `timeline_edited` entry records who changed what, in one transaction; then the outlets
 * hear it (the post-mortem draft, if one is open, is drafted again).
 */
export async function editTimelineEntry(deps: FlowDependencies, incident: LiveIncident, entryId: number, userId: string, text: string): Promise<FlowResult> {
  if (!mayManage(incident, userId, deps.settings.responders)) return refused(managementRefusal(incident, MANAGED.editTimeline));
  const problem = noteProblem(text);
  if (problem) return refused(problem);
  const at = deps.clock.now();
  const outcome = await runChange(deps, {
    actorId: userId,
    at,
    async record() {
      let previousText = '';
      const changed = await deps.incidents.reviseTimelineEntry(incident.id, entryId, (entry) => {
        const revision = timelineEntryEdited(entry, text, userId, at);
        if (!revision) return undefined;
        previousText = entry.text;
        return { revision, record: { at, actorId: userId, kind: 'timeline_edited', text: timelineEditedEntry(entry.text, text), data: { entryId, previousText: entry.text, text } } };
      });
      return changed ? { ok: true as const, incident, event: { kind: 'timeline_entry_edited' as const, entryId, previousText, text } } : { ok: false as const, reason: TIMELINE_ENTRY_UNCHANGED };
    },
  });
  return outcome.ok ? done(TIMELINE_ENTRY_EDITED, outcome.warnings) : outcome.result;
}

/** `/incident timeline`'s Remove: the entry stays in the store, marked removed; a `timeline_removed` entry records it. */
export async function removeTimelineEntry(deps: FlowDependencies, incident: LiveIncident, entryId: number, userId: string): Promise<FlowResult> {
  if (!mayManage(incident, userId, deps.settings.responders)) return refused(managementRefusal(incident, MANAGED.editTimeline));
  const at = deps.clock.now();
  const outcome = await runChange(deps, {
    actorId: userId,
    at,
    async record() {
      let removedText = '';
      const changed = await deps.incidents.reviseTimelineEntry(incident.id, entryId, (entry) => {
        const revision = timelineEntryRemoved(entry, userId, at);
        if (!revision) return undefined;
        removedText = entry.text;
        return { revision, record: { at, actorId: userId, kind: 'timeline_removed', text: timelineRemovedEntry(entry.text), data: { entryId, text: entry.text } } };
      });
      return changed ? { ok: true as const, incident, event: { kind: 'timeline_entry_removed' as const, entryId, text: removedText } } : { ok: false as const, reason: TIMELINE_ENTRY_UNCHANGED };
    },
  });
  return outcome.ok ? done(TIMELINE_ENTRY_REMOVED, outcome.warnings) : outcome.result;
}

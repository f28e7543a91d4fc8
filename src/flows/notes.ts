import type { LiveIncident } from '../domain/incident.js';
import { NOTE_MAX_LENGTH } from '../domain/limits.js';
import { NOTE_ADDED, NOTE_EMPTY, noteInChannel, noteTooLong } from '../messages/incident.js';
import type { JournalEntry } from '../ports.js';
import { done, essential, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { runChange } from './pipeline.js';

/** Checks a note before anything is written; undefined when it is fine. */
export function noteProblem(text: string): string | undefined {
  if (!text.trim()) return NOTE_EMPTY;
  if (text.length > NOTE_MAX_LENGTH) return noteTooLong(text.length);
  return undefined;
}

/**
 * `/incident note <text>`: said in the channel so everyone sees it, then on the timeline with a
 * link to that message. Posted first: a note the channel never saw is not recorded. `work`: the
 * request's work-journal entry, removed with the timeline entry (nothing after it can be lost).
 */
export async function addNote(deps: FlowDependencies, incident: LiveIncident, actorId: string, text: string, work?: JournalEntry): Promise<FlowResult> {
  const problem = noteProblem(text);
  if (problem) return refused(problem);
  const note = text.trim();
  const posted = await essential(() => deps.chat.postMessage(incident.channelId, { text: noteInChannel(actorId, note) }));
  if (!posted.ok) return posted.result;
  const at = deps.clock.now();
  const outcome = await runChange(deps, {
    actorId,
    at,
    async record() {
      await deps.incidents.appendTimeline(incident.id, { at, actorId, kind: 'note', text: note, data: { messageTs: posted.value } }, work);
      return { ok: true, incident, event: { kind: 'note_added', text: note } };
    },
  });
  return outcome.ok ? done(NOTE_ADDED, outcome.warnings) : outcome.result;
}

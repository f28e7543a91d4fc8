import type { Incident } from '../domain/incident.js';
import { NOTE_MAX_LENGTH } from '../domain/limits.js';
import { NOTE_ADDED, NOTE_EMPTY, noteInChannel, noteTooLong } from '../messages/incident.js';
import { done, essential, refused, type FlowResult, type IncidentDependencies } from './incidentFlow.js';

/** Checks a note before anything is written; undefined when it is fine. */
export function noteProblem(text: string): string | undefined {
  if (!text.trim()) return NOTE_EMPTY;
  if (text.length > NOTE_MAX_LENGTH) return noteTooLong(text.length);
  return undefined;
}

/** `/incident note <text>`: on the timeline, and said in the channel so everyone sees it. */
export async function addNote(deps: IncidentDependencies, incident: Incident, actorId: string, text: string): Promise<FlowResult> {
  const problem = noteProblem(text);
  if (problem) return refused(problem);
  const note = text.trim();
  const posted = await essential(() =>
    deps.slack.postMessage(incident.channelId!, { text: noteInChannel(actorId, note) }),
  );
  if (!posted.ok) return posted.result;
  deps.incidents.appendTimeline(incident.id, { at: deps.clock.now(), actorId, kind: 'note', text: note, data: { messageTs: posted.value } });
  return done(NOTE_ADDED);
}

import type { Incident } from '../domain/incident.js';
import { NOTE_MAX_LENGTH } from '../domain/limits.js';
import { escapeTypedText, mentionUser } from '../render/mrkdwn.js';
import { done, essential, refused, type FlowResult, type IncidentDependencies } from './incidentFlow.js';


/** Checks a note before anything is written; undefined when it is fine. */
export function noteProblem(text: string): string | undefined {
  if (!text.trim()) return 'A note needs some text: `/incident note Rolled back deploy 4521`.';
  if (text.length > NOTE_MAX_LENGTH) return `Keep a note under ${NOTE_MAX_LENGTH} characters (this one has ${text.length}); split it in two.`;
  return undefined;
}

/** `/incident note <text>`: on the timeline, and said in the channel so everyone sees it. */
export async function addNote(deps: IncidentDependencies, incident: Incident, actorId: string, text: string): Promise<FlowResult> {
  const problem = noteProblem(text);
  if (problem) return refused(problem);
  const note = text.trim();
  const posted = await essential(() =>
    deps.slack.postMessage(incident.channelId!, { text: `:memo: *Note* from ${mentionUser(actorId)}: ${escapeTypedText(note)}` }),
  );
  if (!posted.ok) return posted.result;
  deps.incidents.appendTimeline(incident.id, { at: deps.clock.now(), actorId, kind: 'note', text: note, data: { messageTs: posted.value } });
  return done('Note added to the timeline.');
}

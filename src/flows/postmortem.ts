import { asLive, type Incident } from '../domain/incident.js';
import { keyFigures } from '../domain/postmortem.js';
import { NO_CHANNEL_FOR_DRAFT, POSTMORTEM_POSTED, postmortemComment, postmortemFileTitle, postmortemNotUploaded } from '../messages/incident.js';
import { namesFor, postmortemSource, userIdsIn } from '../outlets/postmortemDraft.js';
import { renderPostmortem } from '../render/postmortem.js';
import { essential, refused, done, type FlowResult, type FlowDependencies } from './incidentFlow.js';

/**
 * Drafts the post-mortem from the timeline, keeps it in the store, and uploads it to the channel as a
 * Markdown file with a short summary. On resolve and on `/incident postmortem`.
 */
export async function publishPostmortem(deps: FlowDependencies, incident: Incident): Promise<FlowResult> {
  const channelId = incident.channelId;
  if (!channelId) return refused(NO_CHANNEL_FOR_DRAFT);
  const now = deps.clock.now();
  const source = await postmortemSource(deps, incident);
  const names = await namesFor(deps.postmortems, userIdsIn(source), { chat: deps.chat, at: now });
  const markdown = renderPostmortem(deps.templates, source, { timeZone: deps.settings.timeZone, severities: deps.settings.severities, names, now, incidentTypes: deps.settings.incidentTypes });
  await deps.postmortems.saveDraft(incident.id, markdown, now, null);

  const figures = keyFigures(incident, source.timeline, now);
  const uploaded = await essential(() =>
    deps.chat.uploadTextFile(channelId, {
      filename: `postmortem-${incident.channelName ?? `incident-${incident.id}`}.md`,
      title: postmortemFileTitle(incident.title).slice(0, 250),
      content: markdown,
      comment: postmortemComment({ title: incident.title, entries: source.timeline.length, ...figures }),
    }),
  );
  if (!uploaded.ok) return refused(postmortemNotUploaded(uploaded.result.message));
  const live = asLive(incident);
  const sends = live ? deps.planSends({ event: { kind: 'postmortem_ready', fileId: uploaded.value }, incident: live, actorId: null, at: now }) : [];
  await deps.postmortems.saveDraft(incident.id, markdown, now, uploaded.value, sends);
  deps.log.info({ incidentId: incident.id, fileId: uploaded.value, bytes: Buffer.byteLength(markdown) }, 'post-mortem draft uploaded');
  return done(POSTMORTEM_POSTED);
}

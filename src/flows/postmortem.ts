import { asLive, type Incident } from '../domain/incident.js';
import { keyFigures } from '../domain/postmortem.js';
import { NO_CHANNEL_FOR_DRAFT, POSTMORTEM_POSTED, postmortemComment, postmortemFileTitle, postmortemNotUploaded } from '../messages/incident.js';
import { renderPostmortem, type PostmortemSource } from '../render/postmortem.js';
import type { Names } from '../render/slackMarkup.js';
import type { ActionItemRecords, Chat, IncidentRecords, PostmortemRecords } from '../ports.js';
import { essential, refused, done, type FlowResult, type FlowDependencies } from './incidentFlow.js';

/** At most this many names are asked of Slack per draft: the rest keep their ids (a huge incident must not stall on lookups). */
const MAX_NAME_LOOKUPS = 100;

/** Everything the draft is written from, as stored. */
export async function postmortemSource(stores: { incidents: IncidentRecords; actions: ActionItemRecords }, incident: Incident): Promise<PostmortemSource> {
  return {
    incident,
    timeline: await stores.incidents.timelineOf(incident.id),
    actionItems: await stores.actions.listFor(incident.id),
    participantIds: (await stores.incidents.participantsOf(incident.id)).map((participant) => participant.userId),
  };
}

/** Every user id the draft names: people in roles, on the timeline, mentioned in text, owning actions. */
export function userIdsIn(source: PostmortemSource): string[] {
  const { incident } = source;
  const ids = new Set<string>([incident.commanderId, incident.declaredBy, ...source.participantIds]);
  for (const id of [incident.commsId, incident.scribeId, incident.acknowledgedBy]) if (id) ids.add(id);
  for (const item of source.actionItems) if (item.ownerId) ids.add(item.ownerId);
  const mentions = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;
  for (const entry of source.timeline) {
    if (entry.actorId) ids.add(entry.actorId);
    for (const match of entry.text.matchAll(mentions)) ids.add(match[1]!);
  }
  for (const text of [incident.impact, incident.rootCause, incident.resolutionSummary]) for (const match of text.matchAll(mentions)) ids.add(match[1]!);
  return [...ids];
}

/** Names from the database; `fresh` also asks Slack for the ones not known yet and remembers them. */
export async function namesFor(postmortems: PostmortemRecords, userIds: readonly string[], lookup?: { chat: Chat; at: Date }): Promise<Names> {
  const known = await postmortems.namesOf(userIds);
  if (lookup) {
    const missing = userIds.filter((id) => !known.has(id)).slice(0, MAX_NAME_LOOKUPS);
    await Promise.all(
      missing.map(async (id) => {
        const name = await lookup.chat.userName(id).catch(() => undefined);
        if (!name) return;
        known.set(id, name);
        await postmortems.rememberName(id, name, lookup.at);
      }),
    );
  }
  return { user: (id) => known.get(id) ?? id };
}

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

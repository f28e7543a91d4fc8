/**
 * The post-mortem draft while one is open (drafted on resolve or `/incident postmortem`, its review
 * not yet marked held): a change to what the timeline says (an entry edited or removed, a pinned
 * message edited, deleted or taken off) drafts it again, so the draft kept in the store never
 * contradicts the timeline. The file already in the channel stays as it was posted: a new file per
 * edit would bury it; `/incident postmortem` posts the draft as it now reads.
 */
import { TIMELINE_REVISIONS } from '../domain/events.js';
import type { Incident } from '../domain/incident.js';
import { STEPS } from '../messages/steps.js';
import type { ActionItemRecords, Chat, IncidentRecords, PostmortemRecords } from '../ports.js';
import { renderPostmortem, type PostmortemSource } from '../render/postmortem.js';
import type { Names } from '../render/slackMarkup.js';
import type { Outlet } from './outlet.js';

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

export const postmortemDraftOutlet: Outlet = {
  name: 'post-mortem draft',
  step: STEPS.keepPostmortemDraft,
  async deliver({ event, incident, at }, deps, steps) {
    if (!TIMELINE_REVISIONS.has(event.kind)) return;
    await steps.attempt(STEPS.keepPostmortemDraft, async () => {
      const draft = await deps.postmortems.draftOf(incident.id);
      if (!draft || incident.reviewDoneAt) return;
      const source = await postmortemSource(deps, incident);
      // Names from the store only: the draft was drafted with Slack's names already, and an edit must not wait on Slack.
      const names = await namesFor(deps.postmortems, userIdsIn(source));
      const markdown = renderPostmortem(deps.templates, source, { timeZone: deps.settings.timeZone, severities: deps.settings.severities, names, now: at, incidentTypes: deps.settings.incidentTypes });
      await deps.postmortems.saveDraft(incident.id, markdown, at, draft.fileId);
    });
  },
};

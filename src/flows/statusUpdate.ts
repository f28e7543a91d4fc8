import { STATUS_LABELS, type Incident, type IncidentStatus } from '../domain/incident.js';
import { planSeverityChange, planStatusUpdate, type StatusUpdate, type UpdateOrigin } from '../domain/lifecycle.js';
import type { SeverityLevel } from '../domain/severity.js';
import { draftAsUpdate, type UpdateSource } from '../domain/statusDraft.js';
import { isoDateInZone, timeOfDayInZone } from '../domain/time.js';
import { DRAFT_GONE } from '../messages/replies.js';
import {
  automaticUpdateEvent,
  automaticUpdateFallback,
  personUpdateFallback,
  severityChangedInChannel,
  severityIsNow,
  severityRaisedEvent,
  statusUpdateEvent,
  updatePosted,
} from '../messages/incident.js';
import { STEPS } from '../messages/steps.js';
import { escapeTypedText, mentionUser } from '../render/mrkdwn.js';
import type { SlackMessage } from '../slack/gateway.js';
import { mrkdwnSections, truncate } from '../slack/views/blocks.js';
import { decideAndApply, done, essential, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { incidentTemplateData, refreshSummary } from './summary.js';

/** SEV1 and SEV2 updates are repeated in the announcement channel: the rest of the company is waiting on them. */
const ANNOUNCED_SEVERITIES: readonly SeverityLevel[] = ['SEV1', 'SEV2'];

/**
 * `/incident update` (and the reminder's Post as is): records the update, posts it in the channel
 * from the status-update template, then brings the pinned summary and topic up to date and
 * repeats it where people watch. It is recorded first so that what is posted (severity,
 * commander…) is the incident as it now stands, even if something else changed while the form was
 * being filled in; if Slack will not post it, it is taken back, so the timeline only holds updates
 * the channel saw.
 */
export async function postStatusUpdate(
  deps: IncidentDependencies,
  incident: Incident,
  actorId: string,
  update: StatusUpdate,
  origin: UpdateOrigin = { source: 'person' },
  lastPersonUpdateAt: Date | null = null,
): Promise<FlowResult> {
  const now = deps.clock.now();
  const decided = decideAndApply(deps, incident.id, (current) => planStatusUpdate(current, update, now, actorId, origin), { actorId, at: now });
  if (!decided.ok) return decided.result;
  const { before, incident: updated } = decided.applied;
  const message = statusUpdateMessage(deps, updated, update, { previousStatus: before.status, source: origin.source, postedBy: actorId, lastPersonUpdateAt });
  const posted = await essential(() => deps.slack.postMessage(updated.channelId!, message));
  if (!posted.ok) {
    deps.incidents.withdrawChange(incident.id, decided.applied);
    return posted.result;
  }
  const warnings = await spreadStatusUpdate(deps, updated, update, origin.source, lastPersonUpdateAt);
  return done(updatePosted(STATUS_LABELS[update.status]), warnings);
}

/** Who an update is from, as its message says. */
export interface UpdateAuthorship {
  previousStatus: IncidentStatus;
  source: UpdateSource;
  /** The person who posted it; null for the bot's automatic update. */
  postedBy: string | null;
  /** The last update a person wrote: what an automatic update says people have been silent since. */
  lastPersonUpdateAt: Date | null;
}

type RenderDependencies = Pick<IncidentDependencies, 'templates' | 'settings' | 'clock'>;

/** A status update as the channel sees it: the status-update template, marked when the bot wrote it. */
export function statusUpdateMessage(deps: RenderDependencies, incident: Incident, update: StatusUpdate, by: UpdateAuthorship): SlackMessage {
  const { text, lastPersonUpdate } = statusUpdateText(deps, incident, update, by);
  const label = STATUS_LABELS[update.status];
  const fallback =
    by.source === 'automatic'
      ? automaticUpdateFallback(label, lastPersonUpdate, incident.commanderId)
      : personUpdateFallback(label, update.whatChanged);
  return { text: truncate(fallback, TEXT_FALLBACK_LIMIT), blocks: mrkdwnSections(text) };
}

/** The status-update template rendered: the body of the message, and of the draft a reminder shows. */
export function statusUpdateText(deps: RenderDependencies, incident: Incident, update: StatusUpdate, by: UpdateAuthorship): { text: string; lastPersonUpdate: string } {
  const now = deps.clock.now();
  const data = {
    ...incidentTemplateData(incident, deps.settings, now),
    previousStatus: by.previousStatus === update.status ? '' : STATUS_LABELS[by.previousStatus],
    whatChanged: escapeTypedText(update.whatChanged),
    impact: escapeTypedText(update.impact),
    nextSteps: escapeTypedText(update.nextSteps),
    postedBy: by.postedBy ? mentionUser(by.postedBy) : '',
    automatic: by.source === 'automatic',
    drafted: by.source === 'draft',
    lastPersonUpdate: by.lastPersonUpdateAt ? shortTime(by.lastPersonUpdateAt, deps.settings.timeZone, now) : '',
  };
  return { text: deps.templates.render('status-update', data), lastPersonUpdate: data.lastPersonUpdate };
}

/**
 * "Post as is" on a reminder: the bot's draft becomes the interval's update, posted by the person
 * who clicked, unless the incident has moved on since it was written.
 */
export async function postDraftAsIs(deps: IncidentDependencies, incident: Incident, draftId: number, actorId: string): Promise<FlowResult> {
  const draft = deps.reminders.findDraft(draftId);
  if (!draft || draft.incidentId !== incident.id) return refused(DRAFT_GONE);
  return postStatusUpdate(deps, incident, actorId, draftAsUpdate(draft), { source: 'draft', draft }, draft.lastPersonUpdateAt);
}

/** A notification's text is a preview: Slack shows a few lines of it. */
const TEXT_FALLBACK_LIMIT = 3000;

/** "14:05" today, "11-25 23:50" another day: when people last wrote. */
export const shortTime = (instant: Date, timeZone: string, now: Date) => timeOfDayInZone(instant, timeZone, isoDateInZone(now, timeZone));

/**
 * After an update is in the channel: the pinned summary and topic follow it, and SEV1/SEV2 updates
 * are repeated in the announcement channel. Returns what did not work, for the person who posted.
 */
export async function spreadStatusUpdate(deps: IncidentDependencies, incident: Incident, update: StatusUpdate, source: UpdateSource, lastPersonUpdateAt: Date | null): Promise<string[]> {
  const warnings = warningsFor(deps, incident.id);
  warnings.add(await refreshSummary(deps, incident));
  if (ANNOUNCED_SEVERITIES.includes(incident.severity)) {
    const news = escapeTypedText(oneLine(update.whatChanged));
    const event =
      source === 'automatic'
        ? automaticUpdateEvent(lastPersonUpdateAt ? shortTime(lastPersonUpdateAt, deps.settings.timeZone, deps.clock.now()) : null, news)
        : statusUpdateEvent(news);
    await warnings.attempt(STEPS.repeatInAnnouncementChannel, () => announce(deps, incident, event));
  }
  return warnings.list;
}

/** An announcement is one line: a drafted update's list of news is run together and cut short. */
const ANNOUNCED_NEWS_LIMIT = 400;
const oneLine = (text: string) => truncate(text.replace(/\s*\n\s*/g, ' '), ANNOUNCED_NEWS_LIMIT);

/** `/incident severity`: records the change, says it in the channel, announces a raise. */
export async function changeSeverity(deps: IncidentDependencies, incident: Incident, actorId: string, severity: SeverityLevel): Promise<FlowResult> {
  const decided = decideAndApply(deps, incident.id, (current) => planSeverityChange(current, severity), { actorId, at: deps.clock.now() });
  if (!decided.ok) return decided.result;
  const { before, incident: updated, change } = decided.applied;
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt(STEPS.sayInChannel, () =>
    deps.slack.postMessage(updated.channelId!, { text: severityChangedInChannel(change.raised, before.severity, severity, actorId) }),
  );
  warnings.add(await refreshSummary(deps, updated));
  if (change.raised) await warnings.attempt(STEPS.announceRaisedSeverity, () => announce(deps, updated, severityRaisedEvent(before.severity, severity)));
  return done(severityIsNow(severity), warnings.list);
}

/** One line in the announcement channel, for incidents the company may see. */
export async function announce(deps: IncidentDependencies, incident: Incident, event: string): Promise<void> {
  const channel = deps.settings.announceChannel;
  if (!channel || incident.isPrivate) return;
  const text = deps.templates.render('update-announcement', { ...incidentTemplateData(incident, deps.settings, deps.clock.now()), event });
  await deps.slack.postMessage(channel, { text, blocks: mrkdwnSections(text) });
}

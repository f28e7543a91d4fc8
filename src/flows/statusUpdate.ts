import { STATUS_LABELS, type Incident } from '../domain/incident.js';
import { planSeverityChange, planStatusUpdate, type StatusUpdate } from '../domain/lifecycle.js';
import type { SeverityLevel } from '../domain/severity.js';
import { escapeTypedText, mentionUser } from '../render/mrkdwn.js';
import { mrkdwnSections } from '../slack/views/blocks.js';
import { decideAndApply, done, essential, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { incidentTemplateData, refreshSummary } from './summary.js';

/** SEV1 and SEV2 updates are repeated in the announcement channel: the rest of the company is waiting on them. */
const ANNOUNCED_SEVERITIES: readonly SeverityLevel[] = ['SEV1', 'SEV2'];

/**
 * `/incident update`: records the update, posts it in the channel from the status-update template,
 * then brings the pinned summary and topic up to date and repeats it where people watch. It is
 * recorded first so that what is posted (severity, commander…) is the incident as it now stands,
 * even if something else changed while the form was being filled in; if Slack will not post it,
 * it is taken back, so the timeline only holds updates the channel saw.
 */
export async function postStatusUpdate(deps: IncidentDependencies, incident: Incident, actorId: string, update: StatusUpdate): Promise<FlowResult> {
  const now = deps.clock.now();
  const decided = decideAndApply(deps, incident.id, (current) => planStatusUpdate(current, update, now, actorId), { actorId, at: now });
  if (!decided.ok) return decided.result;
  const { before, incident: updated } = decided.applied;
  const data = {
    ...incidentTemplateData(updated, deps.settings, now),
    previousStatus: before.status === update.status ? '' : STATUS_LABELS[before.status],
    whatChanged: escapeTypedText(update.whatChanged),
    impact: escapeTypedText(update.impact),
    nextSteps: escapeTypedText(update.nextSteps),
    postedBy: mentionUser(actorId),
  };
  const text = deps.templates.render('status-update', data);
  const posted = await essential(() =>
    deps.slack.postMessage(updated.channelId!, { text: `${STATUS_LABELS[update.status]}: ${escapeTypedText(update.whatChanged)}`, blocks: mrkdwnSections(text) }),
  );
  if (!posted.ok) {
    deps.incidents.withdrawChange(incident.id, decided.applied);
    return posted.result;
  }

  const warnings = warningsFor(deps, incident.id);
  warnings.add(await refreshSummary(deps, updated));
  if (ANNOUNCED_SEVERITIES.includes(updated.severity)) {
    await warnings.attempt('Repeating it in the announcement channel', () => announce(deps, updated, `status update: ${escapeTypedText(update.whatChanged)}`));
  }
  return done(`Update posted: ${STATUS_LABELS[update.status]}.`, warnings.list);
}

/** `/incident severity`: records the change, says it in the channel, announces a raise. */
export async function changeSeverity(deps: IncidentDependencies, incident: Incident, actorId: string, severity: SeverityLevel): Promise<FlowResult> {
  const decided = decideAndApply(deps, incident.id, (current) => planSeverityChange(current, severity), { actorId, at: deps.clock.now() });
  if (!decided.ok) return decided.result;
  const { before, incident: updated, change } = decided.applied;
  const warnings = warningsFor(deps, incident.id);
  const verb = change.raised ? ':arrow_double_up: raised' : ':arrow_down: lowered';
  await warnings.attempt('Saying so in the channel', () =>
    deps.slack.postMessage(updated.channelId!, { text: `Severity ${verb} from ${before.severity} to *${severity}* by ${mentionUser(actorId)}` }),
  );
  warnings.add(await refreshSummary(deps, updated));
  if (change.raised) await warnings.attempt('Announcing the raised severity', () => announce(deps, updated, `severity raised from ${before.severity} to ${severity}`));
  return done(`Severity is now ${severity}.`, warnings.list);
}

/** One line in the announcement channel, for incidents the company may see. */
export async function announce(deps: IncidentDependencies, incident: Incident, event: string): Promise<void> {
  const channel = deps.settings.announceChannel;
  if (!channel || incident.isPrivate) return;
  const text = deps.templates.render('update-announcement', { ...incidentTemplateData(incident, deps.settings, deps.clock.now()), event });
  await deps.slack.postMessage(channel, { text, blocks: mrkdwnSections(text) });
}

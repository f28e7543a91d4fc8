import { STATUS_LABELS, type Incident } from '../domain/incident.js';
import { planSeverityChange, planStatusUpdate, type StatusUpdate } from '../domain/lifecycle.js';
import type { SeverityLevel } from '../domain/severity.js';
import { escapeTypedText, mentionUser } from '../render/mrkdwn.js';
import { mrkdwnSections } from '../slack/views/blocks.js';
import { done, essential, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { incidentTemplateData, refreshSummary } from './summary.js';

/** SEV1 and SEV2 updates are repeated in the announcement channel: the rest of the company is waiting on them. */
const ANNOUNCED_SEVERITIES: readonly SeverityLevel[] = ['SEV1', 'SEV2'];

/**
 * `/incident update`: posts the update in the channel from the status-update template, records
 * it, then brings the pinned summary and topic up to date and repeats it where people watch.
 */
export async function postStatusUpdate(deps: IncidentDependencies, incident: Incident, actorId: string, update: StatusUpdate): Promise<FlowResult> {
  const now = deps.clock.now();
  const plan = planStatusUpdate(incident, update, now, actorId);
  if (!plan.ok) return refused(plan.reason);
  const after: Incident = { ...incident, ...plan.change.patch };
  const data = {
    ...incidentTemplateData(after, deps.settings, now),
    previousStatus: incident.status === update.status ? '' : STATUS_LABELS[incident.status],
    whatChanged: escapeTypedText(update.whatChanged),
    impact: escapeTypedText(update.impact),
    nextSteps: escapeTypedText(update.nextSteps),
    postedBy: mentionUser(actorId),
  };
  const text = deps.templates.render('status-update', data);
  const posted = await essential(() =>
    deps.slack.postMessage(incident.channelId!, { text: `${STATUS_LABELS[update.status]}: ${escapeTypedText(update.whatChanged)}`, blocks: mrkdwnSections(text) }),
  );
  if (!posted.ok) return posted.result;

  const updated = deps.incidents.applyChange(incident.id, plan.change, { actorId, at: now, expect: 'open' });
  if (!updated) return refused('The incident changed while you were writing (it was resolved). Your update was posted but not recorded.');
  const warnings = warningsFor(deps, incident.id);
  warnings.add(await refreshSummary(deps, updated));
  if (ANNOUNCED_SEVERITIES.includes(updated.severity)) {
    await warnings.attempt('Repeating it in the announcement channel', () => announce(deps, updated, `status update: ${escapeTypedText(update.whatChanged)}`));
  }
  return done(`Update posted: ${STATUS_LABELS[update.status]}.`, warnings.list);
}

/** `/incident severity`: records the change, says it in the channel, announces a raise. */
export async function changeSeverity(deps: IncidentDependencies, incident: Incident, actorId: string, severity: SeverityLevel): Promise<FlowResult> {
  const plan = planSeverityChange(incident, severity);
  if (!plan.ok) return refused(plan.reason);
  const now = deps.clock.now();
  const updated = deps.incidents.applyChange(incident.id, plan.change, { actorId, at: now, expect: 'open' });
  if (!updated) return refused('This incident was resolved in the meantime; its severity stays as it was.');
  const warnings = warningsFor(deps, incident.id);
  const verb = plan.change.raised ? ':arrow_double_up: raised' : ':arrow_down: lowered';
  await warnings.attempt('Saying so in the channel', () =>
    deps.slack.postMessage(incident.channelId!, { text: `Severity ${verb} from ${incident.severity} to *${severity}* by ${mentionUser(actorId)}` }),
  );
  warnings.add(await refreshSummary(deps, updated));
  if (plan.change.raised) await warnings.attempt('Announcing the raised severity', () => announce(deps, updated, `severity raised from ${incident.severity} to ${severity}`));
  return done(`Severity is now ${severity}.`, warnings.list);
}

/** One line in the announcement channel, for incidents the company may see. */
export async function announce(deps: IncidentDependencies, incident: Incident, event: string): Promise<void> {
  const channel = deps.settings.announceChannel;
  if (!channel || incident.isPrivate) return;
  const text = deps.templates.render('update-announcement', { ...incidentTemplateData(incident, deps.settings, deps.clock.now()), event });
  await deps.slack.postMessage(channel, { text, blocks: mrkdwnSections(text) });
}

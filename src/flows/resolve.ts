import type { Incident } from '../domain/incident.js';
import { formatDuration, managementRefusal, mayManage, planReopen, planResolve } from '../domain/lifecycle.js';
import { escapeMrkdwn, escapeTypedText, mentionUser } from '../render/mrkdwn.js';
import { mrkdwnSections } from '../slack/views/blocks.js';
import { done, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { publishPostmortem } from './postmortem.js';
import { incidentTemplateData, refreshSummary } from './summary.js';

export const RESOLUTION_MAX_LENGTH = 2000;

export interface Resolution {
  summary: string;
  rootCause: string;
}

/**
 * Resolving: status Resolved, duration recorded, the runbooks' resolution message in the channel
 * and the announcement channel, then the post-mortem draft. Update reminders stop because they
 * only run for open incidents.
 */
export async function resolveIncident(deps: IncidentDependencies, incident: Incident, actorId: string, resolution: Resolution): Promise<FlowResult> {
  if (!mayManage(incident, actorId, deps.settings.responders)) return refused(managementRefusal(incident, 'resolve it'));
  const now = deps.clock.now();
  const plan = planResolve(incident, resolution, now);
  if (!plan.ok) return refused(plan.reason);
  const resolved = deps.incidents.applyChange(incident.id, plan.change, { actorId, at: now, expect: 'open' });
  if (!resolved) return refused('This incident is already resolved.');

  const warnings = warningsFor(deps, incident.id);
  const text = deps.templates.render('resolution', {
    ...incidentTemplateData(resolved, deps.settings, now),
    summary: escapeTypedText(resolution.summary),
    resolvedBy: mentionUser(actorId),
  });
  const message = { text: `[RESOLVED] ${escapeMrkdwn(incident.title)}`, blocks: mrkdwnSections(text) };
  await warnings.attempt('Posting the resolution in the channel', () => deps.slack.postMessage(incident.channelId!, message));
  warnings.add(await refreshSummary(deps, resolved));
  const announceChannel = deps.settings.announceChannel;
  if (announceChannel && !incident.isPrivate) await warnings.attempt('Announcing the resolution', () => deps.slack.postMessage(announceChannel, message));
  const draft = await publishPostmortem(deps, resolved);
  if (!draft.ok) warnings.add([draft.message]);
  return done(`Resolved after ${formatDuration(plan.change.durationMs)}.${draft.ok ? ' The post-mortem draft is in the channel.' : ''}`, warnings.list);
}

/** `/incident reopen [why]`: back to Investigating, on the timeline. */
export async function reopenIncident(deps: IncidentDependencies, incident: Incident, actorId: string, reason: string): Promise<FlowResult> {
  if (!mayManage(incident, actorId, deps.settings.responders)) return refused(managementRefusal(incident, 'reopen it'));
  const plan = planReopen(incident, reason);
  if (!plan.ok) return refused(plan.reason);
  const reopened = deps.incidents.applyChange(incident.id, plan.change, { actorId, at: deps.clock.now(), expect: 'resolved' });
  if (!reopened) return refused('This incident is not resolved; there is nothing to reopen.');
  deps.reminders.restart(incident.id, deps.clock.now());
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt('Saying so in the channel', () =>
    deps.slack.postMessage(incident.channelId!, {
      text: `:rotating_light: Incident *reopened* by ${mentionUser(actorId)}${reason ? `: ${escapeTypedText(reason)}` : ''}. Status is back to Investigating.`,
    }),
  );
  warnings.add(await refreshSummary(deps, reopened));
  return done('Incident reopened; status is Investigating.', warnings.list);
}

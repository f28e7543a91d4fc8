import type { Incident } from '../domain/incident.js';
import { planAsManager, planReopen, planResolve } from '../domain/lifecycle.js';
import { REOPENED, reopenedInChannel, resolved as resolvedAfter, resolvedFallback } from '../messages/incident.js';
import { MANAGED } from '../messages/replies.js';
import { STEPS } from '../messages/steps.js';
import { escapeTypedText, mentionUser } from '../render/mrkdwn.js';
import { mrkdwnSections } from '../slack/views/blocks.js';
import { decideAndApply, done, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';
import { publishPostmortem } from './postmortem.js';
import { incidentTemplateData, refreshSummary } from './summary.js';

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
  const now = deps.clock.now();
  const decided = decideAndApply(
    deps,
    incident.id,
    (current) => planAsManager(current, actorId, deps.settings.responders, MANAGED.resolve, () => planResolve(current, resolution, now)),
    { actorId, at: now },
  );
  if (!decided.ok) return decided.result;
  const { incident: resolved, change } = decided.applied;

  const warnings = warningsFor(deps, incident.id);
  const text = deps.templates.render('resolution', {
    ...incidentTemplateData(resolved, deps.settings, now),
    summary: escapeTypedText(resolution.summary),
    resolvedBy: mentionUser(actorId),
  });
  const message = { text: resolvedFallback(resolved.title), blocks: mrkdwnSections(text) };
  await warnings.attempt(STEPS.postResolution, () => deps.slack.postMessage(resolved.channelId!, message));
  warnings.add(await refreshSummary(deps, resolved));
  const announceChannel = deps.settings.announceChannel;
  if (announceChannel && !resolved.isPrivate) await warnings.attempt(STEPS.announceResolution, () => deps.slack.postMessage(announceChannel, message));
  const draft = await publishPostmortem(deps, resolved);
  if (!draft.ok) warnings.add([draft.message]);
  return done(resolvedAfter(change.durationMs, draft.ok), warnings.list);
}

/** `/incident reopen [why]`: back to Investigating, on the timeline. */
export async function reopenIncident(deps: IncidentDependencies, incident: Incident, actorId: string, reason: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const decided = decideAndApply(
    deps,
    incident.id,
    (current) => planAsManager(current, actorId, deps.settings.responders, MANAGED.reopen, () => planReopen(current, reason)),
    { actorId, at: now },
  );
  if (!decided.ok) return decided.result;
  const reopened = decided.applied.incident;
  deps.reminders.restart(incident.id, now);
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt(STEPS.sayInChannel, () => deps.slack.postMessage(reopened.channelId!, { text: reopenedInChannel(actorId, reason) }),
  );
  warnings.add(await refreshSummary(deps, reopened));
  return done(REOPENED, warnings.list);
}

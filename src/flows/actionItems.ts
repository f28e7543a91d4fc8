import { parseActionItem } from '../domain/commandText.js';
import type { Incident } from '../domain/incident.js';
import { isoDateInZone } from '../domain/time.js';
import { actionItemAdded, actionItemAddedInChannel, actionItemAlreadyDone, noActionItem } from '../messages/incident.js';
import { STEPS } from '../messages/steps.js';
import { actionItemEntry } from '../messages/timeline.js';
import type { ActionItem } from '../store/actionItemRepository.js';
import { describeActionItem } from '../slack/views/incidentReports.js';
import { done, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';

/** `/incident action <text> [@owner] [due date]` */
export async function addActionItem(deps: IncidentDependencies, incident: Incident, actorId: string, argument: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const parsed = parseActionItem(argument, isoDateInZone(now, deps.settings.timeZone));
  if (!parsed.ok) return refused(parsed.reason);
  const item = deps.actions.add({ incidentId: incident.id, ...parsed.value, createdBy: actorId, createdAt: now }, actionItemEntry(parsed.value.text));
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt(STEPS.sayInChannel, () =>
    deps.slack.postMessage(incident.channelId!, { text: actionItemAddedInChannel(item.id, actorId, describeActionItem(item)) }),
  );
  return done(actionItemAdded(item.id), warnings.list);
}

export function completeActionItem(deps: IncidentDependencies, actionId: number, actorId: string): { ok: true; item: ActionItem } | { ok: false; message: string } {
  const item = deps.actions.complete(actionId, actorId, deps.clock.now());
  if (item) return { ok: true, item };
  const existing = deps.actions.find(actionId);
  return { ok: false, message: existing ? actionItemAlreadyDone(actionId) : noActionItem(actionId) };
}

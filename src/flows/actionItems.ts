import { parseActionItem } from '../domain/commandText.js';
import type { Incident } from '../domain/incident.js';
import { isoDateInZone } from '../domain/time.js';
import { mentionUser } from '../render/mrkdwn.js';
import type { ActionItem } from '../store/actionItemRepository.js';
import { describeActionItem } from '../slack/views/incidentReports.js';
import { done, refused, warningsFor, type FlowResult, type IncidentDependencies } from './incidentFlow.js';

/** `/incident action <text> [@owner] [due date]` */
export async function addActionItem(deps: IncidentDependencies, incident: Incident, actorId: string, argument: string): Promise<FlowResult> {
  const now = deps.clock.now();
  const parsed = parseActionItem(argument, isoDateInZone(now, deps.settings.timeZone));
  if (!parsed.ok) return refused(parsed.reason);
  const item = deps.actions.add({ incidentId: incident.id, ...parsed.value, createdBy: actorId, createdAt: now }, `Action item: ${parsed.value.text}`);
  const warnings = warningsFor(deps, incident.id);
  await warnings.attempt('Saying so in the channel', () =>
    deps.slack.postMessage(incident.channelId!, { text: `:ballot_box_with_check: *Action item #${item.id}* added by ${mentionUser(actorId)}: ${describeActionItem(item)}` }),
  );
  return done(`Action item #${item.id} added. \`/incident actions\` lists them all.`, warnings.list);
}

export function completeActionItem(deps: IncidentDependencies, actionId: number, actorId: string): { ok: true; item: ActionItem } | { ok: false; message: string } {
  const item = deps.actions.complete(actionId, actorId, deps.clock.now());
  if (item) return { ok: true, item };
  const existing = deps.actions.find(actionId);
  return { ok: false, message: existing ? `Action item #${actionId} was already done.` : `There is no action item #${actionId}.` };
}

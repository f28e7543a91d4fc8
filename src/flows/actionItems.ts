import type { ActionItem } from '../domain/actionItem.js';
import { parseActionItem } from '../domain/commandText.js';
import type { LiveIncident } from '../domain/incident.js';
import { isoDateInZone } from '../domain/time.js';
import { actionItemAdded, actionItemAlreadyDone, noActionItem } from '../messages/incident.js';
import { actionItemEntry } from '../messages/timeline.js';
import { done, refused, type FlowDependencies, type FlowResult } from './incidentFlow.js';
import { runChange } from './pipeline.js';

/** `/incident action <text> [@owner] [due date]` */
export async function addActionItem(deps: FlowDependencies, incident: LiveIncident, actorId: string, argument: string): Promise<FlowResult> {
  const at = deps.clock.now();
  const parsed = parseActionItem(argument, isoDateInZone(at, deps.settings.timeZone));
  if (!parsed.ok) return refused(parsed.reason);
  const outcome = await runChange(deps, {
    actorId,
    at,
    async record() {
      const item = await deps.actions.add({ incidentId: incident.id, ...parsed.value, createdBy: actorId, createdAt: at }, actionItemEntry(parsed.value.text));
      return { ok: true, incident, event: { kind: 'action_added', item } };
    },
  });
  return outcome.ok ? done(actionItemAdded(outcome.event.item.id), outcome.warnings) : outcome.result;
}

/** "Mark done" on an action item: recorded once however often it is clicked, and said in the channel. */
export async function completeActionItem(
  deps: FlowDependencies,
  incident: LiveIncident,
  actionId: number,
  actorId: string,
): Promise<{ ok: true; item: ActionItem; warnings: string[] } | { ok: false; message: string }> {
  const at = deps.clock.now();
  const outcome = await runChange(deps, {
    actorId,
    at,
    async record() {
      const item = await deps.actions.complete(actionId, actorId, at);
      if (item) return { ok: true, incident, event: { kind: 'action_done', item } };
      return { ok: false, reason: (await deps.actions.find(actionId)) ? actionItemAlreadyDone(actionId) : noActionItem(actionId) };
    },
  });
  return outcome.ok ? { ok: true, item: outcome.event.item, warnings: outcome.warnings } : { ok: false, message: outcome.result.message };
}

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { completeActionItem } from '../../flows/actionItems.js';
import { actionItemDone, noActionItem } from '../../messages/incident.js';
import { doneText, TASKS } from '../../messages/replies.js';
import { ACTION_DONE_BUTTON, actionItemsReport } from '../../slack/views/incidentReports.js';
import { buttonClickPayload, readPayload } from '../payloads.js';
import { failureMessage } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';
import { clickRefusal, incidentOfClick } from './clickedIncident.js';

/** "Mark done" in `/incident actions`: records it (the channel hears it from the pipeline), refreshes the list. */
export function registerActionItemButtons(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(ACTION_DONE_BUTTON, async ({ ack, body, respond }) => {
    await ack();
    const click = readPayload(buttonClickPayload, body, deps.log, ACTION_DONE_BUTTON);
    if (!click) return;
    const actionId = Number(click.actions[0].value);
    const item = Number.isSafeInteger(actionId) ? await deps.actions.find(actionId) : undefined;
    if (!item) return void (await respond(clickRefusal(noActionItem(click.actions[0].value))));
    const found = await incidentOfClick(deps, item.incidentId, click);
    if (!found.ok) return void (await respond(clickRefusal(found.message)));
    const incident = found.incident;
    if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return;
    let completed: Awaited<ReturnType<typeof completeActionItem>>;
    try {
      completed = await completeActionItem(deps, incident, item.id, click.user.id);
    } catch (error) {
      deps.log.error({ err: error, incidentId: incident.id }, 'could not mark an action item done');
      return void (await respond(clickRefusal(failureMessage(error, TASKS.markActionItemDone))));
    }
    if (!completed.ok) return void (await respond(clickRefusal(completed.message)));
    const report = actionItemsReport(incident, await deps.actions.listFor(incident.id));
    await respond({ response_type: 'ephemeral', replace_original: true, text: report.text, blocks: report.blocks });
    // The list shows it done; what did not work besides (saying so in the channel) is told apart.
    if (completed.warnings.length > 0) await respond({ response_type: 'ephemeral', replace_original: false, text: doneText(actionItemDone(completed.item.id), completed.warnings) });
  });
}

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { completeActionItem, describeActionItem } from '../../../flows/actionItems.js';
import { mentionUser } from '../../../render/mrkdwn.js';
import { ACTION_DONE_BUTTON, actionItemsReport } from '../../views/incidentReports.js';
import type { ListenerDependencies } from '../types.js';

/** "Mark done" in `/incident actions`: records it, says so in the channel, refreshes the list. */
export function registerActionItemButtons(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(ACTION_DONE_BUTTON, async ({ ack, body, action, respond }) => {
    await ack();
    const completed = completeActionItem(deps.incident, Number(action.value), body.user.id);
    if (!completed.ok) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: `:x: ${completed.message}` });
      return;
    }
    const incident = deps.incident.incidents.findById(completed.item.incidentId);
    if (!incident) return;
    if (incident.channelId) {
      await deps.slack
        .postMessage(incident.channelId, { text: `:white_check_mark: *Action item #${completed.item.id}* done by ${mentionUser(body.user.id)}: ${describeActionItem(completed.item)}` })
        .catch((error: unknown) => deps.log.warn({ err: error, incidentId: incident.id }, 'could not announce a done action item'));
    }
    const report = actionItemsReport(incident, deps.incident.actions.listFor(incident.id));
    await respond({ response_type: 'ephemeral', replace_original: true, text: report.text, blocks: report.blocks });
  });
}

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { LiveIncident } from '../../domain/incident.js';
import { acknowledgeIncident } from '../../flows/acknowledge.js';
import { refused, resultText, type FlowResult } from '../../flows/incidentFlow.js';
import { markReviewHeld } from '../../flows/review.js';
import { TASKS } from '../../messages/replies.js';
import { SUMMARY_BUTTONS } from '../../slack/views/kickoffMessage.js';
import { REMINDER_BUTTONS } from '../../slack/views/reminderMessage.js';
import { buttonClickPayload, readPayload } from '../payloads.js';
import { runSafely } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';
import { incidentOfClick } from './clickedIncident.js';

type ButtonFlow = (deps: ListenerDependencies, incident: LiveIncident, userId: string) => Promise<FlowResult>;

/** Buttons that do a thing at once, with no form: what they do, and how the user is told. */
const BUTTONS: Record<string, { what: string; flow: ButtonFlow }> = {
  [SUMMARY_BUTTONS.acknowledge]: { what: TASKS.acknowledge, flow: acknowledgeIncident },
  [REMINDER_BUTTONS.reviewHeld]: { what: TASKS.markReviewHeld, flow: markReviewHeld },
};

/** "Acknowledge" on the pinned summary and "Review held" on a review reminder: the same flows as their commands. */
export function registerFlowButtons(app: App, deps: ListenerDependencies): void {
  for (const [actionId, { what, flow }] of Object.entries(BUTTONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, respond }) => {
      const click = readPayload(buttonClickPayload, body, deps.log, actionId);
      if (!click) return ack();
      const found = await incidentOfClick(deps, Number(click.actions[0].value), click);
      if (!found.ok) await ack();
      else if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return ack();
      const result: FlowResult = !found.ok
        ? refused(found.message)
        : await runSafely(
            deps,
            what,
            () => flow(deps, found.incident, click.user.id),
            { userId: click.user.id, channelId: found.incident.channelId, incidentId: found.incident.id, responseUrl: click.response_url },
            () => ack(),
          );
      await respond({ response_type: 'ephemeral', replace_original: false, text: resultText(result) });
    });
  }
}

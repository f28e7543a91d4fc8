import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Incident } from '../../../domain/incident.js';
import { acknowledgeIncident } from '../../../flows/acknowledge.js';
import { resultText, type FlowResult } from '../../../flows/incidentFlow.js';
import { markReviewHeld } from '../../../flows/review.js';
import { SUMMARY_BUTTONS } from '../../views/kickoffMessage.js';
import { REMINDER_BUTTONS } from '../../views/reminderMessage.js';
import { runSafely } from '../replies.js';
import type { ListenerDependencies } from '../types.js';

type ButtonFlow = (deps: ListenerDependencies['incident'], incident: Incident, userId: string) => Promise<FlowResult>;

/** Buttons that do a thing at once, with no form: what they do, and how the user is told. */
const BUTTONS: Record<string, { what: string; flow: ButtonFlow }> = {
  [SUMMARY_BUTTONS.acknowledge]: { what: 'acknowledge the incident', flow: acknowledgeIncident },
  [REMINDER_BUTTONS.reviewHeld]: { what: 'mark the review as held', flow: markReviewHeld },
};

/** "Acknowledge" on the pinned summary and "Review held" on a review reminder: the same flows as their commands. */
export function registerFlowButtons(app: App, deps: ListenerDependencies): void {
  for (const [actionId, { what, flow }] of Object.entries(BUTTONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const incident = deps.incident.incidents.findById(Number(action.value));
      const result: FlowResult =
        !incident || incident.phase !== 'live'
          ? { ok: false, message: "This incident no longer exists in the bot's database." }
          : await runSafely(deps, what, () => flow(deps.incident, incident, body.user.id), {
              userId: body.user.id,
              channelId: incident.channelId,
              incidentId: incident.id,
              responseUrl: body.response_url,
            });
      await respond({ response_type: 'ephemeral', replace_original: false, text: resultText(result) });
    });
  }
}

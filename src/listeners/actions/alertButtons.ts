import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { dismissAlert, openAlertDeclareForm } from '../../flows/alerts.js';
import { resultText, type FlowResult } from '../../flows/incidentFlow.js';
import { ALERT_BUTTONS } from '../../slack/views/alertMessage.js';
import { SlackCallError } from '../../slack/slackErrors.js';
import { FORM_NOT_OPENED, refusalText, somethingWentWrong } from '../../messages/replies.js';
import { DatabaseFaultError } from '../../store/faults.js';
import { buttonClickPayload, readPayload } from '../payloads.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';

/** **Declare incident** and **Dismiss** on an alert's triage message. */
export function registerAlertButtons(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(ALERT_BUTTONS.declare, async ({ ack, body, respond }) => {
    const click = readPayload(buttonClickPayload, body, deps.log, ALERT_BUTTONS.declare);
    await ack();
    if (!click || !(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return;
    let refusal: FlowResult | undefined;
    try {
      refusal = await openAlertDeclareForm(deps, Number(click.actions[0].value), click.user.id, click.trigger_id);
    } catch (error) {
      // The database's own sentence reaches the person through answeringDatabaseFaults.
      if (error instanceof DatabaseFaultError) throw error;
      deps.log.warn({ err: error, userId: click.user.id }, 'could not open the declare form for an alert');
      refusal = { ok: false, message: error instanceof SlackCallError ? error.userMessage : FORM_NOT_OPENED };
    }
    if (refusal) await respond({ response_type: 'ephemeral', replace_original: false, text: resultText(refusal) });
  });

  app.action<BlockAction<ButtonAction>>(ALERT_BUTTONS.dismiss, async ({ ack, body, respond }) => {
    const click = readPayload(buttonClickPayload, body, deps.log, ALERT_BUTTONS.dismiss);
    await ack();
    if (!click || !(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return;
    let text: string | undefined;
    try {
      const result = await dismissAlert(deps, Number(click.actions[0].value), click.user.id);
      // Done shows on the message itself; only a refusal needs telling.
      if (!result.ok) text = resultText(result);
    } catch (error) {
      if (error instanceof DatabaseFaultError) throw error;
      deps.log.error({ err: error, userId: click.user.id }, 'could not dismiss an alert');
      text = refusalText(error instanceof SlackCallError ? error.userMessage : somethingWentWrong('dismiss the alert'));
    }
    if (text) await respond({ response_type: 'ephemeral', replace_original: false, text });
  });
}

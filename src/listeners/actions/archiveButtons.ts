import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { keepChannelOpen } from '../../flows/archive.js';
import { resultText } from '../../flows/incidentFlow.js';
import { TASKS } from '../../messages/replies.js';
import { ARCHIVE_BUTTONS } from '../../slack/views/archiveWarning.js';
import { buttonClickPayload, readPayload } from '../payloads.js';
import { runSafely } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';
import { clickRefusal, incidentOfClick } from './clickedIncident.js';

/**
 * Keep open, on the warning that the channel is about to be archived: anyone in the channel may
 * click it. The warning is replaced by who kept it open and until when, without its button.
 */
export function registerArchiveButtons(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(ARCHIVE_BUTTONS.keepOpen, async ({ ack, body, respond }) => {
    const click = readPayload(buttonClickPayload, body, deps.log, ARCHIVE_BUTTONS.keepOpen);
    if (!click) return ack();
    const found = await incidentOfClick(deps, Number(click.actions[0].value), click);
    if (!found.ok) {
      await ack();
      return void (await respond(clickRefusal(found.message)));
    }
    const incident = found.incident;
    if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return ack();
    const result = await runSafely(
      deps,
      TASKS.keepChannelOpen,
      () => keepChannelOpen(deps, incident, click.user.id),
      { userId: click.user.id, channelId: incident.channelId, incidentId: incident.id, responseUrl: click.response_url },
      () => ack(),
    );
    if (result.ok && result.warnings.length === 0) return void (await respond({ replace_original: true, text: result.message }));
    await respond({ response_type: 'ephemeral', replace_original: false, text: resultText(result) });
  });
}

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { View } from '@slack/types';
import { isOpen, type Incident } from '../../domain/incident.js';
import { managementRefusal, mayManage } from '../../domain/lifecycle.js';
import { ALREADY_RESOLVED, MANAGED, RESOLVED_REOPEN_FIRST, SEVERITY_FINAL } from '../../messages/replies.js';
import { SUMMARY_BUTTONS } from '../../slack/views/kickoffMessage.js';
import { REMINDER_BUTTONS } from '../../slack/views/reminderMessage.js';
import { noteModal, resolveModal, severityModal, updateModal } from '../../slack/views/incidentModals.js';
import { typeByKey } from '../../domain/incidentTypes.js';
import { NO_DETAILS } from '../../messages/incidentTypes.js';
import { editDetailsModal } from '../../slack/views/incidentTypeBlocks.js';
import { buttonClickPayload, readPayload } from '../payloads.js';
import { openForm } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import { publicMessageField } from '../publicMessage.js';
import type { ListenerDependencies } from '../types.js';
import { clickRefusal, incidentOfClick } from './clickedIncident.js';

/** Which modal each button of the pinned summary opens, or why it may not. */
const openUpdate = (incident: Incident, _userId: string, deps: ListenerDependencies) =>
  isOpen(incident) ? updateModal(incident, undefined, publicMessageField(deps, incident, incident.status)) : RESOLVED_REOPEN_FIRST;

const BUTTONS: Record<string, (incident: Incident, userId: string, deps: ListenerDependencies) => View | string> = {
  [SUMMARY_BUTTONS.update]: openUpdate,
  [REMINDER_BUTTONS.update]: openUpdate,
  [SUMMARY_BUTTONS.severity]: (incident, _userId, deps) => (isOpen(incident) ? severityModal(incident, deps.settings.severities) : SEVERITY_FINAL),
  [SUMMARY_BUTTONS.note]: (incident) => noteModal(incident),
  [SUMMARY_BUTTONS.editDetails]: (incident, _userId, deps) => {
    const type = typeByKey(deps.settings.incidentTypes ?? [], incident.type);
    return type && type.fields.length > 0 ? editDetailsModal(incident, type) : NO_DETAILS;
  },
  [SUMMARY_BUTTONS.resolve]: (incident, userId, deps) =>
    !isOpen(incident)
      ? ALREADY_RESOLVED
      : mayManage(incident, userId, deps.settings.responders)
        ? resolveModal(incident, publicMessageField(deps, incident, 'resolved'))
        : managementRefusal(incident, MANAGED.resolve),
};

/** The Update / Severity / Add note / Resolve buttons on the pinned summary (and a reminder's Post update) open the commands' modals. */
export function registerSummaryButtons(app: App, deps: ListenerDependencies): void {
  for (const [actionId, choose] of Object.entries(BUTTONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, respond }) => {
      await ack();
      const click = readPayload(buttonClickPayload, body, deps.log, actionId);
      if (!click) return;
      const found = await incidentOfClick(deps, Number(click.actions[0].value), click);
      if (!found.ok) return void (await respond(clickRefusal(found.message)));
      const chosen = choose(found.incident, click.user.id, deps);
      if (typeof chosen === 'string') return void (await respond(clickRefusal(chosen)));
      if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return;
      const refusal = await openForm(deps, click.trigger_id, chosen, { incidentId: found.incident.id });
      if (refusal) await respond({ response_type: 'ephemeral', replace_original: false, text: refusal });
    });
  }
}

import type { App, BlockAction, OverflowAction } from '@slack/bolt';
import { managementRefusal, mayManage } from '../../domain/lifecycle.js';
import { NOTE_MAX_LENGTH } from '../../domain/limits.js';
import { removeTimelineEntry } from '../../flows/timelineEdits.js';
import { TIMELINE_ENTRY_GONE, timelineEntryTooLongToEdit } from '../../messages/incident.js';
import { MANAGED, TASKS } from '../../messages/replies.js';
import { timelineEntryModal } from '../../slack/views/incidentModals.js';
import { EDIT_ENTRY, readEntryChoice, TIMELINE_ENTRY_MENU, timelineList } from '../../slack/views/timelineList.js';
import { overflowChoicePayload, readPayload } from '../payloads.js';
import { openForm, runSafely } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';
import { clickRefusal, incidentOfClick } from './clickedIncident.js';

/** `/incident timeline`'s menu on each entry: Edit opens the entry's text in a form; Remove removes it and refreshes the list. */
export function registerTimelineEntryMenu(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<OverflowAction>>({ action_id: TIMELINE_ENTRY_MENU }, async ({ ack, body, respond }) => {
    await ack();
    const click = readPayload(overflowChoicePayload, body, deps.log, 'timeline entry menu');
    if (!click) return;
    const choice = readEntryChoice(click.actions[0].selected_option.value);
    if (!choice) return void (await respond(clickRefusal(TIMELINE_ENTRY_GONE)));
    const found = await incidentOfClick(deps, choice.incidentId, click);
    if (!found.ok) return void (await respond(clickRefusal(found.message)));
    const incident = found.incident;
    if (!mayManage(incident, click.user.id, deps.settings.responders)) return void (await respond(clickRefusal(managementRefusal(incident, MANAGED.editTimeline))));
    const entry = (await deps.incidents.timelineOf(incident.id)).find((candidate) => candidate.id === choice.entryId);
    if (!entry) return void (await respond(clickRefusal(TIMELINE_ENTRY_GONE)));
    if (choice.what === EDIT_ENTRY) {
      // The form's field holds what a note may be: a longer entry would open cut short.
      if (entry.text.length > NOTE_MAX_LENGTH) return void (await respond(clickRefusal(timelineEntryTooLongToEdit(entry.text.length))));
      const refusal = await openForm(deps, click.trigger_id, timelineEntryModal(incident, entry), { userId: click.user.id });
      if (refusal) await respond(clickRefusal(refusal));
      return;
    }
    if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return;
    const result = await runSafely(deps, TASKS.editTimeline, () => removeTimelineEntry(deps, incident, entry.id, click.user.id), { userId: click.user.id, channelId: incident.channelId, incidentId: incident.id });
    if (!result.ok) return void (await respond(clickRefusal(result.message)));
    const list = timelineList(incident, await deps.incidents.timelineOf(incident.id));
    await respond({ response_type: 'ephemeral', replace_original: true, text: list.text, blocks: list.blocks });
  });
}

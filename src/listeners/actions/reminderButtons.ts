import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { isOpen } from '../../domain/incident.js';
import { SNOOZE_MS } from '../../domain/reminders.js';
import { formatInZone } from '../../domain/time.js';
import { resultText } from '../../flows/incidentFlow.js';
import { postDraftAsIs } from '../../flows/statusUpdate.js';
import { DRAFT_GONE, NOTHING_TO_SNOOZE, RESOLVED_NO_MORE_UPDATES, TASKS } from '../../messages/replies.js';
import { draftPostedAsIs, reminderSnoozed } from '../../messages/schedule.js';
import { updateModal } from '../../slack/views/incidentModals.js';
import { parseDraftButtonValue, REMINDER_BUTTONS } from '../../slack/views/reminderMessage.js';
import { buttonClickPayload, readPayload, type ButtonClick } from '../payloads.js';
import { failureMessage, openForm, runSafely } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import { publicMessageField } from '../publicMessage.js';
import type { ListenerDependencies } from '../types.js';
import { clickRefusal, incidentOfClick } from './clickedIncident.js';

/**
 * The incident and draft a draft button names, if it was clicked in that incident's channel, the
 * incident is open and the draft is its own: checked before the click is recorded as handled, so
 * a refused click writes nothing.
 */
async function draftOfClick(deps: ListenerDependencies, click: ButtonClick) {
  const value = parseDraftButtonValue(click.actions[0].value);
  const found = await incidentOfClick(deps, value?.incidentId ?? Number.NaN, click);
  if (!found.ok || !value) return { ok: false as const, message: found.ok ? DRAFT_GONE : found.message };
  if (!isOpen(found.incident)) return { ok: false as const, message: RESOLVED_NO_MORE_UPDATES };
  const draft = await deps.reminders.findDraft(value.draftId);
  if (!draft || draft.incidentId !== found.incident.id) return { ok: false as const, message: DRAFT_GONE };
  return { ok: true as const, incident: found.incident, draft };
}

/**
 * The buttons of an update reminder: Post as is (the bot's draft becomes the update, and the
 * reminder says who posted it), Edit and post (the update form, filled with the draft), and
 * Snooze 15 min (the next nudge, and the bot's own update, wait 15 minutes).
 */
export function registerReminderButtons(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(REMINDER_BUTTONS.postDraft, async ({ ack, body, respond }) => {
    const click = readPayload(buttonClickPayload, body, deps.log, REMINDER_BUTTONS.postDraft);
    if (!click) return ack();
    const found = await draftOfClick(deps, click);
    if (!found.ok) {
      await ack();
      return void (await respond(clickRefusal(found.message)));
    }
    const { incident, draft } = found;
    if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return ack();
    const result = await runSafely(
      deps,
      TASKS.postDraftedUpdate,
      () => postDraftAsIs(deps, incident, draft.id, click.user.id),
      { userId: click.user.id, channelId: incident.channelId, incidentId: incident.id, responseUrl: click.response_url },
      () => ack(),
    );
    if (result.ok && result.warnings.length === 0) {
      return void (await respond({ replace_original: true, text: draftPostedAsIs(click.user.id) }));
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text: resultText(result) });
  });

  app.action<BlockAction<ButtonAction>>(REMINDER_BUTTONS.editDraft, async ({ ack, body, respond }) => {
    await ack();
    const click = readPayload(buttonClickPayload, body, deps.log, REMINDER_BUTTONS.editDraft);
    if (!click) return;
    const found = await draftOfClick(deps, click);
    if (!found.ok) return void (await respond(clickRefusal(found.message)));
    if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return;
    const refusal = await openForm(deps, click.trigger_id, updateModal(found.incident, found.draft, publicMessageField(deps, found.incident, found.draft.status)), { incidentId: found.incident.id, draftId: found.draft.id });
    if (refusal) await respond({ response_type: 'ephemeral', replace_original: false, text: refusal });
  });

  app.action<BlockAction<ButtonAction>>(REMINDER_BUTTONS.snooze, async ({ ack, body, respond }) => {
    await ack();
    const click = readPayload(buttonClickPayload, body, deps.log, REMINDER_BUTTONS.snooze);
    if (!click) return;
    const found = await incidentOfClick(deps, Number(click.actions[0].value), click);
    if (!found.ok) return void (await respond(clickRefusal(found.message)));
    const incident = found.incident;
    if (!isOpen(incident)) return void (await respond(clickRefusal(NOTHING_TO_SNOOZE)));
    if (!(await firstDelivery(deps, requestKey.click(click.trigger_id)))) return;
    const until = new Date(deps.clock.now().getTime() + SNOOZE_MS);
    try {
      await deps.reminders.snooze(incident.id, until);
    } catch (error) {
      deps.log.error({ err: error, incidentId: incident.id }, 'could not snooze the update reminder');
      return void (await respond(clickRefusal(failureMessage(error, TASKS.snoozeReminder))));
    }
    deps.log.info({ incidentId: incident.id, userId: click.user.id, until: until.toISOString() }, 'update reminder snoozed');
    const automaticHeldBack = deps.settings.autoPost.includes(incident.severity);
    await respond({ replace_original: true, text: reminderSnoozed(click.user.id, formatInZone(until, deps.settings.timeZone), automaticHeldBack) });
  });
}

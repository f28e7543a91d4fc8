import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { isOpen } from '../../../domain/incident.js';
import { SNOOZE_MS } from '../../../domain/reminders.js';
import { formatInZone } from '../../../domain/time.js';
import { resultText } from '../../../flows/incidentFlow.js';
import { postDraftAsIs } from '../../../flows/statusUpdate.js';
import { mentionUser } from '../../../render/mrkdwn.js';
import { updateModal } from '../../views/incidentModals.js';
import { parseDraftButtonValue, REMINDER_BUTTONS } from '../../views/reminderMessage.js';
import { buttonClickPayload, readPayload, type ButtonClick } from '../payloads.js';
import { failureMessage, openForm, runSafely } from '../replies.js';
import { firstDelivery, requestKey } from '../requestDeliveries.js';
import type { ListenerDependencies } from '../types.js';
import { clickRefusal, incidentOfClick } from './clickedIncident.js';

const RESOLVED = 'This incident is resolved; it needs no more updates. Run `/incident reopen` first if it is not over.';

const NO_DRAFT = "This draft is not in the bot's database any more. `/incident update` posts an update.";

/**
 * The incident and draft a draft button names, if it was clicked in that incident's channel, the
 * incident is open and the draft is its own: checked before the click is recorded as handled, so
 * a refused click writes nothing.
 */
function draftOfClick(deps: ListenerDependencies, click: ButtonClick) {
  const value = parseDraftButtonValue(click.actions[0].value);
  const found = incidentOfClick(deps, value?.incidentId ?? Number.NaN, click);
  if (!found.ok || !value) return { ok: false as const, message: found.ok ? NO_DRAFT : found.message };
  if (!isOpen(found.incident)) return { ok: false as const, message: RESOLVED };
  const draft = deps.incident.reminders.findDraft(value.draftId);
  if (!draft || draft.incidentId !== found.incident.id) return { ok: false as const, message: NO_DRAFT };
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
    const found = draftOfClick(deps, click);
    if (!found.ok) {
      await ack();
      return void (await respond(clickRefusal(found.message)));
    }
    const { incident, draft } = found;
    if (!firstDelivery(deps, requestKey.click(click.trigger_id))) return ack();
    const result = await runSafely(
      deps,
      'post the drafted update',
      () => postDraftAsIs(deps.incident, incident, draft.id, click.user.id),
      { userId: click.user.id, channelId: incident.channelId, incidentId: incident.id, responseUrl: click.response_url },
      () => ack(),
    );
    if (result.ok && result.warnings.length === 0) {
      return void (await respond({ replace_original: true, text: `:white_check_mark: ${mentionUser(click.user.id)} posted the drafted update as is.` }));
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text: resultText(result) });
  });

  app.action<BlockAction<ButtonAction>>(REMINDER_BUTTONS.editDraft, async ({ ack, body, respond }) => {
    await ack();
    const click = readPayload(buttonClickPayload, body, deps.log, REMINDER_BUTTONS.editDraft);
    if (!click) return;
    const found = draftOfClick(deps, click);
    if (!found.ok) return void (await respond(clickRefusal(found.message)));
    if (!firstDelivery(deps, requestKey.click(click.trigger_id))) return;
    const refusal = await openForm(deps, click.trigger_id, updateModal(found.incident, found.draft), { incidentId: found.incident.id, draftId: found.draft.id });
    if (refusal) await respond({ response_type: 'ephemeral', replace_original: false, text: refusal });
  });

  app.action<BlockAction<ButtonAction>>(REMINDER_BUTTONS.snooze, async ({ ack, body, respond }) => {
    await ack();
    const click = readPayload(buttonClickPayload, body, deps.log, REMINDER_BUTTONS.snooze);
    if (!click) return;
    const found = incidentOfClick(deps, Number(click.actions[0].value), click);
    if (!found.ok) return void (await respond(clickRefusal(found.message)));
    const incident = found.incident;
    if (!isOpen(incident)) return void (await respond(clickRefusal('This incident is no longer open; there is nothing to snooze.')));
    if (!firstDelivery(deps, requestKey.click(click.trigger_id))) return;
    const until = new Date(deps.incident.clock.now().getTime() + SNOOZE_MS);
    try {
      deps.incident.reminders.snooze(incident.id, until);
    } catch (error) {
      deps.log.error({ err: error, incidentId: incident.id }, 'could not snooze the update reminder');
      return void (await respond(clickRefusal(failureMessage(error, 'snooze the reminder'))));
    }
    deps.log.info({ incidentId: incident.id, userId: click.user.id, until: until.toISOString() }, 'update reminder snoozed');
    const automatic = deps.incident.settings.autoPost.includes(incident.severity) ? ' The bot will not post its own update before then either.' : '';
    await respond({
      replace_original: true,
      text: `:zzz: Update reminder snoozed by ${mentionUser(click.user.id)} until ${formatInZone(until, deps.incident.settings.timeZone)}.${automatic}`,
    });
  });
}

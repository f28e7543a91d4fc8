import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { isOpen } from '../../../domain/incident.js';
import { SNOOZE_MS } from '../../../domain/reminders.js';
import { formatInZone } from '../../../domain/time.js';
import { mentionUser } from '../../../render/mrkdwn.js';
import { REMINDER_BUTTONS } from '../../views/reminderMessage.js';
import { buttonClickPayload, readPayload } from '../payloads.js';
import { failureMessage } from '../replies.js';
import type { ListenerDependencies } from '../types.js';
import { clickRefusal, incidentOfClick } from './clickedIncident.js';

/** "Snooze 15 min" on a reminder: the next one comes 15 minutes from now, and the reminder says who snoozed it. */
export function registerReminderButtons(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(REMINDER_BUTTONS.snooze, async ({ ack, body, respond }) => {
    await ack();
    const click = readPayload(buttonClickPayload, body, deps.log, REMINDER_BUTTONS.snooze);
    if (!click) return;
    const found = incidentOfClick(deps, Number(click.actions[0].value), click);
    if (!found.ok) return void (await respond(clickRefusal(found.message)));
    const incident = found.incident;
    if (!isOpen(incident)) return void (await respond(clickRefusal('This incident is no longer open; there is nothing to snooze.')));
    const until = new Date(deps.incident.clock.now().getTime() + SNOOZE_MS);
    try {
      deps.incident.reminders.snooze(incident.id, until);
    } catch (error) {
      deps.log.error({ err: error, incidentId: incident.id }, 'could not snooze the update reminder');
      return void (await respond(clickRefusal(failureMessage(error, 'snooze the reminder'))));
    }
    deps.log.info({ incidentId: incident.id, userId: click.user.id, until: until.toISOString() }, 'update reminder snoozed');
    await respond({
      replace_original: true,
      text: `:zzz: Update reminder snoozed by ${mentionUser(click.user.id)} until ${formatInZone(until, deps.incident.settings.timeZone)}.`,
    });
  });
}

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { isOpen } from '../../../domain/incident.js';
import { SNOOZE_MS } from '../../../domain/reminders.js';
import { formatInZone } from '../../../domain/time.js';
import { mentionUser } from '../../../render/mrkdwn.js';
import { REMINDER_BUTTONS } from '../../views/reminderMessage.js';
import type { ListenerDependencies } from '../types.js';

/** "Snooze 15 min" on a reminder: the next one comes 15 minutes from now, and the reminder says who snoozed it. */
export function registerReminderButtons(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(REMINDER_BUTTONS.snooze, async ({ ack, body, action, respond }) => {
    await ack();
    const incident = deps.incident.incidents.findById(Number(action.value));
    if (!incident || !isOpen(incident)) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: ':x: This incident is no longer open; there is nothing to snooze.' });
      return;
    }
    const until = new Date(deps.incident.clock.now().getTime() + SNOOZE_MS);
    deps.incident.reminders.snooze(incident.id, until);
    deps.log.info({ incidentId: incident.id, userId: body.user.id, until: until.toISOString() }, 'update reminder snoozed');
    await respond({
      replace_original: true,
      text: `:zzz: Update reminder snoozed by ${mentionUser(body.user.id)} until ${formatInZone(until, deps.incident.settings.timeZone)}.`,
    });
  });
}

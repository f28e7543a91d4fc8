import type { Incident } from '../../domain/incident.js';
import { formatDuration } from '../../domain/lifecycle.js';
import { formatInZone } from '../../domain/time.js';
import { escapeMrkdwn, mentionUser } from '../../render/mrkdwn.js';
import type { SlackMessage } from '../gateway.js';
import { plainText } from './blocks.js';

export const REMINDER_BUTTONS = { update: 'reminder_update', snooze: 'reminder_snooze', reviewHeld: 'reminder_review_held' } as const;
export const REMINDER_EVENT_TYPE = 'incident_update_reminder';

/** The nudge to the commander (and comms lead) when the channel has had no update for a while. */
export function reminderMessage(incident: Incident, silenceMs: number, key: string): SlackMessage {
  const people = [incident.commanderId, incident.commsId].filter((id): id is string => Boolean(id)).map(mentionUser).join(' ');
  const since = incident.lastUpdateAt ? 'the last status update' : 'the incident was declared';
  const text = `:alarm_clock: ${people} No status update for *${formatDuration(silenceMs)}* (since ${since}) on *${escapeMrkdwn(incident.title)}*. The runbook asks for one every interval: what changed, impact, next steps.`;
  const value = String(incident.id);
  return {
    text: `${people} No status update for ${formatDuration(silenceMs)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: REMINDER_BUTTONS.update, text: plainText('Post update'), value, style: 'primary' },
          { type: 'button', action_id: REMINDER_BUTTONS.snooze, text: plainText('Snooze 15 min'), value },
        ],
      },
    ],
    metadata: { event_type: REMINDER_EVENT_TYPE, event_payload: { key, incident_id: incident.id } },
  };
}

/** After a SEV1/SEV2: the nudge to hold the post-mortem review, until someone marks it held. */
export function reviewReminderMessage(incident: Incident, due: { deadline: Date; now: Date; timeZone: string }, key: string): SlackMessage {
  const left = due.deadline.getTime() - due.now.getTime();
  const deadline = formatInZone(due.deadline, due.timeZone);
  const when = left > 0 ? `is due by *${deadline}* (in ${formatDuration(left)})` : `was due by *${deadline}*: it is *${formatDuration(-left)} overdue*`;
  const text = `:memo: ${mentionUser(incident.commanderId)} The post-mortem review of *${escapeMrkdwn(incident.title)}* ${when}. Book it with the responders; \`/incident postmortem done\` or the button below stops these reminders.`;
  return {
    text: `${mentionUser(incident.commanderId)} Post-mortem review ${left > 0 ? 'due' : 'overdue'}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'actions', elements: [{ type: 'button', action_id: REMINDER_BUTTONS.reviewHeld, text: plainText('Review held'), value: String(incident.id), style: 'primary' }] },
    ],
    metadata: { event_type: REMINDER_EVENT_TYPE, event_payload: { key, incident_id: incident.id } },
  };
}

import type { Incident } from '../../domain/incident.js';
import { formatDuration } from '../../domain/lifecycle.js';
import { formatInZone } from '../../domain/time.js';
import { escapeMrkdwn, mentionUser } from '../../render/mrkdwn.js';
import type { ChatMessage } from '../../ports.js';
import { mrkdwnSections, plainText } from './blocks.js';

export const REMINDER_BUTTONS = {
  /** Opens an empty update form: on the bot's automatic update, and on reminders sent before drafts. */
  update: 'reminder_update',
  postDraft: 'reminder_post_draft',
  editDraft: 'reminder_edit_draft',
  snooze: 'reminder_snooze',
  reviewHeld: 'reminder_review_held',
} as const;
/** Carried by every message the reminder schedule sends (reminders and automatic updates), so a send cut short by a crash can be found. */
export const REMINDER_EVENT_TYPE = 'incident_update_reminder';

/** A draft button's value: the incident (checked against the channel clicked in) and the draft. */
export const draftButtonValue = (incidentId: number, draftId: number) => `${incidentId}:${draftId}`;
export function parseDraftButtonValue(value: string): { incidentId: number; draftId: number } | undefined {
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(value);
  return match ? { incidentId: Number(match[1]), draftId: Number(match[2]) } : undefined;
}

export interface DraftedReminder {
  silenceMs: number;
  /** The drafted update, rendered as it would be posted. */
  draftText: string;
  draftId: number;
  /** When the bot will post the draft itself if nobody posts first ("14:40"); undefined when it will not. */
  autoPostAt: string | undefined;
  /** The last update was the bot's own: since when people have been silent ("14:05"), or '' for since the declaration. */
  automaticSince: string | undefined;
}

/**
 * The nudge to the commander (and comms lead) when the channel has had no update for a while,
 * with the update already written from the timeline: post it, edit it, or snooze.
 */
export function reminderMessage(incident: Incident, reminder: DraftedReminder, key: string): ChatMessage {
  const people = [incident.commanderId, incident.commsId].filter((id): id is string => Boolean(id)).map(mentionUser).join(' ');
  const since =
    reminder.automaticSince !== undefined
      ? `since the bot's automatic update; none from people since ${reminder.automaticSince || 'the incident was declared'}`
      : incident.lastUpdateAt
        ? 'since the last status update'
        : 'since the incident was declared';
  const then = reminder.autoPostAt ? ` If nobody posts an update by *${reminder.autoPostAt}*, the bot posts this draft itself.` : '';
  const text = `:alarm_clock: ${people} No status update for *${formatDuration(reminder.silenceMs)}* (${since}) on *${escapeMrkdwn(incident.title)}*. Here is one drafted from the timeline: post it as is, edit it first, or snooze.${then}`;
  const draftValue = draftButtonValue(incident.id, reminder.draftId);
  const quoted = reminder.draftText
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
  return {
    text: `${people} No status update for ${formatDuration(reminder.silenceMs)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      ...mrkdwnSections(quoted),
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: REMINDER_BUTTONS.postDraft, text: plainText('Post as is'), value: draftValue, style: 'primary' },
          { type: 'button', action_id: REMINDER_BUTTONS.editDraft, text: plainText('Edit and post'), value: draftValue },
          { type: 'button', action_id: REMINDER_BUTTONS.snooze, text: plainText('Snooze 15 min'), value: String(incident.id) },
        ],
      },
    ],
    metadata: { event_type: REMINDER_EVENT_TYPE, event_payload: { key, incident_id: incident.id } },
  };
}

/** After a SEV1/SEV2: the nudge to hold the post-mortem review, until someone marks it held. */
export function reviewReminderMessage(incident: Incident, due: { deadline: Date; now: Date; timeZone: string }, key: string): ChatMessage {
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

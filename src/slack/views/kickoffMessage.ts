import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../render/mrkdwn.js';
import type { ChatMessage } from '../../ports.js';
import { contextLine, mrkdwnSections, plainText, truncate } from './blocks.js';

const HEADER_TEXT_LIMIT = 150;

/** The buttons on the pinned summary; each opens the same modal as its command. */
export const SUMMARY_BUTTONS = {
  acknowledge: 'summary_acknowledge',
  update: 'summary_update',
  severity: 'summary_severity',
  note: 'summary_note',
  resolve: 'summary_resolve',
  editDetails: 'summary_edit_details',
} as const;

/** The pinned live summary: a header with the title, the rendered kickoff template, buttons while open. */
export function kickoffMessage(options: {
  incidentId: number;
  title: string;
  severityLevel: string;
  body: string;
  declaredAtEpochSeconds: number;
  open: boolean;
  /** A drill's header says so before anything else. */
  drill: boolean;
  /** Until someone acknowledges, the first button is Acknowledge. */
  acknowledged: boolean;
  /** The incident's type has fields: **Edit details** edits them. */
  editableDetails?: boolean;
}): ChatMessage {
  const value = String(options.incidentId);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(truncate(options.drill ? `🧪 DRILL: ${options.title}` : `🚨 ${options.title}`, HEADER_TEXT_LIMIT)) },
    ...mrkdwnSections(options.body),
  ];
  if (options.open) {
    blocks.push({
      type: 'actions',
      block_id: 'summary_actions',
      elements: [
        ...(options.acknowledged ? [] : [{ type: 'button' as const, action_id: SUMMARY_BUTTONS.acknowledge, text: plainText('Acknowledge'), value, style: 'primary' as const }]),
        { type: 'button', action_id: SUMMARY_BUTTONS.update, text: plainText('Post update'), value, ...(options.acknowledged ? { style: 'primary' as const } : {}) },
        { type: 'button', action_id: SUMMARY_BUTTONS.severity, text: plainText('Change severity'), value },
        { type: 'button', action_id: SUMMARY_BUTTONS.note, text: plainText('Add note'), value },
        ...(options.editableDetails ? [{ type: 'button' as const, action_id: SUMMARY_BUTTONS.editDetails, text: plainText('Edit details'), value }] : []),
        { type: 'button', action_id: SUMMARY_BUTTONS.resolve, text: plainText('Resolve'), value, style: 'danger' },
      ],
    });
  }
  blocks.push(
    contextLine(
      `Incident #${options.incidentId} · declared <!date^${options.declaredAtEpochSeconds}^{date_short_pretty} {time}|${new Date(options.declaredAtEpochSeconds * 1000).toISOString()}>`,
    ),
  );
  // The header is plain_text (shown as typed); the notification text is mrkdwn, so it is escaped.
  return { text: `${options.drill ? 'DRILL: ' : ''}${options.severityLevel} incident: ${escapeMrkdwn(options.title)}`, blocks };
}

export function announcementMessage(body: string, fallback: string): ChatMessage {
  return { text: fallback, blocks: mrkdwnSections(body) };
}

import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../render/mrkdwn.js';
import type { SlackMessage } from '../gateway.js';
import { contextLine, mrkdwnSections, plainText, truncate } from './blocks.js';

const HEADER_TEXT_LIMIT = 150;

/** The pinned live summary: a header with the title, the rendered kickoff template, and its id. */
export function kickoffMessage(options: {
  incidentId: number;
  title: string;
  severityLevel: string;
  body: string;
  declaredAtEpochSeconds: number;
}): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(truncate(`🚨 ${options.title}`, HEADER_TEXT_LIMIT)) },
    ...mrkdwnSections(options.body),
    contextLine(
      `Incident #${options.incidentId} · declared <!date^${options.declaredAtEpochSeconds}^{date_short_pretty} {time}|${new Date(options.declaredAtEpochSeconds * 1000).toISOString()}>`,
    ),
  ];
  // The header is plain_text (shown as typed); the notification text is mrkdwn, so it is escaped.
  return { text: `${options.severityLevel} incident: ${escapeMrkdwn(options.title)}`, blocks };
}

export function announcementMessage(body: string, fallback: string): SlackMessage {
  return { text: fallback, blocks: mrkdwnSections(body) };
}

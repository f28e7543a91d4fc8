import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from '../gateway.js';
import { contextLine, mrkdwnSections, plainText } from './blocks.js';

/** The pinned live summary: a header with the title, the rendered kickoff template, and its id. */
export function kickoffMessage(options: {
  incidentId: number;
  title: string;
  severityLevel: string;
  body: string;
  declaredAtEpochSeconds: number;
}): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(`🚨 ${options.title}`) },
    ...mrkdwnSections(options.body),
    contextLine(
      `Incident #${options.incidentId} · declared <!date^${options.declaredAtEpochSeconds}^{date_short_pretty} {time}|${new Date(options.declaredAtEpochSeconds * 1000).toISOString()}>`,
    ),
  ];
  return { text: `${options.severityLevel} incident: ${options.title}`, blocks };
}

export function announcementMessage(body: string, fallback: string): SlackMessage {
  return { text: fallback, blocks: mrkdwnSections(body) };
}

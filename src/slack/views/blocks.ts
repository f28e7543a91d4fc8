import type { KnownBlock, PlainTextElement, SectionBlock } from '@slack/types';
import type { Severity } from '../../domain/severity.js';

/** Slack's limit for the text of one section block. */
export const SECTION_TEXT_LIMIT = 3000;

export const plainText = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** Long mrkdwn split into as many sections as it needs, at line breaks where it can be. */
export function mrkdwnSections(text: string, limit = SECTION_TEXT_LIMIT): SectionBlock[] {
  const sections: SectionBlock[] = [];
  let rest = text;
  while (rest.length > 0) {
    let piece = rest;
    if (rest.length > limit) {
      const lineBreak = rest.lastIndexOf('\n', limit);
      piece = rest.slice(0, lineBreak > limit / 2 ? lineBreak : limit);
    }
    rest = rest.slice(piece.length).replace(/^\n/, '');
    if (piece.trim()) sections.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
  }
  return sections;
}

export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export const contextLine = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** A severity as a select option: level and name, with its meaning and response time underneath. */
export const severityOption = (severity: Severity) => ({
  text: plainText(`${severity.level} · ${severity.name}`),
  description: plainText(truncate(`${severity.summary} · ${severity.responseTime}`, 75)),
  value: severity.level,
});

/** What Slack sends back of a submitted form: view.state.values, by block id then action id. */
export type FormValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_user?: string | null; selected_options?: { value: string }[] }>
>;

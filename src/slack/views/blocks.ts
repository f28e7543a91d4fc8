import type { KnownBlock, PlainTextElement, SectionBlock } from '@slack/types';

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

import type { KnownBlock, PlainTextElement, SectionBlock } from '@slack/types';
import type { Severity } from '../../domain/severity.js';

/** Slack's limit for the text of one section block. */
export const SECTION_TEXT_LIMIT = 3000;

export const plainText = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** An `&amp;`-style entity, or a mention or link in angle brackets, as it starts at a position. */
const ENTITY_AT = /&#?[a-z0-9]+;/iy;
const MARKUP_AT = /<[^<>\n]*>/y;
// Made on first use: building a segmenter loads ICU's break rules (about 20 ms at start-up).
let characters: Intl.Segmenter | undefined;
/** Further than any character (an emoji with its joiners, a letter with its accents) reaches. */
const CHARACTER_REACH = 64;

/** Where the thing starting at `start` ends, if it is one `pattern` matches. */
function endOf(pattern: RegExp, text: string, start: number): number | undefined {
  if (start < 0) return undefined;
  pattern.lastIndex = start;
  return pattern.test(text) ? pattern.lastIndex : undefined;
}

/**
 * The longest start of `text` within `limit` characters that does not cut an entity (`&lt;`), a
 * mention or link (`<@U123>`, `<https://…|label>`), or a character as the reader sees it (a
 * surrogate pair, an emoji sequence, a letter with its accents). Slack shows a cut one as debris.
 */
export function cutPoint(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  let cut = limit;
  const entityStart = text.lastIndexOf('&', cut - 1);
  if ((endOf(ENTITY_AT, text, entityStart) ?? 0) > cut) cut = entityStart;
  const markupStart = text.lastIndexOf('<', cut - 1);
  if ((endOf(MARKUP_AT, text, markupStart) ?? 0) > cut) cut = markupStart;
  // Longer markup than the limit (a huge link) cannot be kept whole: it is cut as text.
  if (cut === 0) cut = limit;
  const from = Math.max(0, cut - CHARACTER_REACH);
  let boundary = from;
  for (const { index } of (characters ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text.slice(from, cut + CHARACTER_REACH))) {
    if (from + index > cut) break;
    boundary = from + index;
  }
  if (boundary > 0 && (boundary > from || from === 0)) return boundary;
  // A run of combining marks longer than any real character: at least never split a surrogate pair.
  return cut > 1 && /[\uD800-\uDBFF]/.test(text[cut - 1]!) ? cut - 1 : cut;
}

/** Long mrkdwn split into as many sections as it needs, at line breaks where it can be, never inside an entity, link or character. */
export function mrkdwnSections(text: string, limit = SECTION_TEXT_LIMIT): SectionBlock[] {
  const sections: SectionBlock[] = [];
  let rest = text;
  while (rest.length > 0) {
    let piece = rest;
    if (rest.length > limit) {
      const cut = cutPoint(rest, limit);
      const lineBreak = rest.lastIndexOf('\n', cut);
      piece = rest.slice(0, lineBreak > limit / 2 ? lineBreak : cut);
    }
    rest = rest.slice(piece.length).replace(/^\n/, '');
    if (piece.trim()) sections.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
  }
  return sections;
}

/** The longest start of `text` within `limit` characters that cuts nothing in half (see `cutPoint`). */
export const clip = (text: string, limit: number) => text.slice(0, cutPoint(text, limit));

/** Text cut to `limit` characters with an ellipsis when it is longer, never inside an entity, link or character. */
export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${clip(text, limit - 1)}…`;
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
  Record<
    string,
    { value?: string | null; selected_option?: { value: string } | null; selected_user?: string | null; selected_options?: { value: string }[]; selected_date?: string | null }
  >
>;

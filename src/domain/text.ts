/**
 * Characters that never belong in what people type into an incident, because nobody sees them:
 * control characters (other than newline and tab), zero-width and other invisible format
 * characters, bidirectional overrides that make a note read differently from what it says, and
 * Hangul fillers that pass for blank names. A zero-width joiner stays where it joins two emoji
 * into one (👩‍💻), and tag characters stay inside a flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿.
 */
const EMOJI_TAG_SEQUENCE = '\\u{1F3F4}[\\u{E0020}-\\u{E007E}]+\\u{E007F}';
const LONE_JOINER = '(?<!\\p{Extended_Pictographic}[\\p{Emoji_Modifier}\\uFE0F]?)\\u200D|\\u200D(?!\\p{Extended_Pictographic})';
const INVISIBLE = [
  '[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]',
  '[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B\\u200C\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\u3164\\uFEFF\\uFFA0\\uFFF9-\\uFFFB]',
  '[\\u{1BCA0}-\\u{1BCA3}\\u{1D173}-\\u{1D17A}\\u{E0000}-\\u{E007F}]',
  LONE_JOINER,
].join('|');
const KEPT_OR_INVISIBLE = new RegExp(`(${EMOJI_TAG_SEQUENCE})|${INVISIBLE}`, 'gu');

/**
 * Variation selectors choose how the character before them looks (❤️ rather than ❤). One after a
 * character is kept; more than one, or one after nothing, only hides data in the text.
 */
const VARIATION_SELECTOR = '[\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}]';
const EXTRA_VARIATION_SELECTORS = new RegExp(`(?<=${VARIATION_SELECTOR})${VARIATION_SELECTOR}+|(?<=^|\\s)${VARIATION_SELECTOR}+`, 'gu');

/** Line and paragraph separators pasted from other apps, and Windows or old Mac line ends, as `\n`. */
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;

/**
 * Typed text without the characters above, trimmed: the one cleaning for slash commands and every
 * form field. Line breaks and tabs stay; a single-line field collapses them itself.
 */
export function cleanTypedText(text: string): string {
  return text
    .replace(LINE_BREAK, '\n')
    .replace(KEPT_OR_INVISIBLE, (_character, emojiTagSequence: string | undefined) => emojiTagSequence ?? '')
    .replace(EXTRA_VARIATION_SELECTORS, '')
    .trim();
}

/**
 * Slack sends what was typed (after a slash command, in a message) with `& < >` as entities; this
 * gives back what was typed, so it is stored once, as typed, and escaped once when shown.
 */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

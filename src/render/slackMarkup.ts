/**
 * Slack stores what people type with its own markup: `<@U123>` for a mention, `<#C123|name>` for a
 * channel, `<https://…|label>` for a link, and `&lt; &gt; &amp;` for the three characters it
 * reserves. A post-mortem is read outside Slack, so this turns that markup into names and Markdown
 * links, and makes whatever else was typed inert: no HTML, no table breaking, no runaway code fence.
 */
import { unescapeMrkdwn } from '../domain/text.js';
import { SLACK_MARKUP } from './mrkdwn.js';

export interface Names {
  /** A person's name for a user id; the id itself when unknown. */
  user(id: string): string;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

const decodeEntities = unescapeMrkdwn;

/**
 * Plain text made inert in Markdown with backslash escapes, which read well in the raw file too:
 * a `<` cannot start HTML, a ``` cannot open a code block that swallows the rest of the document.
 */
function inert(text: string): string {
  return text.replace(/</g, '\\<').replace(/`{3,}/g, (fence) => fence.replace(/`/g, '\\`'));
}

const linkLabel = (text: string) => inert(text).replace(/[[\]]/g, (bracket) => `\\${bracket}`);
const URL_ESCAPES: Record<string, string> = { '(': '%28', ')': '%29', ' ': '%20' };
const linkTarget = (url: string) => url.replace(/[() ]/g, (character) => URL_ESCAPES[character]!);

function token(body: string, names: Names): string {
  const [target = '', label] = body.split('|', 2) as [string, string | undefined];
  if (target.startsWith('@')) return inert(`@${names.user(target.slice(1))}`);
  if (target.startsWith('#')) return inert(`#${label ?? target.slice(1)}`);
  if (target.startsWith('!')) {
    if (target.startsWith('!subteam^')) return inert(label ?? `@${target.slice('!subteam^'.length)}`);
    if (target.startsWith('!date^')) return inert(label ?? '(a date)');
    return inert(`@${target.slice(1)}`);
  }
  const url = decodeEntities(target);
  if (!SAFE_URL.test(url)) return inert(decodeEntities(label ?? target));
  return label ? `[${linkLabel(decodeEntities(label))}](${linkTarget(url)})` : `<${linkTarget(url)}>`;
}

/** Slack text → Markdown for a paragraph. */
export function slackToMarkdown(text: string, names: Names): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SLACK_MARKUP)) {
    out += inert(decodeEntities(text.slice(last, match.index)));
    out += token(match[1]!, names);
    last = match.index + match[0].length;
  }
  return out + inert(decodeEntities(text.slice(last)));
}

/** Slack text → Markdown for one table cell: one line, and a `|` cannot end the cell. */
export function slackToMarkdownCell(text: string, names: Names): string {
  return slackToMarkdown(text.trim(), names)
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/**
 * Slack's own markup: a user or channel mention, a special such as `<!here>` or
 * `<!subteam^S123|@oncall>`, or a link, each with an optional label after `|`. Anything else in
 * angle brackets is text someone typed.
 */
export const SLACK_MARKUP = /<((?:[@#][A-Z0-9]+|![a-z]+(?:\^[^<>|]*)*|(?:https?:\/\/|mailto:)[^<>|\s]+)(?:\|[^<>]*)?)>/g;

/** Slack mrkdwn reserves only these three characters: the text is shown exactly as given. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What people typed (a note, an update, an action item), ready to show in mrkdwn: their mentions of
 * people and channels and their links work, as they do in Slack; broadcasts (`<!channel>`,
 * `<!here>`, `<!subteam^…>`) and every other special are shown as text and never notify anyone.
 */
export function escapeTypedText(text: string): string {
  let shown = '';
  let last = 0;
  for (const match of text.matchAll(SLACK_MARKUP)) {
    shown += escapeMrkdwn(text.slice(last, match.index));
    const body = match[1]!;
    shown += body.startsWith('!') ? escapeMrkdwn(match[0]) : `<${body.replace(/&/g, '&amp;')}>`;
    last = match.index + match[0].length;
  }
  return shown + escapeMrkdwn(text.slice(last));
}

/**
 * Slack markup as a person would write it: `@ivan`, `#general`, a link's label. For text that is
 * only ever shown as text, such as a title typed after `/incident declare`.
 */
export function slackMarkupAsText(text: string): string {
  return text.replace(SLACK_MARKUP, (_markup, body: string) => {
    const [target = '', label] = body.split('|', 2) as [string, string | undefined];
    if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!subteam^')) return label ?? `@${target.slice('!subteam^'.length)}`;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^', 1)[0]}`;
    return label ?? target.replace(/^mailto:/, '');
  });
}

export const mentionUser = (userId: string) => `<@${userId}>`;
export const mentionChannel = (channelId: string) => `<#${channelId}>`;

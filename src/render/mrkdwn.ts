/** Slack mrkdwn reserves only these three characters; everything else a user types is shown as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const mentionUser = (userId: string) => `<@${userId}>`;
export const mentionChannel = (channelId: string) => `<#${channelId}>`;

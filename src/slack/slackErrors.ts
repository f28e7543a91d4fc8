/**
 * A Web API call Slack refused or could not answer. `code` is Slack's error string
 * (`restricted_action`, `name_taken`…), `http_<status>` for an HTTP failure, or `unreachable`.
 */
export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = 'SlackCallError';
  }

  /** What we tell the person who was trying to do something: what happened and what to do. */
  get userMessage(): string {
    return describeSlackError(this.method, this.code);
  }
}

const EXPLANATIONS: Record<string, string> = {
  restricted_action:
    "your workspace's settings don't allow the bot to do this. A workspace admin can allow apps to create and manage channels.",
  ratelimited: 'Slack is rate-limiting the bot. Wait a minute and try again.',
  missing_scope: 'the bot is missing a permission. Reinstall the app from manifest.yml so it gets every scope it needs.',
  not_in_channel: 'the bot is not a member of that channel. Invite it with /invite @incident and try again.',
  channel_not_found: "the bot can't see that channel. Check the channel id; if the channel is private, invite the bot with /invite @incident.",
  is_archived: 'that channel is archived.',
  invalid_auth: 'the bot token was rejected. Check SLACK_BOT_TOKEN and restart the bot.',
  not_authed: 'the bot token was rejected. Check SLACK_BOT_TOKEN and restart the bot.',
  account_inactive: 'the bot token belongs to an app that was uninstalled or deactivated. Reinstall the app.',
  token_revoked: 'the bot token was revoked. Reinstall the app and update SLACK_BOT_TOKEN.',
  expired_trigger_id: 'Slack took too long to hand over the form. Run the command again.',
  exchanged_trigger_id: 'that form was already opened once. Run the command again.',
  invalid_trigger_id: 'Slack did not recognise the request to open the form. Run the command again.',
  user_not_found: 'one of the users could not be found in this workspace.',
  unreachable: 'the bot could not reach Slack. Check its network connection and try again.',
};

export function describeSlackError(method: string, code: string): string {
  const http = /^http_(\d+)$/.exec(code);
  const explanation = http
    ? `Slack answered with a server error (HTTP ${http[1]}). It is usually brief: try again in a minute.`
    : EXPLANATIONS[code] ?? 'Try again; if it keeps failing, check the bot\'s logs.';
  return `Slack refused \`${method}\` (${code}): ${explanation}`;
}

import { createHmac } from 'node:crypto';

/** The signing secret the tests start the bot with (the sandbox makes its own). */
export const SIGNING_SECRET = 'testsigningsecret0123456789abcdef';

export interface SignOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  secret?: string;
  /** Replace the computed signature (forgery tests). */
  signature?: string;
  /** Sent as X-Slack-Retry-Num / X-Slack-Retry-Reason, as Slack does when it retries. */
  retryNum?: number;
}

export interface SlackResponse {
  status: number;
  text: string;
  json: unknown;
  elapsedMs: number;
}

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<raw body>"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postSigned(baseUrl: string, body: string, contentType: string, options: SignOptions = {}): Promise<SlackResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const started = performance.now();
  const response = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, elapsedMs };
}

export interface SlashCommand {
  text: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
  teamId?: string;
}

/** A slash command's fields as Slack sends them: form-encoded over HTTP, a JSON object in a Socket Mode envelope. */
export function slashCommandFields(command: SlashCommand): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: command.teamId ?? 'T0001',
    team_domain: 'acme',
    channel_id: command.channelId,
    channel_name: 'general',
    user_id: command.userId,
    user_name: command.userId.toLowerCase(),
    command: '/incident',
    text: command.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: command.responseUrl,
    trigger_id: command.triggerId,
  };
}

/** A slash command exactly as Slack sends it: form-encoded, signed. */
export function sendSlashCommand(baseUrl: string, command: SlashCommand, options: SignOptions = {}): Promise<SlackResponse> {
  const body = new URLSearchParams(slashCommandFields(command)).toString();
  return postSigned(baseUrl, body, 'application/x-www-form-urlencoded', options);
}

/** An interactivity payload (view_submission, block_actions…): form-encoded `payload=<json>`, signed. */
export function sendInteraction(baseUrl: string, payload: object, options: SignOptions = {}): Promise<SlackResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(baseUrl, body, 'application/x-www-form-urlencoded', options);
}

/** An Events API callback around an event; a retry carries the same event_id. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event,
  };
}

/** An Events API callback: JSON, signed. */
export function sendEvent(baseUrl: string, event: Record<string, unknown>, options: SignOptions & { eventId?: string } = {}): Promise<SlackResponse> {
  return postSigned(baseUrl, JSON.stringify(eventCallback(event, options.eventId)), 'application/json', options);
}

/** Slack's redelivery of a request: the attempt number (X-Slack-Retry-Num, or a Socket Mode envelope's retry_attempt). */
export interface DeliveryOptions {
  retryNum?: number;
}

/**
 * How Slack reaches the bot, whichever way it is connected: signed requests to /slack/events
 * (httpSender) or envelopes over Socket Mode (socketModeSender in socketMode.ts). Each resolves
 * with what the bot answered: the HTTP body, or the payload of the envelope's acknowledgement.
 */
export interface SlackSender {
  slashCommand(command: SlashCommand, options?: DeliveryOptions): Promise<SlackResponse>;
  interaction(payload: object, options?: DeliveryOptions): Promise<SlackResponse>;
  event(event: Record<string, unknown>, options?: DeliveryOptions & { eventId?: string }): Promise<SlackResponse>;
}

/** Requests to the bot's /slack/events, signed with the signing secret (the tests' unless `sign` says otherwise). */
export function httpSender(baseUrl: string, sign: Omit<SignOptions, 'retryNum'> = {}): SlackSender {
  return {
    slashCommand: (command, options = {}) => sendSlashCommand(baseUrl, command, { ...sign, ...options }),
    interaction: (payload, options = {}) => sendInteraction(baseUrl, payload, { ...sign, ...options }),
    event: (event, options = {}) => sendEvent(baseUrl, event, { ...sign, ...options }),
  };
}

/** A click on a button in a message, as Slack sends it (block_actions). */
export function blockActions(click: { userId: string; channelId: string; messageTs: string; actionId: string; value: string; triggerId: string; responseUrl: string }): object {
  return {
    type: 'block_actions',
    team: { id: 'T0001', domain: 'acme' },
    user: { id: click.userId, username: click.userId.toLowerCase(), team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    trigger_id: click.triggerId,
    response_url: click.responseUrl,
    container: { type: 'message', message_ts: click.messageTs, channel_id: click.channelId, is_ephemeral: false },
    channel: { id: click.channelId, name: 'incident' },
    message: { type: 'message', ts: click.messageTs, text: '' },
    actions: [{ type: 'button', action_id: click.actionId, block_id: 'b', value: click.value, action_ts: `${Date.now() / 1000}` }],
  };
}

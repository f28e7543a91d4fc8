import type { View } from '@slack/types';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type Logger as WebClientLogger,
} from '@slack/web-api';
import type { BotIdentity, Chat, ChatMessage } from '../ports.js';
import { directCall, type DirectCall } from './directCall.js';
import { SlackCallError } from './slackErrors.js';
import { keptAliveHttp, webApiTransport } from './webApiTransport.js';

export type { BotIdentity };

/** Turns whatever the Web API client threw into one typed error with Slack's code. */
function toSlackCallError(method: string, error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIPlatformError) return new SlackCallError(method, error.data.error);
  if (error instanceof WebAPIHTTPError) return new SlackCallError(method, `http_${error.statusCode}`);
  if (error instanceof WebAPIRateLimitedError) return new SlackCallError(method, 'ratelimited');
  if (error instanceof WebAPIRequestError) return new SlackCallError(method, 'unreachable');
  return new SlackCallError(method, error instanceof Error ? error.message : String(error));
}

/**
 * How the bot's Web API client retries: 429s after Slack's Retry-After; other failures twice,
 * quickly, so a user hears about a Slack outage in seconds rather than after the client's default
 * half hour.
 */
export const SLACK_RETRY_CONFIG = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 };

/**
 * The gateway as the bot runs it: the Web API client and the direct chat.* calls on one pool of
 * kept-alive connections, with the same retries and timeout.
 */
export function connectSlack(options: { apiUrl: string; token: string; retry: DirectCallRetry; timeoutMs?: number; logger?: WebClientLogger }): SlackGateway {
  const send = keptAliveHttp();
  const timeoutMs = options.timeoutMs ?? 0;
  const client = new WebClient(options.token, { slackApiUrl: options.apiUrl, retryConfig: options.retry, timeout: timeoutMs, fetch: webApiTransport(send), ...(options.logger ? { logger: options.logger } : {}) });
  return new SlackGateway(client, directCall({ apiUrl: options.apiUrl, token: options.token, timeoutMs, retry: options.retry, send }));
}

type DirectCallRetry = Parameters<typeof directCall>[0]['retry'];

/**
 * The few Web API calls the bot makes. Each either succeeds or throws a SlackCallError, and
 * answers that only mean "already done" (already pinned, already in the channel) count as success,
 * so every step here is safe to repeat.
 */
export class SlackGateway implements Chat {
  /** `direct`: how the chat.* calls go (`directCall`); through the client when absent. */
  constructor(
    private readonly client: WebClient,
    private readonly direct?: DirectCall,
  ) {}

  private async call<T>(method: string, request: () => Promise<T>, alreadyDone: string[] = []): Promise<T | undefined> {
    try {
      return await request();
    } catch (error) {
      const failure = toSlackCallError(method, error);
      if (alreadyDone.includes(failure.code)) return undefined;
      throw failure;
    }
  }

  async whoAmI(): Promise<BotIdentity> {
    const result = await this.call('auth.test', () => this.client.auth.test());
    return { botUserId: result?.user_id ?? '', botId: result?.bot_id ?? '' };
  }

  async openView(triggerId: string, view: View): Promise<string> {
    const result = await this.call('views.open', () => this.client.views.open({ trigger_id: triggerId, view }));
    return result?.view?.id ?? '';
  }

  async updateView(viewId: string, view: View, hash?: string): Promise<void> {
    await this.call('views.update', () => this.client.views.update({ view_id: viewId, view, ...(hash === undefined ? {} : { hash }) }));
  }

  async publishHome(userId: string, view: View): Promise<void> {
    await this.call('views.publish', () => this.client.views.publish({ user_id: userId, view }));
  }

  async createChannel(name: string, isPrivate: boolean): Promise<{ id: string; name: string }> {
    const result = await this.call('conversations.create', () => this.client.conversations.create({ name, is_private: isPrivate }));
    const channel = result?.channel;
    if (!channel?.id) throw new SlackCallError('conversations.create', 'no_channel_returned');
    return { id: channel.id, name: channel.name ?? name };
  }

  async invite(channelId: string, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.call('conversations.invite', () => this.client.conversations.invite({ channel: channelId, users: userIds.join(',') }), [
      'already_in_channel',
    ]);
  }

  async setTopic(channelId: string, topic: string): Promise<void> {
    await this.call('conversations.setTopic', () => this.client.conversations.setTopic({ channel: channelId, topic }));
  }

  async archive(channelId: string): Promise<void> {
    await this.call('conversations.archive', () => this.client.conversations.archive({ channel: channelId }), ['already_archived']);
  }

  async unarchive(channelId: string): Promise<void> {
    await this.call('conversations.unarchive', () => this.client.conversations.unarchive({ channel: channelId }), ['not_archived']);
  }

  async postMessage(channel: string, message: ChatMessage): Promise<string> {
    const result = await this.chatCall('chat.postMessage', { channel, text: message.text, blocks: message.blocks, unfurl_links: false, ...(message.metadata ? { metadata: message.metadata } : {}) });
    return typeof result?.ts === 'string' ? result.ts : '';
  }

  async postEphemeral(channel: string, user: string, message: ChatMessage): Promise<void> {
    await this.chatCall('chat.postEphemeral', { channel, user, text: message.text, blocks: message.blocks });
  }

  async updateMessage(channel: string, ts: string, message: ChatMessage): Promise<void> {
    await this.chatCall('chat.update', { channel, ts, text: message.text, blocks: message.blocks ?? [] });
  }

  /** A chat.* method: directly when the gateway has `direct`, else through the client. */
  private chatCall(method: 'chat.postMessage' | 'chat.postEphemeral' | 'chat.update', args: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const direct = this.direct;
    return this.call(method, direct ? () => direct(method, args) : async () => ({ ...(await this.client.apiCall(method, args)) }));
  }

  /**
   * One message by its ts: conversations.history finds channel messages, conversations.replies
   * finds replies in threads (history does not list those).
   */
  async fetchMessage(channel: string, ts: string): Promise<{ ts: string; user: string | null; text: string } | undefined> {
    const pick = (messages: { ts?: string; user?: string; bot_id?: string; text?: string }[] | undefined) => {
      const message = messages?.find((candidate) => candidate.ts === ts);
      return message && { ts, user: message.user ?? null, text: message.text ?? '' };
    };
    const history = await this.call('conversations.history', () => this.client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 }));
    const found = pick(history?.messages);
    if (found) return found;
    const replies = await this.call('conversations.replies', () => this.client.conversations.replies({ channel, ts, limit: 1 }), ['thread_not_found']);
    return pick(replies?.messages);
  }

  /** The ts of the bot's message carrying this metadata key, posted since `since`, if there is one. */
  async findMessageByMetadata(channel: string, eventType: string, key: string, since: Date): Promise<string | undefined> {
    const history = await this.call('conversations.history', () =>
      this.client.conversations.history({ channel, oldest: String(Math.floor(since.getTime() / 1000) - 1), include_all_metadata: true, limit: 100 }),
    );
    const found = history?.messages?.find((message) => message.metadata?.event_type === eventType && (message.metadata.event_payload as Record<string, unknown> | undefined)?.key === key);
    return found?.ts;
  }

  /** Answers through a response_url (valid 30 minutes after the request), only to the person. */
  async respond(responseUrl: string, text: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }), signal: AbortSignal.timeout(10_000) });
    } catch {
      throw new SlackCallError('response_url', 'unreachable');
    }
    if (!response.ok) throw new SlackCallError('response_url', `http_${response.status}`);
  }

  /** How a person is called in Slack: display name, else real name, else handle. */
  async userName(userId: string): Promise<string | undefined> {
    const result = await this.call('users.info', () => this.client.users.info({ user: userId }));
    const user = result?.user;
    return user?.profile?.display_name || user?.real_name || user?.name || undefined;
  }

  /** A link to a message that opens it in Slack. */
  async permalink(channel: string, ts: string): Promise<string> {
    const result = await this.call('chat.getPermalink', () => this.client.chat.getPermalink({ channel, message_ts: ts }));
    return result?.permalink ?? '';
  }

  /**
   * Shares a text file in a channel with Slack's external upload: ask for an upload URL, send the
   * bytes there, then complete the upload into the channel with a comment. Returns the file id.
   */
  async uploadTextFile(channelId: string, file: { filename: string; title: string; content: string; comment: string }): Promise<string> {
    const bytes = Buffer.from(file.content, 'utf8');
    const ticket = await this.call('files.getUploadURLExternal', () => this.client.files.getUploadURLExternal({ filename: file.filename, length: bytes.length }));
    if (!ticket?.upload_url || !ticket.file_id) throw new SlackCallError('files.getUploadURLExternal', 'no_upload_url_returned');
    let uploaded: Response;
    try {
      uploaded = await fetch(ticket.upload_url, { method: 'POST', body: bytes, headers: { 'content-type': 'text/markdown; charset=utf-8' }, signal: AbortSignal.timeout(30_000) });
    } catch {
      throw new SlackCallError('files.upload', 'upload_unreachable');
    }
    if (!uploaded.ok) throw new SlackCallError('files.upload', `upload_http_${uploaded.status}`);
    const fileId = ticket.file_id;
    await this.call('files.completeUploadExternal', () =>
      this.client.files.completeUploadExternal({ files: [{ id: fileId, title: file.title }], channel_id: channelId, initial_comment: file.comment }),
    );
    return fileId;
  }

  /** The workspace's user groups with their members: escalation rungs may name a group by handle or id. */
  async userGroups(): Promise<{ id: string; handle: string; users: string[] }[]> {
    const result = await this.call('usergroups.list', () => this.client.usergroups.list({ include_users: true }));
    return (result?.usergroups ?? []).flatMap((group) => (group.id ? [{ id: group.id, handle: group.handle ?? '', users: group.users ?? [] }] : []));
  }

  async pin(channel: string, ts: string): Promise<void> {
    await this.call('pins.add', () => this.client.pins.add({ channel, timestamp: ts }), ['already_pinned']);
  }
}

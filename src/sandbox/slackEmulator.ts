/**
 * A strict emulator of Slack's Web API, for the tests and the sandbox: a small workspace kept in
 * memory and an HTTP server that answers `/api/<method>` the way Slack does, including its
 * refusals. The bot is pointed at it with SLACK_API_URL. It can be told to be slow, to answer 429
 * with Retry-After, or to fail a method, and it records every call so tests can see what the bot
 * asked for.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { brokenTextProblem, validateHomeView, validateMessageBlocks, validateModalView } from './blockKitRules.js';
import { createSocketMode, type SocketModeServer } from './socketMode.js';
import { packagePath } from '../packageRoot.js';

type Json = Record<string, any>;

export interface EmulatedUser {
  id: string;
  name: string;
  isBot?: boolean;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isIm: boolean;
  members: Set<string>;
  topic: string;
  creator: string;
}

export interface EmulatedUserGroup {
  id: string;
  handle: string;
  users: string[];
}

/** A file uploaded through files.getUploadURLExternal, its upload URL, and files.completeUploadExternal. */
export interface EmulatedFile {
  id: string;
  filename: string;
  /** The length announced when asking for the upload URL, in bytes. */
  length: number;
  title: string;
  content: string | undefined;
  channels: string[];
}

export interface EmulatedMessage {
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks?: Json[];
  threadTs?: string;
  edited?: boolean;
  metadata?: Json;
  files?: { id: string; name: string; title: string }[];
}

export interface EmulatedView {
  id: string;
  userId: string;
  view: Json & { id: string; blocks: Json[] };
  hash: string;
}

export interface EmulatedCall {
  method: string;
  args: Json;
  /** 'ok', Slack's error code, 'ratelimited' for a 429, or 'http_<status>'. */
  outcome: string;
  /** When the request arrived and when it was answered (ms since the epoch). */
  startedAt: number;
  at: number;
}

export interface EmulatedResponse {
  path: string;
  body: Json;
}

/** A reaction on a message: its name (without colons) and who added it, in order. */
export interface EmulatedReaction {
  name: string;
  users: string[];
}

/** What Slack did with the bot's answer to a view_submission. */
export type SubmissionOutcome =
  | { kind: 'closed' }
  | { kind: 'updated'; view: EmulatedView }
  | { kind: 'pushed'; view: EmulatedView }
  | { kind: 'errors'; errors: Record<string, string> }
  /** An answer Slack cannot use: it shows the person its generic error and keeps the modal open. */
  | { kind: 'refused'; problem: string };

export interface SlackEmulatorOptions {
  /** Scopes the bot token holds; defaults to the bot scopes in manifest.yml. */
  scopes?: string[];
  /** How long a trigger id stays valid; Slack's is 3 seconds. */
  triggerLifetimeMs?: number;
  /** How long Socket Mode waits for an envelope's ack; Slack's is 3 seconds. */
  socketAckTimeoutMs?: number;
}

export interface SlackEmulator {
  url: string;
  botToken: string;
  botUserId: string;
  /** Socket Mode: its app-level token (`appToken`), the envelopes it delivered, and what the app got wrong. */
  socketMode: SocketModeServer;
  users: Map<string, EmulatedUser>;
  userGroups: Map<string, EmulatedUserGroup>;
  files: Map<string, EmulatedFile>;
  channels: Map<string, EmulatedChannel>;
  views: Map<string, EmulatedView>;
  calls: EmulatedCall[];
  responses: EmulatedResponse[];
  /** Ephemeral messages (chat.postEphemeral); `user` is who saw it. */
  ephemerals: EmulatedMessage[];
  addUser(user: EmulatedUser): EmulatedUser;
  addUserGroup(group: EmulatedUserGroup): EmulatedUserGroup;
  addChannel(spec: { id?: string; name: string; isPrivate?: boolean; members?: string[] }): EmulatedChannel;
  channelByName(name: string): EmulatedChannel | undefined;
  /**
   * A person joins, or leaves (or is removed from), a channel: the membership changes and the
   * event Slack sends the bot is returned, for the test to deliver. Slack sends only the events
   * the app's manifest subscribes to (`bot_events`): for any other, this throws.
   */
  memberJoined(channelId: string, userId: string): Json;
  memberLeft(channelId: string, userId: string): Json;
  /** A person writes in a channel (the bot is not told: tests send the events they need). */
  postAsUser(channelId: string, userId: string, text: string, options?: { threadTs?: string }): EmulatedMessage;
  /** Messages in a channel, oldest first (thread replies included). */
  messages(channelId: string): EmulatedMessage[];
  /** Direct messages the bot sent to a user. */
  dms(userId: string): EmulatedMessage[];
  /** Timestamps of the messages pinned in a channel, in pin order. */
  pins(channelId: string): string[];
  issueTriggerId(userId: string, options?: { issuedAt?: number }): string;
  /** A response_url the bot can post to; what it posts lands in `responses`. */
  responseUrl(): string;
  callsTo(method: string): EmulatedCall[];
  setLatency(ms: number): void;
  /** Makes one method slow (on top of any latency for all); 0 makes it quick again. A call whose caller is gone by the end of the wait is not carried out. */
  slowMethod(method: string, ms: number): void;
  /** Calls to `method` waiting out `slowMethod` now, by their arguments: a test may kill their caller there. */
  waitingCalls(method: string): Json[];
  /** Carry out calls to `method` at once but answer only `ms` later (0 to stop): a caller killed meanwhile never hears it worked. */
  holdResponses(method: string, ms: number): void;
  rateLimit(method: string, options: { times: number; retryAfterSec: number }): void;
  failMethod(method: string, options: { error?: string; status?: number; times?: number }): void;
  /** Back to a healthy Slack: no latency, failures, rate limits or held responses. */
  clearFaults(): void;
  /**
   * Calls `listener` after the workspace changes: a Web API call that worked, an upload, an answer
   * on a response_url, a person's message, reaction or membership, a modal opened or closed. The
   * sandbox's live feed. Returns a function that stops the calls.
   */
  onChange(listener: () => void): () => void;
  /** The modals open for a person, bottom to top: views.open starts the stack, views.push adds to it (Slack allows 3). */
  openModals(userId: string): EmulatedView[];
  /** The Home tab the bot last published for a person (views.publish), if any. */
  homeView(userId: string): Json | undefined;
  /** A person opens the bot's Home tab: the app_home_opened event Slack sends (the manifest must subscribe to it). */
  openHome(userId: string): Json;
  /** The person closes a modal (its × or Cancel): Slack closes the whole stack. */
  closeModals(userId: string): void;
  /**
   * Carries out the bot's answer to a view_submission of `viewId` as Slack does: nothing closes
   * the modal, `clear` the stack, `update` replaces it, `push` adds one, `errors` shows messages
   * under inputs of that view (only under its input blocks: anything else Slack refuses).
   */
  answerSubmission(viewId: string, answer: unknown): SubmissionOutcome;
  /**
   * A person adds or removes a reaction on a message: the reaction changes and the event Slack
   * sends the bot is returned, or undefined when the manifest does not subscribe to it. Slack's
   * refusals are thrown as errors with its code (`already_reacted`, `no_reaction`, `invalid_name`).
   */
  addReaction(channelId: string, ts: string, userId: string, name: string): Json | undefined;
  removeReaction(channelId: string, ts: string, userId: string, name: string): Json | undefined;
  reactions(channelId: string, ts: string): EmulatedReaction[];
  /**
   * A person pins or unpins a message with Slack's own pin: the pins change and the event Slack
   * sends the bot is returned, or undefined when the manifest does not subscribe to it. Slack's
   * refusals are thrown as errors with its code (`already_pinned`, `no_pin`).
   */
  pinMessage(channelId: string, ts: string, userId: string): Json | undefined;
  unpinMessage(channelId: string, ts: string, userId: string): Json | undefined;
  close(): Promise<void>;
}

/** What Slack answers with an error code; thrown inside handlers, and to the sandbox for a person's refused action. */
export class SlackError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Json = {},
  ) {
    super(code);
  }
}

const BOT_USER_ID = 'UBOT';
const BOT_ID = 'B0001';
const TEAM_ID = 'T0001';
const TOPIC_MAX = 250;
const MESSAGE_TEXT_MAX = 40_000;
/** Slack keeps at most 3 modals on a person's stack. */
const MODAL_STACK_MAX = 3;
/** Distinct reactions Slack allows on one message. */
const REACTIONS_PER_MESSAGE_MAX = 50;

/** The app's manifest: the scopes the token holds and the events Slack delivers, as a real install would have them. */
const MANIFEST_PATH = packagePath('manifest.yml');

const readManifest = () => parseYaml(readFileSync(MANIFEST_PATH, 'utf8')) as Json;

function manifestScopes(): string[] {
  return (readManifest().oauth_config?.scopes?.bot as string[] | undefined) ?? [];
}

/** The events Slack delivers to the app: those its manifest subscribes to. */
function subscribedEvents(): string[] {
  return (readManifest().settings?.event_subscriptions?.bot_events as string[] | undefined) ?? [];
}

/** The scopes a method needs; any one of a list suffices. */
function scopesFor(method: string, channel?: EmulatedChannel): string[] {
  const byKind = (publicScope: string, privateScope: string, imScope: string) =>
    channel?.isIm ? [imScope] : channel?.isPrivate ? [privateScope] : [publicScope];
  switch (method) {
    case 'auth.test':
    case 'views.open':
    case 'views.update':
    case 'views.push':
    case 'views.publish':
      return [];
    case 'conversations.create':
    case 'conversations.invite':
    case 'conversations.setTopic':
    case 'conversations.archive':
    case 'conversations.unarchive':
      return byKind('channels:manage', 'groups:write', 'im:write');
    case 'conversations.join':
      return ['channels:join'];
    case 'conversations.info':
    case 'conversations.members':
      return byKind('channels:read', 'groups:read', 'im:read');
    case 'conversations.history':
    case 'conversations.replies':
      return byKind('channels:history', 'groups:history', 'im:history');
    case 'conversations.open':
      return ['im:write'];
    case 'chat.postMessage':
    case 'chat.postEphemeral':
    case 'chat.update':
    case 'chat.delete':
    case 'chat.getPermalink':
      return ['chat:write'];
    case 'pins.add':
    case 'pins.remove':
      return ['pins:write'];
    case 'reactions.get':
      return ['reactions:read'];
    case 'users.info':
      return ['users:read'];
    case 'usergroups.list':
    case 'usergroups.users.list':
      return ['usergroups:read'];
    case 'files.getUploadURLExternal':
    case 'files.completeUploadExternal':
      return ['files:write'];
    default:
      return [];
  }
}

/** Slack's channel-name rules: ≤ 80 characters of lowercase letters, digits, hyphens and underscores. */
export function channelNameError(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'invalid_name_required';
  if (name.length > 80) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The Web API accepts form-encoded arguments (objects as JSON strings) or a JSON body. */
function parseArguments(contentType: string | undefined, body: string, query: URLSearchParams): Json {
  const args: Json = Object.fromEntries(query);
  if (contentType?.startsWith('application/json')) return { ...args, ...(body ? (JSON.parse(body) as Json) : {}) };
  for (const [key, value] of new URLSearchParams(body)) args[key] = value;
  return args;
}

/** An argument the Web API client sent form-encoded: arrays and objects arrive as JSON text. */
function structured(value: unknown): any {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] could not parse JSON argument'] } });
  }
}

function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const scopes = new Set(options.scopes ?? manifestScopes());
  const triggerLifetimeMs = options.triggerLifetimeMs ?? 3000;
  const botToken = `xoxb-fake-${Math.random().toString(36).slice(2)}`;
  const socketMode = createSocketMode({ appId: 'A0001', botToken, ackTimeoutMs: options.socketAckTimeoutMs });
  const users = new Map<string, EmulatedUser>();
  const userGroups = new Map<string, EmulatedUserGroup>();
  const files = new Map<string, EmulatedFile>();
  const channels = new Map<string, EmulatedChannel>();
  const messagesByChannel = new Map<string, EmulatedMessage[]>();
  const pinsByChannel = new Map<string, string[]>();
  const views = new Map<string, EmulatedView>();
  const triggers = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  const calls: EmulatedCall[] = [];
  const responses: EmulatedResponse[] = [];
  const ephemerals: EmulatedMessage[] = [];
  const rateLimits = new Map<string, { times: number; retryAfterSec: number }>();
  const failures = new Map<string, { error?: string; status?: number; times: number }>();
  let latencyMs = 0;
  const heldResponses = new Map<string, number>();
  const slowMethods = new Map<string, number>();
  const waiting = new Set<{ method: string; args: Json }>();
  let counter = 0;
  let lastTs = 0;
  const changeListeners = new Set<() => void>();
  const changed = () => {
    for (const listener of changeListeners) listener();
  };
  const modalStacks = new Map<string, string[]>();
  /** Each person's Home tab as last published. */
  const homes = new Map<string, Json>();
  /** By channel, then message ts. */
  const reactionsByMessage = new Map<string, EmulatedReaction[]>();

  const nextId = (prefix: string) => `${prefix}${(++counter).toString(36).toUpperCase().padStart(8, '0')}`;
  const nextTs = () => {
    // Strictly increasing, in Slack's "seconds.micro" form.
    lastTs = Math.max(lastTs + 1, Date.now() * 1000);
    return `${Math.floor(lastTs / 1_000_000)}.${String(lastTs % 1_000_000).padStart(6, '0')}`;
  };

  const addUser = (user: EmulatedUser) => {
    users.set(user.id, user);
    return user;
  };
  for (const id of ['UALICE', 'UBOB', 'UCAROL', 'UDAVE', 'UERIN', 'UFRANK']) addUser({ id, name: id.slice(1).toLowerCase() });
  addUser({ id: BOT_USER_ID, name: 'incident', isBot: true });

  const addChannel: SlackEmulator['addChannel'] = (spec) => {
    const channel: EmulatedChannel = {
      id: spec.id ?? nextId('C'),
      name: spec.name,
      isPrivate: spec.isPrivate ?? false,
      isArchived: false,
      isIm: false,
      members: new Set(spec.members ?? []),
      topic: '',
      creator: 'UALICE',
    };
    channels.set(channel.id, channel);
    return channel;
  };
  addChannel({ id: 'CGENERAL', name: 'general', members: ['UALICE', 'UBOB', 'UCAROL', 'UDAVE'] });

  const imFor = (userId: string): EmulatedChannel => {
    const existing = [...channels.values()].find((channel) => channel.isIm && channel.members.has(userId));
    if (existing) return existing;
    const im: EmulatedChannel = { id: `D${userId}`, name: userId, isPrivate: true, isArchived: false, isIm: true, members: new Set([userId, BOT_USER_ID]), topic: '', creator: BOT_USER_ID };
    channels.set(im.id, im);
    return im;
  };

  const channelArg = (args: Json): EmulatedChannel => {
    const channel = typeof args.channel === 'string' ? channels.get(args.channel) : undefined;
    // Slack hides private channels the bot is not in: they do not exist as far as it knows.
    if (!channel || (channel.isPrivate && !channel.isIm && !channel.members.has(BOT_USER_ID))) throw new SlackError('channel_not_found');
    return channel;
  };
  const requireMember = (channel: EmulatedChannel) => {
    if (!channel.members.has(BOT_USER_ID)) throw new SlackError('not_in_channel');
  };
  const requireOpen = (channel: EmulatedChannel) => {
    if (channel.isArchived) throw new SlackError('is_archived');
  };
  const requireScopes = (method: string, channel?: EmulatedChannel) => {
    const needed = scopesFor(method, channel);
    if (needed.length > 0 && !needed.some((scope) => scopes.has(scope))) throw new SlackError('missing_scope', { needed: needed.join(','), provided: [...scopes].join(',') });
  };
  const findMessage = (channel: EmulatedChannel, ts: unknown) => {
    const message = (messagesByChannel.get(channel.id) ?? []).find((candidate) => candidate.ts === ts);
    if (!message) throw new SlackError('message_not_found');
    return message;
  };

  const checkMessageContent = (args: Json) => {
    const blocks = args.blocks === undefined ? undefined : structured(args.blocks);
    const text = typeof args.text === 'string' ? args.text : '';
    if (!text && (!Array.isArray(blocks) || blocks.length === 0)) throw new SlackError('no_text');
    if (text.length > MESSAGE_TEXT_MAX) throw new SlackError('msg_too_long');
    if (blocks !== undefined) {
      const problems = validateMessageBlocks(blocks);
      if (problems.length > 0) throw new SlackError('invalid_blocks', { errors: problems, response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) } });
    }
    return { text, blocks: blocks as Json[] | undefined };
  };

  const checkView = (view: unknown): Json => {
    const parsed = structured(view) as Json;
    const problems = validateModalView(parsed);
    if (problems.length > 0) throw new SlackError('invalid_arguments', { response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) } });
    return parsed;
  };

  const storeView = (id: string, userId: string, spec: Json, previous?: EmulatedView): EmulatedView => {
    const hash = `${Date.now()}.${Math.random().toString(36).slice(2, 10)}`;
    const stored: EmulatedView = {
      id,
      userId,
      hash,
      view: {
        ...spec,
        id,
        team_id: TEAM_ID,
        app_id: 'A0001',
        bot_id: BOT_ID,
        hash,
        state: { values: {} },
        previous_view_id: previous?.view.previous_view_id ?? null,
        blocks: (spec.blocks as Json[] | undefined) ?? [],
      },
    };
    views.set(id, stored);
    return stored;
  };

  const useTrigger = (triggerId: unknown): string => {
    const trigger = typeof triggerId === 'string' ? triggers.get(triggerId) : undefined;
    if (!trigger) throw new SlackError('invalid_trigger_id');
    if (trigger.used) throw new SlackError('exchanged_trigger_id');
    if (Date.now() - trigger.issuedAt > triggerLifetimeMs) throw new SlackError('expired_trigger_id');
    trigger.used = true;
    return trigger.userId;
  };

  const postMessage = (channel: EmulatedChannel, args: Json): EmulatedMessage => {
    const { text, blocks } = checkMessageContent(args);
    const message: EmulatedMessage = { channel: channel.id, ts: nextTs(), user: BOT_USER_ID, text, blocks, ...(args.metadata ? { metadata: structured(args.metadata) as Json } : {}) };
    if (typeof args.thread_ts === 'string') {
      findMessage(channel, args.thread_ts);
      message.threadTs = args.thread_ts;
    }
    const list = messagesByChannel.get(channel.id) ?? [];
    list.push(message);
    messagesByChannel.set(channel.id, list);
    return message;
  };

  const messageJson = (message: EmulatedMessage) => ({
    type: 'message',
    ts: message.ts,
    user: message.user,
    text: message.text,
    ...(message.user === BOT_USER_ID ? { bot_id: BOT_ID } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.blocks ? { blocks: message.blocks } : {}),
  });

  const channelJson = (channel: EmulatedChannel) => ({
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: false,
    is_im: channel.isIm,
    is_private: channel.isPrivate,
    is_archived: channel.isArchived,
    is_member: channel.members.has(BOT_USER_ID),
    creator: channel.creator,
    topic: { value: channel.topic, creator: BOT_USER_ID, last_set: 0 },
    num_members: channel.members.size,
  });

  const handlers: Record<string, (args: Json) => Json> = {
    'auth.test': () => ({ url: 'https://acme.slack.com/', team: 'Acme', user: 'incident', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID, is_enterprise_install: false }),

    'views.open': (args) => {
      const spec = checkView(args.view);
      const userId = useTrigger(args.trigger_id);
      const stored = storeView(nextId('V'), userId, spec);
      modalStacks.set(userId, [stored.id]);
      return { view: stored.view };
    },
    'views.push': (args) => {
      const spec = checkView(args.view);
      const userId = useTrigger(args.trigger_id);
      const stack = modalStacks.get(userId) ?? [];
      if (stack.length >= MODAL_STACK_MAX) throw new SlackError('push_limit_reached');
      const stored = storeView(nextId('V'), userId, spec);
      modalStacks.set(userId, [...stack, stored.id]);
      return { view: stored.view };
    },
    'views.update': (args) => {
      const existing =
        typeof args.view_id === 'string' ? views.get(args.view_id) : [...views.values()].find((candidate) => candidate.view.external_id === args.external_id);
      if (!existing) throw new SlackError('not_found');
      if (typeof args.hash === 'string' && args.hash !== existing.hash) throw new SlackError('hash_conflict');
      const spec = checkView(args.view);
      return { view: storeView(existing.id, existing.userId, spec, existing).view };
    },

    'views.publish': (args) => {
      if (typeof args.user_id !== 'string' || args.user_id === '') throw new SlackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: user_id'] } });
      const spec = structured(args.view) as Json;
      const problems = validateHomeView(spec);
      if (problems.length > 0) throw new SlackError('invalid_arguments', { response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) } });
      const existing = homes.get(args.user_id);
      if (typeof args.hash === 'string' && existing && args.hash !== existing.hash) throw new SlackError('hash_conflict');
      const published = { ...spec, id: existing?.id ?? nextId('V'), team_id: TEAM_ID, app_id: 'A0001', bot_id: BOT_ID, hash: `${Date.now()}.${Math.random().toString(36).slice(2, 10)}` };
      homes.set(args.user_id, published);
      return { view: published };
    },

    'conversations.create': (args) => {
      const isPrivate = flag(args.is_private);
      requireScopes('conversations.create', { isPrivate } as EmulatedChannel);
      const nameError = channelNameError(args.name);
      if (nameError) throw new SlackError(nameError);
      if ([...channels.values()].some((channel) => !channel.isIm && channel.name === args.name)) throw new SlackError('name_taken');
      const channel = addChannel({ name: args.name as string, isPrivate, members: [BOT_USER_ID] });
      channel.creator = BOT_USER_ID;
      return { channel: channelJson(channel) };
    },
    'conversations.info': (args) => ({ channel: channelJson(channelArg(args)) }),
    'conversations.members': (args) => ({ members: [...channelArg(args).members], response_metadata: { next_cursor: '' } }),
    'conversations.join': (args) => {
      const channel = channelArg(args);
      requireOpen(channel);
      if (channel.isPrivate) throw new SlackError('method_not_supported_for_channel_type');
      channel.members.add(BOT_USER_ID);
      return { channel: channelJson(channel) };
    },
    'conversations.invite': (args) => {
      const channel = channelArg(args);
      requireScopes('conversations.invite', channel);
      requireOpen(channel);
      requireMember(channel);
      const ids = String(args.users ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (ids.length === 0) throw new SlackError('no_user');
      if (ids.length > 1000) throw new SlackError('too_many_users');
      if (ids.includes(BOT_USER_ID)) throw new SlackError('cant_invite_self');
      const unknown = ids.find((id) => !users.has(id));
      if (unknown) throw new SlackError('user_not_found', { errors: [{ user: unknown, ok: false, error: 'user_not_found' }] });
      const fresh = ids.filter((id) => !channel.members.has(id));
      if (fresh.length === 0) throw new SlackError('already_in_channel');
      for (const id of fresh) channel.members.add(id);
      return { channel: channelJson(channel) };
    },
    'conversations.setTopic': (args) => {
      const channel = channelArg(args);
      requireScopes('conversations.setTopic', channel);
      requireOpen(channel);
      requireMember(channel);
      const topic = String(args.topic ?? '');
      if (topic.length > TOPIC_MAX) throw new SlackError('too_long');
      const broken = brokenTextProblem(topic, 'mrkdwn');
      if (broken) throw new SlackError('invalid_arguments', { response_metadata: { messages: [`[ERROR] topic ${broken}`] } });
      channel.topic = topic;
      return { channel: channelJson(channel) };
    },
    'conversations.archive': (args) => {
      const channel = channelArg(args);
      requireScopes('conversations.archive', channel);
      if (channel.isArchived) throw new SlackError('already_archived');
      requireMember(channel);
      if (channel.id === 'CGENERAL') throw new SlackError('cant_archive_general');
      channel.isArchived = true;
      return {};
    },
    'conversations.unarchive': (args) => {
      const channel = channelArg(args);
      requireScopes('conversations.unarchive', channel);
      if (!channel.isArchived) throw new SlackError('not_archived');
      // A bot brings back only a channel it was in when it was archived.
      requireMember(channel);
      channel.isArchived = false;
      return {};
    },

    'conversations.history': (args) => {
      const channel = channelArg(args);
      requireScopes('conversations.history', channel);
      requireMember(channel);
      const inclusive = flag(args.inclusive);
      const latest = typeof args.latest === 'string' ? Number(args.latest) : Number.POSITIVE_INFINITY;
      const oldest = typeof args.oldest === 'string' ? Number(args.oldest) : 0;
      const withMetadata = flag(args.include_all_metadata);
      const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
      // Newest first, top-level messages only: thread replies are not in the history.
      const messages = (messagesByChannel.get(channel.id) ?? [])
        .filter((message) => !message.threadTs || message.threadTs === message.ts)
        .filter((message) => (inclusive ? Number(message.ts) <= latest : Number(message.ts) < latest) && Number(message.ts) > oldest)
        .reverse()
        .slice(0, limit);
      return { messages: messages.map((message) => ({ ...messageJson(message), ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}) })), has_more: false };
    },
    'conversations.replies': (args) => {
      const channel = channelArg(args);
      requireScopes('conversations.replies', channel);
      requireMember(channel);
      const message = findMessage(channel, args.ts);
      const parentTs = message.threadTs ?? message.ts;
      const thread = (messagesByChannel.get(channel.id) ?? []).filter((candidate) => candidate.ts === parentTs || candidate.threadTs === parentTs);
      return { messages: (message.threadTs ? [message] : thread).map(messageJson), has_more: false };
    },

    'chat.postMessage': (args) => {
      // A user id as the channel means a direct message from the bot.
      const channel = typeof args.channel === 'string' && args.channel.startsWith('U') && users.has(args.channel) ? imFor(args.channel) : channelArg(args);
      requireScopes('chat.postMessage', channel);
      requireOpen(channel);
      if (!channel.members.has(BOT_USER_ID)) {
        // chat:write.public lets a bot post in public channels it has not joined, nowhere else.
        if (channel.isPrivate || !scopes.has('chat:write.public')) throw new SlackError('not_in_channel');
      }
      const message = postMessage(channel, args);
      return { channel: channel.id, ts: message.ts, message: { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, text: message.text, ts: message.ts, blocks: message.blocks } };
    },
    'chat.postEphemeral': (args) => {
      const channel = channelArg(args);
      requireScopes('chat.postEphemeral', channel);
      requireOpen(channel);
      checkMessageContent(args);
      if (typeof args.user !== 'string' || !users.has(args.user)) throw new SlackError('user_not_found');
      if (!channel.members.has(args.user)) throw new SlackError('user_not_in_channel');
      const ts = nextTs();
      ephemerals.push({ channel: channel.id, ts, user: args.user, text: String(args.text ?? ''), blocks: structured(args.blocks) as Json[] | undefined });
      return { message_ts: ts };
    },
    'chat.update': (args) => {
      const channel = channelArg(args);
      requireScopes('chat.update', channel);
      requireOpen(channel);
      const message = findMessage(channel, args.ts);
      if (message.user !== BOT_USER_ID) throw new SlackError('cant_update_message');
      const { text, blocks } = checkMessageContent(args);
      message.text = text;
      message.blocks = blocks;
      message.edited = true;
      return { channel: channel.id, ts: message.ts, text };
    },
    'chat.getPermalink': (args) => {
      const channel = channelArg(args);
      const message = findMessage(channel, args.message_ts);
      // As Slack links a thread reply: to the reply, opened in its thread.
      const inThread = message.threadTs && message.threadTs !== message.ts ? `?thread_ts=${message.threadTs}&cid=${channel.id}` : '';
      return { channel: channel.id, permalink: `https://acme.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}${inThread}` };
    },

    'pins.add': (args) => {
      const channel = channelArg(args);
      requireScopes('pins.add', channel);
      requireOpen(channel);
      requireMember(channel);
      findMessage(channel, args.timestamp);
      const pinned = pinsByChannel.get(channel.id) ?? [];
      if (pinned.includes(args.timestamp as string)) throw new SlackError('already_pinned');
      pinned.push(args.timestamp as string);
      pinsByChannel.set(channel.id, pinned);
      return {};
    },

    'files.getUploadURLExternal': (args) => {
      const length = Number(args.length);
      if (typeof args.filename !== 'string' || args.filename.length === 0 || !Number.isInteger(length) || length <= 0) throw new SlackError('invalid_arguments');
      const file: EmulatedFile = { id: nextId('F'), filename: args.filename, length, title: args.filename, content: undefined, channels: [] };
      files.set(file.id, file);
      return { upload_url: `${base}/upload/${file.id}`, file_id: file.id };
    },
    'files.completeUploadExternal': (args) => {
      const listed = structured(args.files) as { id?: string; title?: string }[] | undefined;
      if (!Array.isArray(listed) || listed.length === 0) throw new SlackError('invalid_arguments');
      // Slack only completes what was uploaded, and only once.
      const completed = listed.map((entry) => {
        const file = entry.id ? files.get(entry.id) : undefined;
        if (!file || file.content === undefined || file.channels.length > 0) throw new SlackError('file_not_found');
        return { file, title: entry.title ?? file.filename };
      });
      let channel: EmulatedChannel | undefined;
      if (args.channel_id !== undefined) {
        channel = channelArg({ channel: args.channel_id });
        requireOpen(channel);
        requireMember(channel);
      }
      for (const { file, title } of completed) {
        file.title = title;
        if (channel) file.channels.push(channel.id);
      }
      if (channel) {
        const text = typeof args.initial_comment === 'string' ? args.initial_comment : '';
        if (text.length > MESSAGE_TEXT_MAX) throw new SlackError('msg_too_long');
        const message: EmulatedMessage = { channel: channel.id, ts: nextTs(), user: BOT_USER_ID, text, files: completed.map(({ file }) => ({ id: file.id, name: file.filename, title: file.title })) };
        const list = messagesByChannel.get(channel.id) ?? [];
        list.push(message);
        messagesByChannel.set(channel.id, list);
      }
      return { files: completed.map(({ file }) => ({ id: file.id, name: file.filename, title: file.title })) };
    },
    'usergroups.list': (args) => ({
      usergroups: [...userGroups.values()].map((group) => ({ id: group.id, handle: group.handle, name: group.handle, ...(flag(args.include_users) ? { users: group.users } : {}) })),
    }),
    'users.info': (args) => {
      const user = typeof args.user === 'string' ? users.get(args.user) : undefined;
      if (!user) throw new SlackError('user_not_found');
      return { user: { id: user.id, name: user.name, real_name: user.name, is_bot: user.isBot ?? false, tz: 'UTC' } };
    },
  };

  const record = (method: string, args: Json, outcome: string, startedAt = Date.now()) => {
    const { token: _token, ...visible } = args;
    calls.push({ method, args: visible, outcome, startedAt, at: Date.now() });
  };

  const send = (response: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };

  const handleApi = async (method: string, request: IncomingMessage, response: ServerResponse, args: Json) => {
    const startedAt = Date.now();
    const delayMs = latencyMs + (slowMethods.get(method) ?? 0);
    let callerGone = false;
    if (delayMs > 0) {
      const call = { method, args };
      waiting.add(call);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        response.once('close', () => {
          callerGone = true;
          clearTimeout(timer);
          resolve();
        });
      });
      waiting.delete(call);
    }
    // A caller that died while the call was slow to start (a replica killed mid-send) never had it carried out.
    if (callerGone) return record(method, args, 'caller_gone', startedAt);

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) {
      record(method, args, 'not_authed', startedAt);
      return send(response, 200, { ok: false, error: 'not_authed' });
    }
    // Socket Mode's connection takes the app-level token and nothing else does.
    if (method === 'apps.connections.open') {
      const answer = socketMode.openConnection(token, base);
      record(method, args, answer.ok ? 'ok' : answer.error, startedAt);
      return send(response, 200, answer);
    }
    if (token === socketMode.appToken) {
      record(method, args, 'not_allowed_token_type', startedAt);
      return send(response, 200, { ok: false, error: 'not_allowed_token_type' });
    }
    if (token !== botToken) {
      record(method, args, 'invalid_auth', startedAt);
      return send(response, 200, { ok: false, error: 'invalid_auth' });
    }

    const limit = rateLimits.get(method);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      record(method, args, 'ratelimited', startedAt);
      return send(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfterSec) });
    }
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      if (failure.status !== undefined) {
        record(method, args, `http_${failure.status}`, startedAt);
        response.writeHead(failure.status, { 'content-type': 'text/plain' });
        return response.end('upstream failure');
      }
      record(method, args, failure.error ?? 'internal_error', startedAt);
      return send(response, 200, { ok: false, error: failure.error ?? 'internal_error' });
    }

    const handler = handlers[method];
    if (!handler) {
      record(method, args, 'unknown_method', startedAt);
      return send(response, 200, { ok: false, error: 'unknown_method' });
    }
    try {
      requireScopes(method);
      const result = handler(args);
      record(method, args, 'ok', startedAt);
      changed();
      const holdMs = heldResponses.get(method) ?? 0;
      if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
      send(response, 200, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      record(method, args, error.code, startedAt);
      send(response, 200, { ok: false, error: error.code, ...error.extra });
    }
  };

  const events = new Set(subscribedEvents());
  /** A membership event as Slack sends it, for a channel the bot is in. */
  const membershipEvent = (type: 'member_joined_channel' | 'member_left_channel', channelId: string, userId: string): Json => {
    if (!events.has(type)) throw new Error(`Slack would not send ${type}: manifest.yml does not subscribe to it (settings.event_subscriptions.bot_events)`);
    const channel = channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    if (type === 'member_joined_channel') channel.members.add(userId);
    else channel.members.delete(userId);
    changed();
    return { type, user: userId, channel: channel.id, channel_type: channel.isPrivate ? 'G' : 'C', team: TEAM_ID, event_ts: `${Date.now() / 1000}` };
  };

  const reactionEvent = (type: 'reaction_added' | 'reaction_removed', channel: EmulatedChannel, message: EmulatedMessage, userId: string, name: string): Json | undefined =>
    events.has(type)
      ? { type, user: userId, reaction: name, item_user: message.user, item: { type: 'message', channel: channel.id, ts: message.ts }, event_ts: nextTs() }
      : undefined;

  /** A person's action on a message, refused as Slack refuses it. */
  const personOnMessage = (channelId: string, ts: string, userId: string) => {
    const channel = channels.get(channelId);
    if (!channel) throw new SlackError('channel_not_found');
    if (!users.has(userId)) throw new SlackError('user_not_found');
    if (channel.isPrivate && !channel.members.has(userId)) throw new SlackError('channel_not_found');
    const message = findMessage(channel, ts);
    return { channel, message, key: `${channel.id} ${message.ts}` };
  };

  const changeReaction = (channelId: string, ts: string, userId: string, name: string, adding: boolean): Json | undefined => {
    if (!/^[a-z0-9_+'-]{1,100}$/.test(name)) throw new SlackError('invalid_name');
    const { channel, message, key } = personOnMessage(channelId, ts, userId);
    const reactions = reactionsByMessage.get(key) ?? [];
    const reaction = reactions.find((candidate) => candidate.name === name);
    if (adding) {
      if (reaction?.users.includes(userId)) throw new SlackError('already_reacted');
      if (!reaction && reactions.length >= REACTIONS_PER_MESSAGE_MAX) throw new SlackError('too_many_reactions');
      if (reaction) reaction.users.push(userId);
      else reactions.push({ name, users: [userId] });
    } else {
      if (!reaction?.users.includes(userId)) throw new SlackError('no_reaction');
      reaction.users = reaction.users.filter((id) => id !== userId);
    }
    reactionsByMessage.set(
      key,
      reactions.filter((candidate) => candidate.users.length > 0),
    );
    changed();
    return reactionEvent(adding ? 'reaction_added' : 'reaction_removed', channel, message, userId, name);
  };

  const changePin = (channelId: string, ts: string, userId: string, adding: boolean): Json | undefined => {
    const { channel, message } = personOnMessage(channelId, ts, userId);
    const pinned = pinsByChannel.get(channel.id) ?? [];
    if (adding && pinned.includes(message.ts)) throw new SlackError('already_pinned');
    if (!adding && !pinned.includes(message.ts)) throw new SlackError('no_pin');
    pinsByChannel.set(channel.id, adding ? [...pinned, message.ts] : pinned.filter((pinnedTs) => pinnedTs !== message.ts));
    changed();
    const type = adding ? 'pin_added' : 'pin_removed';
    if (!events.has(type)) return undefined;
    const item = { type: 'message', channel: channel.id, created_by: userId, message: { type: 'message', user: message.user, text: message.text, ts: message.ts } };
    return { type, user: userId, channel_id: channel.id, item, ...(adding ? {} : { has_pins: pinned.length > 1 }), event_ts: nextTs() };
  };

  const answerSubmission = (viewId: string, answer: unknown): SubmissionOutcome => {
    const submitted = views.get(viewId);
    if (!submitted) throw new Error(`no view ${viewId}`);
    const userId = submitted.userId;
    const stack = modalStacks.get(userId) ?? [];
    const outcome = ((): SubmissionOutcome => {
      if (answer === undefined || answer === null || (typeof answer === 'object' && Object.keys(answer).length === 0)) {
        modalStacks.set(userId, stack.filter((id) => id !== viewId));
        return { kind: 'closed' };
      }
      if (typeof answer !== 'object') return { kind: 'refused', problem: 'the answer is not a JSON object' };
      const { response_action: action, view, errors } = answer as Json;
      if (action === 'clear') {
        modalStacks.delete(userId);
        return { kind: 'closed' };
      }
      if (action === 'errors') {
        const inputIds = new Set(submitted.view.blocks.filter((block) => block.type === 'input').map((block) => String(block.block_id)));
        if (!errors || typeof errors !== 'object' || Object.keys(errors as Json).length === 0) return { kind: 'refused', problem: 'response_action errors without errors' };
        const unknown = Object.keys(errors as Json).filter((blockId) => !inputIds.has(blockId));
        if (unknown.length > 0) return { kind: 'refused', problem: `errors for blocks that are not inputs of this view: ${unknown.join(', ')}` };
        return { kind: 'errors', errors: Object.fromEntries(Object.entries(errors as Json).map(([blockId, text]) => [blockId, String(text)])) };
      }
      if (action === 'update' || action === 'push') {
        const problems = validateModalView(view);
        if (problems.length > 0) return { kind: 'refused', problem: problems.join('; ') };
        if (action === 'update') return { kind: 'updated', view: storeView(viewId, userId, view as Json, submitted) };
        if (stack.length >= MODAL_STACK_MAX) return { kind: 'refused', problem: 'push_limit_reached' };
        const pushed = storeView(nextId('V'), userId, view as Json);
        modalStacks.set(userId, [...stack, pushed.id]);
        return { kind: 'pushed', view: pushed };
      }
      return { kind: 'refused', problem: `unknown response_action ${JSON.stringify(action)}` };
    })();
    changed();
    return outcome;
  };

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fake-slack');
      const body = await readBody(request);
      const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
      if (upload) {
        // The upload URL takes the raw bytes; it answers like Slack's: "OK - <length>".
        const file = files.get(upload[1]!);
        const length = Buffer.byteLength(body, 'utf8');
        if (request.method !== 'POST' || !file) return send(response, 404, { ok: false, error: 'upload_not_found' });
        if (length !== file.length) return send(response, 400, { ok: false, error: 'length_mismatch', expected: file.length, got: length });
        file.content = body;
        changed();
        response.writeHead(200, { 'content-type': 'text/plain' });
        return response.end(`OK - ${length}`);
      }
      if (request.method === 'POST' && url.pathname.startsWith('/respond/')) {
        let answer: Json;
        try {
          answer = JSON.parse(body) as Json;
        } catch {
          return send(response, 400, { ok: false, error: 'invalid_json' });
        }
        responses.push({ path: url.pathname, body: answer });
        changed();
        return send(response, 200, { ok: true });
      }
      const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
      if (!method) return send(response, 404, { ok: false, error: 'unknown_method' });
      let args: Json;
      try {
        args = parseArguments(request.headers['content-type'], body, url.searchParams);
      } catch {
        return send(response, 200, { ok: false, error: 'invalid_json' });
      }
      await handleApi(method, request, response, args);
    })().catch((error: unknown) => {
      send(response, 500, { ok: false, error: 'fake_slack_crashed', detail: String(error) });
    });
  });
  server.on('upgrade', socketMode.handleUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let responseCounter = 0;

  return {
    url: `${base}/api/`,
    botToken,
    botUserId: BOT_USER_ID,
    socketMode,
    users,
    userGroups,
    files,
    channels,
    views,
    calls,
    responses,
    ephemerals,
    addUser,
    addUserGroup(group) {
      userGroups.set(group.id, group);
      return group;
    },
    addChannel,
    memberJoined: (channelId, userId) => membershipEvent('member_joined_channel', channelId, userId),
    memberLeft: (channelId, userId) => membershipEvent('member_left_channel', channelId, userId),
    postAsUser(channelId, userId, text, options = {}) {
      const message: EmulatedMessage = { channel: channelId, ts: nextTs(), user: userId, text, ...(options.threadTs ? { threadTs: options.threadTs } : {}) };
      const list = messagesByChannel.get(channelId) ?? [];
      list.push(message);
      messagesByChannel.set(channelId, list);
      changed();
      return message;
    },
    channelByName: (name) => [...channels.values()].find((channel) => channel.name === name && !channel.isIm),
    messages: (channelId) => [...(messagesByChannel.get(channelId) ?? [])],
    dms: (userId) => [...(messagesByChannel.get(`D${userId}`) ?? [])],
    pins: (channelId) => [...(pinsByChannel.get(channelId) ?? [])],
    issueTriggerId(userId, issue = {}) {
      const id = `${++counter}.${Date.now()}.${Math.random().toString(16).slice(2, 18)}`;
      triggers.set(id, { userId, issuedAt: issue.issuedAt ?? Date.now(), used: false });
      return id;
    },
    responseUrl: () => `${base}/respond/${++responseCounter}`,
    callsTo: (method) => calls.filter((call) => call.method === method),
    setLatency(ms) {
      latencyMs = ms;
    },
    slowMethod(method, ms) {
      slowMethods.set(method, ms);
    },
    waitingCalls: (method) => [...waiting].filter((call) => call.method === method).map((call) => call.args),
    holdResponses(method, ms) {
      heldResponses.set(method, ms);
    },
    rateLimit(method, limit) {
      rateLimits.set(method, { ...limit });
    },
    clearFaults() {
      latencyMs = 0;
      for (const faults of [slowMethods, heldResponses, rateLimits, failures] as Map<string, unknown>[]) faults.clear();
    },
    failMethod(method, failure) {
      failures.set(method, { ...failure, times: failure.times ?? Number.POSITIVE_INFINITY });
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => void changeListeners.delete(listener);
    },
    homeView: (userId) => homes.get(userId),
    openHome(userId) {
      if (!events.has('app_home_opened')) throw new Error('Slack would not send app_home_opened: manifest.yml does not subscribe to it (settings.event_subscriptions.bot_events)');
      const home = homes.get(userId);
      return { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: nextTs(), ...(home ? { view: home } : {}) };
    },
    openModals: (userId) => (modalStacks.get(userId) ?? []).flatMap((id) => views.get(id) ?? []),
    closeModals(userId) {
      modalStacks.delete(userId);
      changed();
    },
    answerSubmission,
    addReaction: (channelId, ts, userId, name) => changeReaction(channelId, ts, userId, name, true),
    removeReaction: (channelId, ts, userId, name) => changeReaction(channelId, ts, userId, name, false),
    pinMessage: (channelId, ts, userId) => changePin(channelId, ts, userId, true),
    unpinMessage: (channelId, ts, userId) => changePin(channelId, ts, userId, false),
    reactions: (channelId, ts) => (reactionsByMessage.get(`${channelId} ${ts}`) ?? []).map((reaction) => ({ name: reaction.name, users: [...reaction.users] })),
    close: async () => {
      await socketMode.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/**
 * The sandbox's web page and its API: a person at the page acts as one of the sandbox's people,
 * and what they do reaches the bot exactly as Slack sends it (signed slash commands, block_actions,
 * view_submission and events to /slack/events); what the bot does through the Web API lands in the
 * Slack emulator, and the page hears of every change through server-sent events.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateMessageBlocks } from './blockKitRules.js';
import { PAGE_MESSAGES } from './pageMessages.js';
import { blocksToHtml, modalBodyToHtml, mrkdwnToHtml, textToHtml, type Names } from './render.js';
import { slackSignature } from './slackRequests.js';
import { SlackError, type EmulatedChannel, type EmulatedMessage, type SlackEmulator } from './slackEmulator.js';
import { viewState, type FieldAnswer } from './viewState.js';
import type { SandboxPerson } from './workspace.js';
import { packagePath } from '../packageRoot.js';

type Json = Record<string, any>;

export interface SandboxServerOptions {
  emulator: SlackEmulator;
  /** The bot's base URL; requests go to `${botUrl}/slack/events`. */
  botUrl: string;
  signingSecret: string;
  people: readonly SandboxPerson[];
  /** 0 picks a free port. */
  port: number;
  /** How long Slack waits for the bot's answer; 3 seconds, as Slack. */
  answerTimeoutMs?: number;
}

export interface SandboxServer {
  url: string;
  close(): Promise<void>;
}

const MESSAGE_TEXT_MAX = 40_000;
// Static files stay in src/ (the build bundles TypeScript only), found from the package root.
const PAGE_DIR = `${packagePath('src', 'sandbox', 'page')}/`;
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  '/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
};
/** The page runs only its own script and style: nothing a message says can add code. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** A refusal the page shows as an alert: an HTTP status and a sentence for the person. */
class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** An answer on a response_url goes to the person who clicked or typed, in that channel; it may replace the message clicked. */
interface ResponseTarget {
  userId: string;
  channelId: string;
  messageTs?: string;
  ephemeral?: boolean;
}

/** A message only one person sees: chat.postEphemeral, an answer to a command or a click. */
interface PrivateNote {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: Json[];
}

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const { emulator, botUrl, signingSecret } = options;
  const answerTimeoutMs = options.answerTimeoutMs ?? 3000;
  const titles = new Map(options.people.map((person) => [person.id, person.title]));
  const responseTargets = new Map<string, ResponseTarget>();
  const notes: PrivateNote[] = [];
  let responsesSeen = 0;
  let ephemeralsSeen = 0;
  /** Errors shown under a modal's fields, and a sentence above them, by view id. */
  const modalErrors = new Map<string, Record<string, string>>();
  const modalNotices = new Map<string, string>();
  const streams = new Set<ServerResponse>();
  let ticks = 0;

  const names: Names = {
    user: (id) => emulator.users.get(id)?.name,
    channel: (id) => emulator.channels.get(id)?.name,
  };
  const people = () => [...emulator.users.values()].filter((user) => !user.isBot).map((user) => ({ id: user.id, name: user.name }));

  const nowTs = () => {
    const micros = Date.now() * 1000 + (ticks++ % 1000);
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };

  /** Answers on response_urls and chat.postEphemeral become notes for their person. */
  const collectNotes = () => {
    for (const response of emulator.responses.slice(responsesSeen)) {
      const target = responseTargets.get(response.path);
      if (!target) continue;
      const body = response.body;
      if (body.delete_original === true && target.messageTs) {
        removeNote(target);
        continue;
      }
      const blocks = Array.isArray(body.blocks) && validateMessageBlocks(body.blocks).length === 0 ? (body.blocks as Json[]) : undefined;
      const text = typeof body.text === 'string' ? body.text : '';
      if (body.replace_original === true && target.messageTs && replaceOriginal(target, text, blocks)) continue;
      notes.push({ channel: target.channelId, user: target.userId, ts: nowTs(), text, ...(blocks ? { blocks } : {}) });
    }
    responsesSeen = emulator.responses.length;
    for (const ephemeral of emulator.ephemerals.slice(ephemeralsSeen)) {
      notes.push({ channel: ephemeral.channel, user: ephemeral.user, ts: ephemeral.ts, text: ephemeral.text, ...(ephemeral.blocks ? { blocks: ephemeral.blocks } : {}) });
    }
    ephemeralsSeen = emulator.ephemerals.length;
  };
  const removeNote = (target: ResponseTarget) => {
    const index = notes.findIndex((note) => note.ts === target.messageTs && note.user === target.userId);
    if (index >= 0) notes.splice(index, 1);
  };
  /** Slack replaces the message the button was on: a person's own note, or the bot's message in the channel for everyone. */
  const replaceOriginal = (target: ResponseTarget, text: string, blocks: Json[] | undefined): boolean => {
    if (target.ephemeral) {
      const note = notes.find((candidate) => candidate.ts === target.messageTs && candidate.user === target.userId);
      if (!note) return false;
      note.text = text;
      note.blocks = blocks;
      return true;
    }
    const message = emulator.messages(target.channelId).find((candidate) => candidate.ts === target.messageTs);
    if (!message || message.user !== emulator.botUserId) return false;
    message.text = text;
    message.blocks = blocks;
    message.edited = true;
    return true;
  };

  let pending: NodeJS.Timeout | undefined;
  /** Tells every open page that something changed; bursts (a declaration is a dozen calls) become one. */
  const broadcast = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      collectNotes();
      for (const stream of streams) stream.write('event: change\ndata: {}\n\n');
    }, 30);
  };
  const stopListening = emulator.onChange(broadcast);

  const person = (id: unknown): string => {
    const user = typeof id === 'string' ? emulator.users.get(id) : undefined;
    if (!user || user.isBot) throw new PageError(400, PAGE_MESSAGES.unknownPerson(String(id)));
    return user.id;
  };
  const canRead = (channel: EmulatedChannel, userId: string) => (channel.isIm || channel.isPrivate ? channel.members.has(userId) : true);
  const readableChannel = (id: string, userId: string): EmulatedChannel => {
    const channel = emulator.channels.get(id);
    if (!channel || !canRead(channel, userId)) throw new PageError(404, PAGE_MESSAGES.noChannel);
    return channel;
  };
  const channelLabel = (channel: EmulatedChannel) => (channel.isIm ? `@${emulator.users.get(emulator.botUserId)?.name ?? 'app'}` : `#${channel.name}`);

  // --- Requests to the bot, as Slack sends them ---

  /** POSTs a signed request to the bot; Slack gives up after 3 seconds. */
  const toBot = async (body: string, contentType: string): Promise<{ status: number; text: string }> => {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(`${botUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(signingSecret, timestamp, body) },
        body,
        signal: AbortSignal.timeout(answerTimeoutMs),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { status: 0, text: 'operation_timeout' };
      return { status: 0, text: 'connection_refused' };
    }
  };
  const interaction = (payload: Json) => toBot(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  const event = (payload: Json) =>
    toBot(
      JSON.stringify({
        token: 'deprecated-verification-token',
        team_id: 'T0001',
        api_app_id: 'A0001',
        type: 'event_callback',
        event_id: `Ev${Date.now().toString(36).toUpperCase()}${(ticks++).toString(36).toUpperCase()}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: 'T0001', user_id: emulator.botUserId, is_bot: true, is_enterprise_install: false }],
        event: payload,
      }),
      'application/json',
    );
  const deliverEvent = async (payload: Json | undefined) => {
    if (!payload) return;
    const answer = await event(payload);
    if (answer.status !== 200) throw new PageError(502, PAGE_MESSAGES.eventFailed(answer.status === 0 ? answer.text : `HTTP ${answer.status}`));
  };
  const parseJson = (text: string): Json | undefined => {
    try {
      return text ? (JSON.parse(text) as Json) : undefined;
    } catch {
      return undefined;
    }
  };
  const respondUrl = (target: ResponseTarget) => {
    const url = emulator.responseUrl();
    responseTargets.set(new URL(url).pathname, target);
    return url;
  };
  const userJson = (userId: string) => ({ id: userId, username: names.user(userId)?.toLowerCase() ?? userId, name: names.user(userId)?.toLowerCase() ?? userId, team_id: 'T0001' });

  // --- What a person does ---

  const joinIfPublic = async (channel: EmulatedChannel, userId: string) => {
    if (channel.members.has(userId) || channel.isPrivate || channel.isIm) return;
    // The bot hears of a join only in channels it is in, as with Slack.
    if (channel.members.has(emulator.botUserId)) await deliverEvent(emulator.memberJoined(channel.id, userId));
    else channel.members.add(userId);
  };

  const postMessage = async (channelId: string, body: Json) => {
    const userId = person(body.as);
    const channel = readableChannel(channelId, userId);
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (!text) throw new PageError(400, PAGE_MESSAGES.emptyMessage);
    if (text.length > MESSAGE_TEXT_MAX) throw new PageError(400, PAGE_MESSAGES.messageTooLong(MESSAGE_TEXT_MAX));
    if (text.startsWith('/')) return runCommand(channel, userId, text);
    if (channel.isArchived) throw new PageError(400, PAGE_MESSAGES.archived);
    await joinIfPublic(channel, userId);
    const message = emulator.postAsUser(channel.id, userId, asSlackText(text));
    return { ts: message.ts };
  };

  /**
   * What Slack makes of typed text (and of a command's, the app's manifest asking `should_escape`):
   * &, < and > escaped, `@Name` of a person and `#name` of a channel turned into mentions.
   */
  const asSlackText = (typed: string) =>
    typed
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/(^|[\s(])@([A-Za-z][\w.-]*)/g, (whole, before: string, name: string) => {
        const user = [...emulator.users.values()].find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
        return user ? `${before}<@${user.id}|${user.name.toLowerCase()}>` : whole;
      })
      .replace(/(^|[\s(])#([a-z0-9_-]+)/g, (whole, before: string, name: string) => {
        const channel = [...emulator.channels.values()].find((candidate) => !candidate.isIm && candidate.name === name);
        return channel ? `${before}<#${channel.id}|${channel.name}>` : whole;
      });

  const runCommand = async (channel: EmulatedChannel, userId: string, typed: string) => {
    const command = typed.split(/\s+/)[0] ?? '';
    if (command !== '/incident') throw new PageError(400, PAGE_MESSAGES.unknownCommand(command));
    const text = asSlackText(typed.slice(command.length).trim());
    const body = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: 'T0001',
      team_domain: 'acme',
      channel_id: channel.id,
      channel_name: channel.isIm ? 'directmessage' : channel.name,
      user_id: userId,
      user_name: names.user(userId)?.toLowerCase() ?? userId,
      command,
      text,
      api_app_id: 'A0001',
      is_enterprise_install: 'false',
      response_url: respondUrl({ userId, channelId: channel.id }),
      trigger_id: emulator.issueTriggerId(userId),
    }).toString();
    const answer = await toBot(body, 'application/x-www-form-urlencoded');
    if (answer.status !== 200) throw new PageError(502, PAGE_MESSAGES.commandFailed(command, answer.status === 0 ? answer.text : 'http_service_error'));
    const acked = parseJson(answer.text);
    // An answer in the ack is shown only to the person who typed the command, as Slack does.
    if (acked && (typeof acked.text === 'string' || Array.isArray(acked.blocks))) {
      notes.push({ channel: channel.id, user: userId, ts: nowTs(), text: String(acked.text ?? ''), ...(Array.isArray(acked.blocks) ? { blocks: acked.blocks as Json[] } : {}) });
    }
    broadcast();
    return {};
  };

  const findButton = (blocks: Json[] | undefined, blockId: string, actionId: string, value: string): Json | undefined => {
    for (const block of blocks ?? []) {
      if (String(block.block_id ?? '') !== blockId) continue;
      const elements: Json[] = block.type === 'actions' ? (block.elements ?? []) : block.accessory ? [block.accessory] : [];
      const found = elements.find((element) => element.type === 'button' && element.action_id === actionId && String(element.value ?? '') === value);
      if (found) return found;
    }
    return undefined;
  };

  /** What every interaction payload says about where it comes from, as Slack sends it; a fresh trigger id each time. */
  const interactionFrom = (userId: string) => ({
    team: { id: 'T0001', domain: 'acme' },
    user: userJson(userId),
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    trigger_id: emulator.issueTriggerId(userId),
  });

  const clickButton = async (channelId: string, body: Json) => {
    const userId = person(body.as);
    const channel = readableChannel(channelId, userId);
    const [ts, blockId, actionId, value] = [body.ts, body.blockId, body.actionId, body.value].map((field) => (typeof field === 'string' ? field : ''));
    const note = notes.find((candidate) => candidate.ts === ts && candidate.user === userId && candidate.channel === channel.id);
    const message: { ts: string; text: string; blocks?: Json[] } | undefined = note ?? emulator.messages(channel.id).find((candidate) => candidate.ts === ts);
    const button = message ? findButton(message.blocks, blockId!, actionId!, value!) : undefined;
    if (!message || !button) throw new PageError(409, PAGE_MESSAGES.noSuchButton);
    const payload = {
      type: 'block_actions',
      ...interactionFrom(userId),
      response_url: respondUrl({ userId, channelId: channel.id, messageTs: message.ts, ephemeral: Boolean(note) }),
      container: { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: Boolean(note) },
      channel: { id: channel.id, name: channel.name },
      message: { type: 'message', ts: message.ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) },
      state: { values: {} },
      actions: [{ type: 'button', action_id: actionId, block_id: blockId, value, text: button.text, action_ts: nowTs() }],
    };
    const answer = await interaction(payload);
    if (answer.status !== 200) throw new PageError(502, PAGE_MESSAGES.actionFailed(answer.status === 0 ? answer.text : `HTTP ${answer.status}`));
    return {};
  };

  const react = async (channelId: string, body: Json) => {
    const userId = person(body.as);
    const channel = readableChannel(channelId, userId);
    const name = typeof body.name === 'string' ? body.name : '';
    const ts = typeof body.ts === 'string' ? body.ts : '';
    try {
      await joinIfPublic(channel, userId);
      const payload = body.add === false ? emulator.removeReaction(channel.id, ts, userId, name) : emulator.addReaction(channel.id, ts, userId, name);
      await deliverEvent(payload);
    } catch (error) {
      if (error instanceof SlackError) throw new PageError(400, PAGE_MESSAGES.slackRefused(error.code));
      throw error;
    }
    return {};
  };

  const topModal = (viewId: string, userId: string) => {
    const stack = emulator.openModals(userId);
    const top = stack[stack.length - 1];
    if (!top || top.id !== viewId) throw new PageError(409, PAGE_MESSAGES.modalNotOpen);
    return top;
  };

  const submitModal = async (viewId: string, body: Json) => {
    const userId = person(body.as);
    const modal = topModal(viewId, userId);
    const answers = body.values && typeof body.values === 'object' && !Array.isArray(body.values) ? (body.values as Record<string, FieldAnswer>) : {};
    const state = viewState(modal.view, answers, new Set(people().map((candidate) => candidate.id)));
    modalNotices.delete(viewId);
    if ('refused' in state) throw new PageError(400, PAGE_MESSAGES.refusedPayload(state.refused));
    if ('errors' in state) {
      modalErrors.set(viewId, state.errors);
      broadcast();
      return { errors: state.errors };
    }
    modalErrors.delete(viewId);
    const payload = {
      type: 'view_submission',
      ...interactionFrom(userId),
      view: { ...modal.view, state: { values: state.values } },
      response_urls: [],
      is_enterprise_install: false,
    };
    const answer = await interaction(payload);
    if (answer.status !== 200) {
      const notice = answer.status === 0 && answer.text === 'operation_timeout' ? PAGE_MESSAGES.noAnswerInTime(answerTimeoutMs / 1000) : PAGE_MESSAGES.botRejected(answer.status);
      modalNotices.set(viewId, notice);
      broadcast();
      throw new PageError(502, notice);
    }
    const outcome = emulator.answerSubmission(viewId, parseJson(answer.text));
    if (outcome.kind === 'errors') modalErrors.set(viewId, outcome.errors);
    if (outcome.kind === 'refused') {
      const notice = PAGE_MESSAGES.unusableAnswer(outcome.problem);
      modalNotices.set(viewId, notice);
      throw new PageError(502, notice);
    }
    broadcast();
    return { outcome: outcome.kind, ...(outcome.kind === 'errors' ? { errors: outcome.errors } : {}) };
  };

  /**
   * A choice in an input with dispatch_action: Slack sends block_actions at once, with the form's
   * state as it stands, and the app may redraw the form (views.update) before it is submitted.
   */
  const modalAction = async (viewId: string, body: Json) => {
    const userId = person(body.as);
    const modal = topModal(viewId, userId);
    const blockId = typeof body.blockId === 'string' ? body.blockId : '';
    const actionId = typeof body.actionId === 'string' ? body.actionId : '';
    const block = modal.view.blocks.find((candidate) => candidate.type === 'input' && String(candidate.block_id) === blockId);
    if (!block || block.dispatch_action !== true || block.element?.action_id !== actionId) throw new PageError(400, PAGE_MESSAGES.refusedPayload(`${blockId} does not send its choices to the app`));
    const answers = body.values && typeof body.values === 'object' && !Array.isArray(body.values) ? (body.values as Record<string, FieldAnswer>) : {};
    const state = viewState(modal.view, answers, new Set(people().map((candidate) => candidate.id)), 'action');
    if ('refused' in state) throw new PageError(400, PAGE_MESSAGES.refusedPayload(state.refused));
    if ('errors' in state) throw new PageError(400, PAGE_MESSAGES.refusedPayload(Object.values(state.errors).join('; ')));
    const payload = {
      type: 'block_actions',
      ...interactionFrom(userId),
      container: { type: 'view', view_id: modal.id },
      view: { ...modal.view, state: { values: state.values } },
      actions: [{ ...state.values[blockId]?.[actionId], action_id: actionId, block_id: blockId, action_ts: nowTs() }],
      is_enterprise_install: false,
    };
    const answer = await interaction(payload);
    if (answer.status !== 200) throw new PageError(502, PAGE_MESSAGES.actionFailed(answer.status === 0 ? answer.text : `HTTP ${answer.status}`));
    return {};
  };

  const closeModal = (viewId: string, body: Json) => {
    const userId = person(body.as);
    topModal(viewId, userId);
    emulator.closeModals(userId);
    return {};
  };

  /** The person opens the app's Home tab: Slack tells the app (app_home_opened), which may publish it. */
  const openHome = async (body: Json) => {
    const userId = person(body.as);
    await deliverEvent(emulator.openHome(userId));
    return {};
  };

  /** A button on the Home tab: block_actions from the Home view, as Slack sends it. */
  const clickHomeButton = async (body: Json) => {
    const userId = person(body.as);
    const home = emulator.homeView(userId);
    const [blockId, actionId, value] = [body.blockId, body.actionId, body.value].map((field) => (typeof field === 'string' ? field : ''));
    const button = home ? findButton(home.blocks as Json[] | undefined, blockId!, actionId!, value!) : undefined;
    if (!home || !button) throw new PageError(409, PAGE_MESSAGES.noSuchHomeButton);
    const payload = {
      type: 'block_actions',
      ...interactionFrom(userId),
      container: { type: 'view', view_id: home.id },
      view: { ...home, state: { values: {} } },
      actions: [{ type: 'button', action_id: actionId, block_id: blockId, value, text: button.text, action_ts: nowTs() }],
      is_enterprise_install: false,
    };
    const answer = await interaction(payload);
    if (answer.status !== 200) throw new PageError(502, PAGE_MESSAGES.actionFailed(answer.status === 0 ? answer.text : `HTTP ${answer.status}`));
    return {};
  };

  // --- What a person sees ---

  /** The Home tab as the app last published it for this person (views.publish), or null before it has. */
  const homeTab = (userId: string) => {
    const home = emulator.homeView(userId);
    const blocks: Json[] = Array.isArray(home?.blocks) ? (home.blocks as Json[]) : [];
    return { html: home ? blocksToHtml(blocks, names) : null };
  };

  const state = (userId: string) => {
    const channels = [...emulator.channels.values()]
      .filter((channel) => canRead(channel, userId))
      .sort((a, b) => Number(a.isIm) - Number(b.isIm) || a.name.localeCompare(b.name))
      .map((channel) => ({ id: channel.id, label: channelLabel(channel), isPrivate: channel.isPrivate && !channel.isIm, isArchived: channel.isArchived, isMember: channel.members.has(userId) }));
    const stack = emulator.openModals(userId);
    const top = stack[stack.length - 1];
    const modal = top
      ? {
          id: top.id,
          // Changes when the app redraws the form (views.update): the page then shows the new form, keeping what was typed.
          hash: top.hash,
          title: top.view.title?.text ?? '',
          submit: top.view.submit?.text ?? null,
          close: top.view.close?.text ?? 'Cancel',
          html: modalBodyToHtml(top.view, people(), modalErrors.get(top.id) ?? {}, names),
          notice: modalNotices.get(top.id) ?? null,
        }
      : null;
    return { me: userId, people: people().map((candidate) => ({ ...candidate, title: titles.get(candidate.id) ?? '' })), channels, modal };
  };

  const messageJson = (message: EmulatedMessage | PrivateNote, userId: string, channel: EmulatedChannel, ephemeral: boolean) => {
    const author = 'user' in message && !ephemeral ? message.user : emulator.botUserId;
    const reactions = ephemeral ? [] : emulator.reactions(channel.id, message.ts);
    const files = 'files' in message && message.files ? message.files.filter((file) => emulator.files.has(file.id)) : [];
    return {
      ts: message.ts,
      author: names.user(author) ?? author,
      isBot: author === emulator.botUserId,
      ephemeral,
      inThread: 'threadTs' in message && Boolean(message.threadTs) && message.threadTs !== message.ts,
      time: new Date(Number(message.ts) * 1000).toISOString().slice(11, 16),
      html: message.blocks && message.blocks.length > 0 ? blocksToHtml(message.blocks, names) : mrkdwnToHtml(message.text, names),
      reactions: reactions.map((reaction) => ({ name: reaction.name, emoji: textToHtml({ type: 'plain_text', text: `:${reaction.name}:` }, names), count: reaction.users.length, mine: reaction.users.includes(userId) })),
      files: files.map((file) => ({ id: file.id, name: file.name, title: file.title })),
    };
  };

  const channelView = (channelId: string, userId: string) => {
    const channel = readableChannel(channelId, userId);
    collectNotes();
    const messages = [
      ...emulator.messages(channel.id).map((message) => messageJson(message, userId, channel, false)),
      ...notes.filter((note) => note.channel === channel.id && note.user === userId).map((note) => messageJson(note, userId, channel, true)),
    ].sort((a, b) => Number(a.ts) - Number(b.ts));
    const pinned = emulator
      .pins(channel.id)
      .map((ts) => emulator.messages(channel.id).find((message) => message.ts === ts))
      .filter((message): message is EmulatedMessage => Boolean(message))
      .map((message) => ({ ts: message.ts, html: message.blocks ? blocksToHtml(message.blocks.slice(0, 1), names) : mrkdwnToHtml(message.text.slice(0, 200), names) }));
    return {
      id: channel.id,
      label: channelLabel(channel),
      topicHtml: channel.topic ? mrkdwnToHtml(channel.topic, names) : '',
      isArchived: channel.isArchived,
      isMember: channel.members.has(userId),
      members: [...channel.members].map((id) => names.user(id) ?? id),
      pinned,
      messages,
    };
  };

  const fileFor = (fileId: string, userId: string) => {
    const file = emulator.files.get(fileId);
    const shared = file?.channels.some((channelId) => {
      const channel = emulator.channels.get(channelId);
      return channel ? canRead(channel, userId) : false;
    });
    if (!file || !shared || file.content === undefined) throw new PageError(404, PAGE_MESSAGES.fileNotFound);
    return file;
  };

  // --- HTTP ---

  const sendJson = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
    response.end(JSON.stringify(body));
  };
  const readJson = async (request: IncomingMessage): Promise<Json> => {
    // JSON only: a form on another site cannot send it without the browser asking first.
    if (!request.headers['content-type']?.startsWith('application/json')) throw new PageError(415, PAGE_MESSAGES.badRequest);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new PageError(413, PAGE_MESSAGES.messageTooLong(MESSAGE_TEXT_MAX));
      chunks.push(chunk as Buffer);
    }
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Json;
    } catch {
      throw new PageError(400, PAGE_MESSAGES.badRequest);
    }
  };

  let port = options.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // The page has no login: only a browser on this machine, by this machine's name, may use it.
    if (!allowedHosts().has(request.headers.host ?? '')) throw new PageError(421, PAGE_MESSAGES.badRequest);
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    const page = PAGE_FILES[path];
    if (request.method === 'GET' && page) {
      response.writeHead(200, { 'content-type': page.type, ...SECURITY_HEADERS });
      return void response.end(readFileSync(`${PAGE_DIR}${page.file}`));
    }
    if (request.method === 'GET' && path === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write('retry: 1000\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    const as = url.searchParams.get('as') ?? '';
    if (request.method === 'GET' && path === '/api/state') return sendJson(response, 200, state(person(as)));
    const channelMatch = /^\/api\/channels\/([A-Z0-9]+)(?:\/(messages|actions|reactions))?$/.exec(path);
    if (channelMatch && request.method === 'GET' && !channelMatch[2]) return sendJson(response, 200, channelView(channelMatch[1]!, person(as)));
    if (channelMatch && request.method === 'POST' && channelMatch[2]) {
      const body = await readJson(request);
      const act = { messages: postMessage, actions: clickButton, reactions: react }[channelMatch[2] as 'messages' | 'actions' | 'reactions'];
      return sendJson(response, 200, { ok: true, ...(await act(channelMatch[1]!, body)) });
    }
    const viewMatch = /^\/api\/views\/([A-Z0-9]+)\/(submit|close|actions)$/.exec(path);
    if (viewMatch && request.method === 'POST') {
      const body = await readJson(request);
      const act = { submit: submitModal, close: closeModal, actions: modalAction }[viewMatch[2] as 'submit' | 'close' | 'actions'];
      return sendJson(response, 200, { ok: true, ...(await act(viewMatch[1]!, body)) });
    }
    if (request.method === 'GET' && path === '/api/home') return sendJson(response, 200, homeTab(person(as)));
    const homeMatch = /^\/api\/home\/(open|actions)$/.exec(path);
    if (homeMatch && request.method === 'POST') {
      const body = await readJson(request);
      return sendJson(response, 200, { ok: true, ...(await (homeMatch[1] === 'open' ? openHome(body) : clickHomeButton(body))) });
    }
    const fileMatch = /^\/files\/([A-Z0-9]+)$/.exec(path);
    if (fileMatch && request.method === 'GET') {
      const file = fileFor(fileMatch[1]!, person(as));
      const disposition = url.searchParams.has('download') ? 'attachment' : 'inline';
      response.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': `${disposition}; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
        ...SECURITY_HEADERS,
      });
      return void response.end(file.content);
    }
    throw new PageError(404, PAGE_MESSAGES.badRequest);
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.end();
      if (error instanceof PageError) return sendJson(response, error.status, { ok: false, error: error.message });
      sendJson(response, 500, { ok: false, error: `The sandbox failed: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        stopListening();
        if (pending) clearTimeout(pending);
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

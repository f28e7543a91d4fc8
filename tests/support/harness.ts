import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSlackEmulator, type EmulatedChannel, type EmulatedMessage, type SlackEmulator, type SlackEmulatorOptions, type EmulatedView } from '../../src/sandbox/slackEmulator.js';
import { scratchDir, startApp, type RunningApp } from './launcher.js';
import { fillModal, viewSubmission, type Answer } from './modals.js';
import { blockActions, httpSender, SIGNING_SECRET, type SignOptions, type SlackResponse, type SlackSender } from '../../src/sandbox/slackRequests.js';

/** A fake Slack and the real bot wired to it, each test's own, with a scratch database. */
export interface Harness {
  fake: SlackEmulator;
  app: RunningApp;
  dir: string;
  dbPath: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** What the request helpers below need: the fake Slack, and the bot's URL (a child process's, or an in-process Bolt app's). */
export interface BotUnderTest {
  fake: SlackEmulator;
  app: { url: string };
  /** How requests reach the bot: signed HTTP to app.url unless given (e.g. socketModeSender for Socket Mode). */
  sender?: SlackSender;
}

/** The bot's sender; over HTTP, signed as `sign` says (forgery and replay tests). */
function senderFor(h: BotUnderTest, { timestamp, secret, signature }: SignOptions = {}): SlackSender {
  return h.sender ?? httpSender(h.app.url, { timestamp, secret, signature });
}

export function appEnvironment(fake: SlackEmulator, dir: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    DATABASE_PATH: join(dir, 'data', 'incidents.db'),
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

/** `nodeFlags`: for node itself, before the script (`--cpu-prof`, which NODE_OPTIONS may not carry). */
export async function startHarness(options: { env?: Record<string, string>; fake?: SlackEmulatorOptions; nodeFlags?: string[] } = {}): Promise<Harness> {
  const fake = await startSlackEmulator(options.fake);
  const dir = scratchDir();
  const env = appEnvironment(fake, dir, options.env);
  const harness: Harness = {
    fake,
    app: await startApp(env, { cwd: dir, ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}) }),
    dir,
    dbPath: env.DATABASE_PATH ?? '',
    env,
    async close() {
      // The app running now: a test may have restarted it.
      await harness.app.stop();
      await fake.close();
    },
  };
  return harness;
}

/** Polls until `probe` returns something truthy: the bot works after it answers Slack. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface CommandOptions extends SignOptions {
  userId?: string;
  channelId?: string;
  triggerId?: string;
}

export function runCommand(h: BotUnderTest, text: string, options: CommandOptions & { responseUrl?: string } = {}): Promise<SlackResponse> {
  const userId = options.userId ?? 'UALICE';
  return senderFor(h, options).slashCommand(
    {
      text,
      userId,
      channelId: options.channelId ?? 'CGENERAL',
      triggerId: options.triggerId ?? h.fake.issueTriggerId(userId),
      responseUrl: options.responseUrl ?? h.fake.responseUrl(),
    },
    { retryNum: options.retryNum },
  );
}

/**
 * `/incident <text>` and what the user is told, only to them: the ack's text when the bot answered
 * at once, or what it later posted to the command's response_url.
 */
export async function ask(h: BotUnderTest, text: string, options: CommandOptions = {}): Promise<string> {
  const responseUrl = h.fake.responseUrl();
  const response = await runCommand(h, text, { ...options, responseUrl });
  if (response.status !== 200) throw new Error(`/incident ${text} answered ${response.status}: ${response.text}`);
  const acked = response.json as { text?: string } | undefined;
  if (acked?.text) return acked.text;
  const path = new URL(responseUrl).pathname;
  const reply = await waitFor(() => h.fake.responses.find((candidate) => candidate.path === path), `a reply to /incident ${text}`);
  return String(reply.body.text);
}

/**
 * `/incident note <text>` as a person types it, when it goes well: acked, then said in the channel
 * (`:memo: *Note* from …`), which is all the answer it gets. Returns the channel's note message.
 */
export async function addNote(h: BotUnderTest, note: string, options: CommandOptions & { channelId: string }): Promise<EmulatedMessage> {
  const userId = options.userId ?? 'UALICE';
  const before = h.fake.messages(options.channelId).length;
  const responseUrl = h.fake.responseUrl();
  const response = await runCommand(h, `note ${note}`, { ...options, userId, responseUrl });
  if (response.status !== 200) throw new Error(`/incident note ${note} answered ${response.status}: ${response.text}`);
  if (response.text) throw new Error(`/incident note ${note} was answered in its ack: ${response.text}`);
  const posted = await waitFor(
    () => h.fake.messages(options.channelId).slice(before).find((message) => message.text.startsWith(`:memo: *Note* from <@${userId}>:`)),
    `the note "${note}" in the channel`,
  );
  const replies = h.fake.responses.filter((reply) => reply.path === new URL(responseUrl).pathname);
  if (replies.length > 0) throw new Error(`/incident note ${note} was answered on its response_url: ${JSON.stringify(replies.map((reply) => reply.body))}`);
  return posted;
}

/** Runs something that should open a modal and returns the modal it opened. */
export async function expectModal(h: BotUnderTest, open: () => Promise<unknown>): Promise<EmulatedView> {
  const before = new Set(h.fake.views.keys());
  await open();
  return waitFor(() => [...h.fake.views.values()].find((candidate) => !before.has(candidate.id)), 'a modal to open');
}

/** A click on a button in a message, as Slack sends it (block_actions). Resolves with the response_url used. */
export async function clickButton(h: BotUnderTest, options: { userId: string; channelId: string; messageTs: string; actionId: string; value: string }): Promise<{ response: SlackResponse; responseUrl: string }> {
  const responseUrl = h.fake.responseUrl();
  const response = await senderFor(h).interaction(blockActions({ ...options, triggerId: h.fake.issueTriggerId(options.userId), responseUrl }));
  return { response, responseUrl };
}

/** What the bot posted to a response_url, once it has. */
export function replyAt(h: BotUnderTest, responseUrl: string): Promise<Record<string, any>> {
  const path = new URL(responseUrl).pathname;
  return waitFor(() => h.fake.responses.find((candidate) => candidate.path === path)?.body, 'a reply on the response_url');
}

/** `/incident declare <text>` and the modal it opened. */
export async function openDeclareForm(h: BotUnderTest, text: string, options: CommandOptions = {}): Promise<{ response: SlackResponse; view: EmulatedView }> {
  const before = new Set(h.fake.views.keys());
  const response = await runCommand(h, `declare ${text}`.trim(), options);
  const view = await waitFor(() => [...h.fake.views.values()].find((candidate) => !before.has(candidate.id)), 'the declare modal to open');
  return { response, view };
}

export function submitForm(h: BotUnderTest, view: EmulatedView, answers: Record<string, Answer>, userId = 'UALICE', options: SignOptions = {}): Promise<SlackResponse> {
  return senderFor(h, options).interaction(viewSubmission(view.view, userId, fillModal(view.view, answers)), { retryNum: options.retryNum });
}

/** The text of every section in a view or message, joined: what a person reads. */
export function visibleText(blocks: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.text === 'string') texts.push(record.text);
      for (const [key, value] of Object.entries(record)) if (key !== 'text' || typeof value !== 'string') walk(value);
    }
  };
  walk(blocks);
  return texts.join('\n');
}

/** Waits until the declare modal shows its outcome (declared or not) and returns what it says. */
export async function declareOutcome(h: BotUnderTest, viewId: string): Promise<string> {
  return waitFor(() => {
    const text = visibleText(h.fake.views.get(viewId)?.view.blocks);
    return /Incident declared|was \*not\* declared/.test(text) ? text : undefined;
  }, 'the declare modal to show the outcome');
}

export interface DeclareAnswers {
  title?: string;
  severity?: string;
  impact?: string;
  commander?: string;
  isPrivate?: boolean;
  /** "Impact started at", as typed. */
  impactStartedAt?: string;
  userId?: string;
}

/** The whole declare flow as a user does it; resolves with the incident channel. */
export async function declareIncident(h: BotUnderTest, answers: DeclareAnswers): Promise<{ channel: EmulatedChannel; view: EmulatedView; outcome: string }> {
  const userId = answers.userId ?? 'UALICE';
  const { view } = await openDeclareForm(h, answers.title ?? '', { userId });
  const form: Record<string, Answer> = { Severity: answers.severity ?? 'SEV2' };
  if (answers.impact !== undefined) form['What is happening / impact'] = answers.impact;
  if (answers.commander !== undefined) form['Incident commander'] = answers.commander;
  if (answers.isPrivate !== undefined) form.Visibility = answers.isPrivate;
  if (answers.impactStartedAt !== undefined) form['Impact started at'] = answers.impactStartedAt;
  const response = await submitForm(h, view, form, userId);
  if (response.status !== 200) throw new Error(`submission answered ${response.status}: ${response.text}`);
  const outcome = await declareOutcome(h, view.id);
  const channelId = /<#(C[A-Z0-9]+)>/.exec(outcome)?.[1];
  const channel = channelId ? h.fake.channels.get(channelId) : undefined;
  if (!channel) throw new Error(`no incident channel declared; the modal says: ${outcome}`);
  return { channel, view, outcome };
}

/** Read-only look into the bot's database, as an operator would with sqlite3. */
export function readDatabase(dbPath: string) {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return {
      incidents: db.prepare('select * from incidents order by id').all() as Record<string, unknown>[],
      participants: db.prepare('select * from participants order by incident_id, since, user_id').all() as Record<string, unknown>[],
      timeline: db.prepare('select * from timeline_entries order by incident_id, at, id').all() as Record<string, unknown>[],
      actionItems: db.prepare('select * from action_items order by id').all() as Record<string, unknown>[],
      reminders: db.prepare('select * from reminders order by incident_id').all() as Record<string, unknown>[],
      statusDrafts: db.prepare('select * from status_drafts order by id').all() as Record<string, unknown>[],
      escalations: db.prepare('select * from escalations order by incident_id, paged_at').all() as Record<string, unknown>[],
      postmortems: db.prepare('select * from postmortems order by incident_id').all() as Record<string, unknown>[],
      workInProgress: db.prepare('select * from work_in_progress order by id').all() as Record<string, unknown>[],
      /** How many pieces of work the bot has ever put in its work journal (ids are never reused). */
      workStarted: (db.prepare("select seq from sqlite_sequence where name = 'work_in_progress'").get() as { seq: number } | undefined)?.seq ?? 0,
    };
  } finally {
    db.close();
  }
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);

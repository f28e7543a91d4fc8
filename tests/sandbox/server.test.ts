/**
 * The sandbox server's API with the real bot in-process (no browser): what a person at the page
 * may do, what they see, and what is refused as Slack refuses it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGNING_SECRET } from '../../src/sandbox/slackRequests.js';
import { SANDBOX_PEOPLE } from '../../src/sandbox/workspace.js';
import { startSandboxServer } from '../../src/sandbox/server.js';
import type { InProcessBot } from '../support/inProcess.js';
import { startSandboxPage, type SandboxPage } from '../support/sandboxPage.js';
import { waitFor } from '../support/harness.js';

type Json = Record<string, any>;

let page: SandboxPage;
let bot: InProcessBot;
const api: SandboxPage['api'] = (method, path, body) => page.api(method, path, body);
const state = (as?: string) => page.state(as);
const modalOf = (as?: string) => page.modalOf(as);

const say = (channel: string, text: string, as = 'UALICE') => api('POST', `/api/channels/${channel}/messages`, { as, text });

async function declare(title: string, values: Json = {}, as = 'UALICE') {
  expect((await say('CGENERAL', `/incident declare ${title}`, as)).status).toBe(200);
  const modal = await modalOf(as);
  const submitted = await api('POST', `/api/views/${modal.id}/submit`, { as, values: { title, severity: 'SEV2', impact: null, commander: as, visibility: [], ...values } });
  expect(submitted.json).toMatchObject({ ok: true, outcome: 'updated' });
  // Live once the modal says so: its channel, topic and summary exist.
  await waitFor(async () => /Incident declared/.test((await state(as)).modal?.html ?? ''), 'the declare modal to say it is declared');
  const channel = ((await state(as)).channels as Json[]).find((candidate) => candidate.label.startsWith('#incident-'));
  return channel as { id: string; label: string };
}

beforeEach(async () => {
  page = await startSandboxPage();
  bot = page.bot;
});
afterEach(() => page.close());

describe('the sandbox page API', () => {
  it('declares from a slash command: the form checks required fields as Slack does, then the channel appears for its people', async () => {
    await say('CGENERAL', '/incident declare');
    const modal = await modalOf();
    expect(modal.title).toBe('Declare an incident');
    const empty = await api('POST', `/api/views/${modal.id}/submit`, { as: 'UALICE', values: { title: null, severity: 'SEV2', impact: null, commander: 'UALICE', visibility: [] } });
    expect(empty.json.errors).toEqual({ title: 'Please fill out this field.' });
    expect((await state()).modal.html).toContain('Please fill out this field.');
    expect([...bot.fake.channels.values()].filter((candidate) => candidate.name.startsWith('incident-'))).toEqual([]);
    const channel = await declare('Checkout is down');
    expect(channel.label).toMatch(/^#incident-\d{4}-\d{2}-\d{2}-checkout-is-down$/);
    const view = (await api('GET', `/api/channels/${channel.id}?as=UALICE`)).json;
    expect(view.topicHtml).toContain('SEV2 · Investigating · IC');
    expect(view.pinned).toHaveLength(1);
    expect(view.members).toEqual(expect.arrayContaining(['Alice', 'incident']));
  });

  it('shows a private incident only to its members, and refuses it to others', async () => {
    const channel = await declare('Credentials leaked', { visibility: ['private'] });
    expect(((await state('UCAROL')).channels as Json[]).map((candidate) => candidate.id)).not.toContain(channel.id);
    const refused = await api('GET', `/api/channels/${channel.id}?as=UCAROL`);
    expect(refused.status).toBe(404);
    expect(refused.json.error).toBe('That channel does not exist, or is private and you are not in it.');
  });

  it('refuses what Slack would never send: an option the form does not offer, a person who does not exist, a stray field', async () => {
    await say('CGENERAL', '/incident declare Outage');
    const modal = await modalOf();
    const values = { title: 'Outage', severity: 'SEV2', impact: null, commander: 'UALICE', visibility: [] };
    for (const [change, problem] of [
      [{ severity: 'SEV9' }, 'severity: "SEV9" is not one of its options'],
      [{ commander: 'UNOBODY' }, 'commander: no person UNOBODY'],
      [{ extra: 'x' }, 'the modal has no input extra'],
    ] as const) {
      const answer = await api('POST', `/api/views/${modal.id}/submit`, { as: 'UALICE', values: { ...values, ...change } });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe(`Slack would not send this form: ${problem}.`);
    }
    expect((await api('GET', '/api/state?as=UMALLORY')).json.error).toMatch(/no person UMALLORY/);
    expect((await say('CGENERAL', '   ')).json.error).toBe('Type a message first.');
    expect((await say('CGENERAL', '/deploy now')).json.error).toBe('/deploy is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.');
  });

  it('shows ephemeral answers only to the person they are for', async () => {
    await say('CGENERAL', '/incident help');
    const alice = (await api('GET', '/api/channels/CGENERAL?as=UALICE')).json.messages as Json[];
    const bob = (await api('GET', '/api/channels/CGENERAL?as=UBOB')).json.messages as Json[];
    expect(alice.filter((message) => message.ephemeral).length).toBe(1);
    expect(alice.some((message) => /declare/.test(message.html) && message.ephemeral && message.author === 'incident')).toBe(true);
    expect(bob.filter((message) => message.ephemeral)).toEqual([]);
  });

  it('turns @Name and #channel into mentions as Slack does, and escapes the rest', async () => {
    const posted = await say('CGENERAL', '@bob see #incidents & <b>this</b>');
    const message = ((await api('GET', '/api/channels/CGENERAL?as=UCAROL')).json.messages as Json[]).find((candidate) => candidate.ts === posted.json.ts)!;
    expect(message.html).toBe('<span class="s-mention s-user">@Bob</span> see <span class="s-mention s-channel">#incidents</span> &amp; &lt;b&gt;this&lt;/b&gt;');
    expect(bot.fake.messages('CGENERAL').at(-1)?.text).toBe('<@UBOB|bob> see <#CINCIDENTS|incidents> &amp; &lt;b&gt;this&lt;/b&gt;');
  });

  it(':pushpin: on a message reaches the bot as reaction_added, once per person', async () => {
    const channel = await declare('Pins');
    const posted = await say(channel.id, 'Rolled back <deploy> 4521');
    const ts = posted.json.ts as string;
    expect((await api('POST', `/api/channels/${channel.id}/reactions`, { as: 'UALICE', ts, name: 'pushpin' })).json).toEqual({ ok: true });
    await waitFor(() => bot.logs.find((line) => line.msg === 'message pinned to the timeline'), 'the bot to put the message on the timeline');
    const again = await api('POST', `/api/channels/${channel.id}/reactions`, { as: 'UALICE', ts, name: 'pushpin' });
    expect(again.json.error).toBe('Slack refused that: already_reacted.');
    const view = (await api('GET', `/api/channels/${channel.id}?as=UALICE`)).json;
    const message = (view.messages as Json[]).find((candidate) => candidate.ts === ts)!;
    expect(message.html).toBe('Rolled back &lt;deploy&gt; 4521');
    expect(message.reactions).toEqual([{ name: 'pushpin', emoji: '📌', count: 1, mine: true }]);
  });

  it('clicks a message button as block_actions; a button that is not on the message is refused', async () => {
    const channel = await declare('Buttons');
    const view = (await api('GET', `/api/channels/${channel.id}?as=UALICE`)).json;
    const summary = (view.messages as Json[]).find((message) => /data-action-id="[^"]*update/.test(message.html))!;
    const [, blockId, actionId, value] = /data-block-id="([^"]*)" data-action-id="([^"]*update[^"]*)" data-value="([^"]*)"/.exec(summary.html)!;
    expect((await api('POST', `/api/channels/${channel.id}/actions`, { as: 'UALICE', ts: summary.ts, blockId, actionId, value })).json).toEqual({ ok: true });
    expect((await modalOf()).title).toBe('Post a status update');
    const forged = await api('POST', `/api/channels/${channel.id}/actions`, { as: 'UALICE', ts: summary.ts, blockId, actionId: 'delete_everything', value });
    expect(forged.status).toBe(409);
  });

  it('serves an uploaded file to those who can read its channel, as text, and as a download', async () => {
    const channel = await declare('Files');
    // A file uploaded the way the bot uploads its post-mortem draft.
    const upload = await fetch(`${bot.fake.url}files.getUploadURLExternal`, { method: 'POST', headers: { authorization: `Bearer ${bot.fake.botToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'filename=postmortem.md&length=22' });
    const { upload_url: uploadUrl, file_id: fileId } = (await upload.json()) as Json;
    await fetch(uploadUrl, { method: 'POST', body: '# Post-mortem <script>' });
    await fetch(`${bot.fake.url}files.completeUploadExternal`, { method: 'POST', headers: { authorization: `Bearer ${bot.fake.botToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ files: [{ id: fileId, title: 'Post-mortem' }], channel_id: channel.id }) });
    const shown = await fetch(`${page.sandbox.url}/files/${fileId}?as=UCAROL`);
    expect(shown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await shown.text()).toBe('# Post-mortem <script>');
    expect((await fetch(`${page.sandbox.url}/files/${fileId}?as=UCAROL&download=1`)).headers.get('content-disposition')).toBe('attachment; filename="postmortem.md"');
    expect((await fetch(`${page.sandbox.url}/files/FNOPE?as=UCAROL`)).status).toBe(404);
  });

  it('answers only this machine by its own name, and only JSON posts', async () => {
    const port = new URL(page.sandbox.url).port;
    const rebound = await new Promise<number>((resolve) => {
      // fetch will not send a forged Host header; node's http client will.
      void import('node:http').then(({ request }) => request({ host: '127.0.0.1', port, path: '/api/state?as=UALICE', headers: { host: `evil.example:${port}` } }, (response) => resolve(response.statusCode ?? 0)).end());
    });
    expect(rebound).toBe(421);
    const form = await fetch(`${page.sandbox.url}/api/channels/CGENERAL/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'as=UALICE&text=hi' });
    expect(form.status).toBe(415);
    const html = await fetch(`${page.sandbox.url}/`);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await html.text()).toContain('<nav aria-label="Channels">');
  });
});

describe('a bot that does not answer', () => {
  let silent: Server;
  let held: import('node:http').ServerResponse[] = [];
  beforeEach(async () => {
    await page.sandbox.close();
    // Reads the request and never answers, as a hung bot.
    silent = createServer((_request, response) => void held.push(response));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    page.sandbox = await startSandboxServer({ emulator: bot.fake, botUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, signingSecret: SIGNING_SECRET, people: SANDBOX_PEOPLE, port: 0, answerTimeoutMs: 300 });
  });
  afterEach(async () => {
    for (const response of held) response.destroy();
    held = [];
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails a slash command with Slack\'s operation_timeout, and a form says so and stays open', async () => {
    const command = await say('CGENERAL', '/incident list');
    expect(command.status).toBe(502);
    expect(command.json.error).toBe('/incident failed with the error "operation_timeout"');

    // A modal the bot opened before it hung.
    const view = await fetch(`${bot.fake.url}views.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bot.fake.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ trigger_id: bot.fake.issueTriggerId('UALICE'), view: { type: 'modal', title: { type: 'plain_text', text: 'Add a note' }, submit: { type: 'plain_text', text: 'Add' }, blocks: [{ type: 'input', block_id: 'note', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'note' } }] } }),
    });
    const { view: opened } = (await view.json()) as Json;
    const submitted = await api('POST', `/api/views/${opened.id}/submit`, { as: 'UALICE', values: { note: 'hello' } });
    expect(submitted.status).toBe(502);
    expect(submitted.json.error).toBe('We had some trouble connecting: the app did not answer within 0.3 seconds. Try again.');
    const modal = (await state()).modal;
    expect(modal).toMatchObject({ id: opened.id, title: 'Add a note', notice: submitted.json.error });
  });
});

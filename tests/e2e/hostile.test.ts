import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTE_MAX_LENGTH } from '../../src/domain/limits.js';
import { addNote, ask, declareIncident, openDeclareForm, readDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';
import { viewSubmission } from '../support/modals.js';
import { postSigned, sendInteraction, SIGNING_SECRET, slackSignature } from '../../src/sandbox/slackRequests.js';

/**
 * Requests no honest Slack sends, or sends only from a hostile or careless user: each gets a clear
 * answer or a plain refusal, the bot keeps running, and nothing is written.
 */
describe('hostile and malformed requests', () => {
  let h: Harness;
  let channelId: string;
  beforeAll(async () => {
    h = await startHarness();
    channelId = (await declareIncident(h, { title: 'Target', commander: 'UBOB' })).channel.id;
  });
  afterAll(() => h.close());

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const command = (fields: Record<string, string>) =>
    form({ token: 't', team_id: 'T0001', channel_id: channelId, user_id: 'UCAROL', command: '/incident', response_url: h.fake.responseUrl(), trigger_id: h.fake.issueTriggerId('UCAROL'), ...fields });
  const counts = () => {
    const db = readDatabase(h.dbPath);
    return { incidents: db.incidents.length, timeline: db.timeline.length, actionItems: db.actionItems.length };
  };
  const staleTimestamp = Math.floor(Date.now() / 1000) - 10 * 60;

  it.each<[string, () => Promise<{ status: number; text: string }>, number[]]>([
    ['a forged signature', () => postSigned(h.app.url, command({ text: 'note forged' }), 'application/x-www-form-urlencoded', { signature: `v0=${'a'.repeat(64)}` }), [401]],
    ['a replayed request ten minutes later', () => postSigned(h.app.url, command({ text: 'note replayed' }), 'application/x-www-form-urlencoded', { timestamp: staleTimestamp, signature: slackSignature(SIGNING_SECRET, staleTimestamp, command({ text: 'note replayed' })) }), [401]],
    ['no signature headers at all', () => fetch(`${h.app.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: command({ text: 'note unsigned' }) }).then(async (r) => ({ status: r.status, text: await r.text() })), [401]],
    ['a slash command with no user', () => postSigned(h.app.url, form({ command: '/incident', text: 'note ghost', channel_id: channelId }), 'application/x-www-form-urlencoded'), [200, 400]],
    ['a slash command with no text field', () => postSigned(h.app.url, command({}), 'application/x-www-form-urlencoded'), [200, 404]],
    ['an interaction payload that is not JSON', () => postSigned(h.app.url, form({ payload: '{not json' }), 'application/x-www-form-urlencoded'), [400, 401, 500]],
    ['an interaction payload of the wrong shape', () => sendInteraction(h.app.url, { type: 'view_submission', view: 'not an object', user: 42 }), [200, 400, 404, 500]],
    ['a submission for an unknown form', () => sendInteraction(h.app.url, { type: 'view_submission', team: { id: 'T0001' }, user: { id: 'UCAROL' }, view: { id: 'V1', callback_id: 'no_such_form', private_metadata: '', state: { values: {} }, hash: 'h' } }), [200, 404]],
    ['a button of an unknown action', () => sendInteraction(h.app.url, { type: 'block_actions', team: { id: 'T0001' }, user: { id: 'UCAROL' }, actions: [{ action_id: 'drop_tables', value: '1', type: 'button' }], response_url: h.fake.responseUrl(), trigger_id: 'x' }), [200, 404]],
    ['a button naming an incident that does not exist', () => sendInteraction(h.app.url, { type: 'block_actions', team: { id: 'T0001' }, user: { id: 'UCAROL' }, actions: [{ action_id: 'summary_acknowledge', value: '99999', type: 'button' }], response_url: h.fake.responseUrl(), trigger_id: 'x' }), [200]],
    ['a button with a value that is not a number', () => sendInteraction(h.app.url, { type: 'block_actions', team: { id: 'T0001' }, user: { id: 'UCAROL' }, actions: [{ action_id: 'action_item_done', value: "1; drop table incidents", type: 'button' }], response_url: h.fake.responseUrl(), trigger_id: 'x' }), [200]],
    ['an event of an unknown type', () => postSigned(h.app.url, JSON.stringify({ type: 'event_callback', team_id: 'T0001', event_id: 'EvX', event: { type: 'app_uninstalled_everywhere' } }), 'application/json'), [200]],
    ['a pin reaction on a channel that is no incident', () => postSigned(h.app.url, JSON.stringify({ type: 'event_callback', team_id: 'T0001', event_id: 'EvY', event: { type: 'reaction_added', user: 'UCAROL', reaction: 'pushpin', item: { type: 'message', channel: 'CGENERAL', ts: '1.1' } } }), 'application/json'), [200]],
  ])('%s: refused or ignored, the bot keeps running, nothing is written', async (_case, send, statuses) => {
    const before = counts();
    const response = await send();
    expect(statuses).toContain(response.status);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(counts()).toEqual(before);
    expect((await fetch(`${h.app.url}/health`)).status).toBe(200);
    expect(h.app.child.exitCode).toBeNull();
  });

  it.each([
    ['a note longer than a note may be', `note ${'x'.repeat(NOTE_MAX_LENGTH + 1)}`, new RegExp(`Keep a note under ${NOTE_MAX_LENGTH} characters \\(this one has ${NOTE_MAX_LENGTH + 1}\\)`)],
    ['a note of only spaces and invisible characters', 'note \u0000\u0007  \u200b\u202e ', /A note needs some text/],
    ['an action item with no text', 'action <@UBOB>', /Say what needs doing/],
    ['a severity that does not exist', 'severity SEV0', /"SEV0" is not a severity/],
    ['a role that does not exist', 'role king <@UBOB>', /role/i],
  ])('%s gets a clear answer and writes nothing', async (_case, text, answer) => {
    const before = counts();
    expect(await ask(h, text, { channelId, userId: 'UCAROL' })).toMatch(answer);
    expect(counts()).toEqual(before);
  });

  it('a declare form with a 10,000-character title or control characters is sent back with field errors', async () => {
    const before = counts();
    for (const title of ['x'.repeat(10_000), '\u0000\u0001\u0002', '   ']) {
      const { view } = await openDeclareForm(h, '');
      const payload = viewSubmission(view.view, 'UCAROL', {
        title: { title_input: { type: 'plain_text_input', value: title } },
        severity: { severity_select: { type: 'static_select', selected_option: { value: 'SEV2' } } },
      });
      const response = await sendInteraction(h.app.url, payload);
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ response_action: 'errors', errors: { title: expect.any(String) } });
    }
    expect(counts()).toEqual(before);
  });

  it('Slack markup in a note: mentions and links render, @channel does not ping, typed markup is text, stored as typed', async () => {
    const typed = 'note asked <@UCOMMAND1|ivan> in <#CGENERAL|general> <!channel> deploy &lt;b&gt; &amp; <https://grafana.example/d?a=1&amp;b=2|dashboard>';
    await addNote(h, typed.slice('note '.length), { channelId, userId: 'UCAROL' });
    const stored = await waitFor(() => readDatabase(h.dbPath).timeline.find((entry) => entry.kind === 'note' && String(entry.text).startsWith('asked')), 'the note on the timeline');
    expect(stored.text).toBe('asked <@UCOMMAND1|ivan> in <#CGENERAL|general> <!channel> deploy <b> & <https://grafana.example/d?a=1&b=2|dashboard>');
    const posted = h.fake.messages(channelId).find((message) => message.text.startsWith(':memo: *Note* from <@UCAROL>: asked'))!;
    expect(posted.text).toBe(':memo: *Note* from <@UCAROL>: asked <@UCOMMAND1|ivan> in <#CGENERAL|general> &lt;!channel&gt; deploy &lt;b&gt; &amp; <https://grafana.example/d?a=1&amp;b=2|dashboard>');
  });

  it('a declare form submitted by hand with a severity outside the catalogue is refused', async () => {
    const before = counts();
    const { view } = await openDeclareForm(h, 'Made-up severity');
    const payload = viewSubmission(view.view, 'UCAROL', {
      title: { title_input: { type: 'plain_text_input', value: 'Made-up severity' } },
      severity: { severity_select: { type: 'static_select', selected_option: { value: 'SEV0' } } },
    });
    const refused = await sendInteraction(h.app.url, payload);
    expect(refused.json).toMatchObject({ response_action: 'errors' });
    expect(counts()).toEqual(before);
  });

  // Last: the bot closes the connection on an oversized body, which the test client's pool notices late.
  it('a 5 MB body is refused with 413 before it is read, and the bot keeps running', async () => {
    const before = counts();
    const response = await postSigned(h.app.url, command({ text: `note ${'x'.repeat(5_000_000)}` }), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(413);
    expect(counts()).toEqual(before);
    expect(h.app.child.exitCode).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident, expectModal, readDatabase, runCommand, startHarness, submitForm, waitFor, type Harness } from '../support/harness.js';
import { sendEvent } from '../../src/sandbox/slackRequests.js';

/** A :pushpin:-ed message edited or deleted in Slack, through dist/main.js: the timeline and the post-mortem follow. */
describe('a pinned message edited or deleted in Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  const eventTs = () => `${Date.now() / 1000}`;
  const pin = (channelId: string, ts: string) =>
    sendEvent(h.app.url, { type: 'reaction_added', user: 'UBOB', reaction: 'pushpin', item_user: 'UDAVE', item: { type: 'message', channel: channelId, ts }, event_ts: eventTs() });
  const pinnedEntry = (ts: string) => readDatabase(h.dbPath).timeline.find((entry) => entry.kind === 'pinned_message' && entry.message_ts === ts);

  it('shows the new text and keeps the old; a deleted one stays, marked deleted, in the post-mortem', async () => {
    const { channel } = await declareIncident(h, { title: 'Login errors', commander: 'UBOB' });
    const edited = h.fake.postAsUser(channel.id, 'UDAVE', 'error rate 5%');
    const deleted = h.fake.postAsUser(channel.id, 'UDAVE', 'it was the CDN');
    const unpinned = h.fake.postAsUser(channel.id, 'UDAVE', 'not pinned');
    await pin(channel.id, edited.ts);
    await pin(channel.id, deleted.ts);
    await waitFor(() => pinnedEntry(edited.ts) && pinnedEntry(deleted.ts), 'both pins on the timeline');

    await sendEvent(h.app.url, { type: 'message', subtype: 'message_changed', channel: channel.id, hidden: true, message: { type: 'message', user: 'UDAVE', ts: edited.ts, text: 'error rate 12%', edited: { user: 'UDAVE', ts: eventTs() } }, previous_message: { type: 'message', user: 'UDAVE', ts: edited.ts, text: 'error rate 5%' }, ts: eventTs(), event_ts: eventTs() });
    await sendEvent(h.app.url, { type: 'message', subtype: 'message_deleted', channel: channel.id, hidden: true, deleted_ts: deleted.ts, previous_message: { type: 'message', user: 'UDAVE', ts: deleted.ts, text: 'it was the CDN' }, ts: eventTs(), event_ts: eventTs() });
    await sendEvent(h.app.url, { type: 'message', subtype: 'message_changed', channel: channel.id, hidden: true, message: { type: 'message', user: 'UDAVE', ts: unpinned.ts, text: 'still not pinned' }, ts: eventTs(), event_ts: eventTs() });

    const afterEdit = await waitFor(() => (pinnedEntry(edited.ts)?.text === 'error rate 12%' ? pinnedEntry(edited.ts) : undefined), 'the edited text');
    expect(JSON.parse(String(afterEdit.data))).toMatchObject({ edits: [{ previousText: 'error rate 5%', at: expect.any(String) }] });
    const afterDelete = await waitFor(() => (String(pinnedEntry(deleted.ts)?.data).includes('deletedAt') ? pinnedEntry(deleted.ts) : undefined), 'the deletion');
    expect(afterDelete.text).toBe('it was the CDN');
    expect(readDatabase(h.dbPath).timeline.filter((entry) => entry.kind === 'pinned_message')).toHaveLength(2);

    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId: channel.id, userId: 'UBOB' }));
    await submitForm(h, resolve, { 'Resolution summary': 'CDN rolled back', 'Root cause': 'CDN config' }, 'UBOB');
    const shared = await waitFor(() => h.fake.messages(channel.id).find((message) => message.files?.length), 'the uploaded draft');
    const markdown = h.fake.files.get(shared.files![0]!.id)!.content!;
    expect(markdown).toMatch(/\| @dave \| :pushpin: error rate 12% · edited in Slack \|/);
    expect(markdown).toMatch(/\| @dave \| :pushpin: it was the CDN · deleted in Slack at \d\d:\d\d \|/);
    expect(markdown).not.toContain('error rate 5%');
  });
});

/** :pushpin: on a thread reply, through dist/main.js: history does not hold replies, so the bot reads it with conversations.replies. */
describe('a pinned thread reply', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('is on the timeline with its text and author, linked to the reply in its thread', async () => {
    const { channel } = await declareIncident(h, { title: 'Payments timeouts', commander: 'UBOB' });
    const parent = h.fake.postAsUser(channel.id, 'UCAROL', 'anyone looking at payments?');
    const reply = h.fake.postAsUser(channel.id, 'UDAVE', 'yes: the card provider is timing out', { threadTs: parent.ts });
    await sendEvent(h.app.url, { type: 'reaction_added', user: 'UBOB', reaction: 'pushpin', item_user: 'UDAVE', item: { type: 'message', channel: channel.id, ts: reply.ts }, event_ts: `${Date.now() / 1000}` });
    const entry = await waitFor(() => readDatabase(h.dbPath).timeline.find((row) => row.kind === 'pinned_message' && row.message_ts === reply.ts), 'the reply on the timeline');
    expect(entry).toMatchObject({ text: 'yes: the card provider is timing out', actor_id: 'UDAVE' });
    expect(JSON.parse(String(entry.data))).toMatchObject({ permalink: `https://acme.slack.com/archives/${channel.id}/p${reply.ts.replace('.', '')}?thread_ts=${parent.ts}&cid=${channel.id}` });
    expect(h.fake.callsTo('conversations.replies').length).toBeGreaterThan(0);
  });
});

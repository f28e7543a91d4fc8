import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEvent, sendInteraction } from '../../src/sandbox/slackRequests.js';
import { addNote, declareIncident, expectModal, readDatabase, runCommand, startHarness, submitForm, waitFor, type Harness } from '../support/harness.js';
import { configFile } from '../support/launcher.js';

type Block = { type: string; text?: { text: string }; accessory?: { action_id: string; options: { text: { text: string }; value: string }[] } };

const pinnedEntries = (h: Harness) => readDatabase(h.dbPath).timeline.filter((entry) => entry.kind === 'pinned_message');

/** The event the fake Slack sends for a pin or unpin; it sends none when manifest.yml does not subscribe the app to it. */
function deliverPinEvent(h: Harness, event: Record<string, unknown> | undefined) {
  if (!event) throw new Error('the fake Slack sent no pin event: is manifest.yml subscribed to pin_added and pin_removed?');
  return sendEvent(h.app.url, event);
}

/** Slack's own pin (Pin to channel), through dist/main.js: counted like :pushpin:, or left alone by the setting. */
describe("Slack's own pin", () => {
  let h: Harness;
  const started: Harness[] = [];
  const start = async (options?: Parameters<typeof startHarness>[0]) => {
    h = await startHarness(options);
    started.push(h);
  };
  afterAll(async () => void (await Promise.all(started.map((harness) => harness.close()))));

  it('puts the pinned message on the timeline with who pinned it, and unpinning takes it off', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Payments timing out', commander: 'UBOB' });
    const message = h.fake.postAsUser(channel.id, 'UDAVE', 'the card provider is timing out');

    expect((await deliverPinEvent(h, h.fake.pinMessage(channel.id, message.ts, 'UCAROL'))).status).toBe(200);
    const entry = await waitFor(() => pinnedEntries(h).find((row) => row.message_ts === message.ts), 'the pinned message on the timeline');
    expect(entry).toMatchObject({ actor_id: 'UDAVE', text: 'the card provider is timing out' });
    expect(JSON.parse(String(entry.data))).toMatchObject({ pinnedBy: 'UCAROL' });

    expect((await deliverPinEvent(h, h.fake.unpinMessage(channel.id, message.ts, 'UERIN'))).status).toBe(200);
    await waitFor(() => pinnedEntries(h).length === 0, 'the message off the timeline');
  });

  it('is left alone with timeline.slack_pins: ignore', async () => {
    await start({ env: { INCIDENT_CONFIG: configFile('timeline:\n  slack_pins: ignore\n') } });
    const { channel } = await declareIncident(h, { title: 'Payments timing out', commander: 'UBOB' });
    const message = h.fake.postAsUser(channel.id, 'UDAVE', 'the card provider is timing out');
    const other = h.fake.postAsUser(channel.id, 'UDAVE', 'retries are off');

    expect((await deliverPinEvent(h, h.fake.pinMessage(channel.id, message.ts, 'UCAROL'))).status).toBe(200);
    // A :pushpin: after it is still recorded: once it is on the timeline, the Slack pin had its chance to be too.
    await sendEvent(h.app.url, { type: 'reaction_added', user: 'UBOB', reaction: 'pushpin', item_user: 'UDAVE', item: { type: 'message', channel: channel.id, ts: other.ts }, event_ts: `${Date.now() / 1000}` });
    await waitFor(() => pinnedEntries(h).find((row) => row.message_ts === other.ts), 'the :pushpin:-ed message on the timeline');
    expect(pinnedEntries(h).map((row) => row.message_ts)).toEqual([other.ts]);
    // Recording a pin starts by reading the message: the bot read only the :pushpin:-ed one, though the Slack pin came first.
    const read = h.fake.calls.filter((call) => call.method === 'conversations.history').map((call) => (call.args as { latest?: string }).latest);
    expect(read).toContain(other.ts);
    expect(read).not.toContain(message.ts);
  });
});

/** `/incident timeline` through dist/main.js: the commander lists, edits and removes; the post-mortem draft tells the final story. */
describe('/incident timeline', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  /** `/incident timeline` as `userId`: Slack shows the ack's text and blocks, only to them. */
  async function listTimeline(channelId: string, userId: string): Promise<{ text: string; blocks?: Block[] }> {
    const response = await runCommand(h, 'timeline', { channelId, userId });
    expect(response.status).toBe(200);
    return response.json as { text: string; blocks?: Block[] };
  }

  /** Chooses Edit or Remove in an entry's menu, as Slack sends an overflow choice; returns the response_url used. */
  async function choose(channelId: string, userId: string, blocks: readonly Block[], entryText: string, option: 'Edit' | 'Remove'): Promise<string> {
    const block = blocks.find((candidate) => candidate.text?.text.includes(entryText) && candidate.accessory);
    expect(block, `an entry reading "${entryText}" with a menu`).toBeDefined();
    const chosen = block!.accessory!.options.find((candidate) => candidate.text.text === option)!;
    const responseUrl = h.fake.responseUrl();
    const response = await sendInteraction(h.app.url, {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'acme' },
      user: { id: userId, username: userId.toLowerCase(), team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'deprecated-verification-token',
      trigger_id: h.fake.issueTriggerId(userId),
      response_url: responseUrl,
      container: { type: 'message', message_ts: `${Date.now() / 1000}`, channel_id: channelId, is_ephemeral: true },
      channel: { id: channelId, name: 'incident' },
      actions: [{ type: 'overflow', action_id: block!.accessory!.action_id, block_id: 'entry', selected_option: chosen, action_ts: `${Date.now() / 1000}` }],
    });
    expect(response.status).toBe(200);
    return responseUrl;
  }
  const replyAt = (responseUrl: string) => waitFor(() => h.fake.responses.find((reply) => reply.path === new URL(responseUrl).pathname)?.body, 'the answer on the response_url');
  const uploadedDrafts = (channelId: string) => h.fake.messages(channelId).filter((message) => message.files?.length).map((message) => h.fake.files.get(message.files![0]!.id)!.content!);

  it('lets the commander edit and remove entries, refuses anyone else, and the post-mortem draft shows the final story', async () => {
    const { channel } = await declareIncident(h, { title: 'Checkout down', commander: 'UBOB' });
    await addNote(h, 'rolled back deploy 4251', { channelId: channel.id, userId: 'UBOB' });
    await addNote(h, 'blamed the CDN by mistake', { channelId: channel.id, userId: 'UBOB' });
    await addNote(h, 'database failover done', { channelId: channel.id, userId: 'UBOB' });
    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId: channel.id, userId: 'UBOB' }));
    await submitForm(h, resolve, { 'Resolution summary': 'Failed over the database', 'Root cause': 'Disk full' }, 'UBOB');
    await waitFor(() => uploadedDrafts(channel.id).length === 1, 'the draft uploaded on resolve');
    expect(uploadedDrafts(channel.id)[0]).toContain('blamed the CDN by mistake');

    // Someone not the commander: told who may, shown no entries, and their menu choice changes nothing.
    const refused = await listTimeline(channel.id, 'UCAROL');
    expect(refused.blocks).toBeUndefined();
    expect(refused.text).toMatch(/Only the incident commander \(<@UBOB>\) or a listed responder can edit the timeline/);
    const list = await listTimeline(channel.id, 'UBOB');
    expect(list.blocks!.map((block) => block.text?.text ?? '').join('\n')).toMatch(/rolled back deploy 4251[\s\S]*blamed the CDN by mistake[\s\S]*database failover done/);
    const carolsChoice = await replyAt(await choose(channel.id, 'UCAROL', list.blocks!, 'CDN by mistake', 'Remove'));
    expect(String(carolsChoice.text)).toMatch(/can edit the timeline/);

    // Edit: the form holds the entry's text; saved, the entry reads the new one.
    const form = await expectModal(h, () => choose(channel.id, 'UBOB', list.blocks!, 'deploy 4251', 'Edit'));
    expect(JSON.stringify(form.view.blocks)).toContain('rolled back deploy 4251');
    expect((await submitForm(h, form, { Text: 'rolled back deploy 4521' }, 'UBOB')).status).toBe(200);
    await waitFor(() => readDatabase(h.dbPath).timeline.find((entry) => entry.kind === 'timeline_edited'), 'the edit recorded');
    await waitFor(() => h.fake.ephemerals.find((message) => message.user === 'UBOB' && message.text.includes('Timeline entry edited')), 'the commander told the edit was saved');

    // Remove: the list comes back with the entry struck out.
    const removedList = await replyAt(await choose(channel.id, 'UBOB', list.blocks!, 'CDN by mistake', 'Remove'));
    expect(removedList).toMatchObject({ replace_original: true });
    expect(JSON.stringify(removedList.blocks)).toMatch(/~[^~]*blamed the CDN by mistake~ \(removed\)/);

    const timeline = readDatabase(h.dbPath).timeline;
    expect(timeline.find((entry) => entry.kind === 'timeline_edited')).toMatchObject({ actor_id: 'UBOB', text: 'Timeline entry edited: "rolled back deploy 4251" → "rolled back deploy 4521"' });
    expect(timeline.find((entry) => entry.kind === 'timeline_removed')).toMatchObject({ actor_id: 'UBOB' });
    expect(timeline.filter((entry) => entry.kind === 'timeline_removed')).toHaveLength(1);

    // The draft kept by the bot was drafted again at each change; the file in the channel was not replaced.
    const kept = String(readDatabase(h.dbPath).postmortems[0]!.markdown);
    expect(kept).toContain('rolled back deploy 4521');
    expect(kept).not.toContain('4251');
    expect(kept).not.toContain('CDN');
    expect(kept).toContain('database failover done');
    expect(uploadedDrafts(channel.id)).toHaveLength(1);

    // /incident postmortem posts it as it now reads.
    await runCommand(h, 'postmortem', { channelId: channel.id, userId: 'UBOB' });
    const posted = (await waitFor(() => uploadedDrafts(channel.id)[1], 'the draft posted again'))!;
    expect(posted).toContain('rolled back deploy 4521');
    expect(posted).toContain('database failover done');
    expect(posted).not.toContain('4251');
    expect(posted).not.toContain('CDN');
    expect(posted).not.toContain('Timeline entry');
  });
});

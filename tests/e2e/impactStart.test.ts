import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, declareIncident, expectModal, openDeclareForm, readDatabase, runCommand, startHarness, submitForm, waitFor, type Harness } from '../support/harness.js';

/** "Impact started at", through dist/main.js: from the declare form and the command to the post-mortem's figures. */
describe('the impact start', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  const postmortemOf = async (channelId: string) => {
    const shared = await waitFor(() => h.fake.messages(channelId).find((message) => message.files?.length), 'the uploaded draft');
    return h.fake.files.get(shared.files![0]!.id)!.content!;
  };
  const resolve = async (channelId: string) => {
    const form = await expectModal(h, () => runCommand(h, 'resolve', { channelId, userId: 'UBOB' }));
    await submitForm(h, form, { 'Resolution summary': 'Rolled back', 'Root cause': 'Bad deploy' }, 'UBOB');
  };

  it('given in the declare form, counts time to resolve and the duration from it, and is in the post-mortem', async () => {
    const { channel } = await declareIncident(h, { title: 'Checkout slow', commander: 'UBOB', impactStartedAt: '-45m' });
    const stored = await waitFor(() => readDatabase(h.dbPath).incidents.find((row) => row.channel_id === channel.id && row.impact_started_at !== null), 'the stored impact start');
    expect(Number(stored.declared_at) - Number(stored.impact_started_at)).toBeGreaterThanOrEqual(45 * 60_000 - 60_000);
    await resolve(channel.id);
    const markdown = await postmortemOf(channel.id);
    expect(markdown).toMatch(/\*\*Impact started\*\*: \d{4}-\d\d-\d\d \d\d:\d\d UTC \(declared \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(markdown).toMatch(/\| Time to resolve \| 4[45] min \|/);
    expect(markdown).toMatch(/with impact from .* declared .* and resolved .* after 4[45] min/);
  });

  it('set with /incident impact-start, is on the timeline and in the channel; a future time is refused', async () => {
    const { channel } = await declareIncident(h, { title: 'Search down', commander: 'UBOB', impact: 'Search returns nothing' });
    expect(await ask(h, 'impact-start 2099-01-01 10:00', { channelId: channel.id, userId: 'UBOB' })).toMatch(/is in the future: the impact cannot have started yet/);
    expect(await ask(h, 'impact-start soon', { channelId: channel.id, userId: 'UBOB' })).toMatch(/is not a time I can read/);
    expect(await ask(h, 'impact-start -2h', { channelId: channel.id, userId: 'UBOB' })).toMatch(/Impact start recorded: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.includes("set the impact's start")), 'the line in the channel');
    const update = await expectModal(h, () => runCommand(h, 'update', { channelId: channel.id, userId: 'UBOB' }));
    await submitForm(h, update, { Status: 'Monitoring', 'What changed': 'Index rebuilt', Impact: 'None since the rebuild' }, 'UBOB');
    await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.startsWith('Monitoring')), 'the update');
    await resolve(channel.id);
    const markdown = await postmortemOf(channel.id);
    expect(markdown).toMatch(/\| Time to resolve \| 2 h \|/);
    expect(markdown).toMatch(/## Impact\n\nAs declared, then as each update gave it:\n\n- \d\d:\d\d: Search returns nothing\n- \d\d:\d\d: None since the rebuild\n/);
    expect(markdown).toMatch(/\| @bob \| Impact started at \d{4}-\d\d-\d\d \d\d:\d\d UTC \|/);
  });

  it('a form answer it cannot read is shown on the field, and nothing is declared', async () => {
    const before = readDatabase(h.dbPath).incidents.length;
    const { view } = await openDeclareForm(h, 'Queue stuck', { userId: 'UALICE' });
    const response = await submitForm(h, view, { Severity: 'SEV3', 'Impact started at': 'tomorrow' }, 'UALICE');
    expect(response.json).toEqual({ response_action: 'errors', errors: { impact_started: expect.stringMatching(/“tomorrow” is not a time I can read/) } });
    expect(readDatabase(h.dbPath).incidents.length).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident, expectModal, openDeclareForm, readDatabase, runCommand, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import type { FakeSlack } from '../support/fakeSlack.js';

/**
 * Slack misbehaving on each method a flow uses, in turn: rate limited once (429, Retry-After), failing
 * on every retry (HTTP 500), or slow (1.5 s). Every flow completes, or tells the user what did not
 * happen; nothing is done twice and the timeline misses nothing that happened.
 */
const FAULTS: Record<string, { apply: (fake: FakeSlack, method: string) => void; mustComplete: boolean }> = {
  '429 once': { apply: (fake, method) => fake.rateLimit(method, { times: 1, retryAfterSec: 1 }), mustComplete: true },
  '500 on every retry': { apply: (fake, method) => fake.failMethod(method, { status: 500, times: 3 }), mustComplete: false },
  'slow 1.5 s': { apply: (fake, method) => fake.slowMethod(method, 1500), mustComplete: true },
};
const cases = (methods: string[]) => methods.flatMap((method) => Object.keys(FAULTS).map((fault) => [method, fault] as const));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How much work the bot has started so far: what `settled` counts from. */
const workStarted = (h: Harness) => readDatabase(h.dbPath).workStarted;

/**
 * The bot has started the work asked of it after `before` and finished it (nothing left in its work
 * journal). Waiting for the journal, not a sleep: a busy machine may start the work late.
 */
async function settled(h: Harness, before: number): Promise<void> {
  await waitFor(() => {
    const db = readDatabase(h.dbPath);
    return db.workStarted > before && db.workInProgress.length === 0;
  }, 'the bot to finish', 20_000);
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

describe('Slack faults during the declare flow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CGENERAL' } });
  });
  afterAll(() => h.close());

  it.each(cases(['conversations.create', 'conversations.invite', 'conversations.setTopic', 'chat.postMessage', 'pins.add', 'views.update']))('%s %s', async (method, fault) => {
    const title = `Declare ${method} ${fault}`;
    const { view } = await openDeclareForm(h, '');
    FAULTS[fault]!.apply(h.fake, method);
    const before = workStarted(h);
    await submitForm(h, view, { 'Title': title, Severity: 'SEV2', 'Incident commander': 'UBOB' });
    await settled(h, before);
    h.fake.clearFaults();

    const told = [visibleText(h.fake.views.get(view.id)?.view.blocks), ...h.fake.dms('UALICE').map((message) => message.text)].join('\n');
    const rows = readDatabase(h.dbPath).incidents.filter((row) => row.title === title);
    expect(rows).toHaveLength(1);
    const incident = rows[0]!;
    const channels = [...h.fake.channels.values()].filter((channel) => channel.name.includes(slug(title).slice(0, 40)));
    if (incident.phase === 'live') {
      expect(told).toMatch(/Incident declared/);
      expect(channels.filter((channel) => !channel.isArchived)).toHaveLength(1);
      const kickoffs = h.fake.messages(incident.channel_id as string).filter((message) => message.text.startsWith('SEV2 incident:'));
      expect(kickoffs).toHaveLength(1);
      expect(readDatabase(h.dbPath).timeline.filter((entry) => entry.incident_id === incident.id && entry.kind === 'declared')).toHaveLength(1);
      if (FAULTS[fault]!.mustComplete) expect(told).not.toMatch(/did not work|:warning:/);
    } else {
      expect(FAULTS[fault]!.mustComplete).toBe(false);
      expect(incident.phase).toBe('aborted');
      expect(told).toMatch(/was \*not\* declared/);
      expect(channels.filter((channel) => !channel.isArchived)).toHaveLength(0);
    }
  });

  it.each(Object.keys(FAULTS))('views.open %s: the form opens, or the user is told why not', async (fault) => {
    FAULTS[fault]!.apply(h.fake, 'views.open');
    const responseUrl = h.fake.responseUrl();
    const viewsBefore = h.fake.views.size;
    await runCommand(h, 'declare Form trouble', { responseUrl, triggerId: h.fake.issueTriggerId('UALICE') });
    await sleep(fault === '500 on every retry' ? 2500 : 2000);
    h.fake.clearFaults();
    const opened = h.fake.views.size - viewsBefore;
    const reply = h.fake.responses.find((candidate) => candidate.path === new URL(responseUrl).pathname);
    if (FAULTS[fault]!.mustComplete) expect(opened).toBe(1);
    else expect(opened === 1 || /^:x: /.test(String(reply?.body.text))).toBe(true);
    expect(opened).toBeLessThanOrEqual(1);
  });
});

describe('Slack faults during status updates and resolve', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CGENERAL', INCIDENT_RESPONDERS: 'UALICE' } });
  });
  afterAll(() => h.close());
  let counter = 0;
  /** Each incident has a commander the bot has not met, so the post-mortem asks Slack for a name (users.info). */
  const fresh = async () => {
    const commander = h.fake.addUser({ id: `UCMD${++counter}`, name: `commander-${counter}` });
    return (await declareIncident(h, { title: `Faulty ${counter}`, commander: commander.id, severity: 'SEV2' })).channel;
  };
  const toldIn = (channelId: string) => h.fake.ephemerals.filter((message) => message.channel === channelId && message.user === 'UALICE').map((message) => message.text).join('\n');

  it.each(cases(['chat.postMessage', 'chat.update', 'conversations.setTopic']))('update: %s %s', async (method, fault) => {
    const channel = await fresh();
    const form = await expectModal(h, () => runCommand(h, 'update', { channelId: channel.id }));
    FAULTS[fault]!.apply(h.fake, method);
    const whatChanged = `Found it (${method}, ${fault})`;
    const before = workStarted(h);
    await submitForm(h, form, { Status: 'Identified', 'What changed': whatChanged });
    await settled(h, before);
    h.fake.clearFaults();

    const posted = h.fake.messages(channel.id).filter((message) => message.text === `Identified: ${whatChanged}`);
    const recorded = readDatabase(h.dbPath).timeline.filter((entry) => entry.kind === 'status_update' && String(entry.text).includes(whatChanged));
    expect(posted.length).toBeLessThanOrEqual(1);
    expect(recorded).toHaveLength(posted.length); // on the timeline exactly when it is in the channel
    if (FAULTS[fault]!.mustComplete) {
      expect(posted).toHaveLength(1);
      await sleep(300); // the user would be told right after the work ends
      expect(toldIn(channel.id)).toBe('');
    } else if (posted.length === 0) {
      await waitFor(() => /^:x: /.test(toldIn(channel.id)), 'the user told it was not posted');
    } else {
      await waitFor(() => /:warning: Some steps did not work/.test(toldIn(channel.id)), 'the user told what did not work');
    }
  });

  it.each(cases(['chat.postMessage', 'chat.update', 'conversations.setTopic', 'users.info', 'files.getUploadURLExternal', 'files.completeUploadExternal']))('resolve: %s %s', async (method, fault) => {
    const channel = await fresh();
    const form = await expectModal(h, () => runCommand(h, 'resolve', { channelId: channel.id }));
    FAULTS[fault]!.apply(h.fake, method);
    const before = workStarted(h);
    await submitForm(h, form, { 'Resolution summary': `Fixed (${method}, ${fault})` });
    await settled(h, before);
    h.fake.clearFaults();

    const db = readDatabase(h.dbPath);
    const incident = db.incidents.find((row) => row.channel_id === channel.id)!;
    expect(incident.status).toBe('resolved');
    expect(db.timeline.filter((entry) => entry.incident_id === incident.id && entry.kind === 'resolved')).toHaveLength(1);
    const resolutions = h.fake.messages(channel.id).filter((message) => message.text.startsWith('[RESOLVED]'));
    const drafts = h.fake.messages(channel.id).filter((message) => message.files?.length);
    expect(resolutions.length).toBeLessThanOrEqual(1);
    expect(drafts.length).toBeLessThanOrEqual(1);
    expect(db.postmortems.filter((row) => row.incident_id === incident.id)).toHaveLength(1); // the draft is kept even when the upload fails
    if (FAULTS[fault]!.mustComplete || method === 'users.info') {
      expect(resolutions).toHaveLength(1);
      expect(drafts).toHaveLength(1);
      await sleep(300); // the user would be told right after the work ends
      expect(toldIn(channel.id)).toBe('');
    } else if (resolutions.length + drafts.length < 2) {
      await waitFor(() => /:warning: Some steps did not work/.test(toldIn(channel.id)), 'the user told what did not work');
    }
  });
});

describe('Slack faults when a reminder is due', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INCIDENT_UPDATE_INTERVAL: '2s' } });
  });
  afterAll(() => h.close());

  it.each(Object.keys(FAULTS))('chat.postMessage %s: the reminder arrives once, late at worst', async (fault) => {
    const { channel } = await declareIncident(h, { title: `Reminder ${fault}`, commander: 'UBOB' });
    FAULTS[fault]!.apply(h.fake, 'chat.postMessage');
    const reminders = () => h.fake.messages(channel.id).filter((message) => message.text.includes('No status update'));
    await waitFor(() => reminders()[0], 'the reminder', 12_000);
    h.fake.clearFaults();
    await sleep(1000); // less than an interval: a second reminder now would be a duplicate
    expect(reminders()).toHaveLength(1);
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { declareIncident, openDeclareForm, readDatabase, runCommand, startHarness, submitForm, waitFor, type Harness } from '../support/harness.js';
import { runScript, scratchDir, startApp } from '../support/launcher.js';
import { openDatabase } from '../../src/store/sqlite/db.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** These tests start the bot twice; on a loaded 2-core machine one start can take 10 s. */
const RESTART_TEST_TIMEOUT_MS = 60_000;

/** A small seeded generator: the kill points vary between cases but a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function kill(h: Harness): Promise<void> {
  h.app.child.kill('SIGKILL');
  await new Promise((resolve) => h.app.child.once('exit', resolve));
}

function integrity(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) ?? '';
  } finally {
    db.close();
  }
}

describe('crashes and shutdowns', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('on SIGTERM stops taking requests, finishes the one in hand, closes the database and exits 0', async () => {
    h = await startHarness();
    const { channel } = await declareIncident(h, { title: 'Shutdown drill', commander: 'UBOB' });
    h.fake.slowMethod('chat.postMessage', 1500);
    const responseUrl = h.fake.responseUrl();
    const acked = await runCommand(h, 'note written just before the deploy', { channelId: channel.id, responseUrl });
    expect(acked.status).toBe(200);
    await sleep(300); // the note is now waiting on Slack
    const exited = h.app.stop();
    await sleep(200);
    await expect(fetch(`${h.app.url}/health`)).rejects.toThrow(); // no new requests once stopping
    expect(await exited).toBe(0);

    expect(readDatabase(h.dbPath).timeline.filter((entry) => entry.kind === 'note').map((entry) => entry.text)).toEqual(['written just before the deploy']);
    // The note in the channel is its author's answer; nothing more is said to them.
    expect(h.fake.messages(channel.id).map((message) => message.text)).toContain(':memo: *Note* from <@UALICE>: written just before the deploy');
    expect(h.fake.responses.filter((reply) => reply.path === new URL(responseUrl).pathname)).toEqual([]);
    const messages = h.app.logs().map((line) => line.msg);
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('shutting down'));
    expect(integrity(h.dbPath)).toBe('ok');
  });

  it('a declaration cut short by SIGKILL is called off at the next start and the declarer told to declare again', async () => {
    h = await startHarness();
    h.fake.slowMethod('conversations.invite', 5000);
    const { view } = await openDeclareForm(h, 'Half declared');
    await submitForm(h, view, { Severity: 'SEV2', 'Incident commander': 'UBOB' });
    // Killed once the bot has recorded the channel it made (it is now waiting on the slow invite).
    await waitFor(() => readDatabase(h.dbPath).incidents[0]?.channel_id, 'the channel to be created and recorded');
    await kill(h);
    h.fake.slowMethod('conversations.invite', 0);

    h.app = await startApp(h.env, { cwd: h.dir });
    const dm = await waitFor(() => h.fake.dms('UALICE').find((message) => message.text.includes('Half declared')), 'a word to the declarer');
    expect(dm.text).toMatch(/^:x: The bot stopped while declaring "Half declared" \(.*\): the incident was \*not\* declared\. Declare it again with `\/incident declare`\.$/);
    expect(readDatabase(h.dbPath).incidents[0]).toMatchObject({ phase: 'aborted', failure_reason: 'the bot stopped during the declaration' });
    await waitFor(() => [...h.fake.channels.values()].find((channel) => channel.name.includes('half-declared'))?.isArchived, 'the half-made channel archived');
    expect(readDatabase(h.dbPath).incidents).toHaveLength(1);
  }, RESTART_TEST_TIMEOUT_MS);

  it.each([[1], [2], [3]])('SIGKILL during a burst of commands (seed %i): the database is intact, each acknowledged note is on the timeline or its author is told, reminders resume', async (seed) => {
    const random = seeded(seed);
    h = await startHarness({ env: { INCIDENT_UPDATE_INTERVAL: '3s' } });
    const { channel } = await declareIncident(h, { title: `Burst ${seed}`, commander: 'UBOB' });
    h.fake.setLatency(300);
    const sent = Array.from({ length: 20 }, (_, index) => {
      const responseUrl = h.fake.responseUrl();
      return { index, responseUrl, ack: runCommand(h, `note burst ${seed}-${index}`, { channelId: channel.id, userId: 'UCAROL', responseUrl }).catch(() => undefined) };
    });
    // Mid-burst: once the first command is acknowledged (however loaded the machine), a random moment
    // later, while each note waits 0.6 s on Slack.
    await Promise.race(sent.map((request) => request.ack));
    await sleep(random() * 500);
    await kill(h);
    const acks = await Promise.all(sent.map((request) => request.ack));
    h.fake.setLatency(0);
    expect(integrity(h.dbPath)).toBe('ok');

    h.app = await startApp(h.env, { cwd: h.dir });
    // The start-up check of unfinished work tells each person, then clears their journal entry.
    await waitFor(() => readDatabase(h.dbPath).workInProgress.length === 0, 'the unfinished work to be reported');
    const recorded = new Set(readDatabase(h.dbPath).timeline.filter((entry) => entry.kind === 'note').map((entry) => entry.text));
    const acknowledged = sent.filter((_, index) => acks[index]?.status === 200);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const request of acknowledged) {
      const path = new URL(request.responseUrl).pathname;
      const told = h.fake.responses.filter((reply) => reply.path === path).map((reply) => String(reply.body.text));
      const done = recorded.has(`burst ${seed}-${request.index}`);
      // Complete (its note in the channel is the answer), or reported as possibly not done.
      expect(done || told.some((text) => /stopped while it was trying to add the note for you.*may not have been done/.test(text)), `note ${request.index}: ${told.join(' | ')}`).toBe(true);
    }
    expect(readDatabase(h.dbPath).incidents[0]).toMatchObject({ phase: 'live' });
    await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.includes('No status update')), 'a reminder after the restart', 8000);
  }, RESTART_TEST_TIMEOUT_MS);
});

describe('npm run backup', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('copies the live database consistently while the bot runs, and refuses to overwrite', async () => {
    h = await startHarness();
    const { channel } = await declareIncident(h, { title: 'Backed up', commander: 'UBOB' });
    const target = join(h.dir, 'backup.db');
    // Notes keep arriving while the backup runs.
    const writes = Promise.all(Array.from({ length: 10 }, (_, index) => runCommand(h, `note during backup ${index}`, { channelId: channel.id })));
    const result = await runScript('dist/cli/backup.js', [target], { DATABASE_PATH: h.dbPath });
    await writes;
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Backed up .* to ${target}: 1 incidents, \\d+ KiB, integrity ok, in \\d+ ms\\.\\n$`));
    expect(integrity(target)).toBe('ok');
    expect(readDatabase(target).incidents.map((row) => row.title)).toEqual(['Backed up']);

    expect(await runScript('dist/cli/backup.js', [target], { DATABASE_PATH: h.dbPath })).toMatchObject({ code: 1, stderr: `${target} already exists; choose a new file name, or add --force to replace it.\n` });
    expect(await runScript('dist/cli/backup.js', [], { DATABASE_PATH: h.dbPath })).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Usage: npm run backup -- <file>/) });
    expect(await runScript('dist/cli/backup.js', [target, '--force'], { DATABASE_PATH: h.dbPath })).toMatchObject({ code: 0 });
  });
});

describe('npm run backup in a fresh checkout', () => {
  it('creates the folder of the backup file, as in README\'s example', async () => {
    const dir = scratchDir();
    const dbPath = join(dir, 'data', 'incidents.db');
    openDatabase(dbPath).close();
    const result = await runScript('dist/cli/backup.js', ['backups/incidents-2026-11-26.db'], { DATABASE_PATH: dbPath }, dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Backed up .* to backups\/incidents-2026-11-26\.db: 0 incidents/);
    expect(integrity(join(dir, 'backups', 'incidents-2026-11-26.db'))).toBe('ok');
  });
});

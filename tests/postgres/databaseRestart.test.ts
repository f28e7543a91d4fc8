/**
 * PostgreSQL restarted while the bot runs (`pg_ctl stop -m fast`, then start): requests in that
 * window are told to try again in a moment, /health answers 503, the process stays up; once the
 * server is back the pool reconnects by itself, and work that fell due meanwhile is done once.
 * These tests stop and start a throwaway server of their own, never the one test:postgres shares.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { done } from '../../src/flows/incidentFlow.js';
import { runSafely } from '../../src/listeners/replies.js';
import type { ListenerDependencies } from '../../src/listeners/types.js';
import { TASKS } from '../../src/messages/replies.js';
import { SUMMARY_BUTTONS } from '../../src/slack/views/kickoffMessage.js';
import { DatabaseUnavailableError } from '../../src/store/faults.js';
import { openPostgres } from '../../src/store/postgres/db.js';
import { postgresStore } from '../../src/store/postgres/index.js';
import { addNote, ask, clickButton, declareIncident, openDeclareForm, replyAt, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import { onServer } from '../support/testDatabase.js';
import { POSTGRES_ROOT, postgresBin, startThrowawayServer, type ThrowawayServer } from '../support/throwawayPostgres.js';

const bin = postgresBin();
if (!bin) throw new Error(`tests/postgres/databaseRestart.test.ts starts and stops a PostgreSQL of its own: install PostgreSQL so that ${POSTGRES_ROOT}/<version>/bin/pg_ctl exists`);

const TRY_AGAIN_TEXT = /^The bot lost its connection to its database \(it may be restarting\), so this was not done\. Try again in a moment/;
const TRY_AGAIN = /^:x: The bot lost its connection to its database \(it may be restarting\), so this was not done\. Try again in a moment/;
const TOO_SLOW = /^:x: The bot's database took too long to answer, so this was not done\. Try again in a moment/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: ThrowawayServer;
let databases = 0;

/** A fresh database on the throwaway server, for one bot. */
async function freshDatabase(): Promise<string> {
  const name = `restart_${++databases}`;
  await onServer(server.url, `create database ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function health(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${h.app.url}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  server = await startThrowawayServer(bin);
}, 30_000);
afterAll(() => server?.stop());

describe('PostgreSQL restarted under a running bot', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    // A test that failed in its outage leaves the server down for the next.
    server.resume();
  });

  it('tells the person to try again, answers /health with 503, stays up, then reconnects and sends the reminder due meanwhile once', async () => {
    const INTERVAL_MS = 4000;
    // The server trusts loopback connections: the password is there to be looked for in the output.
    const url = new URL(await freshDatabase());
    url.password = 'restart-secret';
    h = await startHarness({ env: { DATABASE_URL: url.toString(), INCIDENT_UPDATE_INTERVAL: `${INTERVAL_MS / 1000}s`, LOG_LEVEL: 'debug' } });
    const bot = h;
    const { channel } = await declareIncident(bot, { title: 'Database restart', commander: 'UBOB' });
    const declaredAt = Date.now();
    const reminders = () => bot.fake.messages(channel.id).filter((message) => message.text.includes('No status update'));
    const kickoff = bot.fake.messages(channel.id)[0]!;

    server.halt();
    const haltedAt = Date.now();
    expect(await ask(bot, 'note rolled back the deploy', { channelId: channel.id, userId: 'UBOB' })).toMatch(TRY_AGAIN);
    const { responseUrl } = await clickButton(bot, { userId: 'UBOB', channelId: channel.id, messageTs: kickoff.ts, actionId: SUMMARY_BUTTONS.acknowledge, value: '1' });
    expect((await replyAt(bot, responseUrl)).text).toMatch(TRY_AGAIN);
    const { view } = await openDeclareForm(bot, 'Second outage');
    // Refused in the answer to the submission itself: nothing was done in Slack.
    const submitted = await submitForm(bot, view, { Severity: 'SEV2' });
    expect(visibleText((submitted.json as { view: { blocks: unknown } }).view.blocks)).toMatch(/The incident was \*not\* declared\.[\s\S]*The bot lost its connection to its database/);
    expect(await health(bot)).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'unreachable', detail: expect.stringMatching(/^PostgreSQL \(DATABASE_URL\): /) } });
    // The reminder falls due while the server is down.
    await sleep(Math.max(0, declaredAt + INTERVAL_MS + 1500 - Date.now()));
    expect(reminders()).toHaveLength(0);
    expect(bot.app.child.exitCode).toBeNull();

    server.resume();
    const resumedAt = Date.now();
    await waitFor(async () => (await health(bot)).status === 200, '/health to answer 200 again', 5000);
    const reconnectMs = Date.now() - resumedAt;
    await addNote(bot, 'rolled back the deploy', { channelId: channel.id, userId: 'UBOB' });
    await waitFor(() => reminders().length > 0, 'the reminder that fell due during the outage', 5000);
    await sleep(1500);
    expect(reminders()).toHaveLength(1);

    const logs = bot.app.logs();
    expect(logs.some((line) => line.msg === 'scheduler pass failed; it is retried every tick and logged again when it works')).toBe(true);
    expect(logs.some((line) => line.msg === 'scheduler pass works again')).toBe(true);
    expect(logs.filter((line) => line.msg === 'a request met a database fault')).toHaveLength(2);
    expect(`${bot.app.stdout()}${bot.app.stderr()}`).not.toContain('restart-secret');
    console.log(`database down ${resumedAt - haltedAt} ms; /health 200 again ${reconnectMs} ms after the server was`);
  });

  it('tells the person the database was too slow when a statement runs past DATABASE_STATEMENT_TIMEOUT', async () => {
    const url = await freshDatabase();
    h = await startHarness({ env: { DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT: '1s' } });
    const { channel } = await declareIncident(h, { title: 'Locked table', commander: 'UBOB' });
    // Another session holds the incidents table: the bot's lookup waits for it until the server cancels it.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table incidents in access exclusive mode');
      expect(await ask(h, 'note waiting on a lock', { channelId: channel.id, userId: 'UBOB' })).toMatch(TOO_SLOW);
      await locker.query('rollback');
      await addNote(h, 'the lock is gone', { channelId: channel.id, userId: 'UBOB' });
    } finally {
      await locker.end();
    }
  });
});

describe('the PostgreSQL store while its server is down', () => {
  it('fails each call with a DatabaseUnavailableError, and works again once the server is back, with no crash from the connections it lost', async () => {
    const database = await openPostgres({ url: await freshDatabase(), poolSize: 3, statementTimeoutMs: 5000 });
    try {
      const store = postgresStore(database.db, 'restart-test');
      // Three connections idle in the pool when the server goes: each reports an 'error'.
      await Promise.all([store.incidents.listOpen(), store.incidents.listOpen(), store.incidents.listOpen()]);
      server.halt();
      try {
        await expect(store.incidents.listOpen()).rejects.toMatchObject({ name: 'DatabaseUnavailableError', code: 'database_unavailable', fault: 'unreachable' });
        await expect(store.journal.start({ what: 'add the note', userId: 'UBOB' }, new Date())).rejects.toBeInstanceOf(DatabaseUnavailableError);
        expect(await database.health()).toMatchObject({ ok: false, database: 'unreachable' });
      } finally {
        server.resume();
      }
      await waitFor(async () => (await database.health()).ok, 'the pool to reconnect', 5000);
      expect(await store.incidents.listOpen()).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe('a connection lent out when the server goes', () => {
  it('does not crash the process: the transaction fails, and the pool works again once the server is back', async () => {
    const database = await openPostgres({ url: await freshDatabase(), poolSize: 2, statementTimeoutMs: 5000 });
    try {
      let cut = false;
      const transaction = database.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        // Idle in the transaction when the server ends the session: its 'error' has no pool listener then.
        server.halt();
        cut = true;
        await sleep(300);
        await tx.execute(sql`select 1`);
      });
      try {
        await expect(transaction).rejects.toThrow();
      } finally {
        server.resume();
      }
      expect(cut).toBe(true);
      await waitFor(async () => (await database.health()).ok, 'the pool to reconnect', 5000);
    } finally {
      await database.close();
    }
  });
});

describe('acknowledged work while PostgreSQL restarts', () => {
  const clock = { now: () => new Date('2026-11-24T02:00:00Z') };
  const asker = { userId: 'UBOB', channelId: 'C1' };

  it('answers Slack and tells the person to try again when the work journal cannot be written', async () => {
    const database = await openPostgres({ url: await freshDatabase(), poolSize: 2, statementTimeoutMs: 5000 });
    try {
      const deps = { ...postgresStore(database.db, 'restart-test'), clock, log: pino({ level: 'silent' }) } as unknown as ListenerDependencies;
      let acked = 0;
      let ran = false;
      server.halt();
      try {
        const result = await runSafely(deps, TASKS.addNote, async () => ((ran = true), done('Note added to the timeline.')), asker, async () => void (acked += 1));
        expect(result).toEqual({ ok: false, message: expect.stringMatching(TRY_AGAIN_TEXT) });
      } finally {
        server.resume();
      }
      expect({ acked, ran }).toEqual({ acked: 1, ran: false });
    } finally {
      await database.close();
    }
  });

  it('reports work that was done as done when the server goes before its journal entry is removed', async () => {
    const database = await openPostgres({ url: await freshDatabase(), poolSize: 2, statementTimeoutMs: 5000 });
    try {
      const store = postgresStore(database.db, 'restart-test');
      const deps = { ...store, clock, log: pino({ level: 'silent' }) } as unknown as ListenerDependencies;
      try {
        const result = await runSafely(deps, TASKS.addNote, async () => (server.halt(), done('Note added to the timeline.')), asker);
        expect(result).toEqual({ ok: true, message: 'Note added to the timeline.', warnings: [] });
      } finally {
        server.resume();
      }
      await waitFor(async () => (await database.health()).ok, 'the pool to reconnect', 5000);
      // Left in the journal: the start after this process ends tells the person it may not have been done.
      expect(await postgresStore(database.db, 'the next process').journal.othersEntries()).toMatchObject([{ what: TASKS.addNote, userId: 'UBOB' }]);
    } finally {
      await database.close();
    }
  });
});

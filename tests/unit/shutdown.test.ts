import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LogOutput } from '../../src/logOutput.js';
import { LOG_FLUSH_MS, shutDown } from '../../src/shutdown.js';

/** A logger whose lines a test can read. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ base: undefined }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { log, messages: () => lines.map((line) => line.msg) };
}

/** A reader that takes nothing: every write stays queued, as on a pipe or socket nobody drains. */
function stalledReader(): Writable {
  return new Writable({ highWaterMark: 16, write: () => {} });
}

const never = () => new Promise<never>(() => {});

describe('shutting down', () => {
  it('ends within the grace period when every step hangs, and still closes the database and says what was cut short', async () => {
    const { log, messages } = recordingLogger();
    let databaseClosed = false;
    let flushedWithin: number | undefined;
    const started = Date.now();
    await shutDown(
      {
        stopListening: never,
        stopScheduler: never,
        drainInFlight: () => never(),
        closeDatabase: () => {
          databaseClosed = true;
        },
        flushLogs: async (timeoutMs) => {
          flushedWithin = timeoutMs;
          await new Promise((resolve) => setTimeout(resolve, timeoutMs));
          return false;
        },
      },
      log,
      400,
    );
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(700);
    expect(databaseClosed).toBe(true);
    expect(flushedWithin).toBeGreaterThan(0);
    expect(flushedWithin).toBeLessThanOrEqual(200);
    expect(messages()).toEqual([
      'the Slack app had not stopped by the end of the grace period',
      'a scheduler pass was still running at shutdown; its rows are claimed again after the lease',
      'work still running at shutdown; the next start will report it',
      'stopped',
    ]);
  });

  it('does each step in order and waits for none longer than it takes', async () => {
    const { log, messages } = recordingLogger();
    const order: string[] = [];
    const step = (name: string) => async () => {
      order.push(name);
    };
    const started = Date.now();
    await shutDown(
      {
        stopListening: step('listening'),
        stopScheduler: step('scheduler'),
        drainInFlight: async () => (order.push('in flight'), true),
        closeDatabase: () => void order.push('database'),
        flushLogs: async () => (order.push('logs'), true),
      },
      log,
      20_000,
    );
    expect(Date.now() - started).toBeLessThan(200);
    expect(order).toEqual(['listening', 'scheduler', 'in flight', 'database', 'logs']);
    expect(messages()).toEqual(['stopped']);
  });

  it('gives the log\'s reader a second at most, not the rest of the grace period', async () => {
    const { log } = recordingLogger();
    let flushedWithin: number | undefined;
    await shutDown(
      {
        stopListening: async () => {},
        stopScheduler: async () => {},
        drainInFlight: async () => true,
        closeDatabase: () => {},
        flushLogs: async (timeoutMs) => {
          flushedWithin = timeoutMs;
          return true;
        },
      },
      log,
      20_000,
    );
    expect(flushedWithin).toBe(LOG_FLUSH_MS);
  });
});

describe('the log output', () => {
  it('never waits for a reader that does not read: lines past the bound are dropped and counted, and flushing gives up in time', async () => {
    const reader = stalledReader();
    const output = new LogOutput(reader, { maxQueuedBytes: 1000 });
    const started = Date.now();
    for (let index = 0; index < 10_000; index += 1) output.write(`${JSON.stringify({ level: 30, msg: `line ${index}` })}\n`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(reader.writableLength).toBeLessThan(1100);
    expect(await output.flush(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('says how many lines it dropped once the reader catches up', async () => {
    const taken: string[] = [];
    let stalled = true;
    const pending: (() => void)[] = [];
    const reader = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        taken.push(chunk.toString());
        if (stalled) pending.push(() => callback());
        else callback();
      },
    });
    const output = new LogOutput(reader, { maxQueuedBytes: 10 });
    for (let index = 0; index < 5; index += 1) output.write(`{"level":30,"msg":"line ${index}"}\n`);
    stalled = false;
    for (const release of pending) release();
    await new Promise((resolve) => setImmediate(resolve));
    output.write('{"level":30,"msg":"after"}\n');
    expect(await output.flush(1000)).toBe(true);
    expect(taken.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['line 0', '4 log lines were dropped: nothing was reading the log output', 'after']);
  });

  it('a reader that went away (EPIPE) stops the logging, not the bot', async () => {
    const reader = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const output = new LogOutput(reader);
    output.write('{"msg":"first"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => output.write('{"msg":"second"}\n')).not.toThrow();
    expect(await output.flush(50)).toBe(true);
  });
});

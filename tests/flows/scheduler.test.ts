import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DUE_WORK_CHECK, startScheduler } from '../../src/scheduler/loop.js';
import type { LogLine } from '../support/launcher.js';

describe('the scheduler on a database that fails every tick', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('logs the failure once, and once more when the pass works again', async () => {
    const logs: LogLine[] = [];
    const log = pino({ level: 'info', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    let broken = true;
    let runs = 0;
    const scheduler = startScheduler(
      {
        reminders: async () => {
          runs += 1;
          if (broken) throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
        },
      },
      1000,
      log,
    );

    await vi.advanceTimersByTimeAsync(60_000);
    broken = false;
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.stop();

    expect(runs).toBe(65);
    expect(logs.map((line) => [line.level, line.msg, line.pass])).toEqual([
      [50, 'scheduler pass failed; it is retried every tick and logged again when it works', 'reminders'],
      [30, 'scheduler pass works again', 'reminders'],
    ]);
    expect(logs[1]).toMatchObject({ failedTicks: 60 });
  });
});

describe('the scheduler asking first what is due', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs only the passes with work, and none while the check fails, logging that once', async () => {
    const logs: LogLine[] = [];
    const log = pino({ level: 'info', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    const runs = { reminders: 0, recovery: 0 };
    let due: string[] | 'unreadable' = [];
    const scheduler = startScheduler(
      { reminders: async () => void (runs.reminders += 1), recovery: async () => void (runs.recovery += 1) },
      1000,
      log,
      async () => {
        if (due === 'unreadable') throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return new Set(due);
      },
    );

    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toEqual({ reminders: 0, recovery: 0 });
    due = ['reminders'];
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toEqual({ reminders: 3, recovery: 0 });
    due = 'unreadable';
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toEqual({ reminders: 3, recovery: 0 });
    due = ['reminders', 'recovery'];
    await vi.advanceTimersByTimeAsync(1_000);
    await scheduler.stop();

    expect(runs).toEqual({ reminders: 4, recovery: 1 });
    expect(logs.map((line) => [line.level, line.msg, line.pass])).toEqual([
      [50, 'scheduler pass failed; it is retried every tick and logged again when it works', DUE_WORK_CHECK],
      [30, 'scheduler pass works again', DUE_WORK_CHECK],
    ]);
  });
});

describe('the scheduler with a pass held up', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps running the other passes every tick, starts the held one again only once it is done, and stops after it', async () => {
    const log = pino({ level: 'silent' });
    const runs = { reminders: 0, recovery: 0 };
    let release = () => {};
    const scheduler = startScheduler(
      {
        // The first reminders pass waits, as on a Slack call waiting out its timeout.
        reminders: () => (runs.reminders += 1) === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
        recovery: async () => void (runs.recovery += 1),
      },
      1000,
      log,
      async () => new Set(['reminders', 'recovery']),
    );

    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toEqual({ reminders: 1, recovery: 10 });
    release();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toEqual({ reminders: 3, recovery: 12 });

    let stopped = false;
    runs.reminders = 0;
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false); // the held pass is still running
    release();
    await stopping;
    expect(runs.recovery).toBe(13);
  });
});

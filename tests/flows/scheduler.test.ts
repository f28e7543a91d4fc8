import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startScheduler } from '../../src/scheduler/loop.js';
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

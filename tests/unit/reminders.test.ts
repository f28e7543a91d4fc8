import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { autoPostDelayMs, nextReminderAt, nextUpdateDue, parseInterval, silenceMs, type ReminderSettings } from '../../src/domain/reminders.js';

const declaredAt = new Date('2026-11-24T02:00:00Z');
const at = (minutes: number) => new Date(declaredAt.getTime() + minutes * 60_000);
const incident = (overrides: Partial<Incident> = {}) =>
  ({ id: 1, phase: 'live', status: 'investigating', severity: 'SEV2', declaredAt, lastUpdateAt: null, ...overrides }) as Incident;
const settings: ReminderSettings = { defaultIntervalMs: 30 * 60_000, perSeverity: { SEV1: 15 * 60_000 }, autoPost: [], autoPostAfterMs: undefined };
const fresh = { lastRemindedAt: null, notBefore: null, restartedAt: null };

describe('update reminder schedule', () => {
  it.each([
    ['45s', 45_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    [' 2M ', 120_000],
    ['30', undefined],
    ['0m', undefined],
    ['soon', undefined],
    ['-5m', undefined],
  ])('reads the interval %j', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it('is due one interval after the declaration, sooner for a severity with its own interval', () => {
    expect(nextReminderAt(incident(), fresh, settings)).toEqual(at(30));
    expect(nextReminderAt(incident({ severity: 'SEV1' }), fresh, settings)).toEqual(at(15));
  });

  it('restarts from the last status update', () => {
    expect(nextReminderAt(incident({ lastUpdateAt: at(20) }), fresh, settings)).toEqual(at(50));
  });

  it('after a reminder, waits a whole interval again: a missed stretch gives one reminder, not one per interval', () => {
    // The bot was down from minute 25 to 200: one reminder due at 30 (sent late, at 200), the next at 230.
    expect(nextReminderAt(incident(), fresh, settings)! <= at(200)).toBe(true);
    expect(nextReminderAt(incident(), { ...fresh, lastRemindedAt: at(200) }, settings)).toEqual(at(230));
  });

  it('honours a snooze and a retry delay, and restarts the clock on reopen', () => {
    expect(nextReminderAt(incident(), { ...fresh, notBefore: at(45) }, settings)).toEqual(at(45));
    expect(nextReminderAt(incident(), { ...fresh, notBefore: at(5) }, settings)).toEqual(at(30));
    expect(nextReminderAt(incident({ lastUpdateAt: at(10) }), { ...fresh, restartedAt: at(100) }, settings)).toEqual(at(130));
  });

  it('owes nothing for a resolved incident or one still being declared', () => {
    expect(nextReminderAt(incident({ status: 'resolved' }), fresh, settings)).toBeUndefined();
    expect(nextReminderAt(incident({ phase: 'declaring' }), fresh, settings)).toBeUndefined();
  });

  it('measures the silence from the last update', () => {
    expect(silenceMs(incident({ lastUpdateAt: at(10) }), at(42))).toBe(32 * 60_000);
    expect(silenceMs(incident(), at(42))).toBe(42 * 60_000);
  });
});

describe('the automatic update', () => {
  /** SEV1 every 15 minutes, the rest every 30; the bot posts for SEV1 and SEV2. */
  const auto: ReminderSettings = { ...settings, autoPost: ['SEV1', 'SEV2'] };
  const minutes = (ms: number) => ms / 60_000;

  it('comes first as the drafted reminder, an interval after the last update', () => {
    expect(nextUpdateDue(incident(), fresh, auto)).toEqual({ kind: 'update', at: at(30) });
    expect(nextUpdateDue(incident({ lastUpdateAt: at(20) }), fresh, auto)).toEqual({ kind: 'update', at: at(50) });
  });

  it('then the bot posts it itself, autoPostDelayMs after a reminder newer than the last update', () => {
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(31) }, auto)).toEqual({ kind: 'automatic', at: at(36) });
    expect(nextUpdateDue(incident({ severity: 'SEV1' }), { ...fresh, lastRemindedAt: at(15) }, auto)).toEqual({ kind: 'automatic', at: at(20) });
  });

  it('a person posting after the reminder puts it off: the next reminder counts from their update', () => {
    expect(nextUpdateDue(incident({ lastUpdateAt: at(33) }), { ...fresh, lastRemindedAt: at(30) }, auto)).toEqual({ kind: 'update', at: at(63) });
  });

  it('after the automatic update (the last update now), the next reminder comes an interval later', () => {
    expect(nextUpdateDue(incident({ lastUpdateAt: at(35) }), { ...fresh, lastRemindedAt: at(30) }, auto)).toEqual({ kind: 'update', at: at(65) });
  });

  it('waits for a snooze', () => {
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(30), notBefore: at(46) }, auto)).toEqual({ kind: 'automatic', at: at(46) });
    // A snooze already over changes nothing.
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(30), notBefore: at(31) }, auto)).toEqual({ kind: 'automatic', at: at(35) });
  });

  it('with autoPostAfter 0 the automatic update is the reminder itself, an interval after the last update', () => {
    const atOnce: ReminderSettings = { ...auto, autoPostAfterMs: 0 };
    expect(nextUpdateDue(incident(), fresh, atOnce)).toEqual({ kind: 'automatic', at: at(30) });
    expect(nextUpdateDue(incident({ lastUpdateAt: at(30) }), fresh, atOnce)).toEqual({ kind: 'automatic', at: at(60) });
    expect(nextUpdateDue(incident({ severity: 'SEV3' }), fresh, atOnce)).toEqual({ kind: 'update', at: at(30) });
  });

  it('waits autoPostAfter when the file sets it', () => {
    const later: ReminderSettings = { ...auto, autoPostAfterMs: 12 * 60_000 };
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(30) }, later)).toEqual({ kind: 'automatic', at: at(42) });
  });

  it('an autoPostAfter longer than the interval waits one interval: the bot posts where the next reminder would have come', () => {
    const tooLate: ReminderSettings = { ...auto, autoPostAfterMs: 60 * 60_000 };
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(30) }, tooLate)).toEqual({ kind: 'automatic', at: at(60) });
    expect(nextUpdateDue(incident({ severity: 'SEV1' }), { ...fresh, lastRemindedAt: at(15) }, tooLate)).toEqual({ kind: 'automatic', at: at(30) });
  });

  it.each([
    [30, 5],
    [15, 5],
    [12, 4],
    [3, 1],
    [1, 1 / 3],
    [120, 5],
  ])('by default waits min(5 min, a third of the interval): %i min interval, %d min', (interval, wait) => {
    const perSeverity: ReminderSettings = { ...auto, perSeverity: { SEV2: interval * 60_000 } };
    expect(minutes(autoPostDelayMs(perSeverity, 'SEV2'))).toBeCloseTo(wait, 3);
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(interval) }, perSeverity)).toEqual({ kind: 'automatic', at: new Date(at(interval).getTime() + autoPostDelayMs(perSeverity, 'SEV2')) });
  });

  it('each severity by its own interval', () => {
    const intervals: ReminderSettings = { ...auto, defaultIntervalMs: 60 * 60_000, perSeverity: { SEV1: 6 * 60_000 } };
    expect(minutes(autoPostDelayMs(intervals, 'SEV1'))).toBe(2);
    expect(minutes(autoPostDelayMs(intervals, 'SEV2'))).toBe(5);
  });

  it('never for a severity the bot does not post for, however long nobody posts', () => {
    for (const severity of ['SEV3', 'SEV4'] as const) {
      expect(nextUpdateDue(incident({ severity }), fresh, auto)).toEqual({ kind: 'update', at: at(30) });
      expect(nextUpdateDue(incident({ severity }), { ...fresh, lastRemindedAt: at(30) }, auto)).toEqual({ kind: 'update', at: at(60) });
      expect(nextUpdateDue(incident({ severity }), { ...fresh, lastRemindedAt: at(300) }, auto)).toEqual({ kind: 'update', at: at(330) });
    }
    const none: ReminderSettings = { ...auto, autoPost: [] };
    expect(nextUpdateDue(incident({ severity: 'SEV1' }), { ...fresh, lastRemindedAt: at(15) }, none)).toEqual({ kind: 'update', at: at(30) });
  });

  it('a reopen starts over with a reminder, not the automatic update owed before the resolve', () => {
    // Reminded at 30, resolved before the bot posted, reopened at 50.
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(30), restartedAt: at(50) }, auto)).toEqual({ kind: 'update', at: at(80) });
    expect(nextUpdateDue(incident(), { ...fresh, lastRemindedAt: at(80), restartedAt: at(50) }, auto)).toEqual({ kind: 'automatic', at: at(85) });
  });

  it('owes nothing once resolved, even with a reminder out', () => {
    expect(nextUpdateDue(incident({ status: 'resolved' }), { ...fresh, lastRemindedAt: at(30) }, auto)).toBeUndefined();
  });
});

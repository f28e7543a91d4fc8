import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { nextReminderAt, parseInterval, silenceMs, type ReminderSettings } from '../../src/domain/reminders.js';

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

import { describe, expect, it } from 'vitest';
import { parseImpactStart } from '../../src/domain/impactStart.js';
import { formatDuration, incidentDurationMs, planImpactStart, planResolve } from '../../src/domain/lifecycle.js';
import { keyFigures } from '../../src/domain/postmortem.js';
import { instantOfWallTime } from '../../src/domain/time.js';
import { declaredAt, minutesAfterDeclaration, sampleIncident } from '../support/sampleIncident.js';

const now = new Date('2026-11-26T13:20:00Z');
const parse = (text: string, zone = 'Europe/Berlin', at = now) => parseImpactStart(text, at, zone);

describe('reading when the impact started', () => {
  it('reads a time of day as today in the incident zone', () => {
    expect(parse('14:05')).toEqual({ ok: true, value: new Date('2026-11-26T13:05:00Z') });
    expect(parse('9:30', 'UTC')).toEqual({ ok: true, value: new Date('2026-11-26T09:30:00Z') });
  });

  it('reads a date and a time in the zone', () => {
    expect(parse('2026-11-25 23:50')).toEqual({ ok: true, value: new Date('2026-11-25T22:50:00Z') });
    expect(parse('2026-11-25T23:50', 'America/New_York')).toEqual({ ok: true, value: new Date('2026-11-26T04:50:00Z') });
  });

  it('reads how long ago, to the minute', () => {
    const notOnTheMinute = new Date('2026-11-26T13:20:42Z');
    expect(parse('-20m', 'UTC', notOnTheMinute)).toEqual({ ok: true, value: new Date('2026-11-26T13:00:00Z') });
    expect(parse('-2h', 'UTC')).toEqual({ ok: true, value: new Date('2026-11-26T11:20:00Z') });
    expect(parse('-1h30m', 'UTC')).toEqual({ ok: true, value: new Date('2026-11-26T11:50:00Z') });
  });

  it('refuses a future time, saying how to give another day', () => {
    const result = parse('15:00');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/2026-11-26 15:00 GMT\+1 is in the future.*write the date too/);
  });

  it('refuses what it cannot read, with the forms it can', () => {
    for (const typed of ['yesterday', '25:00', '14:75', '2026-02-30 10:00', '-', '14.05']) {
      const result = parse(typed);
      expect(result.ok, typed).toBe(false);
      expect(!result.ok && result.reason).toContain('/incident impact-start -20m');
    }
  });

  it('refuses a time the zone skips when clocks go forward, and takes the first of a repeated hour', () => {
    expect(instantOfWallTime('2026-03-29', 2, 30, 'Europe/Berlin')).toBeNull();
    expect(parse('2026-03-29 02:30').ok).toBe(false);
    expect(instantOfWallTime('2026-10-25', 2, 30, 'Europe/Berlin')).toEqual(new Date('2026-10-25T00:30:00Z'));
  });
});

describe('the impact start on the incident', () => {
  const shown = 'shown';

  it('is recorded on the timeline, and moving it says from where', () => {
    const first = planImpactStart(sampleIncident(), minutesAfterDeclaration(-20), minutesAfterDeclaration(5), '01:40');
    expect(first).toEqual({ ok: true, change: { patch: { impactStartedAt: minutesAfterDeclaration(-20) }, entry: { kind: 'impact_started', text: 'Impact started at 01:40', data: { at: '2026-11-24T01:40:00.000Z', previous: null } } } });
    const moved = planImpactStart(sampleIncident({ impactStartedAt: minutesAfterDeclaration(-20) }), minutesAfterDeclaration(-30), minutesAfterDeclaration(5), '01:30');
    expect(moved.ok && moved.change.entry.text).toBe('Impact start moved to 01:30');
  });

  it('is refused in the future, after the resolve, or when it is already that time', () => {
    expect(planImpactStart(sampleIncident(), minutesAfterDeclaration(10), minutesAfterDeclaration(5), shown)).toEqual({ ok: false, reason: 'shown is in the future: the impact cannot have started yet.' });
    const resolved = sampleIncident({ status: 'resolved', resolvedAt: minutesAfterDeclaration(30) });
    expect(planImpactStart(resolved, minutesAfterDeclaration(40), minutesAfterDeclaration(60), shown)).toEqual({ ok: false, reason: 'shown is after the incident was resolved; the impact must have started before that.' });
    expect(planImpactStart(resolved, minutesAfterDeclaration(20), minutesAfterDeclaration(60), shown).ok).toBe(true);
    const same = planImpactStart(sampleIncident({ impactStartedAt: declaredAt }), declaredAt, minutesAfterDeclaration(5), shown);
    expect(same.ok).toBe(false);
  });

  it('time to resolve and the duration count from it when given, from the declaration otherwise', () => {
    const resolveAt = minutesAfterDeclaration(60);
    const fromImpact = planResolve(sampleIncident({ impactStartedAt: minutesAfterDeclaration(-20) }), { summary: 'fixed', rootCause: 'bug' }, resolveAt);
    expect(fromImpact.ok && fromImpact.change.durationMs).toBe(80 * 60_000);
    const fromDeclaration = planResolve(sampleIncident(), { summary: 'fixed', rootCause: 'bug' }, resolveAt);
    expect(fromDeclaration.ok && fromDeclaration.change.durationMs).toBe(60 * 60_000);

    const resolved = sampleIncident({ impactStartedAt: minutesAfterDeclaration(-20), status: 'resolved', resolvedAt: resolveAt });
    expect(formatDuration(incidentDurationMs(resolved, resolveAt))).toBe('1 h 20 min');
    expect(keyFigures(resolved, [], resolveAt).timeToResolveMs).toBe(80 * 60_000);
    expect(keyFigures({ ...resolved, impactStartedAt: null }, [], resolveAt).timeToResolveMs).toBe(60 * 60_000);
  });
});

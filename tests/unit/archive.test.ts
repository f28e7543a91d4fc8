import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DAY_MS, NO_ARCHIVE_STATE, nextArchiveStep, type ArchiveState } from '../../src/domain/archive.js';
import { sampleIncident } from '../support/sampleIncident.js';

const resolvedAt = new Date('2026-11-24T10:00:00Z');
const days = (n: number) => new Date(resolvedAt.getTime() + n * DAY_MS);
const resolved = sampleIncident({ status: 'resolved', resolvedAt });
const week = { afterMs: 7 * DAY_MS };
const step = (state: Partial<ArchiveState> = {}, settings = week, reviewPending = false, incident = resolved) => nextArchiveStep(incident, { ...NO_ARCHIVE_STATE, ...state }, settings, reviewPending);

describe('when a resolved incident\'s channel is warned and archived', () => {
  it('warns a day before the period ends, then archives when it ends', () => {
    expect(step()).toEqual({ kind: 'warn', at: days(6) });
    expect(step({ warnedAt: days(6) })).toEqual({ kind: 'archive', at: days(7) });
  });

  it('with a period of a day or less, warns at the resolve and archives a whole period later', () => {
    expect(step({}, { afterMs: DAY_MS })).toEqual({ kind: 'warn', at: resolvedAt });
    expect(step({ warnedAt: resolvedAt }, { afterMs: DAY_MS })).toEqual({ kind: 'archive', at: days(1) });
    expect(step({ warnedAt: resolvedAt }, { afterMs: DAY_MS / 2 })).toEqual({ kind: 'archive', at: days(0.5) });
  });

  it('gives a late warning its full day of notice', () => {
    // Warned on day 9 (the review was held late): archived on day 10, not at once.
    expect(step({ warnedAt: days(9) })).toEqual({ kind: 'archive', at: days(10) });
  });

  it('counts the period again from a Keep open, and forgets a warning from before it', () => {
    expect(step({ warnedAt: days(6), keptOpenAt: days(6.5), keptOpenBy: 'UBOB' })).toEqual({ kind: 'warn', at: days(12.5) });
  });

  it('ignores what happened before the latest resolve (an earlier resolve, then a reopen)', () => {
    const earlier = new Date(resolvedAt.getTime() - 3 * DAY_MS);
    expect(step({ warnedAt: earlier, keptOpenAt: earlier, gaveUpAt: earlier })).toEqual({ kind: 'warn', at: days(6) });
  });

  it('owes nothing when archiving is off, the incident is open, the channel is archived, the review is owed, or Slack refused for good', () => {
    expect(step({}, { afterMs: 0 })).toBeUndefined();
    expect(step({}, week, false, sampleIncident())).toBeUndefined();
    expect(step({ archivedAt: days(7) })).toBeUndefined();
    expect(step({}, week, true)).toBeUndefined();
    expect(step({ warnedAt: days(6), gaveUpAt: days(7) })).toBeUndefined();
    // Kept open after the refusal (someone fixed it): tried again.
    expect(step({ gaveUpAt: days(7), keptOpenAt: days(8) })).toEqual({ kind: 'warn', at: days(14) });
  });
});

describe('archive_after_days in incident.config.yml', () => {
  const minimal = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' };
  const withFile = (yaml: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'archive-config-')), 'incident.config.yml');
    writeFileSync(path, yaml);
    return { ...minimal, INCIDENT_CONFIG: path };
  };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('is a week by default; 0 turns archiving off; a fraction of a day is allowed', () => {
    expect(loadConfig(minimal).archive).toEqual({ afterMs: 7 * DAY_MS });
    expect(loadConfig(withFile('archive_after_days: 0\n')).archive).toEqual({ afterMs: 0 });
    expect(loadConfig(withFile('archive_after_days: 0.5\n')).archive).toEqual({ afterMs: DAY_MS / 2 });
  });

  it('refuses anything but a number of days, in one line naming the file and the setting', () => {
    for (const value of ['seven', '-1', '1000']) {
      const env = withFile(`archive_after_days: ${value}\n`);
      const problems = problemsOf(env);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${env.INCIDENT_CONFIG}: archiveAfterDays must be a number of days such as 7`));
    }
  });
});

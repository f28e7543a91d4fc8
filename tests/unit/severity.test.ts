import { describe, expect, it } from 'vitest';
import { parseSeverityLevel, SEVERITIES, severityOf } from '../../src/domain/severity.js';

describe('severity catalogue', () => {
  it('has the runbooks\' four levels, most severe first', () => {
    expect(SEVERITIES.map((severity) => severity.level)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(SEVERITIES.map((severity) => severity.name)).toEqual(['Critical', 'High', 'Medium', 'Low']);
  });

  it('describes each level with its meaning and response time, as the runbooks do', () => {
    expect(severityOf(SEVERITIES, 'SEV1').summary).toMatch(/down.*data loss.*security breach/i);
    expect(severityOf(SEVERITIES, 'SEV1').responseTime).toMatch(/immediate/i);
    expect(severityOf(SEVERITIES, 'SEV2').responseTime).toMatch(/1 hour/);
    expect(severityOf(SEVERITIES, 'SEV3').responseTime).toMatch(/4 hours/);
    expect(severityOf(SEVERITIES, 'SEV4').responseTime).toMatch(/next business day/i);
  });

  it('fits each level into a select option (75 characters for text and description)', () => {
    for (const severity of SEVERITIES) {
      expect(`${severity.level} · ${severity.name}`.length).toBeLessThanOrEqual(75);
      expect(`${severity.summary} · ${severity.responseTime}`.length).toBeLessThanOrEqual(75);
    }
  });

  it.each([
    ['SEV1', 'SEV1'],
    ['sev2', 'SEV2'],
    ['Sev-3', 'SEV3'],
    ['sev 4', 'SEV4'],
    ['1', 'SEV1'],
  ])('reads %s as %s', (input, level) => {
    expect(parseSeverityLevel(input)).toBe(level);
  });

  it.each(['sev9', 'SEV0', 'critical', '', 'P1'])('rejects %j', (input) => {
    expect(parseSeverityLevel(input)).toBeUndefined();
  });
});

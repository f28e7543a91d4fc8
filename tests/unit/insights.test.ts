import { describe, expect, it } from 'vitest';
import { median, severityStatistics } from '../../src/domain/insights.js';
import { sampleIncident } from '../support/sampleIncident.js';

const now = new Date('2026-11-26T12:00:00Z');
const daysAgo = (days: number, plusMinutes = 0) => new Date(now.getTime() - days * 86_400_000 + plusMinutes * 60_000);
const MIN = 60_000;

describe('median', () => {
  it('is the middle value, the mean of the middle two for an even count, and null for none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });
});

describe('severityStatistics', () => {
  const incidents = [
    // SEV1 in the last 30 days: acknowledged after 2, 4 and 10 min; two resolved after 60 and 120 min.
    sampleIncident({ id: 1, severity: 'SEV1', declaredAt: daysAgo(1), acknowledgedAt: daysAgo(1, 2), resolvedAt: daysAgo(1, 60), status: 'resolved' }),
    sampleIncident({ id: 2, severity: 'SEV1', declaredAt: daysAgo(10), acknowledgedAt: daysAgo(10, 4), resolvedAt: daysAgo(10, 120), status: 'resolved' }),
    sampleIncident({ id: 3, severity: 'SEV1', declaredAt: daysAgo(29), acknowledgedAt: daysAgo(29, 10) }),
    // SEV1 60 days ago: in the 90-day window only.
    sampleIncident({ id: 4, severity: 'SEV1', declaredAt: daysAgo(60), acknowledgedAt: daysAgo(60, 30), resolvedAt: daysAgo(60, 300), status: 'resolved' }),
    // Older than 90 days: in no window.
    sampleIncident({ id: 5, severity: 'SEV1', declaredAt: daysAgo(91), acknowledgedAt: daysAgo(91, 1) }),
    // A drill counts nowhere, however fast.
    sampleIncident({ id: 6, severity: 'SEV1', declaredAt: daysAgo(2), acknowledgedAt: daysAgo(2, 0), drillScenario: 'database-outage' }),
    // SEV3 never acknowledged: counted, no median.
    sampleIncident({ id: 7, severity: 'SEV3', declaredAt: daysAgo(3) }),
  ];

  it('counts each severity in the last 30 days with its medians, leaving out older incidents and drills', () => {
    const { days, bySeverity } = severityStatistics(incidents, now, 30);
    expect(days).toBe(30);
    expect(bySeverity.map((row) => row.severity)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(bySeverity[0]).toEqual({ severity: 'SEV1', count: 3, medianTimeToAcknowledgeMs: 4 * MIN, medianTimeToResolveMs: 90 * MIN });
    expect(bySeverity[1]).toEqual({ severity: 'SEV2', count: 0, medianTimeToAcknowledgeMs: null, medianTimeToResolveMs: null });
    expect(bySeverity[2]).toEqual({ severity: 'SEV3', count: 1, medianTimeToAcknowledgeMs: null, medianTimeToResolveMs: null });
  });

  it('takes in the incidents of the longer window in the 90-day figures', () => {
    const sev1 = severityStatistics(incidents, now, 90).bySeverity[0]!;
    expect(sev1).toEqual({ severity: 'SEV1', count: 4, medianTimeToAcknowledgeMs: 7 * MIN, medianTimeToResolveMs: 120 * MIN });
  });
});

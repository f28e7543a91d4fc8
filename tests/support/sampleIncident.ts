import type { Incident } from '../../src/domain/incident.js';

/** A live SEV2 incident declared at 02:00 UTC, for the pure domain's tests. */
export const declaredAt = new Date('2026-11-24T02:00:00Z');
export const minutesAfterDeclaration = (minutes: number) => new Date(declaredAt.getTime() + minutes * 60_000);

export const sampleIncident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 1,
  declarationKey: 'V1',
  phase: 'live',
  title: 'Database connection failure',
  severity: 'SEV2',
  status: 'investigating',
  impact: '',
  commanderId: 'UBOB',
  declaredBy: 'UALICE',
  isPrivate: false,
  declaredAt,
  channelId: 'C1',
  channelName: 'incident-2026-11-24-database-connection-failure',
  kickoffTs: '1.000001',
  failureReason: null,
  commsId: null,
  scribeId: null,
  highestSeverity: 'SEV2',
  lastUpdateAt: null,
  resolvedAt: null,
  resolutionSummary: '',
  rootCause: '',
  acknowledgedAt: null,
  acknowledgedBy: null,
  reviewDoneAt: null,
  drillScenario: null,
  impactStartedAt: null,
  type: null,
  fields: {},
  ...overrides,
});

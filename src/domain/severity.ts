/**
 * The severity catalogue, taken from the runbooks our users already follow (shared/seeds):
 * four levels, each with what it means, how fast someone must respond and who is told.
 */
export const SEVERITY_LEVELS = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

export interface Severity {
  level: SeverityLevel;
  /** One word, as the runbooks say it: Critical, High, Medium, Low. */
  name: string;
  /** What kind of incident this level is for; short enough for a select option (75 chars). */
  summary: string;
  responseTime: string;
  notify: string;
}

export const SEVERITIES: readonly Severity[] = [
  {
    level: 'SEV1',
    name: 'Critical',
    summary: 'Service down, data loss, security breach',
    responseTime: 'Immediate (< 15 min)',
    notify: 'All hands: on-call, team lead, engineering manager',
  },
  {
    level: 'SEV2',
    name: 'High',
    summary: 'Major feature broken, partial outage, error rate > 5%',
    responseTime: 'Urgent (< 1 hour)',
    notify: 'On-call engineer and team lead',
  },
  {
    level: 'SEV3',
    name: 'Medium',
    summary: 'Minor feature degraded, errors 1–5%, slow responses',
    responseTime: 'Within 4 hours',
    notify: 'On-call engineer',
  },
  {
    level: 'SEV4',
    name: 'Low',
    summary: 'Cosmetic issue or non-critical bug',
    responseTime: 'Next business day',
    notify: 'Create a ticket',
  },
];

export const DEFAULT_SEVERITY: SeverityLevel = 'SEV2';

/** Accepts what people type: "sev1", "SEV-1", "Sev 1", "1". */
export function parseSeverityLevel(input: string): SeverityLevel | undefined {
  const compact = input.trim().toUpperCase().replace(/[\s_-]+/g, '');
  const level = /^\d$/.test(compact) ? `SEV${compact}` : compact;
  return SEVERITY_LEVELS.find((candidate) => candidate === level);
}

/** A level's entry in a catalogue (the configured one, or SEVERITIES). */
export function severityOf(catalogue: readonly Severity[], level: SeverityLevel): Severity {
  const severity = catalogue.find((candidate) => candidate.level === level);
  if (!severity) throw new Error(`unknown severity level ${level}`);
  return severity;
}

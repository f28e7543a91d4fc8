/**
 * Alerts from monitoring, as the bot keeps them whatever sent them: Prometheus Alertmanager,
 * Grafana, or our own small JSON. Pure: the formats (`alertFormats.ts`) turn a request body into
 * these, the store keeps them, the flows decide what each means for the triage channel.
 */
import type { SeverityLevel } from './severity.js';

export const ALERT_SOURCES = ['alertmanager', 'grafana', 'generic'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];
export type AlertStatus = 'firing' | 'resolved';

export interface AlertLink {
  label: string;
  url: string;
}

/** One alert as a request carried it, whatever its format. */
export interface ReceivedAlert {
  source: AlertSource;
  /** The same alert firing again carries the same fingerprint: what repeats are counted by. */
  fingerprint: string;
  status: AlertStatus;
  /** What the alert is called (`alertname`, or our JSON's title). */
  name: string;
  /** One line saying what is wrong (`summary`), when the alert has one. */
  summary: string | undefined;
  description: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Where to look: the rule that fired, its runbook, its dashboard. http(s) only. */
  links: AlertLink[];
}

/** An alert as stored: what it is, how often it fired, and what people (or a rule) did with it. */
export interface StoredAlert extends ReceivedAlert {
  id: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** How many times it fired while open, the first included. */
  fireCount: number;
  resolvedAt: Date | null;
  /** The triage channel's message about it, once posted. */
  triageTs: string | null;
  /** `failed`: posting the triage message failed; the next repeat tries again. */
  triageState: 'posting' | 'posted' | 'failed';
  incidentId: number | null;
  /** Who declared the incident from it; null with an incident: a rule declared it at once. */
  declaredBy: string | null;
  dismissedBy: string | null;
}

/** A rule of the configuration file: alerts whose labels all match are declared at once. */
export interface AlertRule {
  match: Record<string, string>;
  declare: SeverityLevel;
  /** Who commands the incident declared; the bot when unset, until someone takes command. */
  commander: string | undefined;
}

export interface AlertSettings {
  /** Where firing alerts are posted for people to triage. */
  triageChannel: string;
  /** A `severity` label's value → the severity the declare form proposes. */
  severityLabels: Record<string, SeverityLevel>;
  rules: AlertRule[];
}

/**
 * A triage message shows an alert's repeats at most once in this long: Alertmanager repeats a whole
 * group every few seconds, and Slack allows about 50 `chat.update` a minute. A repeat within it is
 * counted at once and shown by the next update, which comes at most this long after the last one.
 */
export const TRIAGE_UPDATE_EVERY_MS = 30_000;

/** How long a replica holds an owed triage update it claimed: dying with it, the update is owed again after this. */
export const TRIAGE_UPDATE_LEASE_MS = 60_000;

/** What `severity` labels mean when the configuration file says nothing: Prometheus's usual words. */
export const DEFAULT_SEVERITY_LABELS: Record<string, SeverityLevel> = { critical: 'SEV1', error: 'SEV2', warning: 'SEV3', info: 'SEV4' };

/** The first rule whose labels the alert all carries, with the same values. */
export function matchingRule(alert: Pick<ReceivedAlert, 'labels'>, rules: readonly AlertRule[]): AlertRule | undefined {
  return rules.find((rule) => Object.entries(rule.match).every(([label, value]) => alert.labels[label] === value));
}

/** The severity the declare form proposes for the alert: its `severity` label through the mapping. */
export function proposedSeverity(alert: Pick<ReceivedAlert, 'labels'>, severityLabels: Record<string, SeverityLevel>): SeverityLevel | undefined {
  const label = alert.labels.severity?.trim().toLowerCase();
  return label === undefined ? undefined : severityLabels[label];
}

/** The incident title an alert proposes: its summary, else its name. */
export const alertTitle = (alert: Pick<ReceivedAlert, 'name' | 'summary'>) => alert.summary ?? alert.name;


/**
 * The three request bodies that bring alerts: Prometheus Alertmanager's webhook (version 4),
 * Grafana alerting's webhook contact point, and our own small JSON (README, Alerts). Each is
 * checked with zod and turned into `ReceivedAlert`s; a body that does not fit names the field.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertLink, AlertSource, ReceivedAlert } from './alert.js';

const labelMap = z.record(z.string(), z.string());
const status = z.enum(['firing', 'resolved'], { error: 'must be "firing" or "resolved"' });
const optionalText = z.string().optional();

/** One alert in Alertmanager's and Grafana's webhooks (Grafana adds its dashboard, panel and silence links). */
const groupedAlert = z.object({
  status,
  labels: labelMap,
  annotations: labelMap.default({}),
  generatorURL: optionalText,
  fingerprint: optionalText,
  dashboardURL: optionalText,
  panelURL: optionalText,
  silenceURL: optionalText,
});

const alertmanagerBody = z.object({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook version 4)' }),
  status,
  alerts: z.array(groupedAlert, { error: 'must be a list of alerts' }),
});

const grafanaBody = z.object({
  status,
  alerts: z.array(groupedAlert, { error: 'must be a list of alerts' }),
});

const genericBody = z.object({
  title: z.string({ error: 'is required: what the alert is called' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  severity: z.string().trim().min(1, { error: 'must not be empty' }).max(60, { error: 'must be at most 60 characters' }).optional(),
  source: z.string({ error: 'is required: the system that sends the alert, e.g. "datadog"' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  labels: labelMap.default({}),
  fingerprint: z.string({ error: 'is required: the same value each time the same alert fires' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  status,
  url: z.string().optional(),
  description: z.string().max(3000, { error: 'must be at most 3000 characters' }).optional(),
});

export type AlertBodyCheck = { ok: true; alerts: ReceivedAlert[] } | { ok: false; problem: string };

/** Where a request body goes by its path. */
export const ALERT_FORMATS: Record<AlertSource, (body: unknown) => AlertBodyCheck> = {
  alertmanager: (body) => grouped('alertmanager', alertmanagerBody, body),
  grafana: (body) => grouped('grafana', grafanaBody, body),
  generic: readGenericAlert,
};

function grouped(source: AlertSource, schema: typeof alertmanagerBody | typeof grafanaBody, body: unknown): AlertBodyCheck {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, problem: firstProblem(parsed.error) };
  return {
    ok: true,
    alerts: parsed.data.alerts.map((alert) => ({
      source,
      fingerprint: alert.fingerprint?.trim() || labelFingerprint(alert.labels),
      status: alert.status,
      name: (alert.labels.alertname ?? '').trim() || 'Unnamed alert',
      summary: nonBlank(alert.annotations.summary),
      description: nonBlank(alert.annotations.description ?? alert.annotations.message),
      labels: alert.labels,
      annotations: alert.annotations,
      links: links([
        ['Source', alert.generatorURL],
        ['Runbook', alert.annotations.runbook_url ?? alert.annotations.runbook],
        ['Dashboard', alert.dashboardURL ?? alert.annotations.dashboard_url ?? alert.annotations.dashboard],
        ['Panel', alert.panelURL],
        ['Silence', alert.silenceURL],
      ]),
    })),
  };
}

function readGenericAlert(body: unknown): AlertBodyCheck {
  const parsed = genericBody.safeParse(body);
  if (!parsed.success) return { ok: false, problem: firstProblem(parsed.error) };
  const alert = parsed.data;
  // Severity and source read like any label: rules and the severity mapping match them.
  const labels = { ...alert.labels, source: alert.source, ...(alert.severity ? { severity: alert.severity } : {}) };
  return {
    ok: true,
    alerts: [
      {
        source: 'generic',
        fingerprint: alert.fingerprint,
        status: alert.status,
        name: alert.title,
        summary: undefined,
        description: nonBlank(alert.description),
        labels,
        annotations: {},
        links: links([['Link', alert.url]]),
      },
    ],
  };
}

/** The first problem, named by its field as the sender wrote it: `alerts.0.status must be "firing" or "resolved"`. */
function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'the body';
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  return `${where} ${message}`;
}

const nonBlank = (text: string | undefined) => (text && text.trim() !== '' ? text.trim() : undefined);

/** Only http(s) links: anything else (javascript:, a typo) is not a place to send a tired person. */
function links(candidates: [label: string, url: string | undefined][]): AlertLink[] {
  return candidates.flatMap(([label, url]) => {
    if (!url || url.trim() === '') return [];
    try {
      const parsed = new URL(url.trim());
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? [{ label, url: parsed.href }] : [];
    } catch {
      return [];
    }
  });
}

/** Alertmanager before 0.19 sent no fingerprint: the same labels are the same alert. */
function labelFingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

import { describe, expect, it } from 'vitest';
import { matchingRule, proposedSeverity, DEFAULT_SEVERITY_LABELS, type AlertRule } from '../../src/domain/alert.js';
import { ALERT_FORMATS } from '../../src/domain/alertFormats.js';
import { alertmanagerBody, genericBody, grafanaDocsExample } from '../support/alertPayloads.js';

describe('the Alertmanager webhook (version 4)', () => {
  it('reads each alert: name, fingerprint, status, labels, summary, description and its links', () => {
    const check = ALERT_FORMATS.alertmanager(alertmanagerBody({ severity: 'critical' }));
    expect(check).toMatchObject({ ok: true });
    if (!check.ok) return;
    expect(check.alerts).toHaveLength(1);
    expect(check.alerts[0]).toMatchObject({
      source: 'alertmanager',
      fingerprint: 'c6eadffa33fcdf37',
      status: 'firing',
      name: 'HighErrorRate',
      summary: 'Checkout 5xx rate above 5% for 5 minutes',
      description: 'checkout-7f9c:8080 answers 12% of requests with a 5xx.',
      labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'checkout' },
    });
    expect(check.alerts[0]!.links.map((link) => link.label)).toEqual(['Source', 'Runbook', 'Dashboard']);
    expect(check.alerts[0]!.links[1]!.url).toBe('https://runbooks.example.com/checkout/high-error-rate');
  });

  it('gives an alert without a fingerprint (Alertmanager before 0.19) one from its labels, the same each time', () => {
    const body = alertmanagerBody();
    delete (body.alerts[0] as { fingerprint?: string }).fingerprint;
    const first = ALERT_FORMATS.alertmanager(body);
    const again = ALERT_FORMATS.alertmanager(structuredClone(body));
    expect(first.ok && again.ok && first.alerts[0]!.fingerprint).toBe(again.ok && again.alerts[0]!.fingerprint);
    expect(first.ok && first.alerts[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names the field that is wrong', () => {
    expect(ALERT_FORMATS.alertmanager({ ...alertmanagerBody(), version: '3' })).toEqual({ ok: false, problem: 'version must be "4" (Alertmanager webhook version 4)' });
    const body = alertmanagerBody();
    (body.alerts[0] as { status: string }).status = 'pending';
    expect(ALERT_FORMATS.alertmanager(body)).toEqual({ ok: false, problem: 'alerts.0.status must be "firing" or "resolved"' });
    expect(ALERT_FORMATS.alertmanager({ version: '4', status: 'firing' })).toEqual({ ok: false, problem: 'alerts is required' });
  });

  it('keeps only http(s) links', () => {
    const body = alertmanagerBody();
    body.alerts[0]!.annotations.runbook_url = 'javascript:alert(1)';
    body.alerts[0]!.generatorURL = 'not a url';
    const check = ALERT_FORMATS.alertmanager(body);
    expect(check.ok && check.alerts[0]!.links.map((link) => link.label)).toEqual(['Dashboard']);
  });
});

describe("Grafana alerting's webhook", () => {
  it("reads the documentation's example: two alerts, each with its runbook and silence links", () => {
    const check = ALERT_FORMATS.grafana(grafanaDocsExample);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.alerts.map((alert) => [alert.name, alert.fingerprint, alert.status])).toEqual([
      ['High memory usage', 'c6eadffa33fcdf37', 'firing'],
      ['High CPU usage', 'bc97ff14869b13e3', 'firing'],
    ]);
    expect(check.alerts[0]).toMatchObject({ source: 'grafana', summary: 'This alert was triggered for zone us-1', description: 'The system has high memory usage', labels: { team: 'blue', zone: 'us-1' } });
    // Empty dashboard and panel URLs are no links.
    expect(check.alerts[0]!.links.map((link) => link.label)).toEqual(['Source', 'Runbook', 'Silence']);
  });
});

describe('our own alert JSON', () => {
  it('reads title, severity, source, labels, fingerprint, status, url and description; severity and source read as labels', () => {
    const check = ALERT_FORMATS.generic(genericBody());
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.alerts).toEqual([
      {
        source: 'generic',
        fingerprint: 'db-1-disk',
        status: 'firing',
        name: 'Disk almost full on db-1',
        summary: undefined,
        description: '/var/lib/postgresql is 97% full',
        labels: { host: 'db-1', source: 'cron-check', severity: 'critical' },
        annotations: {},
        links: [{ label: 'Link', url: 'https://status.example.com/checks/db-1-disk' }],
      },
    ]);
  });

  it.each([
    [{ title: undefined }, 'title is required'],
    [{ fingerprint: '' }, 'fingerprint must not be empty'],
    [{ status: 'open' }, 'status must be "firing" or "resolved"'],
    [{ labels: { host: 1 } }, 'labels.host'],
    [{ source: undefined }, 'source is required'],
  ])('refuses %j, naming the field', (overrides, problem) => {
    const check = ALERT_FORMATS.generic(genericBody(overrides));
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problem).toContain(problem);
  });

  it('refuses a body that is not an object', () => {
    expect(ALERT_FORMATS.generic([1, 2])).toMatchObject({ ok: false, problem: expect.stringMatching(/^the body /) });
  });
});

describe('rules and the severity mapping', () => {
  it('match on every label a rule names; the first rule matching wins', () => {
    const rules: AlertRule[] = [
      { match: { severity: 'critical', team: 'payments' }, declare: 'SEV1', commander: undefined },
      { match: { severity: 'critical' }, declare: 'SEV2', commander: undefined },
    ];
    expect(matchingRule({ labels: { severity: 'critical', team: 'payments' } }, rules)?.declare).toBe('SEV1');
    expect(matchingRule({ labels: { severity: 'critical', team: 'search' } }, rules)?.declare).toBe('SEV2');
    expect(matchingRule({ labels: { severity: 'warning' } }, rules)).toBeUndefined();
  });

  it('map a severity label, whatever its case, to a severity', () => {
    expect(proposedSeverity({ labels: { severity: 'Critical' } }, DEFAULT_SEVERITY_LABELS)).toBe('SEV1');
    expect(proposedSeverity({ labels: { severity: 'warning' } }, DEFAULT_SEVERITY_LABELS)).toBe('SEV3');
    expect(proposedSeverity({ labels: { severity: 'page-me' } }, DEFAULT_SEVERITY_LABELS)).toBeUndefined();
    expect(proposedSeverity({ labels: {} }, DEFAULT_SEVERITY_LABELS)).toBeUndefined();
  });
});

/** Alert bodies as their senders write them: the formats' documented examples, for tests and the bench. */

/** Alertmanager's webhook (notify/webhook/webhook.go, version 4), one alert of a group. */
export function alertmanagerBody(options: { status?: 'firing' | 'resolved'; fingerprint?: string; alertname?: string; severity?: string; labels?: Record<string, string> } = {}) {
  const status = options.status ?? 'firing';
  const labels = { alertname: options.alertname ?? 'HighErrorRate', severity: options.severity ?? 'warning', service: 'checkout', instance: 'checkout-7f9c:8080', ...options.labels };
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'incident-commander',
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com:9093',
    alerts: [
      {
        status,
        labels,
        annotations: {
          summary: 'Checkout 5xx rate above 5% for 5 minutes',
          description: 'checkout-7f9c:8080 answers 12% of requests with a 5xx.',
          runbook_url: 'https://runbooks.example.com/checkout/high-error-rate',
          dashboard_url: 'https://grafana.example.com/d/checkout',
        },
        startsAt: '2026-11-26T02:10:00.000Z',
        endsAt: status === 'resolved' ? '2026-11-26T02:40:00.000Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=job%3Acheckout_5xx%3Arate5m+%3E+0.05',
        fingerprint: options.fingerprint ?? 'c6eadffa33fcdf37',
      },
    ],
  };
}

/** Grafana alerting's webhook contact point: the example in Grafana's documentation. */
export const grafanaDocsExample = {
  receiver: 'My Super Webhook',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
      annotations: { description: 'The system has high memory usage', runbook_url: 'https://myrunbook.com/runbook/1234', summary: 'This alert was triggered for zone us-1' },
      startsAt: '2021-10-12T09:51:03.157076+02:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://play.grafana.org/alerting/1afz29v7z/edit',
      fingerprint: 'c6eadffa33fcdf37',
      silenceURL: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
      dashboardURL: '',
      panelURL: '',
      values: { B: 44.23943737541908, C: 1 },
    },
    {
      status: 'firing',
      labels: { alertname: 'High CPU usage', team: 'blue', zone: 'eu-1' },
      annotations: { description: 'The system has high CPU usage', runbook_url: 'https://myrunbook.com/runbook/1234', summary: 'This alert was triggered for zone eu-1' },
      startsAt: '2021-10-12T09:56:03.157076+02:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://play.grafana.org/alerting/d1rdpdv7k/edit',
      fingerprint: 'bc97ff14869b13e3',
      silenceURL: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1',
      dashboardURL: '',
      panelURL: '',
      values: { B: 44.23943737541908, C: 1 },
    },
  ],
  groupLabels: {},
  commonLabels: { team: 'blue' },
  commonAnnotations: {},
  externalURL: 'https://play.grafana.org/',
  version: '1',
  groupKey: '{}:{}',
  truncatedAlerts: 0,
  title: '[FIRING:2]  (blue)',
  state: 'alerting',
  message: '**Firing**\n\nLabels:\n - alertname = T2\n',
};

/** Our own JSON (README, Alerts). */
export function genericBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Disk almost full on db-1',
    severity: 'critical',
    source: 'cron-check',
    labels: { host: 'db-1' },
    fingerprint: 'db-1-disk',
    status: 'firing',
    url: 'https://status.example.com/checks/db-1-disk',
    description: '/var/lib/postgresql is 97% full',
    ...overrides,
  };
}

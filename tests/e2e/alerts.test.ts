import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { scratchDir, startApp } from '../support/launcher.js';
import { alertmanagerBody, genericBody, grafanaDocsExample } from '../support/alertPayloads.js';
import { appEnvironment, ask, clickButton, declareOutcome, expectModal, readDatabase, replyAt, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';

const TOKEN = 'alert-token-0123456789abcdef';
const TRIAGE = 'CTRIAGE';

describe('alerts that open incidents, through dist/main.js over HTTP', () => {
  let h: Harness;

  beforeAll(async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'alerts-config-'));
    const configFile = join(configDir, 'incident.config.yml');
    writeFileSync(
      configFile,
      ['alerts:', '  severity_labels:', '    critical: SEV1', '    warning: SEV3', '  rules:', '    - match: {team_name: payments, severity: critical}', '      declare: SEV1', ''].join('\n'),
    );
    h = await startHarness({ env: { ALERT_WEBHOOK_TOKEN: TOKEN, INCIDENT_TRIAGE_CHANNEL: TRIAGE, INCIDENT_CONFIG: configFile } });
    h.fake.addChannel({ id: TRIAGE, name: 'alerts-triage', members: ['UALICE', 'UBOB'] });
  });
  afterAll(() => h.close());

  const post = (path: string, body: string | object, token: string | null = TOKEN, headers: Record<string, string> = {}) =>
    fetch(`${h.app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const alertRows = () => {
    const db = new Database(h.dbPath, { readonly: true });
    try {
      return db.prepare('select * from alerts order by id').all() as Record<string, any>[];
    } finally {
      db.close();
    }
  };
  const triageMessages = () => h.fake.messages(TRIAGE);
  const buttonsOf = (message: { blocks?: unknown[] }) =>
    (message.blocks as Record<string, any>[] | undefined)?.filter((block) => block.type === 'actions').flatMap((block) => block.elements.map((element: any) => element.text.text)) ?? [];

  it('refuses a request without the token, or with a wrong one, with 401, and stores nothing', async () => {
    const missing = await post('/alerts/alertmanager', alertmanagerBody(), null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await missing.json()).error).toMatch(/bearer token/);
    expect((await post('/alerts/alertmanager', alertmanagerBody(), 'wrong-token-0123456789')).status).toBe(401);
    expect((await post('/alerts', genericBody(), `${TOKEN}x`)).status).toBe(401);
    expect((await post('/alerts/grafana', grafanaDocsExample, '')).status).toBe(401);
    expect(alertRows()).toEqual([]);
    expect(triageMessages()).toEqual([]);
  });

  it('refuses malformed JSON, a body that does not fit, and an oversized body with 400/413 naming the problem', async () => {
    const notJson = await post('/alerts/alertmanager', '{"version": "4",');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatch(/^The body is not JSON/);
    const wrongField = await post('/alerts', genericBody({ status: 'open' }));
    expect(wrongField.status).toBe(400);
    expect((await wrongField.json()).error).toBe('status must be "firing" or "resolved". Nothing was stored.');
    const oversized = await post('/alerts', genericBody({ description: 'x'.repeat(1024 * 1024 + 10) }));
    expect(oversized.status).toBe(413);
    expect((await oversized.json()).error).toMatch(/larger than 1 MB/);
    expect(alertRows()).toEqual([]);
  });

  it('posts a firing Alertmanager alert to the triage channel with its labels, links and two buttons', async () => {
    const response = await post('/alerts/alertmanager', alertmanagerBody({ fingerprint: 'fp-warning' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 1 });
    const [message] = triageMessages();
    const text = visibleText(message!.blocks);
    expect(text).toContain('Alert firing: HighErrorRate');
    expect(text).toContain('Checkout 5xx rate above 5% for 5 minutes');
    expect(text).toContain('`service`: checkout');
    expect(text).toContain('<https://runbooks.example.com/checkout/high-error-rate|Runbook>');
    expect(text).toContain('<https://grafana.example.com/d/checkout|Dashboard>');
    expect(text).toMatch(/<http:\/\/prometheus\.example\.com:9090\/graph\?[^|]+\|Source>/);
    expect(buttonsOf(message!)).toEqual(['Declare incident', 'Dismiss']);
    expect(alertRows()).toMatchObject([{ fingerprint: 'fp-warning', status: 'firing', fire_count: 1, triage_ts: message!.ts, triage_state: 'posted' }]);
  });

  it('counts the same alert firing again at once, and shows the count on its message with one trailing update instead of posting it again', async () => {
    expect((await post('/alerts/alertmanager', alertmanagerBody({ fingerprint: 'fp-warning' }))).status).toBe(200);
    expect((await post('/alerts/alertmanager', alertmanagerBody({ fingerprint: 'fp-warning' }))).status).toBe(200);
    expect(triageMessages()).toHaveLength(1);
    // Counted at once; the message was posted moments ago, so the repeats are owed one update, not shown yet.
    const [row] = alertRows();
    expect(row).toMatchObject({ fire_count: 3 });
    expect(row!.triage_due_at).toEqual(expect.any(Number));
    expect(visibleText(triageMessages()[0]!.blocks)).not.toMatch(/fired 3 times/);
    // As if the interval had passed: the bot's scheduler makes the owed update.
    const db = new Database(h.dbPath);
    try {
      db.prepare('update alerts set triage_due_at = ? where id = ?').run(Date.now() - 1, row!.id);
    } finally {
      db.close();
    }
    const message = await waitFor(() => triageMessages().find((candidate) => /fired 3 times/.test(visibleText(candidate.blocks))), 'the trailing update of the triage message');
    expect(message.edited).toBe(true);
    await waitFor(() => alertRows()[0]!.triage_due_at === null, 'the owed update settled');
    expect(h.fake.callsTo('chat.update').filter((call) => call.outcome === 'ok')).toHaveLength(1);
  });

  it('Declare incident opens the declare form filled in from the alert, and declaring links the two', async () => {
    const [message] = triageMessages();
    const modal = await expectModal(h, () => clickButton(h, { userId: 'UBOB', channelId: TRIAGE, messageTs: message!.ts, actionId: 'alert_declare', value: String(alertRows()[0]!.id) }));
    const blocks = modal.view.blocks as Record<string, any>[];
    const byLabel = (label: string) => blocks.find((block) => block.label?.text === label)?.element;
    expect(byLabel('Title').initial_value).toBe('Checkout 5xx rate above 5% for 5 minutes');
    // `severity: warning` maps to SEV3 in the configuration file.
    expect(byLabel('Severity').initial_option.value).toBe('SEV3');
    expect(byLabel('What is happening / impact').initial_value).toContain('Runbook: https://runbooks.example.com/checkout/high-error-rate');
    expect(byLabel('Incident commander').initial_user).toBe('UBOB');

    expect((await submitForm(h, modal, {}, 'UBOB')).status).toBe(200);
    const outcome = await declareOutcome(h, modal.id);
    const channelId = /<#(C[A-Z0-9]+)>/.exec(outcome)![1]!;
    const updated = await waitFor(() => {
      const current = triageMessages()[0]!;
      return visibleText(current.blocks).includes('declared an incident') ? current : undefined;
    }, 'the triage message to show the incident');
    expect(visibleText(updated.blocks)).toContain(`<@UBOB> declared an incident from this alert: <#${channelId}>`);
    expect(buttonsOf(updated)).toEqual([]);

    const db = readDatabase(h.dbPath);
    const incident = db.incidents.find((row) => row.channel_id === channelId)!;
    expect(incident).toMatchObject({ severity: 'SEV3', title: 'Checkout 5xx rate above 5% for 5 minutes', declared_by: 'UBOB' });
    // The incident links its alert: the pinned summary shows it, and the timeline (so the post-mortem) says where it came from.
    expect(visibleText(h.fake.messages(channelId)[0]!.blocks)).toContain('https://runbooks.example.com/checkout/high-error-rate');
    const linked = await waitFor(() => readDatabase(h.dbPath).timeline.find((row) => row.incident_id === incident.id && row.kind === 'alert_linked'), 'the alert on the timeline');
    expect(linked.text).toMatch(/^Declared from the Alertmanager alert "HighErrorRate" \(Source: http/);
    expect(alertRows()[0]).toMatchObject({ incident_id: incident.id, declared_by: 'UBOB' });

    // The post-mortem draft links the alert too.
    expect(await ask(h, 'postmortem', { channelId, userId: 'UBOB' })).toMatch(/Post-mortem draft posted/);
    const shared = await waitFor(() => h.fake.messages(channelId).find((posted) => posted.files?.length), 'the post-mortem draft');
    expect(h.fake.files.get(shared.files![0]!.id)!.content).toContain('Declared from the Alertmanager alert "HighErrorRate" (Source: http://prometheus.example.com');
  });

  it('says a resolved alert on its triage message and on the timeline of the incident it opened', async () => {
    const response = await post('/alerts/alertmanager', alertmanagerBody({ fingerprint: 'fp-warning', status: 'resolved' }));
    expect(response.status).toBe(200);
    const message = triageMessages()[0]!;
    expect(visibleText(message.blocks)).toContain('Alert resolved: HighErrorRate');
    expect(visibleText(message.blocks)).toMatch(/Resolved \d{4}-\d{2}-\d{2}/);
    const row = alertRows()[0]!;
    expect(row).toMatchObject({ status: 'resolved' });
    const timeline = readDatabase(h.dbPath).timeline.filter((entry) => entry.incident_id === row.incident_id);
    expect(timeline.map((entry) => entry.kind)).toContain('alert_resolved');
    const incident = readDatabase(h.dbPath).incidents.find((candidate) => candidate.id === row.incident_id)!;
    expect(h.fake.messages(incident.channel_id as string).at(-1)!.text).toMatch(/HighErrorRate\*, has resolved/);
    // Resolved again (Alertmanager repeats resolutions): nothing more is said.
    const before = h.fake.messages(incident.channel_id as string).length;
    expect((await post('/alerts/alertmanager', alertmanagerBody({ fingerprint: 'fp-warning', status: 'resolved' }))).status).toBe(200);
    expect(h.fake.messages(incident.channel_id as string)).toHaveLength(before);
  });

  it('declares at once when a rule matches, with the bot as declarer, and the triage message says so', async () => {
    const response = await post('/alerts/alertmanager', alertmanagerBody({ fingerprint: 'fp-payments', alertname: 'PaymentsDown', severity: 'critical', labels: { team_name: 'payments' } }));
    expect(response.status).toBe(200);
    const message = triageMessages().at(-1)!;
    expect(visibleText(message.blocks)).toMatch(/Declared SEV1 at once by a rule in the configuration file: <#C[A-Z0-9]+>/);
    expect(buttonsOf(message)).toEqual([]);
    const row = alertRows().find((candidate) => candidate.fingerprint === 'fp-payments')!;
    const incident = readDatabase(h.dbPath).incidents.find((candidate) => candidate.id === row.incident_id)!;
    expect(incident).toMatchObject({ phase: 'live', severity: 'SEV1', declared_by: 'UBOT', title: 'Checkout 5xx rate above 5% for 5 minutes' });
    expect(row.declared_by).toBeNull();
  });

  it('Dismiss updates the message with who dismissed it; a second click is told it was', async () => {
    expect((await post('/alerts', genericBody())).status).toBe(200);
    const message = triageMessages().at(-1)!;
    expect(visibleText(message.blocks)).toContain('Alert firing: Disk almost full on db-1');
    const id = String(alertRows().at(-1)!.id);
    await clickButton(h, { userId: 'UALICE', channelId: TRIAGE, messageTs: message.ts, actionId: 'alert_dismiss', value: id });
    const dismissed = await waitFor(() => {
      const current = triageMessages().at(-1)!;
      return visibleText(current.blocks).includes('Dismissed by') ? current : undefined;
    }, 'the triage message to say who dismissed it');
    expect(visibleText(dismissed.blocks)).toContain('Dismissed by <@UALICE>');
    expect(buttonsOf(dismissed)).toEqual([]);
    const { responseUrl } = await clickButton(h, { userId: 'UBOB', channelId: TRIAGE, messageTs: message.ts, actionId: 'alert_dismiss', value: id });
    expect((await replyAt(h, responseUrl)).text).toMatch(/already dismissed by <@UALICE>/);
  });

  it('answers 502 when Slack refuses the triage post, keeps the alert, and posts it when it is sent again', async () => {
    h.fake.failMethod('chat.postMessage', { error: 'channel_not_found', times: 1 });
    const before = triageMessages().length;
    const refused = await post('/alerts', genericBody({ fingerprint: 'slack-down', title: 'Queue backlog' }));
    expect(refused.status).toBe(502);
    expect((await refused.json()).error).toMatch(/^The alerts are stored, but the triage channel could not be told: Queue backlog: .+ Sending them again retries\.$/);
    expect(alertRows().find((row) => row.fingerprint === 'slack-down')).toMatchObject({ triage_state: 'failed', triage_ts: null, fire_count: 1 });
    expect(triageMessages()).toHaveLength(before);

    expect((await post('/alerts', genericBody({ fingerprint: 'slack-down', title: 'Queue backlog' }))).status).toBe(200);
    expect(triageMessages()).toHaveLength(before + 1);
    expect(visibleText(triageMessages().at(-1)!.blocks)).toMatch(/fired 2 times/);
    expect(alertRows().find((row) => row.fingerprint === 'slack-down')).toMatchObject({ triage_state: 'posted', fire_count: 2 });
  });

  it("takes Grafana's documented example: two alerts, two triage messages", async () => {
    const before = triageMessages().length;
    const response = await post('/alerts/grafana', grafanaDocsExample);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 2 });
    expect(triageMessages().slice(before).map((message) => message.text)).toEqual(['Alert firing: High memory usage', 'Alert firing: High CPU usage']);
  });
});

describe('the alert endpoints, when alerts are off and in Socket Mode', () => {
  it('are absent (404) unless ALERT_WEBHOOK_TOKEN is set', async () => {
    const h = await startHarness();
    try {
      for (const path of ['/alerts', '/alerts/alertmanager', '/alerts/grafana']) {
        const response = await fetch(`${h.app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(genericBody()) });
        expect(response.status, path).toBe(404);
      }
      expect((await fetch(`${h.app.url}/health`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('are served on the health check port in Socket Mode too', async () => {
    const fake = await startSlackEmulator();
    const dir = scratchDir();
    const port = await freePort();
    const env = appEnvironment(fake, dir, { SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: fake.socketMode.appToken, PORT: String(port), ALERT_WEBHOOK_TOKEN: TOKEN, INCIDENT_TRIAGE_CHANNEL: TRIAGE });
    fake.addChannel({ id: TRIAGE, name: 'alerts-triage', members: ['UALICE'] });
    const app = await startApp(env, { cwd: dir });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok, 'the health check in Socket Mode');
      const post = (token: string | null) =>
        fetch(`${url}/alerts`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(genericBody()) });
      expect((await post(null)).status).toBe(401);
      expect((await post(TOKEN)).status).toBe(200);
      expect(fake.messages(TRIAGE).map((message) => message.text)).toEqual(['Alert firing: Disk almost full on db-1']);
    } finally {
      await app.stop();
      await fake.close();
    }
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * `npm run bench:alerts` (and a section of `npm run bench`): the `/incident status` ack latency
 * while alerts arrive at 1,000 a minute, against the same bot's latency without them, taken in
 * turns so both see the same background load. The alerts are Alertmanager's: 100 alerts firing
 * over and over, as Alertmanager repeats a group, so most are repeats (a triage message updated)
 * and the first of each is a new triage post.
 */
import { loadavg } from 'node:os';
import { alertmanagerBody } from '../tests/support/alertPayloads.js';
import { startHarness, type Harness } from '../tests/support/harness.js';
import { commandStream, declareChannel } from './ingest.js';
import { percentile, round, sleep, usage } from './measure.js';

const TOKEN = 'bench-alert-token-0123456789';
const TRIAGE = 'CTRIAGE';
const ALERTS_PER_MINUTE = 1000;
const DISTINCT_ALERTS = 100;
const REQUESTS = 1000;
const ROUNDS = 10;

export interface AlertLoadResult {
  requests: number;
  concurrency: number;
  alertsPerMinute: number;
  alertsSent: number;
  alertsRefused: number;
  quietP50Ms: number;
  quietP99Ms: number;
  underAlertsP50Ms: number;
  underAlertsP99Ms: number;
  p50Ratio: number;
  p99Ratio: number;
  botCpuMsPerAlert: number;
  /** The `chat.update` calls the bot made while the alerts arrived, a minute's worth (Slack allows about 50). */
  triageUpdatesPerMinute: number;
  loadAverage: number;
}

/** Alertmanager at `perMinute`, until stopped: one request every 60,000 / perMinute ms, each one alert. */
function alertStream(url: string, perMinute: number, firstIndex: number) {
  let running = true;
  let sent = 0;
  let refused = 0;
  const intervalMs = 60_000 / perMinute;
  const done = (async () => {
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let index = firstIndex; running; index += 1) {
      const body = JSON.stringify(alertmanagerBody({ fingerprint: `bench-${index % DISTINCT_ALERTS}` }));
      const request = fetch(`${url}/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.ok) sent += 1;
          else refused += 1;
        })
        .catch(() => {
          refused += 1;
        })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
      // Paced from the start, not from the last answer: the rate holds even when the bot is slow.
      const due = started + (index - firstIndex + 1) * intervalMs;
      await sleep(Math.max(0, due - performance.now()));
    }
    await Promise.all(inFlight);
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { sent, refused };
    },
  };
}

/** The ack latency with and without alerts arriving, on a bot started with alerts on. */
export async function alertLoad(h: Harness, channelId: string): Promise<AlertLoadResult> {
  const quiet: number[] = [];
  const loaded: number[] = [];
  let alertsSent = 0;
  let alertsRefused = 0;
  let cpuUnderAlerts = 0;
  let cpuQuiet = 0;
  let alertMs = 0;
  let triageUpdates = 0;
  const pid = h.app.child.pid!;
  // Warm-up: both paths compiled, and the 100 triage messages posted, before anything is timed.
  await commandStream(h.app.url, 100, 4, () => 'status', channelId);
  const warm = alertStream(h.app.url, 6000, 0);
  await sleep(2000);
  await warm.stop();
  for (let round = 0; round < ROUNDS; round += 1) {
    let before = usage(pid).cpuMs;
    quiet.push(...(await commandStream(h.app.url, REQUESTS / ROUNDS, 4, () => 'status', channelId)));
    cpuQuiet += usage(pid).cpuMs - before;
    before = usage(pid).cpuMs;
    const updatesBefore = h.fake.callsTo('chat.update').length;
    const streamStarted = performance.now();
    const stream = alertStream(h.app.url, ALERTS_PER_MINUTE, round * 1000);
    // The alerts are already arriving when the first command is sent.
    await sleep(500);
    loaded.push(...(await commandStream(h.app.url, REQUESTS / ROUNDS, 4, () => 'status', channelId)));
    const { sent, refused } = await stream.stop();
    alertMs += performance.now() - streamStarted;
    triageUpdates += h.fake.callsTo('chat.update').length - updatesBefore;
    cpuUnderAlerts += usage(pid).cpuMs - before;
    alertsSent += sent;
    alertsRefused += refused;
  }
  // The CPU the alerts cost: what the loaded rounds took beyond the quiet rounds' same commands.
  const botCpuMsPerAlert = alertsSent > 0 ? round(Math.max(0, cpuUnderAlerts - cpuQuiet) / alertsSent, 2) : 0;
  return {
    requests: REQUESTS,
    concurrency: 4,
    alertsPerMinute: ALERTS_PER_MINUTE,
    alertsSent,
    alertsRefused,
    quietP50Ms: round(percentile(quiet, 50), 2),
    quietP99Ms: round(percentile(quiet, 99), 2),
    underAlertsP50Ms: round(percentile(loaded, 50), 2),
    underAlertsP99Ms: round(percentile(loaded, 99), 2),
    p50Ratio: round(percentile(loaded, 50) / percentile(quiet, 50), 2),
    p99Ratio: round(percentile(loaded, 99) / percentile(quiet, 99), 2),
    botCpuMsPerAlert,
    triageUpdatesPerMinute: round((triageUpdates * 60_000) / alertMs, 1),
    loadAverage: round(loadavg()[0]!, 2),
  };
}

/** A bot with alerts on, its triage channel and one incident to send `/incident status` to. */
export async function startAlertBot(): Promise<{ h: Harness; channelId: string }> {
  const h = await startHarness({ env: { ALERT_WEBHOOK_TOKEN: TOKEN, INCIDENT_TRIAGE_CHANNEL: TRIAGE } });
  h.fake.addChannel({ id: TRIAGE, name: 'alerts-triage', members: ['UALICE'] });
  return { h, channelId: await declareChannel(h, 'Alert load benchmark') };
}

async function main(): Promise<void> {
  const { h, channelId } = await startAlertBot();
  try {
    const result = await alertLoad(h, channelId);
    console.log(JSON.stringify(result));
    console.log(
      `/incident status ack under ${result.alertsPerMinute} alerts/min: p50 ${result.underAlertsP50Ms} ms vs ${result.quietP50Ms} ms without (×${result.p50Ratio}), p99 ${result.underAlertsP99Ms} vs ${result.quietP99Ms} ms (×${result.p99Ratio}); ${result.alertsSent} alerts taken, ${result.alertsRefused} refused, ~${result.botCpuMsPerAlert} ms CPU each, ${result.triageUpdatesPerMinute} chat.update a minute (load average ${result.loadAverage})`,
    );
  } finally {
    await h.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * `npm run bench`: what the bot costs, each figure next to a baseline measured in the same run on
 * the same machine, so results from different machines can be compared by their ratios.
 * Prints a table and writes bench/results.json. Slack is the fake from the test suite.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { SEVERITIES } from '../src/domain/severity.js';
import type { TimelineEntry } from '../src/domain/timeline.js';
import { renderPostmortem } from '../src/render/postmortem.js';
import { loadTemplates } from '../src/render/templates.js';
import { startSlackEmulator } from '../src/sandbox/slackEmulator.js';
import { appEnvironment, declareOutcome, openDeclareForm, startHarness, submitForm, type Harness } from '../tests/support/harness.js';
import { REPO_ROOT, scratchDir, startApp, type RunningApp } from '../tests/support/launcher.js';
import { sampleIncident } from '../tests/support/sampleIncident.js';
import { alertLoad, startAlertBot } from './alerts.js';
import { appHomeBenchmark } from './appHome.js';
import { commandStream, startBare, timelineIngest } from './ingest.js';
import { median, percentile, round, sleep, usage } from './measure.js';
import { schedulerBenchmark } from './scheduler.js';

async function declare(h: Harness, title: string): Promise<string> {
  const { view } = await openDeclareForm(h, title);
  await submitForm(h, view, { Severity: 'SEV2', 'Incident commander': 'UBOB' });
  return declareOutcome(h, view.id);
}

/** The length of the union of [start, end] intervals: how long at least one Slack call was in progress. */
function unionMs(intervals: [number, number][]): number {
  let total = 0;
  let currentStart = -Infinity;
  let currentEnd = -Infinity;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (start > currentEnd) {
      if (currentEnd > currentStart) total += currentEnd - currentStart;
      currentStart = start;
      currentEnd = end;
    } else currentEnd = Math.max(currentEnd, end);
  }
  if (currentEnd > currentStart) total += currentEnd - currentStart;
  return total;
}

/**
 * `--only=startup` or `--only=ack` runs section 1 or 2 alone (under a minute), printing its figures
 * as JSON and the table without touching bench/results.json: for measuring one change at a time.
 */
const only = /^--only=(startup|ack)$/.exec(process.argv[2] ?? '')?.[1];
if (process.argv[2] !== undefined && only === undefined) {
  console.error(`unknown argument ${process.argv[2]}: use --only=startup or --only=ack, or nothing for the whole bench`);
  process.exit(2);
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}` };
  const rows: Row[] = [];
  const row = (figure: string, bot: string, baseline: string, ratio: string) => {
    rows.push([figure, bot, baseline, ratio]);
    console.error(`  ${figure}: ${bot} (baseline ${baseline}, ${ratio})`);
  };

  // 1. Start-up time and memory: the bot versus a bare Bolt app.
  console.error('start-up…');
  if (only !== 'ack') results.startup = await startupBenchmark(row);
  if (only === 'startup') return finish(results, rows, false);

  // 2. Ack latency of /incident status versus the bare app, same request stream.
  console.error('ack latency…');
  const h = await startHarness();
  const channelId = /<#(C[A-Z0-9]+)>/.exec(await declare(h, 'Benchmark incident'))![1]!;
  const bare = await startBare();
  results.ackLatency = await ackLatencyBenchmark(h, bare, channelId, row);
  if (only === 'ack') {
    await bare.stop();
    await h.close();
    return finish(results, rows, false);
  }

  // 3. Timeline ingest: notes through the whole bot (ack, Slack post, SQLite) versus bare acks; see bench/ingest.ts.
  console.error('timeline ingest…');
  const ingest = await timelineIngest(h, bare, channelId);
  await bare.stop();
  results.timelineIngest = ingest;
  row('timeline ingest (notes recorded/s)', `${round(ingest.notesPerSecond, 0)} /s`, `${round(ingest.bareBoltAcksPerSecond, 0)} acks/s`, `×${round(ingest.notesPerSecond / ingest.bareBoltAcksPerSecond, 2)}`);
  row('timeline ingest CPU time per note', `${ingest.botCpuMsPerNote} ms`, `${ingest.bareBoltCpuMsPerAck} ms per ack`, `×${round(ingest.botCpuMsPerNote / ingest.bareBoltCpuMsPerAck, 2)}`);

  // 3b. The same ack latency while alerts arrive at 1,000 a minute, against its value without them; see bench/alerts.ts.
  console.error('ack latency under 1,000 alerts a minute…');
  const alertBot = await startAlertBot();
  try {
    const alerts = await alertLoad(alertBot.h, alertBot.channelId);
    results.alertLoad = alerts;
    row(
      `/incident status ack p50 / p99 under ${alerts.alertsPerMinute} alerts/min`,
      `${alerts.underAlertsP50Ms} / ${alerts.underAlertsP99Ms} ms`,
      `${alerts.quietP50Ms} / ${alerts.quietP99Ms} ms without alerts`,
      `×${alerts.p50Ratio} / ×${alerts.p99Ratio}`,
    );
  } finally {
    await alertBot.h.close();
  }

  // 4. Declare throughput with Slack answering in 100 ms, and the share of time not spent waiting on Slack.
  console.error('declare throughput…');
  const LATENCY_MS = 100;
  const DECLARATIONS = 20;
  h.fake.setLatency(LATENCY_MS);
  // The forms are opened one by one (each must be told apart); the declarations then run all at once.
  const forms: Awaited<ReturnType<typeof openDeclareForm>>[] = [];
  for (let index = 0; index < DECLARATIONS; index += 1) forms.push(await openDeclareForm(h, `Concurrent ${index}`));
  const callsBefore = h.fake.calls.length;
  const started = Date.now();
  await Promise.all(forms.map(({ view }) => submitForm(h, view, { Severity: 'SEV2', 'Incident commander': 'UBOB' })));
  const outcomes = await Promise.all(forms.map(({ view }) => declareOutcome(h, view.id)));
  const wallMs = Date.now() - started;
  h.fake.setLatency(0);
  const declared = outcomes.filter((text) => text.includes('Incident declared')).length;
  const calls = h.fake.calls.slice(callsBefore);
  const slackBusyMs = unionMs(calls.map((call) => [Math.max(call.startedAt, started), call.at]));
  const sequentialCalls = calls.length / DECLARATIONS;
  results.declareThroughput = {
    declarations: DECLARATIONS,
    declared,
    slackLatencyMs: LATENCY_MS,
    wallMs,
    declarationsPerSecond: round(declared / (wallMs / 1000), 2),
    slackCallsPerDeclaration: round(sequentialCalls, 1),
    shareOutsideSlackCalls: round(1 - slackBusyMs / wallMs, 3),
  };
  row(`declare throughput (${DECLARATIONS} at once, Slack ${LATENCY_MS} ms)`, `${round(declared / (wallMs / 1000), 2)} /s`, `${round(1000 / (sequentialCalls * LATENCY_MS), 2)} /s one at a time if only Slack counted`, `${round(100 * (1 - slackBusyMs / wallMs), 1)}% of wall time outside Slack calls`);
  await h.close();

  // 5. Post-mortem render of 10,000 timeline entries versus serialising the same entries as JSON.
  console.error('post-mortem render…');
  const templates = loadTemplates();
  const incident = sampleIncident({ status: 'resolved', resolvedAt: new Date(sampleIncident().declaredAt.getTime() + 36_000_000) });
  const timeline: TimelineEntry[] = Array.from({ length: 10_000 }, (_, index) => ({ at: new Date(incident.declaredAt.getTime() + index * 3000), actorId: 'UCAROL', kind: index % 10 ? 'note' : 'status_update', text: `entry ${index} with <@UDAVE> and <https://example.com|a link> | pipes` }));
  const source = { incident, timeline, actionItems: [], participantIds: ['UCAROL', 'UDAVE'] };
  const settings = { timeZone: 'Europe/Berlin', severities: SEVERITIES, names: { user: (id: string) => id.toLowerCase() }, now: new Date() };
  const renders: number[] = [];
  const serialisations: number[] = [];
  for (let run = 0; run < 7; run += 1) {
    let at = performance.now();
    renderPostmortem(templates, source, settings);
    renders.push(performance.now() - at);
    at = performance.now();
    JSON.stringify(timeline.map((entry) => [entry.at.toISOString(), entry.actorId, entry.text]));
    serialisations.push(performance.now() - at);
  }
  results.postmortemRender = { entries: 10_000, medianMs: round(median(renders)), jsonBaselineMs: round(median(serialisations)) };
  row('post-mortem render, 10,000 entries (median of 7)', `${round(median(renders))} ms`, `${round(median(serialisations))} ms JSON.stringify`, `×${round(median(renders) / median(serialisations), 1)}`);

  // 5b. The Home tab rebuilt with 1,000 incidents in the last 90 days: see bench/appHome.ts.
  console.error('App Home rebuild…');
  results.appHome = await appHomeBenchmark(row);

  // 6. The scheduler with 10,000 open incidents, 1,000 of them due at once: see bench/scheduler.ts.
  console.error('scheduler with 10,000 open incidents, on SQLite and PostgreSQL (about 5 min)…');
  results.scheduler = await schedulerBenchmark(row);

  finish(results, rows, true);
}

type Row = [string, string, string, string];

/** Prints the table; a whole run is also written to bench/results.json, which one section alone must not overwrite. */
function finish(results: Record<string, unknown>, rows: Row[], whole: boolean): void {
  if (whole) writeFileSync(join(REPO_ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  else console.log(JSON.stringify(results, null, 2));
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[['Figure', 'Bot', 'Baseline', 'Ratio'], ...rows].map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log([line(['Figure', 'Bot', 'Baseline', 'Ratio']), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n'));
  console.log(`\n${results.cpus}, Node ${results.node}, load average ${loadavg().map((load) => round(load, 2)).join(' ')}${whole ? '; written to bench/results.json' : ''}`);
}

const REQUESTS = 1000;
const ROUNDS = 10;

/** Ack latency of `/incident status`, the bot versus the bare app, the same request stream in turns. */
async function ackLatencyBenchmark(h: Harness, bare: RunningApp, channelId: string, row: (figure: string, bot: string, baseline: string, ratio: string) => void) {
  await commandStream(h.app.url, 100, 4, () => 'status', channelId); // warm-up
  await commandStream(bare.url, 100, 4, () => 'status', channelId);
  // Taken in turns, a tenth at a time: on a shared machine both see the same background load.
  const botAck: number[] = [];
  const bareAck: number[] = [];
  // The CPU time each process spent on its own requests: unlike latency, hardly moved by other people's load.
  let botCpuMs = 0;
  let bareCpuMs = 0;
  const timed = async (pid: number, url: string, into: number[]) => {
    const before = usage(pid).cpuMs;
    into.push(...(await commandStream(url, REQUESTS / ROUNDS, 4, () => 'status', channelId)));
    return usage(pid).cpuMs - before;
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    botCpuMs += await timed(h.app.child.pid!, h.app.url, botAck);
    bareCpuMs += await timed(bare.child.pid!, bare.url, bareAck);
  }
  const figures = {
    requests: REQUESTS,
    concurrency: 4,
    botP50Ms: round(percentile(botAck, 50), 2),
    botP99Ms: round(percentile(botAck, 99), 2),
    bareBoltP50Ms: round(percentile(bareAck, 50), 2),
    bareBoltP99Ms: round(percentile(bareAck, 99), 2),
    p50Ratio: round(percentile(botAck, 50) / percentile(bareAck, 50), 2),
    p99Ratio: round(percentile(botAck, 99) / percentile(bareAck, 99), 2),
    botCpuMsPerRequest: round(botCpuMs / REQUESTS, 2),
    bareBoltCpuMsPerRequest: round(bareCpuMs / REQUESTS, 2),
    loadAverage: round(loadavg()[0]!, 2),
  };
  row(`/incident status ack p50 (${REQUESTS} each)`, `${round(percentile(botAck, 50), 2)} ms`, `${round(percentile(bareAck, 50), 2)} ms`, `×${round(percentile(botAck, 50) / percentile(bareAck, 50), 2)}`);
  row(`/incident status ack p99 (${REQUESTS} each)`, `${round(percentile(botAck, 99), 2)} ms`, `${round(percentile(bareAck, 99), 2)} ms`, `×${round(percentile(botAck, 99) / percentile(bareAck, 99), 2)}`);
  row('/incident status CPU time per request', `${round(botCpuMs / REQUESTS, 2)} ms`, `${round(bareCpuMs / REQUESTS, 2)} ms`, `×${round(botCpuMs / bareCpuMs, 2)}`);
  return figures;
}

/** How many times each app is started; the median is reported. */
const STARTS = 7;
/** How long after listening resident memory is read, the same for both apps. */
const SETTLE_MS = 1000;

/**
 * Each app started STARTS times, in turns (so both see the same background load), after one
 * untimed start each (which warms the disk cache). Timed from spawn to the line saying it listens;
 * the bot's fake Slack is started once, before, outside the timing. The bot opens a fresh SQLite
 * file each time, so its figure includes creating the schema. CPU time to listening is reported
 * too: on a shared machine it moves less with other people's load than the wall-clock time does.
 */
async function startupBenchmark(row: (figure: string, bot: string, baseline: string, ratio: string) => void) {
  const fake = await startSlackEmulator();
  const starts = { bot: [] as number[], bare: [] as number[], botCpu: [] as number[], bareCpu: [] as number[], botRss: [] as number[], bareRss: [] as number[] };
  const startBot = () => {
    const dir = scratchDir();
    return startApp(appEnvironment(fake, dir), { cwd: dir });
  };
  const measure = async (start: () => Promise<RunningApp>, into: 'bot' | 'bare') => {
    const started = performance.now();
    const app = await start();
    starts[into].push(performance.now() - started);
    starts[`${into}Cpu`].push(usage(app.child.pid!).cpuMs);
    await sleep(SETTLE_MS);
    starts[`${into}Rss`].push(usage(app.child.pid!).rssMiB);
    await app.stop();
  };
  await (await startBot()).stop();
  await (await startBare()).stop();
  const loadBefore = loadavg()[0]!;
  for (let run = 0; run < STARTS; run += 1) {
    await measure(startBot, 'bot');
    await measure(startBare, 'bare');
  }
  const loadAfter = loadavg()[0]!;
  await fake.close();
  const m = Object.fromEntries(Object.entries(starts).map(([key, values]) => [key, median(values)])) as Record<keyof typeof starts, number>;
  const figure = `median of ${STARTS}`;
  row(`start-up to listening (${figure})`, `${round(m.bot, 0)} ms`, `${round(m.bare, 0)} ms`, `×${round(m.bot / m.bare, 2)}`);
  row(`CPU time to listening (${figure})`, `${round(m.botCpu, 0)} ms`, `${round(m.bareCpu, 0)} ms`, `×${round(m.botCpu / m.bareCpu, 2)}`);
  row(`resident memory ${SETTLE_MS / 1000} s after listening (${figure})`, `${round(m.botRss)} MiB`, `${round(m.bareRss)} MiB`, `×${round(m.botRss / m.bareRss, 2)}`);
  return {
    starts: STARTS,
    botMs: round(m.bot),
    bareBoltMs: round(m.bare),
    ratio: round(m.bot / m.bare, 2),
    botCpuMs: round(m.botCpu),
    bareBoltCpuMs: round(m.bareCpu),
    cpuRatio: round(m.botCpu / m.bareCpu, 2),
    botRssMiB: round(m.botRss),
    bareBoltRssMiB: round(m.bareRss),
    rssRatio: round(m.botRss / m.bareRss, 2),
    // The 1-minute load average before and after: on a shared machine, what the figures were taken under.
    loadAverage: [round(loadBefore, 2), round(loadAfter, 2)],
    samples: Object.fromEntries(Object.entries(starts).map(([key, values]) => [key, values.map((value) => round(value))])),
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * `npm run bench`: what the bot costs, each figure next to a baseline measured in the same run on
 * the same machine, so results from different machines can be compared by their ratios.
 * Prints a table and writes bench/results.json. Slack is the fake from the test suite.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { SEVERITIES } from '../src/domain/severity.js';
import type { TimelineEntry } from '../src/domain/timeline.js';
import { renderPostmortem } from '../src/render/postmortem.js';
import { loadTemplates } from '../src/render/templates.js';
import { declareOutcome, openDeclareForm, readDatabase, startHarness, submitForm, waitFor, type Harness } from '../tests/support/harness.js';
import { REPO_ROOT, startApp, type RunningApp } from '../tests/support/launcher.js';
import { sendSlashCommand, SIGNING_SECRET } from '../src/sandbox/slackRequests.js';
import { sampleIncident } from '../tests/support/sampleIncident.js';
import { schedulerBenchmark } from './scheduler.js';

// Compiled like the bot (npm run bench builds both), so neither pays for a TypeScript loader.
const BARE_APP = join(REPO_ROOT, 'dist/bench/bareApp.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const median = (values: number[]) => percentile(values, 50);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Resident memory (MiB) and CPU time used so far (ms) of a child process, from /proc. */
function usage(pid: number): { rssMiB: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, in 1/100 s
  return { rssMiB: rssKiB / 1024, cpuMs: ticks * 10 };
}

async function startBare(): Promise<RunningApp> {
  return startApp({ SLACK_SIGNING_SECRET: SIGNING_SECRET }, { script: BARE_APP });
}

/** Sends `count` signed `/incident <text>` requests, `concurrency` at a time; returns each one's latency (ms). */
async function commandStream(url: string, count: number, concurrency: number, text: (index: number) => string, channelId: string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await sendSlashCommand(url, { text: text(index), userId: 'UCAROL', channelId, triggerId: `t${index}.${Math.random()}`, responseUrl: 'http://127.0.0.1:9/unused' });
      if (response.status !== 200) throw new Error(`request ${index} answered ${response.status}`);
      latencies.push(response.elapsedMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

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

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}` };
  const rows: [string, string, string, string][] = [];
  const row = (figure: string, bot: string, baseline: string, ratio: string) => {
    rows.push([figure, bot, baseline, ratio]);
    console.error(`  ${figure}: ${bot} (baseline ${baseline}, ${ratio})`);
  };

  // 1. Start-up time and memory: the bot versus a bare Bolt app.
  console.error('start-up…');
  const startups: { bot: number[]; bare: number[]; botRss: number[]; bareRss: number[] } = { bot: [], bare: [], botRss: [], bareRss: [] };
  for (let run = 0; run < 3; run += 1) {
    let started = performance.now();
    const h = await startHarness();
    startups.bot.push(performance.now() - started);
    await sleep(500);
    startups.botRss.push(usage(h.app.child.pid!).rssMiB);
    await h.close();
    started = performance.now();
    const bare = await startBare();
    startups.bare.push(performance.now() - started);
    await sleep(500);
    startups.bareRss.push(usage(bare.child.pid!).rssMiB);
    await bare.stop();
  }
  results.startup = { botMs: round(median(startups.bot)), bareBoltMs: round(median(startups.bare)), botRssMiB: round(median(startups.botRss)), bareBoltRssMiB: round(median(startups.bareRss)) };
  row('start-up to listening (median of 3)', `${round(median(startups.bot), 0)} ms`, `${round(median(startups.bare), 0)} ms`, `×${round(median(startups.bot) / median(startups.bare), 2)}`);
  row('resident memory after start', `${round(median(startups.botRss))} MiB`, `${round(median(startups.bareRss))} MiB`, `×${round(median(startups.botRss) / median(startups.bareRss), 2)}`);

  // 2. Ack latency of /incident status versus the bare app, same request stream.
  console.error('ack latency…');
  const h = await startHarness();
  const { channel } = await (async () => {
    const outcome = await declare(h, 'Benchmark incident');
    const channelId = /<#(C[A-Z0-9]+)>/.exec(outcome)![1]!;
    return { channel: { id: channelId } };
  })();
  const REQUESTS = 1000;
  const ROUNDS = 10;
  const bare = await startBare();
  await commandStream(h.app.url, 100, 4, () => 'status', channel.id); // warm-up
  await commandStream(bare.url, 100, 4, () => 'status', channel.id);
  // Taken in turns, a tenth at a time: on a shared machine both see the same background load.
  const botAck: number[] = [];
  const bareAck: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    botAck.push(...(await commandStream(h.app.url, REQUESTS / ROUNDS, 4, () => 'status', channel.id)));
    bareAck.push(...(await commandStream(bare.url, REQUESTS / ROUNDS, 4, () => 'status', channel.id)));
  }
  results.ackLatency = {
    requests: REQUESTS,
    concurrency: 4,
    botP50Ms: round(percentile(botAck, 50), 2),
    botP99Ms: round(percentile(botAck, 99), 2),
    bareBoltP50Ms: round(percentile(bareAck, 50), 2),
    bareBoltP99Ms: round(percentile(bareAck, 99), 2),
  };
  row('/incident status ack p50', `${round(percentile(botAck, 50), 2)} ms`, `${round(percentile(bareAck, 50), 2)} ms`, `×${round(percentile(botAck, 50) / percentile(bareAck, 50), 2)}`);
  row('/incident status ack p99', `${round(percentile(botAck, 99), 2)} ms`, `${round(percentile(bareAck, 99), 2)} ms`, `×${round(percentile(botAck, 99) / percentile(bareAck, 99), 2)}`);

  // 3. Timeline ingest: notes through the whole bot (ack, Slack post, SQLite) versus bare acks.
  console.error('timeline ingest…');
  const NOTES = 500;
  const notesBefore = readDatabase(h.dbPath).timeline.length;
  let started = performance.now();
  await commandStream(h.app.url, NOTES, 8, (index) => `note benchmark note ${index}`, channel.id);
  await waitFor(() => readDatabase(h.dbPath).timeline.length >= notesBefore + NOTES, 'every note on the timeline', 120_000);
  const ingestSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await commandStream(bare.url, NOTES, 8, (index) => `note benchmark note ${index}`, channel.id);
  const bareSeconds = (performance.now() - started) / 1000;
  await bare.stop();
  results.timelineIngest = { notes: NOTES, concurrency: 8, notesPerSecond: round(NOTES / ingestSeconds), bareBoltAcksPerSecond: round(NOTES / bareSeconds) };
  row('timeline ingest (notes recorded/s)', `${round(NOTES / ingestSeconds, 0)} /s`, `${round(NOTES / bareSeconds, 0)} acks/s`, `×${round(bareSeconds / ingestSeconds, 2)}`);

  // 4. Declare throughput with Slack answering in 100 ms, and the share of time not spent waiting on Slack.
  console.error('declare throughput…');
  const LATENCY_MS = 100;
  const DECLARATIONS = 20;
  h.fake.setLatency(LATENCY_MS);
  // The forms are opened one by one (each must be told apart); the declarations then run all at once.
  const forms: Awaited<ReturnType<typeof openDeclareForm>>[] = [];
  for (let index = 0; index < DECLARATIONS; index += 1) forms.push(await openDeclareForm(h, `Concurrent ${index}`));
  const callsBefore = h.fake.calls.length;
  started = Date.now();
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

  // 6. The scheduler with 10,000 open incidents, 1,000 of them due at once: see bench/scheduler.ts.
  console.error('scheduler with 10,000 open incidents, on SQLite and PostgreSQL (about 5 min)…');
  results.scheduler = await schedulerBenchmark(row);

  writeFileSync(join(REPO_ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[['Figure', 'Bot', 'Baseline', 'Ratio'], ...rows].map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log([line(['Figure', 'Bot', 'Baseline', 'Ratio']), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n'));
  console.log(`\n${results.cpus}, Node ${results.node}; written to bench/results.json`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * Timeline ingest: `/incident note …` commands through the whole bot (ack, Slack post, SQLite) until
 * every note is recorded on the timeline, versus the same stream of commands acked by a bare Bolt app.
 * Part of `npm run bench`; alone (about 30 s): `npm run bench:ingest`.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sendSlashCommand, SIGNING_SECRET } from '../src/sandbox/slackRequests.js';
import { declareOutcome, openDeclareForm, startHarness, submitForm, waitFor, type Harness } from '../tests/support/harness.js';
import { REPO_ROOT, startApp, type RunningApp } from '../tests/support/launcher.js';
import { cpuMs, round } from './measure.js';

// Compiled like the bot (npm run bench builds both), so neither pays for a TypeScript loader.
const BARE_APP = join(REPO_ROOT, 'dist/bench/bareApp.js');

export async function startBare(): Promise<RunningApp> {
  return startApp({ SLACK_SIGNING_SECRET: SIGNING_SECRET }, { script: BARE_APP });
}

/** Sends `count` signed `/incident <text>` requests, `concurrency` at a time; returns each one's latency (ms). */
export async function commandStream(url: string, count: number, concurrency: number, text: (index: number) => string, channelId: string, responseUrl = () => 'http://127.0.0.1:9/unused'): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await sendSlashCommand(url, { text: text(index), userId: 'UCAROL', channelId, triggerId: `t${index}.${Math.random()}`, responseUrl: responseUrl() });
      if (response.status !== 200) throw new Error(`request ${index} answered ${response.status}`);
      latencies.push(response.elapsedMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

/** Declares an incident through the bot; returns its channel's id. */
export async function declareChannel(h: Harness, title: string): Promise<string> {
  const { view } = await openDeclareForm(h, title);
  await submitForm(h, view, { Severity: 'SEV2', 'Incident commander': 'UBOB' });
  const outcome = await declareOutcome(h, view.id);
  return /<#(C[A-Z0-9]+)>/.exec(outcome)![1]!;
}

export interface IngestResult {
  notes: number;
  concurrency: number;
  notesPerSecond: number;
  bareBoltAcksPerSecond: number;
  botCpuMsPerNote: number;
  bareBoltCpuMsPerAck: number;
  /** CPU time of this process (the fake Slack and the request sender) per note sent to the bot and per ack of the bare app. */
  benchCpuMsPerNote: number;
  benchCpuMsPerBareAck: number;
  loadAverage: number;
}

/** The clock of V8's CPU profiles (CLOCK_MONOTONIC, microseconds): the same in the bot's process as in this one. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const NOTES = 500;
const CONCURRENCY = 8;
const WARM_UP = 100;

/**
 * The bot's rate counts a note when its row is in the database, read by the same SQL the bot's
 * timeline uses; polled with one count on one read-only connection, so that the bench, which shares
 * the machine's cores with the bot, spends next to nothing watching.
 */
export async function timelineIngest(h: Harness, bare: RunningApp, channelId: string, onTimedNotes?: (window: { startUs: number; endUs: number }) => void): Promise<IngestResult> {
  const db = new Database(h.dbPath, { readonly: true, fileMustExist: true });
  try {
    // The bot has a response_url for each person, as in Slack (a note that went well needs no answer there); the bare app answers nobody.
    const responseUrl = () => h.fake.responseUrl();
    const countNotes = db.prepare("select count(*) as notes from timeline_entries where kind = 'note'").pluck();
    // Warm-up: both processes compile their note paths before anything is timed.
    const notesAtStart = countNotes.get() as number;
    await commandStream(h.app.url, WARM_UP, CONCURRENCY, (index) => `note warm-up ${index}`, channelId, responseUrl);
    await commandStream(bare.url, WARM_UP, CONCURRENCY, (index) => `note warm-up ${index}`, channelId);
    await waitFor(() => (countNotes.get() as number) >= notesAtStart + WARM_UP, 'the warm-up notes on the timeline', 60_000);
    const notesBefore = countNotes.get() as number;
    let botCpu = cpuMs(h.app.child.pid!);
    let benchCpu = process.cpuUsage();
    let started = performance.now();
    const startUs = monotonicUs();
    await commandStream(h.app.url, NOTES, CONCURRENCY, (index) => `note benchmark note ${index}`, channelId, responseUrl);
    await waitFor(() => (countNotes.get() as number) >= notesBefore + NOTES, 'every note on the timeline', 120_000);
    const ingestSeconds = (performance.now() - started) / 1000;
    onTimedNotes?.({ startUs, endUs: monotonicUs() });
    botCpu = cpuMs(h.app.child.pid!) - botCpu;
    const benchCpuForBot = process.cpuUsage(benchCpu);
    let bareCpu = cpuMs(bare.child.pid!);
    benchCpu = process.cpuUsage();
    started = performance.now();
    await commandStream(bare.url, NOTES, CONCURRENCY, (index) => `note benchmark note ${index}`, channelId);
    const bareSeconds = (performance.now() - started) / 1000;
    bareCpu = cpuMs(bare.child.pid!) - bareCpu;
    const benchCpuForBare = process.cpuUsage(benchCpu);
    const ms = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
    return {
      notes: NOTES,
      concurrency: CONCURRENCY,
      notesPerSecond: round(NOTES / ingestSeconds),
      bareBoltAcksPerSecond: round(NOTES / bareSeconds),
      botCpuMsPerNote: round(botCpu / NOTES, 2),
      bareBoltCpuMsPerAck: round(bareCpu / NOTES, 2),
      benchCpuMsPerNote: round(ms(benchCpuForBot) / NOTES, 2),
      benchCpuMsPerBareAck: round(ms(benchCpuForBare) / NOTES, 2),
      loadAverage: round(loadavg()[0]!, 2),
    };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  // INGEST_CPU_PROF=<folder>: the bot writes a V8 CPU profile there when it stops (its figures are then slower than usual).
  const profileDir = process.env.INGEST_CPU_PROF;
  const h = await startHarness(profileDir ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
  const bare = await startBare();
  try {
    const channelId = await declareChannel(h, 'Ingest benchmark');
    const result = await timelineIngest(h, bare, channelId, (window) => {
      if (profileDir) console.log(`timed notes, on the profile's clock: ${JSON.stringify(window)}`);
    });
    console.log(JSON.stringify(result));
    console.log(`timeline ingest: ${result.notesPerSecond} notes recorded/s, bare Bolt ${result.bareBoltAcksPerSecond} acks/s, ×${round(result.notesPerSecond / result.bareBoltAcksPerSecond, 2)} (load average ${result.loadAverage})`);
    console.log(`CPU per note: bot ${result.botCpuMsPerNote} ms, bare Bolt ${result.bareBoltCpuMsPerAck} ms per ack; the bench itself ${result.benchCpuMsPerNote} ms per note, ${result.benchCpuMsPerBareAck} ms per bare ack`);
  } finally {
    await bare.stop();
    await h.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * The scheduler's part of `npm run bench`: 10,000 open incidents, of which 1,000 fall due at the
 * same instant. While nothing is due, the bot's CPU (summed over its processes) says what the
 * incidents cost at rest; then how late the 1,000 reminders went out, and whether each went out
 * exactly once. On SQLite (one process), and on a throwaway PostgreSQL with one and three replicas
 * when the machine has PostgreSQL (otherwise the bench says so and reports SQLite only).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startSlackEmulator, type SlackEmulator } from '../src/sandbox/slackEmulator.js';
import { appEnvironment } from '../tests/support/harness.js';
import { scratchDir, startApp, type RunningApp } from '../tests/support/launcher.js';
import { POSTGRES_ROOT, postgresBin, startThrowawayServer } from '../tests/support/throwawayPostgres.js';
import { REMINDERS_AHEAD_MS } from '../src/flows/reminders.js';
import { cpuMs, percentile, round, sleep } from './measure.js';

const OPEN = 10_000;
const DUE_AT_ONCE = 1_000;
const INTERVAL = '1h';
const INTERVAL_MS = 3_600_000;
/** From the last replica listening to the burst: the window in which nothing is due. */
const QUIET_MS = 12_000;
/** How long after the burst the reminders are counted. */
const AFTER_BURST_MS = 10_000;

type Row = (figure: string, bot: string, baseline: string, ratio: string) => void;

/** One incident row of the bench: `dueAt` is when its reminder falls due. */
interface BenchIncident {
  key: string;
  channelId: string;
  channelName: string;
  declaredAt: number;
  lastUpdateAt: number;
}

/** 10,000 open SEV3 incidents, acknowledged, whose ladder is hours away; the first 1,000 owe a reminder at `burstAt`, the rest in an hour. */
function benchIncidents(fake: SlackEmulator, now: number, burstAt: number): { incidents: BenchIncident[]; dueChannels: string[] } {
  const incidents: BenchIncident[] = [];
  const dueChannels: string[] = [];
  for (let index = 0; index < OPEN; index += 1) {
    const due = index < DUE_AT_ONCE;
    const channel = due ? fake.addChannel({ name: `due-${index}`, members: ['UBOT', 'UBOB'] }) : { id: `CQUIET${index}`, name: `quiet-${index}` };
    if (due) dueChannels.push(channel.id);
    incidents.push({ key: `bench-${index}`, channelId: channel.id, channelName: channel.name, declaredAt: now - 60_000, lastUpdateAt: due ? burstAt - INTERVAL_MS : now });
  }
  return { incidents, dueChannels };
}

const COLUMNS = 'declaration_key, phase, title, severity, status, commander_id, declared_by, declared_at, channel_id, channel_name, highest_severity, last_update_at, acknowledged_at';

function insertSqlite(path: string, incidents: BenchIncident[]): void {
  const db = new Database(path);
  const insert = db.prepare(`insert into incidents (${COLUMNS}) values (?, 'live', 'Bench', 'SEV3', 'investigating', 'UBOB', 'UALICE', ?, ?, ?, 'SEV3', ?, ?)`);
  db.transaction(() => {
    for (const row of incidents) insert.run(row.key, row.declaredAt, row.channelId, row.channelName, row.lastUpdateAt, row.declaredAt);
  })();
  db.close();
}

async function insertPostgres(url: string, incidents: BenchIncident[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ms = (values: number[]) => values.map((value) => new Date(value).toISOString());
    await client.query(
      `insert into incidents (${COLUMNS})
       select key, 'live', 'Bench', 'SEV3', 'investigating', 'UBOB', 'UALICE', declared, channel, name, 'SEV3', updated, declared
       from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) as t(key, channel, name, declared, updated)`,
      [incidents.map((row) => row.key), incidents.map((row) => row.channelId), incidents.map((row) => row.channelName), ms(incidents.map((row) => row.declaredAt)), ms(incidents.map((row) => row.lastUpdateAt))],
    );
  } finally {
    await client.end();
  }
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface SchedulerFigures {
  store: string;
  replicas: number;
  open: number;
  quietWindowMs: number;
  /** CPU of all the bot's processes together while nothing is due, in % of one core. */
  quietCpuPercent: number;
  /** PostgreSQL's server processes meanwhile, in % of one core (absent on SQLite). */
  quietPostgresCpuPercent?: number;
  dueAtOnce: number;
  /** Incidents reminded exactly once, and reminders beyond the first. */
  sentOnce: number;
  duplicates: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  /** Of those sent, how many were made ready before they were due (the others only once due: the bot was not done in time). */
  madeReadyAhead: number;
  /**
   * CPU time (ms) per reminder sent, from before they are made ready to 10 s after they are due: the bot's processes together,
   * the bench process (the fake Slack answering them, nearly all of it), and PostgreSQL's server
   * processes (absent on SQLite). What a send costs on this machine, whatever else it runs.
   */
  cpuPerReminderMs: { bot: number; fakeSlack: number; postgres?: number };
}

/** CPU time (ms) so far of the PostgreSQL server listening on `port`: its postmaster and every process it started. */
function serverCpuMs(port: number): number {
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const parentOf = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1];
    } catch {
      return undefined; // exited meanwhile
    }
  };
  const postmaster = processes.find((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args[0]?.endsWith('/postgres') && args.includes('-p') && args[args.indexOf('-p') + 1] === String(port);
    } catch {
      return false;
    }
  });
  if (!postmaster) throw new Error(`no PostgreSQL server process listening on port ${port} found in /proc`);
  // The postmaster counts the backends that have exited (a pool closes idle connections), the others are counted live.
  return [postmaster, ...processes.filter((pid) => parentOf(pid) === postmaster)].reduce((total, pid) => {
    try {
      return total + cpuMs(Number(pid), pid === postmaster);
    } catch {
      return total;
    }
  }, 0);
}

/** One run: the incidents written while the bot is stopped, then `replicas` bot processes on the database. */
async function run(store: 'SQLite' | 'PostgreSQL', replicas: number, databaseUrl?: string): Promise<SchedulerFigures> {
  const fake = await startSlackEmulator();
  const dir = scratchDir();
  // BENCH_PRELOAD=<module>: loaded into each bot process (--import), e.g. bench/profile.mjs, which SIGUSR2 starts and stops around the quiet window and the burst.
  const profile: Record<string, string> = process.env.BENCH_PRELOAD ? { NODE_OPTIONS: `--import=${process.env.BENCH_PRELOAD}`, PROF_DIR: process.env.PROF_DIR ?? '.' } : {};
  // DATABASE_POOL_SIZE, when set for the bench, is given to the bots on PostgreSQL (its default otherwise).
  const pool: Record<string, string> = databaseUrl && process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {};
  const env = appEnvironment(fake, dir, { INCIDENT_UPDATE_INTERVAL: INTERVAL, ...profile, ...pool, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const apps: RunningApp[] = [];
  try {
    // A first start creates the tables; the incidents are written while no bot runs.
    await (await startApp(env, { cwd: dir, timeoutMs: 60_000 })).stop();
    const now = Date.now();
    // Far enough ahead for the replicas to start (each computes 10,000 due times) and the quiet window to pass.
    const burstAt = now + 10_000 + 15_000 * replicas + QUIET_MS;
    const { incidents, dueChannels } = benchIncidents(fake, now, burstAt);
    if (databaseUrl) await insertPostgres(databaseUrl, incidents);
    else insertSqlite(env.DATABASE_PATH!, incidents);
    apps.push(...(await Promise.all(Array.from({ length: replicas }, () => startApp(env, { cwd: dir, timeoutMs: 60_000 })))));
    // The bot makes the reminders ready up to REMINDERS_AHEAD_MS before they are due: the quiet window ends before that, and the burst's CPU is counted from there.
    const readyFrom = burstAt - REMINDERS_AHEAD_MS - 500;
    const quietEnd = readyFrom;
    if (quietEnd - Date.now() < QUIET_MS / 2) throw new Error('the bot took too long to start for the quiet window: raise the bench’s start-up allowance');
    await sleep(500); // the first ticks after listening
    if (process.env.BENCH_PRELOAD) apps.forEach((app) => app.child.kill('SIGUSR2'));
    const postgresCpu = () => (databaseUrl ? serverCpuMs(Number(new URL(databaseUrl).port)) : 0);
    const cpuBefore = apps.map((app) => cpuMs(app.child.pid!));
    const postgresBefore = postgresCpu();
    const windowStart = Date.now();
    await sleep(quietEnd - windowStart);
    if (process.env.BENCH_PRELOAD) apps.forEach((app) => app.child.kill('SIGUSR2'));
    const quietCpu = apps.reduce((total, app, index) => total + cpuMs(app.child.pid!) - cpuBefore[index]!, 0);
    const quietPostgresCpu = postgresCpu() - postgresBefore;
    const quietWindowMs = Date.now() - windowStart;
    if (process.env.BENCH_PRELOAD) apps.forEach((app) => app.child.kill('SIGUSR2'));
    const botCpu = () => apps.reduce((total, app) => total + cpuMs(app.child.pid!), 0);
    const benchCpu = () => {
      const used = process.cpuUsage();
      return (used.user + used.system) / 1000;
    };
    const cpuAtBurst = { bot: botCpu(), bench: benchCpu(), postgres: postgresCpu() };
    await sleep(burstAt + AFTER_BURST_MS - Date.now());
    const cpuAfter = { bot: botCpu(), bench: benchCpu(), postgres: postgresCpu() };
    if (process.env.BENCH_PRELOAD) apps.forEach((app) => app.child.kill('SIGUSR2'));
    // Posted by the timer, made ready ahead (their log line says how late), or made ready only once due.
    const sentLogs = apps.flatMap((app) => app.logs().filter((line) => line.msg === 'reminder sent'));
    const madeReadyAhead = sentLogs.filter((line) => line.lateMs !== undefined).length;
    const lateness: number[] = [];
    let sentOnce = 0;
    let duplicates = 0;
    for (const channelId of dueChannels) {
      const reminders = fake.messages(channelId).filter((message) => message.text.includes('No status update'));
      if (reminders.length === 1) sentOnce += 1;
      duplicates += Math.max(0, reminders.length - 1);
      if (reminders[0]) lateness.push(Number(reminders[0].ts) * 1000 - burstAt);
    }
    return {
      store,
      replicas,
      open: OPEN,
      quietWindowMs,
      quietCpuPercent: round((100 * quietCpu) / quietWindowMs, 2),
      ...(databaseUrl ? { quietPostgresCpuPercent: round((100 * quietPostgresCpu) / quietWindowMs, 2) } : {}),
      dueAtOnce: DUE_AT_ONCE,
      sentOnce,
      duplicates,
      latenessP50Ms: round(percentile(lateness, 50), 0),
      latenessP99Ms: round(percentile(lateness, 99), 0),
      latenessMaxMs: round(Math.max(...lateness), 0),
      madeReadyAhead,
      cpuPerReminderMs: {
        bot: round((cpuAfter.bot - cpuAtBurst.bot) / lateness.length, 2),
        fakeSlack: round((cpuAfter.bench - cpuAtBurst.bench) / lateness.length, 2),
        ...(databaseUrl ? { postgres: round((cpuAfter.postgres - cpuAtBurst.postgres) / lateness.length, 2) } : {}),
      },
    };
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await fake.close();
  }
}

/** The runs of this section: SQLite with one process, PostgreSQL with one and with three replicas. */
export const SCHEDULER_RUNS = ['sqlite', 'pg1', 'pg3'] as const;
export type SchedulerRun = (typeof SCHEDULER_RUNS)[number];

/** Every run the machine allows of those asked for (all by default), each reported as a row. */
export async function schedulerBenchmark(row: Row, only: readonly SchedulerRun[] = SCHEDULER_RUNS): Promise<{ runs: SchedulerFigures[]; postgres: string }> {
  const runs: SchedulerFigures[] = only.includes('sqlite') ? [await run('SQLite', 1)] : [];
  const bin = postgresBin();
  let postgres = 'not installed: no initdb under ' + POSTGRES_ROOT + '/<version>/bin, so SQLite only';
  if (bin) {
    postgres = `throwaway server from ${bin}`;
    if (only.includes('pg1') || only.includes('pg3')) {
      const server = await startThrowawayServer(bin);
      try {
        if (only.includes('pg1')) runs.push(await run('PostgreSQL', 1, await createDatabase(server.url, 'bench_one_replica')));
        if (only.includes('pg3')) runs.push(await run('PostgreSQL', 3, await createDatabase(server.url, 'bench_three_replicas')));
      } finally {
        server.stop();
      }
    }
  } else {
    console.error(`scheduler bench: PostgreSQL ${postgres}`);
  }
  for (const figures of runs) {
    const on = `${figures.store}, ${figures.replicas} ${figures.replicas === 1 ? 'process' : 'replicas'}`;
    row(`scheduler CPU, ${OPEN.toLocaleString('en')} open, nothing due (${on})`, `${figures.quietCpuPercent}% of a core${figures.replicas > 1 ? ` (${round(figures.quietCpuPercent / figures.replicas, 2)}% each)` : ''}${figures.quietPostgresCpuPercent === undefined ? '' : `; PostgreSQL ${figures.quietPostgresCpuPercent}%`}`, 'target < 1%', figures.quietCpuPercent / figures.replicas < 1 ? 'met' : 'missed');
    row(
      `${DUE_AT_ONCE.toLocaleString('en')} reminders due at once (${on})`,
      `p50 ${figures.latenessP50Ms} ms, p99 ${figures.latenessP99Ms} ms; ${figures.sentOnce} sent once, ${figures.duplicates} twice, ${figures.madeReadyAhead} made ready ahead; CPU per reminder: bot ${figures.cpuPerReminderMs.bot} ms, fake Slack ${figures.cpuPerReminderMs.fakeSlack} ms${figures.cpuPerReminderMs.postgres === undefined ? '' : `, PostgreSQL ${figures.cpuPerReminderMs.postgres} ms`}`,
      'target p99 < 1 s, each once',
      figures.latenessP99Ms < 1000 && figures.sentOnce === DUE_AT_ONCE && figures.duplicates === 0 ? 'met' : 'missed',
    );
  }
  return { runs, postgres };
}

/** `npm run bench:scheduler [-- sqlite pg1 pg3]`: this section alone, the runs named (all by default). */
async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(SCHEDULER_RUNS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown run ${unknown.join(', ')}: choose among ${SCHEDULER_RUNS.join(', ')}`);
  const { runs } = await schedulerBenchmark(
    (figure, bot, baseline, ratio) => console.log(`${figure}: ${bot} (${baseline}: ${ratio})`),
    asked.length > 0 ? (asked as SchedulerRun[]) : SCHEDULER_RUNS,
  );
  console.log(JSON.stringify({ runs, loadAverage: round(loadavg()[0]!, 2) }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

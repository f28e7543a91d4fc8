/**
 * The Home tab's part of `npm run bench`: rebuilding one person's Home (reading the incidents from
 * SQLite, the statistics per severity over 30 and 90 days, the Block Kit view) with 1,000 real
 * incidents declared in the last 90 days, 50 of them open, and 100 drills that must be left out.
 * Target: under 50 ms (the median; the p95 is printed beside it, since it follows the machine's load). The baseline is reading the same rows alone, so the ratio says what the
 * statistics and the view add to the read.
 */
import pino from 'pino';
import { buildAppHome } from '../src/flows/appHome.js';
import { HOME_WINDOWS_DAYS, windowStart } from '../src/domain/insights.js';
import { SEVERITY_LEVELS } from '../src/domain/severity.js';
import { openDatabase } from '../src/store/sqlite/db.js';
import { incidents } from '../src/store/sqlite/schema.js';
import { sqliteStore } from '../src/store/sqlite/index.js';
import { validateHomeView } from '../src/sandbox/blockKitRules.js';
import { median, round } from './measure.js';

const INCIDENTS = 1_000;
const OPEN = 50;
const DRILLS = 100;
const RUNS = 21;
const TARGET_MS = 50;
const MINUTE = 60_000;

export interface AppHomeFigures {
  incidents: number;
  open: number;
  drills: number;
  medianMs: number;
  p95Ms: number;
  readOnlyMedianMs: number;
  blocks: number;
}

export async function appHomeBenchmark(row: (figure: string, bot: string, baseline: string, ratio: string) => void): Promise<AppHomeFigures> {
  const database = openDatabase(':memory:');
  try {
    const now = new Date('2026-11-26T12:00:00Z');
    const rows = Array.from({ length: INCIDENTS + DRILLS }, (_, index) => {
      const declaredAt = new Date(now.getTime() - ((index * 89 * 24 * 60) / (INCIDENTS + DRILLS)) * MINUTE);
      const open = index < OPEN;
      return {
        declarationKey: `V${index}`,
        phase: 'live' as const,
        title: `Incident ${index}: checkout errors in eu-west`,
        severity: SEVERITY_LEVELS[index % 4]!,
        status: open ? ('investigating' as const) : ('resolved' as const),
        commanderId: index % 7 === 0 ? 'UCAROL' : 'UBOB',
        declaredBy: 'UALICE',
        declaredAt,
        channelId: `C${index}`,
        channelName: `incident-${index}`,
        kickoffTs: `${index}.000001`,
        acknowledgedAt: new Date(declaredAt.getTime() + (1 + (index % 20)) * MINUTE),
        resolvedAt: open ? null : new Date(declaredAt.getTime() + (30 + (index % 300)) * MINUTE),
        drillScenario: index >= INCIDENTS ? 'database-connection-failure' : null,
      };
    });
    for (let start = 0; start < rows.length; start += 200) database.db.insert(incidents).values(rows.slice(start, start + 200)).run();
    const store = sqliteStore(database.db, 'bench');
    const deps = { ...store, clock: { now: () => now }, log: pino({ level: 'silent' }), settings: { timeZone: 'Europe/Berlin' } } as unknown as Parameters<typeof buildAppHome>[0];

    const builds: number[] = [];
    const reads: number[] = [];
    let blocks = 0;
    for (let run = 0; run < RUNS; run += 1) {
      let at = performance.now();
      const view = await buildAppHome(deps, 'UCAROL');
      builds.push(performance.now() - at);
      blocks = view.blocks.length;
      if (run === 0 && validateHomeView(view).length > 0) throw new Error(`the Home view breaks Slack's rules: ${validateHomeView(view).join('; ')}`);
      at = performance.now();
      await store.appHome.incidentsForHome(windowStart(now, Math.max(...HOME_WINDOWS_DAYS)), 10);
      reads.push(performance.now() - at);
    }
    const sorted = [...builds].sort((a, b) => a - b);
    const figures: AppHomeFigures = {
      incidents: INCIDENTS,
      open: OPEN,
      drills: DRILLS,
      medianMs: round(median(builds), 2),
      p95Ms: round(sorted[Math.ceil(0.95 * sorted.length) - 1]!, 2),
      readOnlyMedianMs: round(median(reads), 2),
      blocks,
    };
    row(
      `App Home rebuild, ${INCIDENTS.toLocaleString('en')} incidents in 90 days (median of ${RUNS}, p95)`,
      `${figures.medianMs} ms, p95 ${figures.p95Ms} ms`,
      `${figures.readOnlyMedianMs} ms reading the rows alone; target < ${TARGET_MS} ms`,
      figures.medianMs < TARGET_MS ? 'met' : 'missed',
    );
    return figures;
  } finally {
    database.close();
  }
}

/** `npm run bench:home`: this section alone. */
async function main(): Promise<void> {
  const figures = await appHomeBenchmark((figure, bot, baseline, verdict) => console.log(`${figure}: ${bot} (${baseline}: ${verdict})`));
  console.log(JSON.stringify(figures));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * `npm run report -- --since 90d [--format md|csv] [--out FILE]`: the insights report of the
 * incidents declared in a window, from the database alone (DATABASE_PATH or DATABASE_URL).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { incidentsPerWeek, totalsBySeverity, totalsByType } from '../domain/report.js';
import { systemClock } from '../domain/time.js';
import { reportRows } from '../flows/report.js';
import { REPORT_USAGE, weeklyChartTitle, wroteReport } from '../messages/report.js';
import { csvReport, markdownReport, type ReportContent } from '../render/report.js';
import { weeklyChartSvg } from '../render/weeklyChart.js';
import { openStore } from '../store/open.js';
import { runCli, settingsWithDatabase } from './cliSupport.js';
import { chartPathFor, reportArguments } from './reportArguments.js';

async function main(): Promise<void> {
  const now = systemClock.now();
  const request = reportArguments(process.argv.slice(2), now);
  if (request.help) {
    console.log(REPORT_USAGE);
    return;
  }
  const config = settingsWithDatabase();
  const database = await openStore(config, 'npm run report');
  let rows;
  try {
    rows = await reportRows({ incidents: database.store.incidents, actions: database.store.actions }, request.since, now);
  } finally {
    await database.close();
  }
  const { timeZone } = config;
  const content: ReportContent = {
    window: request.window, since: request.since, now, timeZone, rows,
    bySeverity: totalsBySeverity(rows), byType: totalsByType(rows), weeks: incidentsPerWeek(rows, request.since, now, timeZone),
  };
  if (request.format === 'csv') {
    if (request.out) write(request.out, csvReport(content), rows.length, null);
    else process.stdout.write(csvReport(content));
    return;
  }
  if (!request.out) {
    // To the terminal: no file is written unasked, so the chart is left out and the Markdown says how to get it.
    process.stdout.write(markdownReport(content, null));
    return;
  }
  const chart = rows.length > 0 ? chartPathFor(request.out) : null;
  if (chart) {
    mkdirSync(dirname(chart), { recursive: true });
    writeFileSync(chart, weeklyChartSvg(content.weeks, weeklyChartTitle(timeZone)));
  }
  write(request.out, markdownReport(content, chart && basename(chart)), rows.length, chart);
}

function write(path: string, text: string, count: number, chart: string | null): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.error(wroteReport(path, count, chart));
}

runCli('Report', main);

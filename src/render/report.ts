/** The insights report as Markdown (with totals and weekly counts) or as CSV (RFC 4180, safe to open in a spreadsheet). */
import { formatDuration } from '../domain/lifecycle.js';
import type { ReportRow, ReportTotal, WeekCount } from '../domain/report.js';
import { unescapeMrkdwn } from '../domain/text.js';
import { isoMinuteInZone } from '../domain/time.js';
import * as words from '../messages/report.js';
import { slackMarkupAsText } from './mrkdwn.js';
import { slackToMarkdownCell } from './slackMarkup.js';

export interface ReportContent {
  /** As given to --since: "90d". */
  window: string;
  since: Date;
  now: Date;
  timeZone: string;
  rows: readonly ReportRow[];
  bySeverity: readonly ReportTotal[];
  byType: readonly ReportTotal[];
  weeks: readonly WeekCount[];
}

const NONE = '—';
/** Titles are shown with the ids Slack stored: the report is read without Slack's names. */
const IDS_AS_NAMES = { user: (id: string) => id };

const time = (instant: Date | null, timeZone: string) => (instant ? isoMinuteInZone(instant, timeZone) : NONE);
const duration = (ms: number | null) => (ms === null ? NONE : formatDuration(ms));
const cell = (text: string) => slackToMarkdownCell(text, IDS_AS_NAMES) || NONE;
const tableRow = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [tableRow(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(tableRow)].join('\n');

function totalsTable(first: string, totals: readonly ReportTotal[]): string {
  return table([first, ...words.TOTALS_COLUMNS], totals.map((total) => [cell(total.key ?? words.NO_TYPE), total.count, duration(total.medianTimeToAcknowledgeMs), duration(total.medianTimeToResolveMs)]));
}

/** `chartFile`: the SVG's name relative to the Markdown file, or null when none is written. */
export function markdownReport(content: ReportContent, chartFile: string | null): string {
  const { timeZone } = content;
  const parts = [words.reportTitle(content.window), words.reportScope(time(content.since, timeZone), time(content.now, timeZone), timeZone)];
  if (content.rows.length === 0) {
    parts.push(words.NO_INCIDENTS);
    return `${parts.join('\n\n')}\n`;
  }
  parts.push(
    words.SEVERITY_TOTALS_HEADING,
    words.SEVERITY_TOTALS_NOTE,
    totalsTable(words.SEVERITY_COLUMN, content.bySeverity),
    words.TYPE_TOTALS_HEADING,
    totalsTable(words.TYPE_COLUMN, content.byType),
    words.WEEKLY_HEADING,
    chartFile ? `![${words.WEEKLY_CHART_ALT}](${encodeURIComponent(chartFile)})` : words.WEEKLY_CHART_SKIPPED,
    table(words.WEEK_COLUMNS, content.weeks.map((week) => [week.weekOf, week.count])),
    words.INCIDENTS_HEADING,
    words.INCIDENTS_NOTE,
    table(
      words.INCIDENT_COLUMNS,
      content.rows.map((row) => [
        row.id,
        cell(row.title),
        row.type === null ? NONE : cell(row.type),
        row.highestSeverity === row.finalSeverity ? row.finalSeverity : `${row.highestSeverity} → ${row.finalSeverity}`,
        time(row.declaredAt, timeZone),
        time(row.impactStartedAt, timeZone),
        time(row.resolvedAt, timeZone),
        duration(row.timeToAcknowledgeMs),
        duration(row.timeToResolveMs),
        row.updateCount,
        duration(row.longestSilenceMs),
        `${row.actionsOpen} / ${row.actionsDone}`,
      ]),
    ),
  );
  return `${parts.join('\n\n')}\n`;
}

/**
 * One CSV field: a spreadsheet runs a cell starting with = + - @ (or a tab or carriage return) as
 * a formula, so such text gets a leading apostrophe; then RFC 4180 quoting.
 */
export function csvField(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

const minutes = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(1));
const csvTime = (instant: Date | null, timeZone: string) => (instant ? isoMinuteInZone(instant, timeZone) : '');

/** RFC 4180: a header, one record per incident, CRLF line ends; empty fields for what is not known. Titles as plain text (Slack's markup and entities undone). */
export function csvReport(content: Pick<ReportContent, 'rows' | 'timeZone'>): string {
  const records = content.rows.map((row) => [
    String(row.id),
    unescapeMrkdwn(slackMarkupAsText(row.title)),
    row.type ?? '',
    row.highestSeverity,
    row.finalSeverity,
    csvTime(row.declaredAt, content.timeZone),
    csvTime(row.impactStartedAt, content.timeZone),
    csvTime(row.resolvedAt, content.timeZone),
    minutes(row.timeToAcknowledgeMs),
    minutes(row.timeToResolveMs),
    String(row.updateCount),
    minutes(row.longestSilenceMs),
    String(row.actionsOpen),
    String(row.actionsDone),
  ]);
  return [words.CSV_COLUMNS, ...records].map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}

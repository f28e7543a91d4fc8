/** The words of `npm run report`: its headings, notes, column names and argument errors. */

export const REPORT_USAGE = 'Usage: npm run report -- --since <90d | 12w> [--format md|csv] [--out FILE]';

export const reportTitle = (window: string) => `# Incident report: the last ${window}`;
export const reportScope = (from: string, to: string, timeZone: string) =>
  `Incidents declared from ${from} to ${to}; drills are left out. Times are in ${timeZone} (INCIDENT_TIMEZONE), ISO 8601 with their offset from UTC.`;
export const NO_INCIDENTS = 'No incidents were declared in this period.';

export const SEVERITY_TOTALS_HEADING = '## Totals by severity';
export const SEVERITY_TOTALS_NOTE = 'Each incident counts under the highest severity it had. A median counts only the incidents acknowledged (or resolved) so far; "—" when there are none.';
export const TYPE_TOTALS_HEADING = '## Totals by type';
export const SEVERITY_COLUMN = 'Severity';
export const TYPE_COLUMN = 'Type';
export const TOTALS_COLUMNS = ['Incidents', 'Median time to acknowledge', 'Median time to resolve'] as const;
export const NO_TYPE = '(no type)';

export const WEEKLY_HEADING = '## Incidents per week';
export const WEEKLY_CHART_ALT = 'Incidents per week';
export const weeklyChartTitle = (timeZone: string) => `Incidents declared per week (weeks from Monday, ${timeZone})`;
/** Where the chart would be linked when the report goes to the terminal: no file is written unasked. */
export const WEEKLY_CHART_SKIPPED = '_The chart (an SVG file) is written only with `--out FILE`, beside the report._';
export const WEEK_COLUMNS = ['Week of', 'Incidents'] as const;

export const INCIDENTS_HEADING = '## Incidents';
export const INCIDENTS_NOTE = 'TTA: time to acknowledge. TTR: time to resolve, from the impact start when one was given, else from the declaration. Longest silence: the longest stretch without a status update while open (from the declaration, to the resolve or now).';
export const INCIDENT_COLUMNS = ['#', 'Title', 'Type', 'Severity (highest → final)', 'Declared', 'Impact started', 'Resolved', 'TTA', 'TTR', 'Updates', 'Longest silence', 'Actions open / done'] as const;

/** The CSV's header: short names a spreadsheet formula can use; durations in minutes. */
export const CSV_COLUMNS = [
  'number', 'title', 'type', 'severity_highest', 'severity_final', 'declared', 'impact_started', 'resolved',
  'tta_minutes', 'ttr_minutes', 'updates', 'longest_silence_minutes', 'actions_open', 'actions_done',
] as const;

export const badSince = (given: string) => `--since ${given} is not a window: give a number of days or weeks, such as 90d or 12w (at most 3650 days).`;
export const badFormat = (given: string) => `--format ${given} is not a format: give md (Markdown, the default) or csv.`;
export const MISSING_SINCE = `--since is required. ${REPORT_USAGE}`;
export const EMPTY_OUT = '--out needs a file name, such as --out report.md.';

export const wroteReport = (path: string, count: number, chart: string | null) =>
  `Wrote the report of ${count} incident${count === 1 ? '' : 's'} to ${path}${chart ? ` and its chart to ${chart}` : ''}`;

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { incidentsPerWeek, reportRow, reportWindowStart, totalsBySeverity, totalsByType, type ReportSource } from '../../src/domain/report.js';
import { isoMinuteInZone } from '../../src/domain/time.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { chartPathFor, reportArguments } from '../../src/cli/reportArguments.js';
import { ArgumentError } from '../../src/cli/cliSupport.js';
import { csvField, csvReport, markdownReport, type ReportContent } from '../../src/render/report.js';
import { weeklyChartSvg } from '../../src/render/weeklyChart.js';
import { weeklyChartTitle } from '../../src/messages/report.js';
import { sampleIncident } from '../support/sampleIncident.js';

const golden = (name: string) => fileURLToPath(new URL(`../golden/${name}`, import.meta.url));
/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it. */
function expectGolden(name: string, text: string): void {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(name), text);
  expect(text).toBe(readFileSync(golden(name), 'utf8'));
}

const NOW = new Date('2026-11-26T14:00:00Z');
const at = (iso: string) => new Date(iso);
const minutesAfter = (from: Date, minutes: number) => new Date(from.getTime() + minutes * 60_000);
const update = (when: Date, source?: 'draft' | 'automatic'): TimelineEntry => ({ at: when, actorId: 'UBOB', kind: 'status_update', text: 'Update', ...(source ? { data: { source } } : {}) });
const note = (when: Date): TimelineEntry => ({ at: when, actorId: 'UBOB', kind: 'note', text: 'A note' });
const actions = (open: number, done: number) => ({ open, done });

/** A fixed quarter of incidents: raised and lowered, typed and not, with and without an impact start, one still open. */
function fixedIncidents(): ReportSource[] {
  const d1 = at('2026-09-03T01:00:00Z');
  const d2 = at('2026-10-14T08:30:00Z');
  const d3 = at('2026-10-15T22:10:00Z');
  const d4 = at('2026-11-20T13:00:00Z');
  const d5 = at('2026-11-26T12:00:00Z');
  return [
    {
      incident: { ...sampleIncident({ id: 3, title: 'Checkout failing: payments | DB <pool> exhausted', severity: 'SEV2', highestSeverity: 'SEV1', declaredAt: d1, acknowledgedAt: minutesAfter(d1, 4), status: 'resolved', resolvedAt: minutesAfter(d1, 107) }), type: 'Payments', impactStartedAt: minutesAfter(d1, -12) },
      timeline: [note(minutesAfter(d1, 2)), update(minutesAfter(d1, 10)), update(minutesAfter(d1, 40), 'draft'), update(minutesAfter(d1, 100), 'automatic')],
      actionItems: actions(1, 2),
    },
    {
      incident: { ...sampleIncident({ id: 7, title: '=HYPERLINK("http://evil.example","click"), quoted', severity: 'SEV3', highestSeverity: 'SEV3', declaredAt: d2, acknowledgedAt: minutesAfter(d2, 30), status: 'resolved', resolvedAt: minutesAfter(d2, 240) }) },
      timeline: [],
      actionItems: actions(0, 0),
    },
    {
      incident: { ...sampleIncident({ id: 8, title: 'Search slow for EU customers', severity: 'SEV2', highestSeverity: 'SEV2', declaredAt: d3, acknowledgedAt: minutesAfter(d3, 2), status: 'resolved', resolvedAt: minutesAfter(d3, 45) }), type: 'Infrastructure', impactStartedAt: null },
      timeline: [update(minutesAfter(d3, 15)), update(minutesAfter(d3, 30))],
      actionItems: actions(0, 1),
    },
    {
      incident: { ...sampleIncident({ id: 11, title: 'Card payments declined at one acquirer', severity: 'SEV2', highestSeverity: 'SEV2', declaredAt: d4, acknowledgedAt: minutesAfter(d4, 6), status: 'resolved', resolvedAt: minutesAfter(d4, 75) }), type: 'Payments', impactStartedAt: minutesAfter(d4, -20) },
      timeline: [update(minutesAfter(d4, 20)), update(minutesAfter(d4, 60))],
      actionItems: actions(2, 0),
    },
    {
      incident: { ...sampleIncident({ id: 12, title: 'Login errors <script>alert(1)</script>', severity: 'SEV1', highestSeverity: 'SEV1', declaredAt: d5, acknowledgedAt: null, status: 'investigating', resolvedAt: null }), type: 'Security & <Access>' },
      timeline: [update(minutesAfter(d5, 25))],
      actionItems: actions(1, 0),
    },
  ];
}

function content(timeZone: string): ReportContent {
  const since = reportWindowStart('90d', NOW)!;
  const rows = fixedIncidents().map((source) => reportRow(source, NOW));
  return { window: '90d', since, now: NOW, timeZone, rows, bySeverity: totalsBySeverity(rows), byType: totalsByType(rows), weeks: incidentsPerWeek(rows, since, NOW, timeZone) };
}

describe('the report\'s figures of one incident', () => {
  const [payments, , , , open] = fixedIncidents();

  it('counts time to acknowledge from the declaration and time to resolve from the impact start', () => {
    const row = reportRow(payments!, NOW);
    expect(row.timeToAcknowledgeMs).toBe(4 * 60_000);
    expect(row.timeToResolveMs).toBe((107 + 12) * 60_000);
    expect(row.impactStartedAt).toEqual(at('2026-09-03T00:48:00Z'));
  });

  it('counts time to resolve from the declaration when no impact start is known', () => {
    const { incident } = payments!;
    expect(reportRow({ ...payments!, incident: { ...incident, impactStartedAt: null } }, NOW).timeToResolveMs).toBe(107 * 60_000);
  });

  it('counts every status update, the bot\'s too, and nothing else', () => {
    expect(reportRow(payments!, NOW).updateCount).toBe(3);
  });

  it('takes the longest silence between the declaration, each update and the resolve', () => {
    // Updates at +10, +40, +100, resolved at +107: the longest stretch is +40 → +100.
    expect(reportRow(payments!, NOW).longestSilenceMs).toBe(60 * 60_000);
    // No update at all: the whole incident was silent.
    expect(reportRow(fixedIncidents()[1]!, NOW).longestSilenceMs).toBe(240 * 60_000);
  });

  it('ends the silence of an incident still open at now, and leaves its time to resolve empty', () => {
    // Declared 12:00, one update at 12:25, now 14:00: silent for 95 minutes and counting.
    const row = reportRow(open!, NOW);
    expect(row.longestSilenceMs).toBe(95 * 60_000);
    expect(row.timeToResolveMs).toBeNull();
    expect(row.timeToAcknowledgeMs).toBeNull();
  });

  it('splits action items into open and done, and reports highest and final severity apart', () => {
    expect(reportRow(payments!, NOW)).toMatchObject({ actionsOpen: 1, actionsDone: 2, highestSeverity: 'SEV1', finalSeverity: 'SEV2', type: 'Payments' });
  });

  it('reads an incident without a type as having none', () => {
    expect(reportRow(fixedIncidents()[1]!, NOW)).toMatchObject({ type: null, impactStartedAt: null });
  });
});

describe('the report\'s totals', () => {
  it('groups by highest severity in the catalogue\'s order, with medians of the incidents that have the figure', () => {
    const { bySeverity } = content('UTC');
    expect(bySeverity.map((total) => [total.key, total.count])).toEqual([['SEV1', 2], ['SEV2', 2], ['SEV3', 1]]);
    // SEV1: #3 (acknowledged after 4 min, resolved 119 min after impact) and #12 (neither yet).
    expect(bySeverity[0]).toMatchObject({ medianTimeToAcknowledgeMs: 4 * 60_000, medianTimeToResolveMs: 119 * 60_000 });
    // SEV2: #8 (2 min, 45 min) and #11 (6 min, 95 min).
    expect(bySeverity[1]).toMatchObject({ medianTimeToAcknowledgeMs: 4 * 60_000, medianTimeToResolveMs: 70 * 60_000 });
  });

  it('groups by type alphabetically, the incidents without one last', () => {
    expect(content('UTC').byType.map((total) => [total.key, total.count])).toEqual([['Infrastructure', 1], ['Payments', 2], ['Security & <Access>', 1], [null, 1]]);
  });

  it('counts incidents per week from Monday in the report\'s zone, empty weeks included', () => {
    const rows = [reportRow(fixedIncidents()[2]!, NOW)];
    // Declared Thursday 2026-10-15 22:10 UTC: already Friday in Tokyo, still Thursday in UTC; both in the week of Monday 10-12.
    const since = at('2026-10-05T00:00:00Z');
    expect(incidentsPerWeek(rows, since, at('2026-10-20T00:00:00Z'), 'UTC')).toEqual([{ weekOf: '2026-10-05', count: 0 }, { weekOf: '2026-10-12', count: 1 }, { weekOf: '2026-10-19', count: 0 }]);
    // Sunday 2026-10-18 23:30 UTC is Monday 10-19 in Tokyo: a different week.
    const lateSunday = { ...rows[0]!, declaredAt: at('2026-10-18T23:30:00Z') };
    expect(incidentsPerWeek([lateSunday], since, at('2026-10-20T00:00:00Z'), 'UTC').find((week) => week.count)).toEqual({ weekOf: '2026-10-12', count: 1 });
    expect(incidentsPerWeek([lateSunday], since, at('2026-10-20T00:00:00Z'), 'Asia/Tokyo').find((week) => week.count)).toEqual({ weekOf: '2026-10-19', count: 1 });
  });
});

describe('the report\'s window', () => {
  it('reads days and weeks back from now', () => {
    expect(reportWindowStart('90d', NOW)).toEqual(at('2026-08-28T14:00:00Z'));
    expect(reportWindowStart('2W', NOW)).toEqual(at('2026-11-12T14:00:00Z'));
  });

  it('refuses anything else, nothing and more than ten years', () => {
    for (const text of ['', '90', 'd', '0d', '-5d', '1.5d', '3m', '3651d', '90 days', '2026-09-01']) expect(reportWindowStart(text, NOW), text).toBeUndefined();
  });
});

describe('npm run report\'s arguments', () => {
  const refused = (args: string[]) => {
    try {
      reportArguments(args, NOW);
    } catch (error) {
      expect(error).toBeInstanceOf(ArgumentError);
      return (error as Error).message;
    }
    throw new Error(`${args.join(' ')} was accepted`);
  };

  it('reads the window, the format and the file', () => {
    expect(reportArguments(['--since', '90d'], NOW)).toEqual({ help: false, window: '90d', since: at('2026-08-28T14:00:00Z'), format: 'md', out: null });
    expect(reportArguments(['--since=12w', '--format', 'csv', '--out', 'out/r.csv'], NOW)).toMatchObject({ window: '12w', format: 'csv', out: 'out/r.csv' });
    expect(reportArguments(['-h'], NOW)).toEqual({ help: true });
  });

  it('says in one line what is wrong', () => {
    expect(refused([])).toBe('--since is required. Usage: npm run report -- --since <90d | 12w> [--format md|csv] [--out FILE]');
    expect(refused(['--since', 'yesterday'])).toBe('--since yesterday is not a window: give a number of days or weeks, such as 90d or 12w (at most 3650 days).');
    expect(refused(['--since', '90d', '--format', 'xlsx'])).toBe('--format xlsx is not a format: give md (Markdown, the default) or csv.');
    expect(refused(['--since', '90d', '--out', ' '])).toBe('--out needs a file name, such as --out report.md.');
    expect(refused(['--since', '90d', '--sinse', '3d'])).toMatch(/^Unknown option '--sinse'.*Usage: npm run report/);
    expect(refused(['--since', '90d', 'extra'])).toMatch(/Unexpected argument 'extra'.*Usage: npm run report/);
    for (const args of [[], ['--since', 'yesterday'], ['--since']]) expect(refused(args)).not.toContain('\n');
  });

  it('puts the chart beside the report', () => {
    expect(chartPathFor('report.md')).toBe('report-weekly.svg');
    expect(chartPathFor('out/q3 report.md')).toBe('out/q3 report-weekly.svg');
    expect(chartPathFor('out/report')).toBe('out/report-weekly.svg');
  });
});

describe('the report as files', () => {
  it('writes Markdown with totals, weeks and one row per incident (golden file; UPDATE_GOLDEN=1 rewrites it)', () => {
    expectGolden('report.md', markdownReport(content('Europe/Berlin'), 'report-weekly.svg'));
  });

  it('writes CSV per RFC 4180, with spreadsheet formulas made text (golden file)', () => {
    expectGolden('report.csv', csvReport(content('Europe/Berlin')));
  });

  it('draws incidents per week as SVG (golden file)', () => {
    expectGolden('report-weekly.svg', weeklyChartSvg(content('Europe/Berlin').weeks, weeklyChartTitle('Europe/Berlin')));
  });

  it('keeps every incident one table row, whatever its title, and no HTML through', () => {
    const markdown = markdownReport(content('UTC'), null);
    const rows = markdown.slice(markdown.indexOf('## Incidents\n')).split('\n').filter((line) => /^\| \d/.test(line));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(14); // 12 cells between 13 pipes
    expect(markdown).not.toMatch(/(?<!\\)<(script|pool|Access)/);
    expect(markdown).toContain('_The chart (an SVG file) is written only with `--out FILE`, beside the report._');
  });

  it('escapes every text in the SVG', () => {
    const svg = weeklyChartSvg([{ weekOf: '2026-11-23', count: 2 }], 'A <b>"title"</b> & more');
    expect(svg).toContain('A &#60;b&#62;&#34;title&#34;&#60;/b&#62; &#38; more');
    expect(svg).not.toContain('<b>');
  });

  it('quotes commas, quotes and line breaks, and turns a would-be formula into text', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    const csv = csvReport(content('UTC'));
    expect(csv.split('\r\n')).toHaveLength(7); // header, 5 records, and the empty string after the last CRLF
    expect(csv).toContain(`7,"'=HYPERLINK(""http://evil.example"",""click""), quoted",`);
    // As Slack stores a typed title: its entities and mentions become plain text.
    const typed = reportRow({ incident: sampleIncident({ title: 'DB &lt;pool&gt; &amp; <@U123|bob>' }), timeline: [], actionItems: actions(0, 0) }, NOW);
    expect(csvReport({ rows: [typed], timeZone: 'UTC' }).split('\r\n')[1]).toMatch(/^1,DB <pool> & @bob,/);
  });

  it('writes times in the configured zone with its offset, UTC when that is the zone', () => {
    expect(isoMinuteInZone(at('2026-11-26T14:05:00Z'), 'Europe/Berlin')).toBe('2026-11-26T15:05+01:00');
    expect(isoMinuteInZone(at('2026-07-01T14:05:00Z'), 'Europe/Berlin')).toBe('2026-07-01T16:05+02:00');
    expect(isoMinuteInZone(at('2026-11-26T14:05:00Z'), 'UTC')).toBe('2026-11-26T14:05+00:00');
    expect(isoMinuteInZone(at('2026-11-26T14:05:00Z'), 'America/St_Johns')).toBe('2026-11-26T10:35-03:30');
  });

  it('says there were none when the window is empty', () => {
    const empty = { ...content('UTC'), rows: [], bySeverity: [], byType: [] };
    expect(markdownReport(empty, 'report-weekly.svg')).toBe([
      '# Incident report: the last 90d',
      '',
      'Incidents declared from 2026-08-28T14:00+00:00 to 2026-11-26T14:00+00:00; drills are left out. Times are in UTC (INCIDENT_TIMEZONE), ISO 8601 with their offset from UTC.',
      '',
      'No incidents were declared in this period.',
      '',
    ].join('\n'));
    expect(csvReport(empty)).toBe('number,title,type,severity_highest,severity_final,declared,impact_started,resolved,tta_minutes,ttr_minutes,updates,longest_silence_minutes,actions_open,actions_done\r\n');
  });
});

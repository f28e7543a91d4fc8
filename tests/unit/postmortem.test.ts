import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { impactHistory, keyFigures } from '../../src/domain/postmortem.js';
import { SEVERITIES } from '../../src/domain/severity.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { renderPostmortem, type PostmortemSource } from '../../src/render/postmortem.js';
import { slackToMarkdown, slackToMarkdownCell } from '../../src/render/slackMarkup.js';
import { loadTemplates } from '../../src/render/templates.js';
import { minutesAfterDeclaration as at, sampleIncident } from '../support/sampleIncident.js';

const GOLDEN = fileURLToPath(new URL('../golden/postmortem.md', import.meta.url));
const PEOPLE: Record<string, string> = { UALICE: 'alice', UBOB: 'bob', UCAROL: 'carol', UDAVE: 'dave' };
const names = { user: (id: string) => PEOPLE[id] ?? id };
const templates = loadTemplates();

const entry = (minutes: number, actorId: string | null, kind: string, text: string, data?: Record<string, unknown>): TimelineEntry => ({ at: at(minutes), actorId, kind, text, ...(data ? { data } : {}) });

/** A realistic SEV1, 02:00 to 03:47 UTC, with everything the timeline can hold and some hostile text. */
function realisticIncident(): PostmortemSource {
  const incident = sampleIncident({
    title: 'Checkout failing: payments | DB <pool> exhausted',
    severity: 'SEV2',
    highestSeverity: 'SEV1',
    status: 'resolved',
    impact: 'About 30% of checkouts fail with HTTP 500 in the EU. Seen by <@UCAROL> on <https://grafana.example.com/d/pay|the payments dashboard>.',
    commanderId: 'UBOB',
    commsId: 'UCAROL',
    declaredBy: 'UALICE',
    channelId: 'C0INCIDENT',
    channelName: 'incident-2026-11-24-checkout-failing-payments-db-pool-exhausted',
    acknowledgedAt: at(4),
    acknowledgedBy: 'UBOB',
    lastUpdateAt: at(95),
    resolvedAt: at(107),
    resolutionSummary: 'Rolled back release 2026.11.24-1 and raised the pool size to 50.',
    rootCause: 'Release 2026.11.24-1 leaked a connection per failed payment retry.\n```\nrm -rf /\n``` {{constructor}}',
  });
  const timeline = [
    entry(0, 'UALICE', 'declared', 'Declared SEV2 "Checkout failing" with <@UBOB> as incident commander', { impact: 'About 30% of checkouts fail with HTTP 500 in the EU. Seen by <@UCAROL> on <https://grafana.example.com/d/pay|the payments dashboard>.' }),
    entry(4, 'UBOB', 'acknowledged', 'Acknowledged 4 min after declaration'),
    entry(6, 'UBOB', 'status_update', 'Investigating: Errors from the payments service', { impact: '30% of EU checkouts', nextSteps: 'Check recent deploys' }),
    entry(9, 'UCAROL', 'note', 'Customer support has 40 tickets | rising\nsecond line <script>alert(1)</script>'),
    entry(12, 'UBOB', 'severity_changed', 'Severity raised from SEV2 to SEV1'),
    entry(14, 'UBOB', 'role_assigned', '<@UCAROL> is now communications lead'),
    entry(21, 'UDAVE', 'pinned_message', 'Pool at 100/100 since the 01:55 deploy, see <https://grafana.example.com/d/db|db dashboard> {{#each this}}x{{/each}}', { pinnedBy: 'UBOB', permalink: 'https://acme.slack.com/archives/C0INCIDENT/p1795573260000100' }),
    entry(30, null, 'escalated', 'Escalated to Team lead: not resolved after 30 min'),
    entry(31, 'UBOB', 'status_update', 'Identified: Connection leak in release 2026.11.24-1', { impact: '', nextSteps: 'Roll back' }),
    entry(40, 'UBOB', 'action_added', 'Action item #1: Add a pool saturation alert (owner <@UDAVE>, due 2026-12-01)'),
    entry(95, 'UBOB', 'status_update', 'Monitoring: Rolled back; error rate back to 0.1%', { impact: 'None now', nextSteps: '' }),
    entry(100, 'UBOB', 'severity_changed', 'Severity lowered from SEV1 to SEV2'),
    entry(107, 'UBOB', 'resolved', 'Resolved after 1 h 47 min: Rolled back release 2026.11.24-1 and raised the pool size to 50.'),
  ];
  return {
    incident,
    // Stored order is not time order: a pinned message is recorded at the time it was written.
    timeline: [timeline[0]!, timeline[1]!, timeline[2]!, timeline[3]!, timeline[4]!, timeline[5]!, timeline[7]!, timeline[6]!, ...timeline.slice(8)],
    actionItems: [
      { id: 1, text: 'Add a pool saturation alert', ownerId: 'UDAVE', dueOn: '2026-12-01', status: 'open' },
      { id: 2, text: 'Retry payments with backoff | not in a loop', ownerId: null, dueOn: null, status: 'done' },
    ],
    participantIds: ['UALICE', 'UBOB', 'UCAROL', 'UDAVE'],
  };
}

describe('the post-mortem draft', () => {
  it('renders the runbooks\' sections for a realistic incident (golden file; UPDATE_GOLDEN=1 rewrites it)', () => {
    const markdown = renderPostmortem(templates, realisticIncident(), { timeZone: 'Europe/Berlin', severities: SEVERITIES, names, now: at(200) });
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, markdown);
    expect(markdown).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('keeps every timeline row one table row, whatever was typed', () => {
    const markdown = renderPostmortem(templates, realisticIncident(), { timeZone: 'UTC', severities: SEVERITIES, names, now: at(200) });
    const timeline = markdown.slice(markdown.indexOf('## Timeline'), markdown.indexOf('## Root Cause'));
    const rows = timeline.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Time'));
    expect(rows).toHaveLength(13);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(5); // 3 cells between 4 pipes
    expect(markdown).not.toMatch(/(?<!\\)<(script|@U|https?:)|^```/m);
    expect(markdown).toContain('{{constructor}}'); // printed, never run
  });

  it('renders a 10,000-entry timeline in order', () => {
    const source = realisticIncident();
    const timeline = Array.from({ length: 10_000 }, (_, index) => entry(index / 100, 'UCAROL', index % 10 === 0 ? 'status_update' : 'note', `entry ${index} with <@UDAVE>`));
    const markdown = renderPostmortem(templates, { ...source, timeline }, { timeZone: 'Europe/Berlin', severities: SEVERITIES, names, now: at(200) });
    const rows = markdown.split('\n').filter((line) => /^\| \d\d:\d\d \| @carol \|/.test(line));
    expect(rows).toHaveLength(10_000);
    expect(rows[9_999]).toContain('entry 9999 with @dave');
  });

  it('tells the two 02:30s apart with their offset in the hour the clocks go back, and only there', () => {
    // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00–02:59 happens twice.
    const base = new Date('2026-10-24T23:45:00Z'); // 01:45 CEST
    const minutes = (count: number) => new Date(base.getTime() + count * 60_000);
    const incident = sampleIncident({ declaredAt: base, channelName: 'incident-2026-10-25-clock-change' });
    const timeline: TimelineEntry[] = [
      { at: minutes(0), actorId: 'UALICE', kind: 'declared', text: 'opened at quarter to two' },
      { at: minutes(45), actorId: 'UBOB', kind: 'note', text: 'first half past two' },
      { at: minutes(105), actorId: 'UBOB', kind: 'note', text: 'second half past two' },
      { at: minutes(165), actorId: 'UBOB', kind: 'note', text: 'after the change' },
    ];
    const markdown = renderPostmortem(templates, { incident, timeline, actionItems: [], participantIds: [] }, { timeZone: 'Europe/Berlin', severities: SEVERITIES, names, now: minutes(200) });
    const row = (text: string) => markdown.split('\n').find((line) => line.startsWith('| ') && line.includes(text))?.split(' | ')[0];
    expect(row('opened at quarter to two')).toBe('| 01:45');
    expect(row('first half past two')).toBe('| 02:30 (UTC+02:00)');
    expect(row('second half past two')).toBe('| 02:30 (UTC+01:00)');
    expect(row('after the change')).toBe('| 03:30');
  });
});

describe('key figures', () => {
  it('time to acknowledge, to first update and to resolve; the number of updates and the longest gap', () => {
    const { incident, timeline } = realisticIncident();
    expect(keyFigures(incident, timeline, at(500))).toEqual({
      timeToAcknowledgeMs: 4 * 60_000,
      timeToFirstUpdateMs: 6 * 60_000,
      timeToResolveMs: 107 * 60_000,
      updateCount: 3,
      updatesBySource: { person: 3, draft: 0, automatic: 0 },
      longestGap: { ms: 64 * 60_000, from: at(31), to: at(95) },
      longestGapWithoutPerson: { ms: 64 * 60_000, from: at(31), to: at(95) },
    });
  });

  it('while open, the gap since the last update runs until now; nothing is made up that did not happen', () => {
    const incident = sampleIncident();
    expect(keyFigures(incident, [], at(45))).toEqual({
      timeToAcknowledgeMs: null,
      timeToFirstUpdateMs: null,
      timeToResolveMs: null,
      updateCount: 0,
      updatesBySource: { person: 0, draft: 0, automatic: 0 },
      longestGap: { ms: 45 * 60_000, from: at(0), to: at(45) },
      longestGapWithoutPerson: { ms: 45 * 60_000, from: at(0), to: at(45) },
    });
  });
});

describe('Slack markup in the post-mortem', () => {
  it.each([
    ['<@UDAVE> saw it', '@dave saw it'],
    ['<@UNKNOWN|ghost> too', '@UNKNOWN too'],
    ['see <#C123|ops-alerts>', 'see #ops-alerts'],
    ['<https://example.com/a_(b)|the graph>', '[the graph](https://example.com/a_%28b%29)'],
    ['<https://example.com>', '<https://example.com>'],
    ['<javascript:alert(1)|click>', '\\<javascript:alert(1)|click>'],
    ['<!here> and <!subteam^S1|@oncall>', '@here and @oncall'],
    ['a &lt;b&gt; &amp; c', 'a \\<b> & c'],
    ['[x](y) label', '[x](y) label'],
    ['```code```', '\\`\\`\\`code\\`\\`\\`'],
    ['typed in a form: <script>alert(1)</script> and a <pool>', 'typed in a form: \\<script>alert(1)\\</script> and a \\<pool>'],
  ])('%j reads as %j', (slack, markdown) => {
    expect(slackToMarkdown(slack, names)).toBe(markdown);
  });

  it('a table cell stays one cell on one line', () => {
    expect(slackToMarkdownCell(' a | b\nc ', names)).toBe('a \\| b<br>c');
  });
});

describe('the impact in the post-mortem', () => {
  const declaredAt = new Date('2026-11-24T02:00:00Z');
  const at = (minutes: number) => new Date(declaredAt.getTime() + minutes * 60_000);
  const incident = sampleIncident({ impact: 'None', declaredAt });
  const update = (minutes: number, impact: string) => ({ at: at(minutes), actorId: 'UBOB', kind: 'status_update', text: 'Identified: x', data: { impact } });

  it('lists the impact as declared and each change to it, skipping updates that repeat or leave it empty', () => {
    const timeline = [
      { at: at(0), actorId: 'UALICE', kind: 'declared', text: 'Declared', data: { impact: '40% of checkouts fail' } },
      update(10, '40% of checkouts fail'),
      update(20, ''),
      update(31, 'None'),
    ];
    expect(impactHistory(incident, timeline)).toEqual([
      { at: at(0), impact: '40% of checkouts fail' },
      { at: at(31), impact: 'None' },
    ]);
  });

  it('falls back to the current impact for an incident whose declaration did not carry it', () => {
    expect(impactHistory(incident, [{ at: at(0), actorId: 'UALICE', kind: 'declared', text: 'Declared' }])).toEqual([{ at: at(0), impact: 'None' }]);
  });
});

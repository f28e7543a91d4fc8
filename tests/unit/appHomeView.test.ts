import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { severityStatistics } from '../../src/domain/insights.js';
import { validateHomeView } from '../../src/sandbox/blockKitRules.js';
import { appHomeView, HOME_BLOCK_LIMIT, HOME_OPEN_SHOWN, type HomeContent } from '../../src/slack/views/appHome.js';
import { sampleIncident } from '../support/sampleIncident.js';

const now = new Date('2026-11-26T12:00:00Z');
const content = (overrides: Partial<HomeContent>): HomeContent => ({
  userId: 'UCAROL',
  open: [],
  recentlyResolved: [],
  statistics: [severityStatistics([], now, 30), severityStatistics([], now, 90)],
  canSee: () => false,
  now,
  nowText: '2026-11-26 12:00 UTC',
  ...overrides,
});
/** Each block's words: a section's or header's text, a context line's elements. */
const texts = (view: ReturnType<typeof appHomeView>) => view.blocks.map((block) => JSON.stringify('text' in block ? block.text : 'elements' in block ? block.elements : ''));

describe('the Home tab view', () => {
  it('lists the open incidents where the viewer holds a role first, saying which role', () => {
    const open = [
      sampleIncident({ id: 3, title: 'Newest, not theirs' }),
      sampleIncident({ id: 2, title: 'Theirs as scribe', scribeId: 'UCAROL' }),
      sampleIncident({ id: 1, title: 'Oldest, theirs as commander', commanderId: 'UCAROL' }),
    ];
    const lines = texts(appHomeView(content({ open }))).filter((text) => text.includes('(#'));
    expect(lines.map((line) => /\(#(\d+)\)/.exec(line)![1])).toEqual(['2', '1', '3']);
    expect(lines[0]).toContain('you are scribe');
    expect(lines[1]).toContain('you are incident commander');
    expect(lines[2]).not.toContain('you are');
  });

  it('keeps private incidents the viewer is not part of out, and counts them', () => {
    const open = [sampleIncident({ id: 1, title: 'Secret breach', isPrivate: true }), sampleIncident({ id: 2, title: 'Visible private', isPrivate: true })];
    const all = texts(appHomeView(content({ open, canSee: (incident: Incident) => incident.id === 2 }))).join('\n');
    expect(all).not.toContain('Secret breach');
    expect(all).toContain('Visible private');
    expect(all).toContain('Plus 1 private incident you are not part of');
  });

  it('stays within 100 blocks with hundreds open, saying how many more there are', () => {
    const open = Array.from({ length: 500 }, (_, index) => sampleIncident({ id: index + 1, title: `Incident ${index + 1} ${'x'.repeat(200)}` }));
    const recentlyResolved = Array.from({ length: 10 }, (_, index) => sampleIncident({ id: 1000 + index, status: 'resolved', resolvedAt: now }));
    const view = appHomeView(content({ open, recentlyResolved }));
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
    expect(validateHomeView(view)).toEqual([]);
    expect(texts(view).join('\n')).toContain(`and ${500 - HOME_OPEN_SHOWN} more`);
  });

  it('shows each severity per window, with its count and medians', () => {
    const resolved = sampleIncident({ severity: 'SEV1', declaredAt: new Date('2026-11-26T10:00:00Z'), acknowledgedAt: new Date('2026-11-26T10:05:00Z'), resolvedAt: new Date('2026-11-26T11:00:00Z'), status: 'resolved' });
    const view = appHomeView(content({ statistics: [severityStatistics([resolved], now, 30), severityStatistics([resolved], now, 90)] }));
    const all = texts(view).join('\n');
    expect(all).toContain('*Last 30 days*');
    expect(all).toContain('*Last 90 days*');
    expect(all).toContain('*SEV1*: 1 incident · median time to acknowledge 5 min · median time to resolve 1 h');
    expect(all).toContain('*SEV2*: none');
    expect(validateHomeView(view)).toEqual([]);
  });
});

describe('the Home view rules catch what views.publish rejects', () => {
  it('rejects a modal, and 101 blocks', () => {
    expect(validateHomeView({ type: 'modal', blocks: [] }).join('\n')).toMatch(/must be "home"/);
    expect(validateHomeView({ type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }).join('\n')).toMatch(/at most 100 blocks/);
  });
});

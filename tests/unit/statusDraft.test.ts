import { describe, expect, it } from 'vitest';
import { DRAFT_TEXT_LIMIT, draftStatusUpdate, type UpdateSource } from '../../src/domain/statusDraft.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';
import { declaredAt, minutesAfterDeclaration as at, sampleIncident } from '../support/sampleIncident.js';

type Entry = TimelineEntry & { id: number };

/** A timeline as the store returns it: ids in the order entries were recorded. */
function timeline(...entries: Omit<Entry, 'id'>[]): Entry[] {
  return entries.map((entry, index) => ({ id: index + 1, ...entry }));
}

const declared = (): Omit<Entry, 'id'> => ({ at: declaredAt, actorId: 'UALICE', kind: 'declared', text: 'Declared SEV2: Database connection failure' });
const note = (minutes: number, text: string, actorId: string | null = 'UCAROL'): Omit<Entry, 'id'> => ({ at: at(minutes), actorId, kind: 'note', text });
const update = (minutes: number, nextSteps: string, source?: UpdateSource, extra: Record<string, unknown> = {}): Omit<Entry, 'id'> => ({
  at: at(minutes),
  actorId: source === 'automatic' ? null : 'UBOB',
  kind: 'status_update',
  text: 'Identified: found it',
  data: { from: 'investigating', to: 'identified', whatChanged: 'found it', impact: '', nextSteps, acknowledges: false, ...(source ? { source } : {}), ...extra },
});

/** The news lines of a draft, without the "Since …:" line. */
const newsLines = (whatChanged: string) => whatChanged.split('\n').slice(1);

describe('the drafted status update', () => {
  it('lists what was recorded after the last update, by the order recorded: a message pinned now but written earlier is news', () => {
    const incident = sampleIncident({ status: 'identified', lastUpdateAt: at(10) });
    const draft = draftStatusUpdate(
      incident,
      timeline(
        declared(),
        note(5, 'Looking at the pool'),
        update(10, ''),
        { at: at(3), actorId: 'UDAVE', kind: 'pinned_message', text: 'pool size is 10', messageTs: '1.000003' },
        note(12, 'Rollback started'),
      ),
      at(30),
      'UTC',
    );
    expect(draft.whatChanged).toBe(['Since the last update (02:10):', '• 02:03 :pushpin: <@UDAVE>: pool size is 10', '• 02:12 Note from <@UCAROL>: Rollback started'].join('\n'));
  });

  it('reads the timeline in recorded order whatever order it is given in', () => {
    const entries = timeline(declared(), update(10, ''), note(12, 'First'), note(11, 'Second'));
    const draft = draftStatusUpdate(sampleIncident({ lastUpdateAt: at(10) }), [...entries].reverse(), at(30), 'UTC');
    expect(newsLines(draft.whatChanged)).toEqual(['• 02:12 Note from <@UCAROL>: First', '• 02:11 Note from <@UCAROL>: Second']);
  });

  it.each<[string, Omit<Entry, 'id'>, string]>([
    ['a note', note(5, 'Rollback started <@UBOB>'), 'Note from <@UCAROL>: Rollback started <@UBOB>'],
    ['a note the bot recorded', note(5, 'Restarted after a crash', null), 'Note: Restarted after a crash'],
    [
      'a pinned message, as typed (Slack sends & < > as entities)',
      { at: at(5), actorId: 'UCAROL', kind: 'pinned_message', text: 'error rate &lt;5% &amp; falling, p99 &gt; 2s, typed &amp;lt; literally' },
      ':pushpin: <@UCAROL>: error rate <5% & falling, p99 > 2s, typed &lt; literally',
    ],
    ['a severity change', { at: at(5), actorId: 'UBOB', kind: 'severity_changed', text: 'Severity raised from SEV2 to SEV1', data: { from: 'SEV2', to: 'SEV1' } }, 'Severity raised from SEV2 to SEV1'],
    ['a role handed over', { at: at(5), actorId: 'UBOB', kind: 'role_assigned', text: 'Communications lead handed from <@UDAVE> to <@UCAROL>' }, 'Communications lead handed from <@UDAVE> to <@UCAROL>'],
    [
      'an action item with an owner',
      { at: at(5), actorId: 'UBOB', kind: 'action_added', text: 'Action item: Alert on pool saturation', data: { actionId: 1, ownerId: 'UCAROL', dueOn: null } },
      'New action item: Alert on pool saturation (owner <@UCAROL>)',
    ],
    ['an action item without one', { at: at(5), actorId: 'UBOB', kind: 'action_added', text: 'Action item: Write the runbook', data: { actionId: 2, ownerId: null, dueOn: null } }, 'New action item: Write the runbook'],
    ['an action item done', { at: at(5), actorId: 'UCAROL', kind: 'action_done', text: 'Action done: Roll back deploy 4521', data: { actionId: 1 } }, 'Action done: Roll back deploy 4521'],
    ['the acknowledgement', { at: at(5), actorId: 'UBOB', kind: 'acknowledged', text: 'Acknowledged 5 min after declaration', data: { afterMs: 300_000 } }, 'Acknowledged 5 min after declaration by <@UBOB>'],
    ['a reopen', { at: at(5), actorId: 'UBOB', kind: 'reopened', text: 'Reopened: errors are back' }, 'Reopened: errors are back'],
    ['a note written over several lines, on one', note(5, 'Rolled back.\n\n  Watching the error rate  '), 'Note from <@UCAROL>: Rolled back. Watching the error rate'],
  ])('lists %s', (_what, entry, reads) => {
    const draft = draftStatusUpdate(sampleIncident(), timeline(declared(), entry), at(30), 'UTC');
    expect(draft.whatChanged).toBe(`Since the incident was declared (02:00):\n• 02:05 ${reads}`);
  });

  it('leaves out what is not news for stakeholders: the declaration, escalations, the review, updates themselves', () => {
    const incident = sampleIncident({ lastUpdateAt: at(10) });
    const draft = draftStatusUpdate(
      incident,
      timeline(
        declared(),
        { at: at(5), actorId: null, kind: 'escalated', text: 'Escalated to Team lead: not acknowledged after 5 min' },
        update(10, ''),
        { at: at(15), actorId: 'UBOB', kind: 'review_done', text: 'Post-mortem review marked as held' },
        { at: at(16), actorId: null, kind: 'escalated', text: 'Escalated to CTO: not resolved after 16 min' },
      ),
      at(30),
      'UTC',
    );
    expect(draft.whatChanged).toBe('Nothing new on the timeline since the last update (02:10).');
  });

  it('says nothing is new since the declaration when there has been no update', () => {
    const draft = draftStatusUpdate(sampleIncident(), timeline(declared()), at(30), 'UTC');
    expect(draft.whatChanged).toBe('Nothing new on the timeline since the incident was declared (02:00).');
    expect(draft).toMatchObject({ status: 'investigating', impact: '', nextSteps: '', basedOnUpdateAt: null, lastPersonUpdateAt: null, createdAt: at(30) });
  });

  it('keeps a long entry to one short line', () => {
    const draft = draftStatusUpdate(sampleIncident(), timeline(declared(), note(5, 'x'.repeat(1000))), at(30), 'UTC');
    const [line] = newsLines(draft.whatChanged);
    expect(line!.endsWith('x…')).toBe(true);
    expect(line!.length).toBeLessThan(300);
  });

  it('gives times in the configured zone, with the date for another day', () => {
    // 22:50 UTC on the 23rd is 23:50 in Berlin; the draft is written at 00:20 Berlin time on the 24th.
    const declaredLate = new Date('2026-11-23T22:50:00Z');
    const incident = sampleIncident({ declaredAt: declaredLate });
    const entries = timeline(
      { at: declaredLate, actorId: 'UALICE', kind: 'declared', text: 'Declared' },
      { at: new Date('2026-11-23T22:55:00Z'), actorId: 'UCAROL', kind: 'note', text: 'Before midnight' },
      { at: new Date('2026-11-23T23:10:00Z'), actorId: 'UCAROL', kind: 'note', text: 'After midnight' },
    );
    const now = new Date('2026-11-23T23:20:00Z');
    expect(draftStatusUpdate(incident, entries, now, 'Europe/Berlin').whatChanged).toBe(
      ['Since the incident was declared (11-23 23:50):', '• 11-23 23:55 Note from <@UCAROL>: Before midnight', '• 00:10 Note from <@UCAROL>: After midnight'].join('\n'),
    );
    // The same instants in UTC are all on the 23rd.
    expect(draftStatusUpdate(incident, entries, now, 'UTC').whatChanged).toBe(
      ['Since the incident was declared (22:50):', '• 22:55 Note from <@UCAROL>: Before midnight', '• 23:10 Note from <@UCAROL>: After midnight'].join('\n'),
    );
  });

  it('takes the next steps from the last update a person wrote, marked with its time', () => {
    const incident = sampleIncident({ status: 'identified', impact: '40% of checkouts fail', lastUpdateAt: at(10) });
    const draft = draftStatusUpdate(incident, timeline(declared(), update(4, 'Look at the pool'), update(10, '  Roll back deploy 4521 by 02:30  ')), at(40), 'Europe/Berlin');
    expect(draft).toMatchObject({
      status: 'identified',
      impact: '40% of checkouts fail',
      nextSteps: '(from the 03:10 update) Roll back deploy 4521 by 02:30',
      basedOnUpdateAt: at(10),
      lastPersonUpdateAt: at(10),
    });
  });

  it("never takes next steps from the bot's own updates, automatic or its draft posted as is", () => {
    const incident = sampleIncident({ status: 'identified', lastUpdateAt: at(70) });
    const entries = timeline(
      declared(),
      update(10, 'Fail over to the backup processor'),
      update(40, '(from the 02:10 update) Fail over to the backup processor', 'automatic', { draftId: 1 }),
      update(70, '(from the 02:10 update) Fail over to the backup processor', 'draft', { draftId: 2 }),
    );
    const draft = draftStatusUpdate(incident, entries, at(100), 'UTC');
    expect(draft.nextSteps).toBe('(from the 02:10 update) Fail over to the backup processor');
    expect(draft.lastPersonUpdateAt).toEqual(at(10));
    expect(draft.basedOnUpdateAt).toEqual(at(70));
    // News is counted from the bot's update all the same: it told the channel what came before.
    expect(draft.whatChanged).toBe('Nothing new on the timeline since the last update (03:10).');
  });

  it('counts an update a person edited from the bot\'s draft as theirs', () => {
    const draft = draftStatusUpdate(sampleIncident({ lastUpdateAt: at(40) }), timeline(declared(), update(10, 'Old plan'), update(40, 'New plan', 'person', { draftId: 3 })), at(70), 'UTC');
    expect(draft.nextSteps).toBe('(from the 02:40 update) New plan');
    expect(draft.lastPersonUpdateAt).toEqual(at(40));
  });

  it('marks next steps once when a person posted the draft\'s own through Edit and post', () => {
    // The form was filled with "(from the 02:10 update) …" and the person left that line as it was.
    const incident = sampleIncident({ lastUpdateAt: at(40) });
    const entries = timeline(declared(), update(10, 'Roll back'), update(40, '(from the 02:10 update) Roll back', 'person', { draftId: 1 }));
    expect(draftStatusUpdate(incident, entries, at(70), 'UTC').nextSteps).toBe('(from the 02:40 update) Roll back');
    const twice = timeline(declared(), update(40, '(from the 02:10 (UTC+02:00) update) (from the 11-23 23:50 update) Roll back', 'person', { draftId: 1 }));
    expect(draftStatusUpdate(incident, twice, at(70), 'UTC').nextSteps).toBe('(from the 02:40 update) Roll back');
    // Words of the person's own in brackets stay.
    const own = timeline(declared(), update(40, '(from the vendor) restart, then update) the status page'));
    expect(draftStatusUpdate(incident, own, at(70), 'UTC').nextSteps).toBe('(from the 02:40 update) (from the vendor) restart, then update) the status page');
  });

  it('gives no next steps when the last person to write gave none, even if an earlier update did', () => {
    const incident = sampleIncident({ lastUpdateAt: at(40) });
    expect(draftStatusUpdate(incident, timeline(declared(), update(10, 'Roll back'), update(40, '')), at(70), 'UTC').nextSteps).toBe('');
    expect(draftStatusUpdate(incident, timeline(declared(), update(10, 'Roll back'), update(40, '   ')), at(70), 'UTC').nextSteps).toBe('');
    // Only the bot has written: nobody's next steps to repeat.
    const botOnly = draftStatusUpdate(incident, timeline(declared(), update(40, 'whatever', 'automatic')), at(70), 'UTC');
    expect(botOnly).toMatchObject({ nextSteps: '', lastPersonUpdateAt: null, basedOnUpdateAt: at(40) });
  });

  it('drafts Monitoring for a resolved incident, never Resolved', () => {
    expect(draftStatusUpdate(sampleIncident({ status: 'resolved', resolvedAt: at(20) }), timeline(declared()), at(30), 'UTC').status).toBe('monitoring');
  });

  describe('when the news does not fit', () => {
    const many = (count: number, length: number) => timeline(declared(), ...Array.from({ length: count }, (_, index) => note(1 + index / 100, `${String(index + 1).padStart(4, '0')} ${'y'.repeat(length)}`)));

    it('keeps the newest entries within the limit and says how many earlier ones are left out', () => {
      const draft = draftStatusUpdate(sampleIncident(), many(500, 200), at(30), 'UTC');
      expect(draft.whatChanged.length).toBeLessThanOrEqual(DRAFT_TEXT_LIMIT);
      const lines = draft.whatChanged.split('\n');
      expect(lines[0]).toBe('Since the incident was declared (02:00):');
      const left = Number(/^• …(\d+) earlier entries, on the timeline$/.exec(lines[1]!)?.[1]);
      const kept = lines.slice(2);
      expect(left + kept.length).toBe(500);
      expect(kept.at(-1)).toContain('Note from <@UCAROL>: 0500 ');
      expect(kept[0]).toContain(`Note from <@UCAROL>: ${String(left + 1).padStart(4, '0')} `);
    });

    it('says "1 earlier entry" when only one is left out', () => {
      // Each line is "• 02:01 Note from <@UCAROL>: NNNN yyy…": 36 characters around the y's.
      const lines = 8;
      const length = Math.floor((DRAFT_TEXT_LIMIT - 100) / lines) - 36;
      const draft = draftStatusUpdate(sampleIncident(), many(lines + 1, length), at(30), 'UTC');
      expect(draft.whatChanged.split('\n')[1]).toBe('• …1 earlier entry, on the timeline');
      expect(draft.whatChanged).not.toContain('0001 ');
      expect(draft.whatChanged).toContain('0009 ');
    });

    it.each([
      ['UTC', 'the same day', new Date('2026-11-24T02:00:00Z')],
      ['Europe/Berlin', 'another day', new Date('2026-11-23T22:50:00Z')],
      ['Europe/Berlin', 'the hour the clocks turn back', new Date('2026-10-25T00:30:00Z')],
    ])('stays within the limit however long its first line is (%s, declared %s)', (timeZone, _when, declaredOn) => {
      const incident = sampleIncident({ declaredAt: declaredOn });
      // Line lengths of every size, so that the kept lines fill the room to the last character for some of them.
      for (let length = 20; length < 300; length += 1) {
        const entries = timeline(
          { at: declaredOn, actorId: 'UALICE', kind: 'declared', text: 'Declared' },
          ...Array.from({ length: 40 }, (_, index) => ({ at: new Date(declaredOn.getTime() + 60_000), actorId: 'UCAROL', kind: 'note', text: `${index} ${'z'.repeat(length)}` })),
        );
        const draft = draftStatusUpdate(incident, entries, new Date(declaredOn.getTime() + 90 * 60_000), timeZone);
        expect(draft.whatChanged.length, `lines of ${length}`).toBeLessThanOrEqual(DRAFT_TEXT_LIMIT);
      }
    });
  });
});

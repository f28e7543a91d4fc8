import { describe, expect, it } from 'vitest';
import { parseActionItem, parseDueDate, parseRoleAssignment, parseUserMention } from '../../src/domain/commandText.js';
import { minutesAfterDeclaration, sampleIncident } from '../support/sampleIncident.js';
import { formatDuration, incidentDurationMs, mayManage, planReopen, planResolve, planRoleAssignment, planSeverityChange, planStatusUpdate } from '../../src/domain/lifecycle.js';

const incident = sampleIncident;
const at = minutesAfterDeclaration;
const update = { whatChanged: 'x', impact: '', nextSteps: '' };

describe('the incident state machine', () => {
  it.each([
    ['investigating', 'identified'],
    ['identified', 'monitoring'],
    ['monitoring', 'investigating'],
    ['investigating', 'investigating'],
  ] as const)('allows a status update from %s to %s and times it', (from, to) => {
    const plan = planStatusUpdate(incident({ status: from }), { ...update, status: to }, at(10), 'UCAROL');
    expect(plan.ok && plan.change.patch).toEqual({ status: to, lastUpdateAt: at(10) });
  });

  it('refuses updates, severity and role changes once resolved', () => {
    const resolved = incident({ status: 'resolved', resolvedAt: at(60) });
    for (const plan of [planStatusUpdate(resolved, { ...update, status: 'monitoring' }, at(61), 'UBOB'), planSeverityChange(resolved, 'SEV1'), planRoleAssignment(resolved, 'comms', 'UCAROL')]) {
      expect(plan).toMatchObject({ ok: false, reason: expect.stringMatching(/reopen/) });
    }
  });

  it('keeps the highest severity when it is lowered again, and says whether it was raised', () => {
    const raised = planSeverityChange(incident(), 'SEV1');
    expect(raised.ok && raised.change).toMatchObject({ raised: true, patch: { severity: 'SEV1', highestSeverity: 'SEV1' } });
    const lowered = planSeverityChange(incident({ severity: 'SEV1', highestSeverity: 'SEV1' }), 'SEV3');
    expect(lowered.ok && lowered.change).toMatchObject({ raised: false, patch: { severity: 'SEV3', highestSeverity: 'SEV1' } });
    expect(planSeverityChange(incident(), 'SEV2')).toMatchObject({ ok: false, reason: 'The incident is already SEV2.' });
  });

  it('resolves once, recording the duration, and reopens only what is resolved', () => {
    const plan = planResolve(incident(), { summary: 'Rolled back', rootCause: 'Pool exhausted' }, at(95));
    expect(plan.ok && plan.change.durationMs).toBe(95 * 60_000);
    expect(plan.ok && plan.change.entry.text).toBe('Resolved after 1 h 35 min: Rolled back');
    const resolved = incident({ status: 'resolved', resolvedAt: at(95) });
    expect(planResolve(resolved, { summary: 'again', rootCause: '' }, at(96))).toMatchObject({ ok: false, reason: 'This incident is already resolved.' });
    expect(planReopen(incident(), 'why')).toMatchObject({ ok: false });
    const reopened = planReopen(resolved, 'errors are back');
    expect(reopened.ok && reopened.change.patch).toEqual({ status: 'investigating', resolvedAt: null });
  });

  it('measures a resolved incident to its resolution and an open one to now', () => {
    expect(incidentDurationMs(incident({ status: 'resolved', resolvedAt: at(30) }), at(500))).toBe(30 * 60_000);
    expect(incidentDurationMs(incident(), at(45))).toBe(45 * 60_000);
  });

  it('hands over roles, naming the previous holder, and refuses a no-op', () => {
    const plan = planRoleAssignment(incident(), 'commander', 'UCAROL');
    expect(plan.ok && plan.change).toMatchObject({ previous: 'UBOB', patch: { commanderId: 'UCAROL' } });
    expect(planRoleAssignment(incident(), 'scribe', 'UDAVE')).toMatchObject({ ok: true, change: { previous: null, patch: { scribeId: 'UDAVE' } } });
    expect(planRoleAssignment(incident(), 'commander', 'UBOB')).toMatchObject({ ok: false });
  });

  it('lets the commander and listed responders manage, nobody else', () => {
    expect(mayManage(incident(), 'UBOB', [])).toBe(true);
    expect(mayManage(incident(), 'UALICE', [])).toBe(false);
    expect(mayManage(incident(), 'UALICE', ['UALICE'])).toBe(true);
  });

  it.each([
    [20_000, '20 s'],
    [12 * 60_000, '12 min'],
    [125 * 60_000, '2 h 5 min'],
    [120 * 60_000, '2 h'],
    [(3 * 24 + 4) * 3_600_000, '3 d 4 h'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('reading command text', () => {
  it.each([
    ['<@U123ABC|alice>', 'U123ABC'],
    ['<@U123ABC>', 'U123ABC'],
    ['<@W99>', 'W99'],
    ['@alice', undefined],
    ['<#C123|general>', undefined],
    ['<@U123', undefined],
  ])('reads the mention %j', (token, userId) => {
    expect(parseUserMention(token)).toBe(userId);
  });

  it('reads roles and their aliases, and explains what is wrong', () => {
    expect(parseRoleAssignment('comms <@UCAROL|carol>')).toEqual({ ok: true, value: { role: 'comms', userId: 'UCAROL' } });
    expect(parseRoleAssignment('IC <@UCAROL>')).toEqual({ ok: true, value: { role: 'commander', userId: 'UCAROL' } });
    expect(parseRoleAssignment('janitor <@UCAROL>')).toMatchObject({ ok: false, reason: expect.stringMatching(/no role "janitor".*commander, comms, scribe/) });
    expect(parseRoleAssignment('scribe carol')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a person/) });
    expect(parseRoleAssignment('scribe')).toMatchObject({ ok: false, reason: expect.stringMatching(/Say who/) });
  });

  it.each([
    ['2026-12-01', '2026-12-01'],
    ['today', '2026-11-24'],
    ['tomorrow', '2026-11-25'],
    ['friday', '2026-11-27'],
    ['tuesday', '2026-12-01'],
    ['+7d', '2026-12-01'],
    ['2026-02-30', undefined],
    ['soon', undefined],
  ])('reads the due date %j on 2026-11-24 (a Tuesday)', (token, date) => {
    expect(parseDueDate(token, '2026-11-24')).toBe(date);
  });

  it('reads an action item with an owner and a due date from the end', () => {
    expect(parseActionItem('Add alert on pool exhaustion <@UBOB|bob> due friday', '2026-11-24')).toEqual({
      ok: true,
      value: { text: 'Add alert on pool exhaustion', ownerId: 'UBOB', dueOn: '2026-11-27' },
    });
    expect(parseActionItem('Ask <@UBOB> about the runbook', '2026-11-24')).toEqual({ ok: true, value: { text: 'Ask <@UBOB> about the runbook', ownerId: null, dueOn: null } });
    expect(parseActionItem('<@UBOB> 2026-12-01', '2026-11-24')).toMatchObject({ ok: false, reason: expect.stringMatching(/Say what needs doing/) });
    expect(parseActionItem('Fix it 2026-13-45', '2026-11-24')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a date/) });
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION, dueEscalations, parsePageTarget, type EscalationPolicy } from '../../src/domain/escalation.js';
import { planAcknowledge, planReviewDone, planStatusUpdate } from '../../src/domain/lifecycle.js';
import { DEFAULT_REVIEW, NO_REMINDER_STATE, nextReminder, reviewDeadline } from '../../src/domain/reminders.js';
import { minutesAfterDeclaration as at, sampleIncident as incident } from '../support/sampleIncident.js';

const names = (tiers: { name: string }[]) => tiers.map((tier) => tier.name);
const none = new Set<string>();
const policy: EscalationPolicy = {
  ...DEFAULT_ESCALATION,
  SEV1: [
    { name: 'On-call engineer', afterMs: 0, page: ['@oncall'], until: 'acknowledged' },
    { name: 'Team lead', afterMs: 30 * 60_000, page: ['U0LEAD'], until: 'resolved' },
    { name: 'CTO', afterMs: 120 * 60_000, page: [], until: 'resolved' },
  ],
};

describe('the escalation ladder', () => {
  it('follows the runbooks by default: SEV1 at 30 min, 1 h and 2 h; SEV2 after 1 h; SEV3 after 4 h; SEV4 never', () => {
    const sev1 = incident({ severity: 'SEV1' });
    expect(names(dueEscalations(sev1, DEFAULT_ESCALATION, none, at(29)))).toEqual([]);
    expect(names(dueEscalations(sev1, DEFAULT_ESCALATION, none, at(30)))).toEqual(['Team lead']);
    expect(names(dueEscalations(sev1, DEFAULT_ESCALATION, new Set(['Team lead']), at(60)))).toEqual(['Engineering manager']);
    expect(names(dueEscalations(sev1, DEFAULT_ESCALATION, new Set(['Team lead', 'Engineering manager']), at(120)))).toEqual(['CTO']);
    expect(names(dueEscalations(incident({ severity: 'SEV2' }), DEFAULT_ESCALATION, none, at(59)))).toEqual([]);
    expect(names(dueEscalations(incident({ severity: 'SEV2' }), DEFAULT_ESCALATION, none, at(60)))).toEqual(['Team lead']);
    expect(names(dueEscalations(incident({ severity: 'SEV3' }), DEFAULT_ESCALATION, none, at(240)))).toEqual(['Team lead']);
    expect(dueEscalations(incident({ severity: 'SEV4' }), DEFAULT_ESCALATION, none, at(10_000))).toEqual([]);
  });

  it('pages an "at once" rung only when someone is set for it: otherwise the kickoff already says whom to notify', () => {
    expect(names(dueEscalations(incident({ severity: 'SEV1' }), DEFAULT_ESCALATION, none, at(0)))).toEqual([]);
    expect(names(dueEscalations(incident({ severity: 'SEV1' }), policy, none, at(0)))).toEqual(['On-call engineer']);
  });

  it('skips unacknowledged rungs once acknowledged, and every rung once resolved', () => {
    const acknowledged = incident({ severity: 'SEV1', acknowledgedAt: at(2), acknowledgedBy: 'UBOB' });
    expect(names(dueEscalations(acknowledged, policy, none, at(45)))).toEqual(['Team lead']);
    expect(dueEscalations(incident({ severity: 'SEV1', status: 'resolved', resolvedAt: at(20) }), policy, none, at(500))).toEqual([]);
    expect(dueEscalations(incident({ severity: 'SEV1', phase: 'declaring' }), policy, none, at(500))).toEqual([]);
  });

  it('pages every rung that came due while the bot was down, each once', () => {
    const sev1 = incident({ severity: 'SEV1' });
    expect(names(dueEscalations(sev1, policy, none, at(180)))).toEqual(['On-call engineer', 'Team lead', 'CTO']);
    expect(names(dueEscalations(sev1, policy, new Set(['On-call engineer', 'Team lead', 'CTO']), at(180)))).toEqual([]);
  });

  it('applies the current severity\'s ladder, timed from the declaration', () => {
    // Raised from SEV3 to SEV1 after 45 minutes: the SEV1 team-lead rung (30 min) is already due.
    expect(names(dueEscalations(incident({ severity: 'SEV1', acknowledgedAt: at(1) }), policy, none, at(45)))).toEqual(['Team lead']);
  });

  it.each([
    ['U012AB3CD', { kind: 'user', id: 'U012AB3CD' }],
    ['S0ONCALL', { kind: 'group', id: 'S0ONCALL' }],
    ['@oncall', { kind: 'handle', handle: 'oncall' }],
    ['@team-leads.eu', { kind: 'handle', handle: 'team-leads.eu' }],
    ['oncall', undefined],
    ['<@U012AB3CD>', undefined],
    ['@', undefined],
  ])('reads the page target %j', (text, target) => {
    expect(parsePageTarget(text)).toEqual(target);
  });
});

describe('acknowledging', () => {
  it('records who and how long after the declaration, once', () => {
    const plan = planAcknowledge(incident(), at(7), 'UCAROL');
    expect(plan).toMatchObject({ ok: true, change: { afterMs: 7 * 60_000, patch: { acknowledgedAt: at(7), acknowledgedBy: 'UCAROL' }, entry: { kind: 'acknowledged' } } });
    expect(planAcknowledge(incident({ acknowledgedAt: at(3), acknowledgedBy: 'UBOB' }), at(7), 'UCAROL')).toEqual({ ok: false, reason: 'Already acknowledged by <@UBOB>, 3 min after it was declared.' });
    expect(planAcknowledge(incident({ status: 'resolved' }), at(7), 'UCAROL').ok).toBe(false);
  });

  it("counts the commander's first status update as acknowledging, nobody else's and not the second", () => {
    const update = { status: 'investigating' as const, whatChanged: 'x', impact: '', nextSteps: '' };
    const byCommander = planStatusUpdate(incident(), update, at(5), 'UBOB');
    expect(byCommander.ok && byCommander.change.patch).toMatchObject({ acknowledgedAt: at(5), acknowledgedBy: 'UBOB' });
    const byOther = planStatusUpdate(incident(), update, at(5), 'UCAROL');
    expect(byOther.ok && byOther.change.patch.acknowledgedAt).toBeUndefined();
    const second = planStatusUpdate(incident({ acknowledgedAt: at(2), acknowledgedBy: 'UCAROL' }), update, at(5), 'UBOB');
    expect(second.ok && second.change.patch.acknowledgedAt).toBeUndefined();
  });
});

describe('post-mortem review reminders', () => {
  const updates = { defaultIntervalMs: 30 * 60_000, perSeverity: {}, autoPost: [], autoPostAfterMs: undefined };
  const resolvedSev1 = incident({ severity: 'SEV3', highestSeverity: 'SEV1', status: 'resolved', resolvedAt: at(90) });

  it('come every remindEvery after the resolve for the severities that need a review, judged by the highest reached', () => {
    expect(nextReminder(resolvedSev1, NO_REMINDER_STATE, updates, DEFAULT_REVIEW)).toEqual({ kind: 'review', at: at(90 + 360) });
    expect(nextReminder(resolvedSev1, { ...NO_REMINDER_STATE, lastRemindedAt: at(450) }, updates, DEFAULT_REVIEW)).toEqual({ kind: 'review', at: at(450 + 360) });
    expect(reviewDeadline(resolvedSev1, DEFAULT_REVIEW)).toEqual(at(90 + 24 * 60));
  });

  it('are not owed for lower severities, once the review is held, or while the incident is open', () => {
    expect(nextReminder(incident({ highestSeverity: 'SEV3', severity: 'SEV3', status: 'resolved', resolvedAt: at(90) }), NO_REMINDER_STATE, updates, DEFAULT_REVIEW)).toBeUndefined();
    expect(nextReminder({ ...resolvedSev1, reviewDoneAt: at(200) }, NO_REMINDER_STATE, updates, DEFAULT_REVIEW)).toBeUndefined();
    expect(nextReminder(incident({ highestSeverity: 'SEV1' }), NO_REMINDER_STATE, updates, DEFAULT_REVIEW)).toEqual({ kind: 'update', at: at(30) });
  });

  it('can be marked held only after resolve, and once', () => {
    expect(planReviewDone(incident(), at(100)).ok).toBe(false);
    expect(planReviewDone(resolvedSev1, at(100))).toMatchObject({ ok: true, change: { patch: { reviewDoneAt: at(100) }, entry: { kind: 'review_done' } } });
    expect(planReviewDone({ ...resolvedSev1, reviewDoneAt: at(99) }, at(100)).ok).toBe(false);
  });
});

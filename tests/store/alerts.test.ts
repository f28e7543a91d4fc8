import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRIAGE_UPDATE_EVERY_MS, TRIAGE_UPDATE_LEASE_MS, type ReceivedAlert } from '../../src/domain/alert.js';
import { openTestDatabase, type TestDatabase } from '../support/testDatabase.js';

const alert = (overrides: Partial<ReceivedAlert> = {}): ReceivedAlert => ({
  source: 'alertmanager',
  fingerprint: 'c6eadffa33fcdf37',
  status: 'firing',
  name: 'HighErrorRate',
  summary: 'Checkout 5xx above 5%',
  description: undefined,
  labels: { alertname: 'HighErrorRate', severity: 'critical', team_name: 'payments' },
  annotations: { runbook_url: 'https://runbooks.example.com/x' },
  links: [{ label: 'Runbook', url: 'https://runbooks.example.com/x' }],
  ...overrides,
});

describe('the alerts store', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(() => database.close());

  const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 2, minute));

  it('stores a new firing alert once and counts its repeats on the same row, with its labels and links as sent', async () => {
    const alerts = database.store('a process').alerts;
    const first = await alerts.recordFiring(alert(), at(0));
    expect(first.created).toBe(true);
    expect(first.alert).toMatchObject({ fireCount: 1, status: 'firing', triageState: 'posting', triageTs: null, incidentId: null, firstSeenAt: at(0), lastSeenAt: at(0) });
    const again = await alerts.recordFiring(alert({ summary: 'Checkout 5xx above 9%' }), at(5));
    expect(again.created).toBe(false);
    expect(again.alert).toMatchObject({ id: first.alert.id, fireCount: 2, summary: 'Checkout 5xx above 9%', firstSeenAt: at(0), lastSeenAt: at(5) });
    expect((await alerts.find(first.alert.id))?.labels).toEqual({ alertname: 'HighErrorRate', severity: 'critical', team_name: 'payments' });
    expect((await alerts.find(first.alert.id))?.links).toEqual([{ label: 'Runbook', url: 'https://runbooks.example.com/x' }]);
    // The same fingerprint from another source is another alert.
    expect((await alerts.recordFiring(alert({ source: 'grafana' }), at(6))).created).toBe(true);
  });

  it('tells exactly one of three replicas given the same new alert at once that it is new', async () => {
    const replicas = ['replica-a', 'replica-b', 'replica-c'].map((owner) => database.store(owner).alerts);
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(replicas.map((alerts) => alerts.recordFiring(alert({ fingerprint: `fp-${round}` }), at(round))));
      expect(answers.filter((answer) => answer.created)).toHaveLength(1);
      expect(Math.max(...answers.map((answer) => answer.alert.fireCount))).toBe(3);
    }
  });

  it('resolves the open alert once; firing after that opens a new one', async () => {
    const alerts = database.store('a process').alerts;
    const { alert: open } = await alerts.recordFiring(alert(), at(0));
    const resolved = await alerts.recordResolved('alertmanager', open.fingerprint, at(10));
    expect(resolved).toMatchObject({ id: open.id, status: 'resolved', resolvedAt: at(10) });
    expect(await alerts.recordResolved('alertmanager', open.fingerprint, at(11))).toBeUndefined();
    expect(await alerts.recordResolved('alertmanager', 'never-seen', at(11))).toBeUndefined();
    const next = await alerts.recordFiring(alert(), at(20));
    expect(next.created).toBe(true);
    expect(next.alert.id).not.toBe(open.id);
  });

  it('records the triage post, and lets one replica retry a failed one', async () => {
    const alerts = database.store('a process').alerts;
    const { alert: open } = await alerts.recordFiring(alert(), at(0));
    await alerts.recordTriageFailed(open.id);
    expect((await alerts.find(open.id))?.triageState).toBe('failed');
    const claims = await Promise.all([alerts.claimTriageRetry(open.id), database.store('other').alerts.claimTriageRetry(open.id)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await alerts.recordTriagePosted(open.id, '1700000000.000100', at(1))).toMatchObject({ triageTs: '1700000000.000100', triageState: 'posted' });
    // Posted: a late failure report does not undo it.
    await alerts.recordTriageFailed(open.id);
    expect((await alerts.find(open.id))?.triageState).toBe('posted');
  });

  it('dismisses once, and not an alert with an incident', async () => {
    const alerts = database.store('a process').alerts;
    const { alert: a } = await alerts.recordFiring(alert({ fingerprint: 'a' }), at(0));
    expect(await alerts.dismiss(a.id, 'UALICE')).toMatchObject({ dismissedBy: 'UALICE' });
    expect(await alerts.dismiss(a.id, 'UBOB')).toBeUndefined();
    expect((await alerts.find(a.id))?.dismissedBy).toBe('UALICE');
  });

  it('links an incident once and lists the alerts of an incident', async () => {
    const store = database.store('a process');
    const { incident } = await store.incidents.recordDeclaration('alert:1', { title: 'Checkout', severity: 'SEV1', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UBOT', at(0));
    const { alert: a } = await store.alerts.recordFiring(alert({ fingerprint: 'a' }), at(0));
    expect(await store.alerts.linkIncident(a.id, incident.id, null)).toMatchObject({ incidentId: incident.id, declaredBy: null });
    expect(await store.alerts.linkIncident(a.id, incident.id, 'UALICE')).toBeUndefined();
    expect(await store.alerts.dismiss(a.id, 'UALICE')).toBeUndefined();
    expect((await store.alerts.linkedTo(incident.id)).map((linked) => linked.id)).toEqual([a.id]);
  });

  describe('repeats on the triage message', () => {
    const posted = new Date(Date.UTC(2026, 10, 26, 3, 0));
    const after = (ms: number) => new Date(posted.getTime() + ms);

    const postedAlert = async (fingerprint = 'fp-shown') => {
      const alerts = database.store('replica-a').alerts;
      const { alert: open } = await alerts.recordFiring(alert({ fingerprint }), posted);
      await alerts.recordTriagePosted(open.id, '1700000000.000100', posted);
      return open.id;
    };

    it('owes the message one update for repeats soon after it was shown, and shows a repeat at once once it was shown long enough ago', async () => {
      const alerts = database.store('replica-a').alerts;
      const id = await postedAlert();
      const soon = await alerts.recordFiring(alert({ fingerprint: 'fp-shown' }), after(1_000));
      expect(soon).toMatchObject({ created: false, showNow: false, alert: { fireCount: 2 } });
      await alerts.recordFiring(alert({ fingerprint: 'fp-shown' }), after(2_000));
      // Owed once, when the interval since the post ends, however many repeats came.
      expect(await alerts.dueTriageUpdates(after(TRIAGE_UPDATE_EVERY_MS - 1), 10)).toEqual([]);
      expect(await alerts.dueTriageUpdates(after(TRIAGE_UPDATE_EVERY_MS), 10)).toEqual([{ id, dueAt: after(TRIAGE_UPDATE_EVERY_MS) }]);
      expect((await alerts.dueTriageUpdates(after(TRIAGE_UPDATE_EVERY_MS), 1)).length).toBe(1);
      expect((await database.store('replica-a').dueTimes.dueWork(after(TRIAGE_UPDATE_EVERY_MS), 'replica-a')).alertUpdates).toBe(true);
      // A repeat once the interval has passed is shown at once, and the owed update is dropped.
      const late = await alerts.recordFiring(alert({ fingerprint: 'fp-shown' }), after(TRIAGE_UPDATE_EVERY_MS + 5));
      expect(late).toMatchObject({ created: false, showNow: true, alert: { fireCount: 4 } });
      expect(await alerts.dueTriageUpdates(after(10 * TRIAGE_UPDATE_EVERY_MS), 10)).toEqual([]);
      // The next repeat is within the interval of that showing.
      expect((await alerts.recordFiring(alert({ fingerprint: 'fp-shown' }), after(TRIAGE_UPDATE_EVERY_MS + 6))).showNow).toBe(false);
      expect(await alerts.dueTriageUpdates(after(2 * TRIAGE_UPDATE_EVERY_MS + 5), 10)).toEqual([{ id, dueAt: after(2 * TRIAGE_UPDATE_EVERY_MS + 5) }]);
    });

    it('never shows at once a repeat of an alert whose message is not posted yet', async () => {
      const alerts = database.store('replica-a').alerts;
      await alerts.recordFiring(alert({ fingerprint: 'fp-posting' }), posted);
      expect((await alerts.recordFiring(alert({ fingerprint: 'fp-posting' }), after(TRIAGE_UPDATE_EVERY_MS * 3))).showNow).toBe(false);
      expect(await alerts.dueTriageUpdates(after(TRIAGE_UPDATE_EVERY_MS * 10), 10)).toEqual([]);
    });

    it('lets one of two replicas claim an owed update, and settles it unless repeats came meanwhile', async () => {
      const [a, b] = [database.store('replica-a').alerts, database.store('replica-b').alerts];
      const id = await postedAlert();
      await a.recordFiring(alert({ fingerprint: 'fp-shown' }), after(1_000));
      const due = after(TRIAGE_UPDATE_EVERY_MS);
      const until = after(TRIAGE_UPDATE_EVERY_MS + TRIAGE_UPDATE_LEASE_MS);
      const claims = await Promise.all([a.claimTriageUpdate(id, due, due, until), b.claimTriageUpdate(id, due, due, until)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(claims.find(Boolean)).toMatchObject({ id, fireCount: 2 });
      // Claimed: not due again until the claim ends (a process dying with it leaves it due then).
      expect(await a.dueTriageUpdates(after(TRIAGE_UPDATE_EVERY_MS + 1), 10)).toEqual([]);
      expect(await a.dueTriageUpdates(until, 10)).toEqual([{ id, dueAt: until }]);
      // A repeat while the update is on its way: the settled update is owed again, an interval after it was shown.
      await b.recordFiring(alert({ fingerprint: 'fp-shown' }), after(TRIAGE_UPDATE_EVERY_MS + 10));
      expect(await a.settleTriageUpdate(id, until, 2)).toMatchObject({ fireCount: 3 });
      expect(await a.dueTriageUpdates(until, 10)).toEqual([{ id, dueAt: after(2 * TRIAGE_UPDATE_EVERY_MS) }]);
      // Claimed and shown with the final count: nothing owed.
      const again = after(2 * TRIAGE_UPDATE_EVERY_MS);
      const secondUntil = after(2 * TRIAGE_UPDATE_EVERY_MS + TRIAGE_UPDATE_LEASE_MS);
      expect(await b.claimTriageUpdate(id, again, again, secondUntil)).toMatchObject({ fireCount: 3 });
      await b.settleTriageUpdate(id, secondUntil, 3);
      expect(await a.dueTriageUpdates(after(100 * TRIAGE_UPDATE_EVERY_MS), 10)).toEqual([]);
      expect((await a.find(id))?.fireCount).toBe(3);
    });

    it('drops the owed update when the alert resolves (its resolution is shown at once), even one claimed', async () => {
      const alerts = database.store('replica-a').alerts;
      const id = await postedAlert();
      await alerts.recordFiring(alert({ fingerprint: 'fp-shown' }), after(1_000));
      const due = after(TRIAGE_UPDATE_EVERY_MS);
      const until = after(TRIAGE_UPDATE_EVERY_MS + TRIAGE_UPDATE_LEASE_MS);
      await alerts.claimTriageUpdate(id, due, due, until);
      await alerts.recordResolved('alertmanager', 'fp-shown', after(TRIAGE_UPDATE_EVERY_MS + 1));
      expect(await alerts.settleTriageUpdate(id, until, 1)).toMatchObject({ status: 'resolved' });
      expect(await alerts.dueTriageUpdates(after(100 * TRIAGE_UPDATE_EVERY_MS), 10)).toEqual([]);
    });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRIAGE_UPDATE_EVERY_MS, TRIAGE_UPDATE_LEASE_MS, type ReceivedAlert } from '../../src/domain/alert.js';
import { receiveAlerts, showDueRepeats } from '../../src/flows/alerts.js';
import { completeDeclaration } from '../../src/flows/declare.js';
import { visibleText } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

const TRIAGE = 'CTRIAGE';

const alert = (overrides: Partial<ReceivedAlert> = {}): ReceivedAlert => ({
  source: 'alertmanager',
  fingerprint: 'fp-1',
  status: 'firing',
  name: 'HighErrorRate',
  summary: 'Checkout 5xx above 5%',
  description: undefined,
  labels: { alertname: 'HighErrorRate', severity: 'warning' },
  annotations: {},
  links: [],
  ...overrides,
});

describe('the alerts flow', () => {
  let bot: InProcessBot;
  beforeEach(async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'alerts-flow-')), 'incident.config.yml');
    writeFileSync(config, 'alerts:\n  rules:\n    - match: {severity: critical}\n      declare: SEV1\n');
    bot = await startInProcess({ env: { ALERT_WEBHOOK_TOKEN: 'flow-test-token-0123456789', INCIDENT_TRIAGE_CHANNEL: TRIAGE, INCIDENT_CONFIG: config } });
    bot.fake.addChannel({ id: TRIAGE, name: 'alerts-triage', members: ['UALICE'] });
  });
  afterEach(() => bot.close());

  it('posts an alert two replicas receive at the same moment once, and counts both', async () => {
    const other = { ...bot.deps, ...bot.testDatabase.store('replica-b') };
    const intakes = await Promise.all([receiveAlerts(bot.deps, [alert()]), receiveAlerts(other, [alert()])]);
    expect(intakes.map((intake) => intake.problems)).toEqual([[], []]);
    const messages = bot.fake.messages(TRIAGE);
    expect(messages).toHaveLength(1);
    // Whichever came second found the message being posted; its poster shows the count once posted.
    expect(visibleText(messages[0]!.blocks)).toMatch(/fired 2 times/);
  });

  it('links the incident a rule declared before the bot stopped, instead of declaring it again', async () => {
    // The first attempt recorded and completed the declaration, then the process stopped before linking and posting.
    const { incident } = await bot.deps.incidents.recordDeclaration('alert:1', { title: 'Checkout 5xx above 5%', severity: 'SEV1', impact: '', commanderId: bot.fake.botUserId, isPrivate: false }, bot.fake.botUserId, bot.clock.now());
    const outcome = await completeDeclaration(bot.deps, incident);
    expect(outcome.kind).toBe('declared');
    const channelsBefore = bot.fake.channels.size;

    await receiveAlerts(bot.deps, [alert({ labels: { alertname: 'HighErrorRate', severity: 'critical' } })]);
    expect(bot.fake.channels.size).toBe(channelsBefore);
    const [message] = bot.fake.messages(TRIAGE);
    expect(visibleText(message!.blocks)).toContain(`Declared SEV1 at once by a rule in the configuration file: <#${outcome.kind === 'declared' ? outcome.channelId : ''}>`);
    expect((await bot.deps.alerts.linkedTo(incident.id)).map((linked) => linked.fingerprint)).toEqual(['fp-1']);
  });

  it('says on the triage message when a rule could not declare, and keeps the buttons', async () => {
    bot.fake.failMethod('conversations.create', { error: 'restricted_action' });
    const intake = await receiveAlerts(bot.deps, [alert({ labels: { alertname: 'HighErrorRate', severity: 'critical' } })]);
    expect(intake.problems).toEqual([]);
    const [message] = bot.fake.messages(TRIAGE);
    expect(visibleText(message!.blocks)).toMatch(/A rule says to declare SEV1 for this alert, but the incident could not be declared: .+ Use \*Declare incident\* to try again\./);
    expect((message!.blocks as { type: string }[]).some((block) => block.type === 'actions')).toBe(true);
  });

  describe('repeats', () => {
    const updates = () => bot.fake.callsTo('chat.update').filter((call) => call.outcome === 'ok');
    const shownText = () => visibleText(bot.fake.messages(TRIAGE)[0]!.blocks);
    /** The triage message posted, then `repeats` repeats a second apart from an interval after the post: the first is shown at once. */
    const postThenRepeat = async (repeats: number) => {
      await receiveAlerts(bot.deps, [alert()]);
      bot.clock.advance(TRIAGE_UPDATE_EVERY_MS + 1_000);
      for (let repeat = 0; repeat < repeats; repeat += 1) {
        await receiveAlerts(bot.deps, [alert()]);
        bot.clock.advance(1_000);
      }
    };

    it('updates the triage message once for repeats within the interval, and the trailing update shows the final count', async () => {
      await receiveAlerts(bot.deps, [alert()]);
      // Repeats right after the post: counted, not shown yet.
      bot.clock.advance(1_000);
      await receiveAlerts(bot.deps, [alert()]);
      expect(updates()).toHaveLength(0);
      expect(await showDueRepeats(bot.deps)).toBe(0);
      bot.clock.advance(TRIAGE_UPDATE_EVERY_MS);
      // The first repeat an interval after the post is shown at once; the next five are not.
      await receiveAlerts(bot.deps, [alert()]);
      expect(updates()).toHaveLength(1);
      expect(shownText()).toMatch(/fired 3 times/);
      for (let repeat = 0; repeat < 5; repeat += 1) {
        bot.clock.advance(1_000);
        await receiveAlerts(bot.deps, [alert()]);
      }
      expect(updates()).toHaveLength(1);
      expect(await showDueRepeats(bot.deps)).toBe(0);
      bot.clock.advance(TRIAGE_UPDATE_EVERY_MS - 5_000);
      expect(await showDueRepeats(bot.deps)).toBe(1);
      expect(updates()).toHaveLength(2);
      expect(shownText()).toMatch(/fired 8 times/);
      // Shown: nothing more owed.
      bot.clock.advance(10 * TRIAGE_UPDATE_EVERY_MS);
      expect(await showDueRepeats(bot.deps)).toBe(0);
      expect(updates()).toHaveLength(2);
    });

    it('makes the trailing update once when two processes run the pass at the same moment', async () => {
      await postThenRepeat(4);
      const other = { ...bot.deps, ...bot.testDatabase.store('replica-b') };
      bot.clock.advance(TRIAGE_UPDATE_EVERY_MS);
      const shown = await Promise.all([showDueRepeats(bot.deps), showDueRepeats(other)]);
      expect(shown.sort()).toEqual([0, 1]);
      expect(updates()).toHaveLength(2);
      expect(shownText()).toMatch(/fired 5 times/);
    });

    it('shows a resolution at once, and no trailing update follows it', async () => {
      await postThenRepeat(3);
      expect(updates()).toHaveLength(1);
      await receiveAlerts(bot.deps, [alert({ status: 'resolved' })]);
      expect(updates()).toHaveLength(2);
      expect(shownText()).toMatch(/fired 4 times/);
      expect(shownText()).toMatch(/[Rr]esolved/);
      bot.clock.advance(10 * TRIAGE_UPDATE_EVERY_MS);
      expect(await showDueRepeats(bot.deps)).toBe(0);
      expect(updates()).toHaveLength(2);
    });

    it('tells the log when Slack refuses the trailing update, and makes it when the claim ends', async () => {
      await postThenRepeat(3);
      bot.clock.advance(TRIAGE_UPDATE_EVERY_MS);
      bot.fake.failMethod('chat.update', { error: 'ratelimited', times: 1 });
      expect(await showDueRepeats(bot.deps)).toBe(0);
      expect(bot.logs.some((line) => line.level === 40 && /could not show an alert's repeats/.test(String(line.msg)))).toBe(true);
      expect(await showDueRepeats(bot.deps)).toBe(0);
      bot.clock.advance(TRIAGE_UPDATE_LEASE_MS);
      expect(await showDueRepeats(bot.deps)).toBe(1);
      expect(shownText()).toMatch(/fired 4 times/);
    });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceivedAlert } from '../../src/domain/alert.js';
import { receiveAlerts } from '../../src/flows/alerts.js';
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
});

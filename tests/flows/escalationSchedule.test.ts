import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { sendDueEscalations } from '../../src/flows/escalation.js';
import { sendDueReminders } from '../../src/flows/reminders.js';
import { ask, clickButton, expectModal, replyAt, runCommand, submitForm, visibleText, waitFor, type BotUnderTest } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';
import { LADDER } from '../support/ladder.js';

/**
 * The runbooks' escalation ladder and post-mortem review reminders, with seconds for minutes, through
 * the real scheduler passes, flows and listeners in this process; the clock is moved by hand, so no
 * test waits for a rung to come due. (Two processes and a restart are in tests/e2e/escalation.test.ts.)
 */

let bot: InProcessBot;
let h: BotUnderTest;
afterEach(() => bot.close());

async function start(yaml: string): Promise<void> {
  bot = await startInProcess({ env: { INCIDENT_CONFIG: configFile(yaml) } });
  h = { fake: bot.fake, app: { url: await bot.startApp() } };
  bot.fake.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: ['UERIN'] });
}
/** The incident's time, `seconds` after it was declared. */
const at = (incident: Incident, seconds: number) => bot.clock.set(new Date(incident.declaredAt.getTime() + seconds * 1000));
/** One pass of each scheduler, as the running bot makes every tick. */
const escalationPass = () => sendDueEscalations({ ...bot.deps, escalation: bot.config.escalation, owner: 'this-process', retryMs: 30_000 });
const reminderPass = () => sendDueReminders({ ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, owner: 'this-process', retryMs: 30_000 });
const stored = async (incident: Incident) => (await bot.deps.incidents.findById(incident.id))!;
const channelOf = (incident: Incident) => bot.fake.channels.get(incident.channelId!)!;
const pagesIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.startsWith('Escalation:'));
const escalationsOf = async (incident: Incident) =>
  (await bot.deps.incidents.timelineOf(incident.id))
    .filter((entry) => entry.kind === 'escalated')
    .map((entry) => entry.text);

describe('the escalation ladder', () => {
  it('pages each rung once, in the channel, inviting its people and recording it on the timeline', async () => {
    await start(LADDER);
    const incident = await bot.declare({ title: 'Payments down', severity: 'SEV1', commanderId: 'UBOB' });

    expect(await escalationPass()).toBe(1);
    expect(visibleText(pagesIn(incident)[0]!.blocks)).toMatch(/Escalation: On-call engineer\*: this SEV1 incident has been open \d+ s and is not acknowledged\.\nPaging <!subteam\^S0ONCALL>/);
    expect(channelOf(incident).members.has('UERIN')).toBe(true);

    at(incident, 2);
    expect(await escalationPass()).toBe(0);
    at(incident, 3);
    expect(await escalationPass()).toBe(1);
    expect(visibleText(pagesIn(incident)[1]!.blocks)).toMatch(/Escalation: Team lead\*: this SEV1 incident has been open 3 s and is not resolved\.\nPaging <@UDAVE>: please join and check in with the commander, <@UBOB>/);
    expect(channelOf(incident).members.has('UDAVE')).toBe(true);

    at(incident, 5);
    expect(await escalationPass()).toBe(1);
    expect(visibleText(pagesIn(incident)[2]!.blocks)).toMatch(/<@UBOB>, the runbook says to bring in the cto now\. Nobody is set for this rung/);
    expect(await escalationsOf(incident)).toEqual(['Escalated to On-call engineer: not acknowledged after 0 s', 'Escalated to Team lead: not resolved after 3 s', 'Escalated to CTO: not resolved after 5 s']);
    expect(await ask(h, 'status', { channelId: incident.channelId! })).toMatch(/Escalated to:\* On-call engineer, Team lead, CTO/);

    at(incident, 7);
    expect(await escalationPass()).toBe(0);
    expect(pagesIn(incident)).toHaveLength(3);
  });

  it('Acknowledge on the summary stores the time to acknowledge and spares the unacknowledged rung; resolve stops the rest', async () => {
    await start(LADDER);
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });
    const channelId = incident.channelId!;
    const kickoff = bot.fake.messages(channelId)[0]!;
    const buttons = kickoff.blocks!.find((block) => block.type === 'actions')!.elements as any[];
    expect(buttons.map((button) => button.text.text)).toEqual(['Acknowledge', 'Post update', 'Change severity', 'Add note', 'Resolve']);

    at(incident, 1);
    const { responseUrl } = await clickButton(h, { userId: 'UCAROL', channelId, messageTs: kickoff.ts, actionId: buttons[0].action_id, value: buttons[0].value });
    expect((await replyAt(h, responseUrl)).text).toBe(':white_check_mark: Acknowledged after 1 s.');
    await waitFor(() => bot.fake.messages(channelId).find((message) => message.text.includes('acknowledged the incident')), 'the acknowledgement in the channel');
    expect(await stored(incident)).toMatchObject({ acknowledgedBy: 'UCAROL', acknowledgedAt: bot.clock.now() });
    const summaryButtons = () => (bot.fake.messages(channelId)[0]!.blocks!.find((block) => block.type === 'actions')!.elements as any[]).map((button) => button.text.text);
    await waitFor(() => !summaryButtons().includes('Acknowledge'), 'the Acknowledge button to go');
    expect(visibleText(bot.fake.messages(channelId)[0]!.blocks)).toMatch(/Acknowledged:\* by <@UCAROL> after 1 s/);

    // A second acknowledgement is refused, not recorded twice.
    expect(await ask(h, 'ack', { channelId, userId: 'UDAVE' })).toMatch(/Already acknowledged by <@UCAROL>/);
    at(incident, 2.5); // past the on-call rung's 2 s
    expect(await escalationPass()).toBe(0);
    expect(pagesIn(incident)).toHaveLength(0);
    expect((await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'acknowledged')).toHaveLength(1);

    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId, userId: 'UBOB' }));
    await submitForm(h, resolve, { 'Resolution summary': 'Rolled back' }, 'UBOB');
    await waitFor(() => bot.fake.messages(channelId).find((message) => message.text.startsWith('[RESOLVED]')), 'the resolution');
    at(incident, 7); // past the team-lead rung's 6 s
    expect(await escalationPass()).toBe(0);
    expect(pagesIn(incident)).toHaveLength(0);
  });

  it("counts the commander's first status update as acknowledging", async () => {
    await start(LADDER);
    const incident = await bot.declare({ title: 'Slow search', severity: 'SEV2', commanderId: 'UALICE' });
    const view = await expectModal(h, () => runCommand(h, 'update', { channelId: incident.channelId! }));
    await submitForm(h, view, { Status: 'Investigating', 'What changed': 'Looking at the indexer' });
    await waitFor(async () => (await stored(incident)).acknowledgedBy === 'UALICE', 'the acknowledgement');
    at(incident, 2.5);
    expect(await escalationPass()).toBe(0);
    expect(pagesIn(incident)).toHaveLength(0);
  });

  it('tells the channel when a user group cannot be found, and still pages the rest of the rung', async () => {
    await start(LADDER);
    const incident = await bot.declare({ title: 'Disk full', severity: 'SEV3', commanderId: 'UBOB' });
    expect(await escalationPass()).toBe(1);
    expect(visibleText(pagesIn(incident)[0]!.blocks)).toMatch(/There is no user group @platform in this workspace/);
    expect(await escalationsOf(incident)).toHaveLength(1);
  });
});

describe('post-mortem review reminders', () => {
  const reviewRemindersIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.includes('Post-mortem review'));

  it('remind the commander after a SEV1 is resolved until the review is marked held', async () => {
    await start('severities: { SEV1: { escalation: [] } }\npostMortemReview: { within: 3s, remindEvery: 2s }\n');
    const incident = await bot.declare({ title: 'Data loss', severity: 'SEV1', commanderId: 'UALICE' });
    const channelId = incident.channelId!;
    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId }));
    await submitForm(h, resolve, { 'Resolution summary': 'Restored from backup' });
    await waitFor(async () => (await stored(incident)).status === 'resolved' && bot.fake.messages(channelId).find((message) => message.text.startsWith('[RESOLVED]')), 'the resolution');

    at(incident, 1.9);
    expect(await reminderPass()).toBe(0);
    at(incident, 2);
    expect(await reminderPass()).toBe(1);
    const [first] = reviewRemindersIn(incident);
    expect(first!.text).toBe('<@UALICE> Post-mortem review due');
    expect(visibleText(first!.blocks)).toMatch(/The post-mortem review of \*Data loss\* is due by \*\d{4}-\d\d-\d\d \d\d:\d\d UTC\* \(in 1 s\)/);
    at(incident, 4);
    expect(await reminderPass()).toBe(1);
    const overdue = reviewRemindersIn(incident)[1]!;
    expect(visibleText(overdue.blocks)).toMatch(/it is \*1 s overdue\*/);

    const button = (overdue.blocks!.find((block) => block.type === 'actions')!.elements as any[])[0];
    expect(button.text.text).toBe('Review held');
    const { responseUrl } = await clickButton(h, { userId: 'UBOB', channelId, messageTs: overdue.ts, actionId: button.action_id, value: button.value });
    expect((await replyAt(h, responseUrl)).text).toBe(':white_check_mark: Post-mortem review marked as held.');
    expect((await stored(incident)).reviewDoneAt).toBeTruthy();
    const count = reviewRemindersIn(incident).length;
    at(incident, 7);
    expect(await reminderPass()).toBe(0);
    expect(reviewRemindersIn(incident)).toHaveLength(count);
    expect(await ask(h, 'postmortem done', { channelId })).toMatch(/already marked as held/);
  });

  it('are not sent for severities that need no review, and /incident postmortem done needs a resolved incident', async () => {
    await start('postMortemReview: { remindEvery: 1s }\n');
    const incident = await bot.declare({ title: 'Typo on the pricing page', severity: 'SEV4', commanderId: 'UALICE' });
    const channelId = incident.channelId!;
    expect(await ask(h, 'postmortem done', { channelId })).toMatch(/comes after the incident is resolved/);
    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId }));
    await submitForm(h, resolve, { 'Resolution summary': 'Fixed the typo' });
    await waitFor(() => bot.fake.messages(channelId).find((message) => message.text.startsWith('[RESOLVED]')), 'the resolution');
    at(incident, 2.5);
    expect(await reminderPass()).toBe(0);
    expect(reviewRemindersIn(incident)).toHaveLength(0);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, clickButton, declareIncident, expectModal, readDatabase, replyAt, runCommand, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import { runAppToExit, scratchDir, startApp, type RunningApp } from '../support/launcher.js';

/** The runbooks' ladder with seconds for minutes, through the real app: the same code as 30 minutes. */
const LADDER = `
updateInterval: 1h
severities:
  SEV1:
    escalation:
      - { tier: On-call engineer, after: 0, page: ["@oncall"], until: acknowledged }
      - { tier: Team lead, after: 3s, page: [UDAVE] }
      - { tier: CTO, after: 5s, page: [] }
  SEV2:
    escalation:
      - { tier: On-call engineer, after: 2s, page: ["@oncall"], until: acknowledged }
      - { tier: Team lead, after: 6s, page: [UDAVE] }
  SEV3:
    escalation:
      - { tier: Platform team, after: 0, page: ["@platform"] }
postMortemReview:
  severities: [SEV1]
  within: 10s
  remindEvery: 2s
`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function configFile(yaml: string): string {
  const path = join(scratchDir(), 'incident.config.yml');
  writeFileSync(path, yaml);
  return path;
}

describe('the escalation ladder', () => {
  let h: Harness;
  const extraApps: RunningApp[] = [];
  afterEach(async () => {
    for (const app of extraApps.splice(0)) await app.stop();
    await h.close();
  });
  const start = async (yaml = LADDER) => {
    h = await startHarness({ env: { INCIDENT_CONFIG: configFile(yaml) } });
    h.fake.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: ['UERIN'] });
  };
  const pagesIn = (channelId: string) => h.fake.messages(channelId).filter((message) => message.text.startsWith('Escalation:'));
  const escalationsOf = () => readDatabase(h.dbPath).timeline.filter((entry) => entry.kind === 'escalated').map((entry) => entry.text as string);

  it('pages each rung once, in the channel, inviting its people and recording it on the timeline', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Payments down', severity: 'SEV1', commander: 'UBOB' });

    const onCall = await waitFor(() => pagesIn(channel.id)[0], 'the on-call page');
    expect(visibleText(onCall.blocks)).toMatch(/Escalation: On-call engineer\*: this SEV1 incident has been open \d+ s and is not acknowledged\.\nPaging <!subteam\^S0ONCALL>/);
    expect(channel.members.has('UERIN')).toBe(true);

    const lead = await waitFor(() => pagesIn(channel.id)[1], 'the team-lead page', 8000);
    expect(visibleText(lead.blocks)).toMatch(/Escalation: Team lead\*: this SEV1 incident has been open \d+ s and is not resolved\.\nPaging <@UDAVE>: please join and check in with the commander, <@UBOB>/);
    expect(channel.members.has('UDAVE')).toBe(true);

    const cto = await waitFor(() => pagesIn(channel.id)[2], 'the CTO rung', 8000);
    expect(visibleText(cto.blocks)).toMatch(/<@UBOB>, the runbook says to bring in the cto now\. Nobody is set for this rung/);
    // A page reaches Slack before the bot records it: wait for the record, not the message.
    expect(await waitFor(() => escalationsOf().length === 3 && escalationsOf(), 'the third page on the timeline')).toEqual([
      expect.stringMatching(/^Escalated to On-call engineer: not acknowledged after \d+ s$/),
      expect.stringMatching(/^Escalated to Team lead: not resolved after \d+ s$/),
      expect.stringMatching(/^Escalated to CTO: not resolved after \d+ s$/),
    ]);
    expect(await ask(h, 'status', { channelId: channel.id })).toMatch(/Escalated to:\* On-call engineer, Team lead, CTO/);
    await sleep(1500);
    expect(pagesIn(channel.id)).toHaveLength(3);
  });

  it('Acknowledge on the summary stores the time to acknowledge and spares the unacknowledged rung; resolve stops the rest', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Checkout errors', severity: 'SEV2', commander: 'UBOB' });
    const kickoff = h.fake.messages(channel.id)[0]!;
    const buttons = kickoff.blocks!.find((block) => block.type === 'actions')!.elements as any[];
    expect(buttons.map((button) => button.text.text)).toEqual(['Acknowledge', 'Post update', 'Change severity', 'Add note', 'Resolve']);

    const { responseUrl } = await clickButton(h, { userId: 'UCAROL', channelId: channel.id, messageTs: kickoff.ts, actionId: buttons[0].action_id, value: buttons[0].value });
    expect((await replyAt(h, responseUrl)).text).toMatch(/^:white_check_mark: Acknowledged after \d+ s\.$/);
    await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.includes('acknowledged the incident')), 'the acknowledgement in the channel');
    const incident = readDatabase(h.dbPath).incidents[0]!;
    expect(incident.acknowledged_by).toBe('UCAROL');
    expect(Number(incident.acknowledged_at) - Number(incident.declared_at)).toBeGreaterThanOrEqual(0);
    const summaryButtons = () => (h.fake.messages(channel.id)[0]!.blocks!.find((block) => block.type === 'actions')!.elements as any[]).map((button) => button.text.text);
    await waitFor(() => !summaryButtons().includes('Acknowledge'), 'the Acknowledge button to go');
    expect(visibleText(h.fake.messages(channel.id)[0]!.blocks)).toMatch(/Acknowledged:\* by <@UCAROL> after \d+ s/);

    // A second acknowledgement is refused, not recorded twice.
    expect(await ask(h, 'ack', { channelId: channel.id, userId: 'UDAVE' })).toMatch(/Already acknowledged by <@UCAROL>/);
    await sleep(Math.max(0, 2500 - (Date.now() - Number(kickoff.ts) * 1000))); // past the on-call rung's 2 s
    expect(pagesIn(channel.id)).toHaveLength(0);
    expect(readDatabase(h.dbPath).timeline.filter((entry) => entry.kind === 'acknowledged')).toHaveLength(1);

    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId: channel.id, userId: 'UBOB' }));
    await submitForm(h, resolve, { 'Resolution summary': 'Rolled back' }, 'UBOB');
    await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.startsWith('[RESOLVED]')), 'the resolution');
    await sleep(Math.max(0, 7000 - (Date.now() - Number(kickoff.ts) * 1000))); // past the team-lead rung's 6 s
    expect(pagesIn(channel.id)).toHaveLength(0);
  });

  it("counts the commander's first status update as acknowledging", async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Slow search', severity: 'SEV2', commander: 'UALICE' });
    const view = await expectModal(h, () => runCommand(h, 'update', { channelId: channel.id }));
    await submitForm(h, view, { Status: 'Investigating', 'What changed': 'Looking at the indexer' });
    await waitFor(() => readDatabase(h.dbPath).incidents[0]!.acknowledged_by === 'UALICE', 'the acknowledgement');
    await sleep(2500);
    expect(pagesIn(channel.id)).toHaveLength(0);
  });

  it('tells the channel when a user group cannot be found, and still pages the rest of the rung', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Disk full', severity: 'SEV3', commander: 'UBOB' });
    const page = await waitFor(() => pagesIn(channel.id)[0], 'the page');
    expect(visibleText(page.blocks)).toMatch(/There is no user group @platform in this workspace/);
    await waitFor(() => escalationsOf().length === 1, 'the page on the timeline');
  });

  it('pages each rung once when two bot processes share one database', async () => {
    await start();
    extraApps.push(await startApp(h.env, { cwd: h.dir }));
    const { channel } = await declareIncident(h, { title: 'Two bots', severity: 'SEV1', commander: 'UBOB' });
    await waitFor(() => pagesIn(channel.id).length >= 3, 'three pages', 10_000);
    await waitFor(() => escalationsOf().length >= 3, 'three pages on the timeline');
    await sleep(1500);
    expect(pagesIn(channel.id).map((message) => message.text.split(' (')[0])).toEqual(['Escalation: On-call engineer', 'Escalation: Team lead', 'Escalation: CTO']);
    expect(escalationsOf()).toHaveLength(3);
  });

  it('after SIGKILL and restart, pages a rung that came due while the bot was down, once', async () => {
    await start();
    const { channel } = await declareIncident(h, { title: 'Crashy bot', severity: 'SEV1', commander: 'UBOB' });
    await waitFor(() => pagesIn(channel.id)[0], 'the on-call page');
    h.app.child.kill('SIGKILL');
    await new Promise((resolve) => h.app.child.once('exit', resolve));
    await sleep(5500); // the team-lead and CTO rungs come due while down
    h.app = await startApp(h.env, { cwd: h.dir });
    await waitFor(() => pagesIn(channel.id).length >= 3, 'the missed pages', 8000);
    await sleep(1500);
    expect(pagesIn(channel.id)).toHaveLength(3);
  });
});

describe('post-mortem review reminders', () => {
  let h: Harness;
  afterEach(async () => h.close());
  const reviewRemindersIn = (channelId: string) => h.fake.messages(channelId).filter((message) => message.text.includes('Post-mortem review'));

  it('remind the commander after a SEV1 is resolved until the review is marked held', async () => {
    h = await startHarness({ env: { INCIDENT_CONFIG: configFile('severities: { SEV1: { escalation: [] } }\npostMortemReview: { within: 3s, remindEvery: 2s }\n') } });
    const { channel } = await declareIncident(h, { title: 'Data loss', severity: 'SEV1', commander: 'UALICE' });
    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId: channel.id }));
    await submitForm(h, resolve, { 'Resolution summary': 'Restored from backup' });

    const first = await waitFor(() => reviewRemindersIn(channel.id)[0], 'a review reminder', 6000);
    expect(first.text).toBe('<@UALICE> Post-mortem review due');
    expect(visibleText(first.blocks)).toMatch(/The post-mortem review of \*Data loss\* is due by \*\d{4}-\d\d-\d\d \d\d:\d\d UTC\* \(in \d+ s\)/);
    const overdue = await waitFor(() => reviewRemindersIn(channel.id)[1], 'an overdue review reminder', 6000);
    expect(visibleText(overdue.blocks)).toMatch(/it is \*\d+ s overdue\*/);

    const button = (overdue.blocks!.find((block) => block.type === 'actions')!.elements as any[])[0];
    expect(button.text.text).toBe('Review held');
    const { responseUrl } = await clickButton(h, { userId: 'UBOB', channelId: channel.id, messageTs: overdue.ts, actionId: button.action_id, value: button.value });
    expect((await replyAt(h, responseUrl)).text).toBe(':white_check_mark: Post-mortem review marked as held.');
    expect(readDatabase(h.dbPath).incidents[0]!.review_done_at).toBeTruthy();
    const count = reviewRemindersIn(channel.id).length;
    await sleep(3000);
    expect(reviewRemindersIn(channel.id)).toHaveLength(count);
    expect(await ask(h, 'postmortem done', { channelId: channel.id })).toMatch(/already marked as held/);
  });

  it('are not sent for severities that need no review, and /incident postmortem done needs a resolved incident', async () => {
    h = await startHarness({ env: { INCIDENT_CONFIG: configFile('postMortemReview: { remindEvery: 1s }\n') } });
    const { channel } = await declareIncident(h, { title: 'Typo on the pricing page', severity: 'SEV4', commander: 'UALICE' });
    expect(await ask(h, 'postmortem done', { channelId: channel.id })).toMatch(/comes after the incident is resolved/);
    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId: channel.id }));
    await submitForm(h, resolve, { 'Resolution summary': 'Fixed the typo' });
    await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.startsWith('[RESOLVED]')), 'the resolution');
    await sleep(2500);
    expect(reviewRemindersIn(channel.id)).toHaveLength(0);
  });
});

describe('the configuration file at start-up', () => {
  it('a mistake stops the bot with one line naming the file and the setting', async () => {
    const path = configFile('severities:\n  SEV1:\n    escalation:\n      - { tier: Lead, after: half an hour }\n');
    const result = await runAppToExit({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef', INCIDENT_CONFIG: path });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `Configuration error: ${path}: severities.SEV1.escalation.0.after must be a duration such as 45s, 10m, 1h or 1h30m, or 0, not "half an hour" (see incident.config.example.yml)`,
    ]);
  });
});

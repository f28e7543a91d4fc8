import { afterEach, describe, expect, it } from 'vitest';
import { declareIncident, readDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';
import { configFile, runAppToExit, startApp, type RunningApp } from '../support/launcher.js';
import { LADDER } from '../support/ladder.js';

/**
 * The runbooks' ladder with seconds for minutes, through the real app: what only processes show (two
 * bots on one database, a crash and restart, the configuration at start-up). Each rung's message,
 * acknowledging, resolving and the review reminders are in tests/flows/escalationSchedule.test.ts.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

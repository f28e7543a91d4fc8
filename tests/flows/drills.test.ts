import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { playDueDrillSteps } from '../../src/flows/drills.js';
import { sendDueEscalations } from '../../src/flows/escalation.js';
import { resolveIncident } from '../../src/flows/resolve.js';
import type { DueDrillStep, ScheduledSlot } from '../../src/ports.js';
import { LEASE_MS } from '../../src/scheduler/leases.js';
import { drillStepMessage } from '../../src/slack/views/drillMessage.js';
import { addNote, ask, runCommand, visibleText, waitFor, type BotUnderTest } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';
import { LADDER } from '../support/ladder.js';

/**
 * Drills through the real listeners, flows, scheduler passes and SQLite in this process, with the
 * shipped scenarios in drills/ and the clock moved by hand: `/incident drill`, its channel, what is
 * (not) announced or paged, its script played once across a crash, and `/incident drill end`.
 */

let bot: InProcessBot;
let h: BotUnderTest;
afterEach(() => bot.close());

async function start(env: Record<string, string> = {}): Promise<void> {
  bot = await startInProcess({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CGENERAL', ...env } });
  h = { fake: bot.fake, app: { url: await bot.startApp() } };
}

const scriptPass = (owner = 'this-process') => playDueDrillSteps({ ...bot.deps, owner, retryMs: 30_000 });
const at = (incident: Incident, seconds: number) => bot.clock.set(new Date(incident.declaredAt.getTime() + seconds * 1000));
const channelIdIn = (reply: string) => /<#(C[A-Z0-9]+)>/.exec(reply)?.[1];
const scriptIn = (channelId: string) => bot.fake.messages(channelId).filter((message) => message.metadata && (message.metadata as { event_type: string }).event_type === 'drill_step');

/** `/incident drill <scenario>` typed in #general; the drill as stored once its channel exists. */
async function startDrill(scenario = 'database-connection-failure', userId = 'UALICE'): Promise<{ reply: string; drill: Incident & { channelId: string } }> {
  const reply = await ask(h, `drill ${scenario}`, { userId });
  const channelId = channelIdIn(reply);
  if (!channelId) throw new Error(`no drill channel in "${reply}"`);
  const drill = (await bot.deps.incidents.findByChannel(channelId))!;
  return { reply, drill: drill as Incident & { channelId: string } };
}

describe('/incident drill', () => {
  it('without a scenario, or with one it does not have, lists the scenarios in drills/', async () => {
    await start();
    const help = await ask(h, 'drill');
    for (const name of ['database-connection-failure', 'deploy-5xx-spike', 'frontend-white-screen']) expect(help).toContain(`\`${name}\``);
    expect(help).toContain('`/incident drill end`');
    const unknown = await ask(h, 'drill fire-drill');
    expect(unknown).toMatch(/^There is no drill scenario called "fire-drill"\./);
    expect(unknown).toContain('`deploy-5xx-spike`: SEV2');
    expect(bot.fake.callsTo('conversations.create')).toHaveLength(0);
  });

  it('declares the scenario as a drill at once: a drill-… channel, DRILL in its topic and summary, the person as commander, nothing announced', async () => {
    await start();
    const { reply, drill } = await startDrill('database-connection-failure', 'UALICE');
    expect(reply).toMatch(/^:white_check_mark: Drill started in <#C[A-Z0-9]+>: API returning 500s, backend cannot connect to the database\. You are its commander; the scenario plays 6 messages over 12 min/);
    expect(drill).toMatchObject({ phase: 'live', drillScenario: 'database-connection-failure', severity: 'SEV1', commanderId: 'UALICE', title: 'API returning 500s, backend cannot connect to the database' });
    const channel = bot.fake.channels.get(drill.channelId)!;
    expect(channel.name).toBe('drill-2026-11-24-api-returning-500s-backend-cannot-connect-to-the-database');
    expect(channel.topic).toMatch(/^DRILL · SEV1 · Investigating · IC <@UALICE>/);
    const summary = bot.fake.messages(drill.channelId)[0]!;
    expect(bot.fake.pins(drill.channelId)).toEqual([summary.ts]);
    expect((summary.blocks![0] as { text: { text: string } }).text.text).toBe('🧪 DRILL: API returning 500s, backend cannot connect to the database');
    expect(visibleText(summary.blocks)).toContain(':test_tube: *DRILL*: a rehearsal, not a real incident.');
    expect(bot.fake.messages('CGENERAL')).toHaveLength(0);
    expect(await ask(h, 'status', { channelId: drill.channelId })).toMatch(/^\*DRILL: API returning 500s, backend cannot connect to the database\* \(#\d+\)\n\*Severity:\* SEV1/);

    // The same rule announces a real incident: the drill's silence is the rule, not a missing channel.
    await bot.declare({ title: 'Real outage' });
    expect(bot.fake.messages('CGENERAL').map((message) => message.text)).toEqual([expect.stringContaining('Real outage')]);
  });

  it('announces drills when drills.announce is true', async () => {
    await start({ INCIDENT_CONFIG: configFile('drills:\n  announce: true\n') });
    await startDrill('frontend-white-screen');
    expect(bot.fake.messages('CGENERAL').map((message) => message.text)).toEqual([expect.stringContaining('Web app shows a blank white screen on load')]);
  });

  it('names a second drill of the same scenario that day with -2', async () => {
    await start();
    const first = await startDrill('deploy-5xx-spike');
    const second = await startDrill('deploy-5xx-spike');
    expect(first.drill.channelName).toBe('drill-2026-11-24-5xx-spike-on-the-checkout-api-after-the-14-02-deploy');
    expect(second.drill.channelName).toBe('drill-2026-11-24-5xx-spike-on-the-checkout-api-after-the-14-02-deploy-2');
  });

  it('starts one drill when Slack delivers the command twice', async () => {
    await start();
    const triggerId = bot.fake.issueTriggerId('UALICE');
    const first = await ask(h, 'drill deploy-5xx-spike', { triggerId });
    expect(first).toMatch(/^:white_check_mark: Drill started/);
    expect((await runCommand(h, 'drill deploy-5xx-spike', { triggerId, retryNum: 1 })).status).toBe(200);
    expect(bot.fake.callsTo('conversations.create')).toHaveLength(1);
    expect(await bot.deps.incidents.listOpen()).toHaveLength(1);
  });

  it('/incident list counts only real incidents and lists drills apart', async () => {
    await start();
    await bot.declare({ title: 'Real outage' });
    const { drill } = await startDrill('frontend-white-screen');
    const list = await ask(h, 'list');
    expect(list).toMatch(/^\*Open incidents \(1\)\*\n• \*SEV2\* Real outage/);
    expect(list).toContain(`*Drills under way (1)*: rehearsals, not incidents\n• *SEV2* Web app shows a blank white screen on load · Investigating · 0 s · IC <@UALICE> · <#${drill.channelId}>`);
  });
});

describe('the script of a drill', () => {
  it('is posted into the channel at its times, with each speaker named, once', async () => {
    await start();
    const { drill } = await startDrill('database-connection-failure');
    expect(await scriptPass()).toBe(1);
    expect(scriptIn(drill.channelId).map((message) => message.text)).toEqual([expect.stringMatching(/^\*Alertmanager:\* :red_circle: FIRING: \*BackendHealthCheckFailing\*/)]);
    expect(await scriptPass()).toBe(0);

    at(drill, 59);
    expect(await scriptPass()).toBe(0);
    at(drill, 5 * 60);
    expect(await scriptPass()).toBe(3);
    expect(scriptIn(drill.channelId).map((message) => message.text.split(':*')[0])).toEqual(['*Alertmanager', '*Sentry', '*Dana (support)', '*Grafana']);
    at(drill, 60 * 60);
    expect(await scriptPass()).toBe(2);
    expect(await scriptPass()).toBe(0);
    expect(scriptIn(drill.channelId)).toHaveLength(6);
    expect(await bot.deps.drills.progress(drill.id)).toEqual({ posted: 6, total: 6 });
  });

  it('is neither lost nor repeated when a process dies mid-send: posted before the crash is found, not posted is sent', async () => {
    await start();
    const { drill } = await startDrill('deploy-5xx-spike');
    at(drill, 60);
    const [first, second] = await bot.deps.drills.dueSteps(bot.clock.now());
    // A process that died after posting step 0 but before recording it, and one that died just before posting step 1.
    await diedMidSend(first!, { posted: true });
    await diedMidSend(second!, { posted: false });
    expect(scriptIn(drill.channelId)).toHaveLength(1);

    // Until their leases run out, nobody else sends them: its heartbeat is fresh, so it might still be sending.
    expect(await scriptPass()).toBe(0);
    // A minute later (the lease ran out) step 1 is sent once, and step 2, due meanwhile, after it.
    bot.clock.advance(LEASE_MS + 1);
    expect(await scriptPass()).toBe(2);
    expect(await scriptPass()).toBe(0);
    expect(scriptIn(drill.channelId).map((message) => message.text.split(':*')[0])).toEqual(['*Sentry', '*Deploy bot', '*Alertmanager']);
    expect(await bot.deps.drills.progress(drill.id)).toEqual({ posted: 3, total: 6 });
  });

  it('stops when the drill is resolved', async () => {
    await start();
    const { drill } = await startDrill('frontend-white-screen');
    const live = (await bot.deps.incidents.findLiveById(drill.id))!;
    expect(await resolveIncident(bot.deps, live, 'UALICE', { summary: 'Rolled the frontend back', rootCause: 'A renamed variable' })).toMatchObject({ ok: true });
    at(drill, 3600);
    expect(await scriptPass()).toBe(0);
    expect(scriptIn(drill.channelId)).toHaveLength(0);
  });
});

/** What a process leaves behind when it dies mid-send: the lease and the pending key, and the message if it got out. */
async function diedMidSend(step: DueDrillStep, options: { posted: boolean }): Promise<void> {
  const slot: ScheduledSlot = { kind: 'drill_step', incidentId: step.incidentId, step: step.step };
  const now = bot.clock.now();
  await bot.deps.replicas.beat({ owner: 'dead-process', host: 'another-machine', pid: 1 }, new Date());
  expect(await bot.deps.leases.claim(slot, 'dead-process', now, LEASE_MS, [])).toBeDefined();
  const key = `key-${step.step}`;
  await bot.deps.leases.markPending(slot, 'dead-process', key, now);
  const incident = (await bot.deps.incidents.findLiveById(step.incidentId))!;
  if (options.posted) await bot.deps.chat.postMessage(incident.channelId, drillStepMessage(step, key));
}

describe('the escalation ladder in a drill', () => {
  it('names whom it would page and pages nobody', async () => {
    await start({ INCIDENT_CONFIG: configFile(LADDER) });
    bot.fake.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: ['UERIN'] });
    const { drill } = await startDrill('database-connection-failure');
    const pass = () => sendDueEscalations({ ...bot.deps, escalation: bot.config.escalation, owner: 'this-process', retryMs: 30_000 });
    expect(await pass()).toBe(1);
    const page = bot.fake.messages(drill.channelId).find((message) => message.text.startsWith('Escalation:'))!;
    expect(visibleText(page.blocks)).toContain('Drill: in a real incident this would page `@oncall`. Nobody outside this channel was paged');
    expect(visibleText(page.blocks)).not.toContain('<!subteam');
    expect(bot.fake.channels.get(drill.channelId)!.members.has('UERIN')).toBe(false);
    expect(bot.fake.callsTo('usergroups.list')).toHaveLength(0);
  });

  it('pages for real in a drill when drills.page is true', async () => {
    await start({ INCIDENT_CONFIG: configFile(`${LADDER}drills:\n  page: true\n`) });
    bot.fake.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: ['UERIN'] });
    const { drill } = await startDrill('database-connection-failure');
    expect(await sendDueEscalations({ ...bot.deps, escalation: bot.config.escalation, owner: 'this-process', retryMs: 30_000 })).toBe(1);
    expect(bot.fake.channels.get(drill.channelId)!.members.has('UERIN')).toBe(true);
  });
});

describe('/incident drill end', () => {
  it('archives the drill channel and removes the drill and everything recorded about it; the real incident stays', async () => {
    await start();
    const real = await bot.declare({ title: 'Real outage' });
    const { drill } = await startDrill('database-connection-failure');
    await scriptPass();
    await addNote(h, 'Checked the pool', { channelId: drill.channelId });
    expect(await ask(h, 'action Add an alert on pool exhaustion', { channelId: drill.channelId })).toMatch(/^:white_check_mark:/);
    expect(await ask(h, 'postmortem', { channelId: drill.channelId })).toMatch(/^:white_check_mark:/);
    const draft = [...bot.fake.files.values()].find((file) => file.channels.includes(drill.channelId))!;
    expect(draft.content).toMatch(/^# DRILL Incident Post-Mortem: API returning 500s/);
    expect(draft.content).toContain('> **This was a drill** (scenario `database-connection-failure`), not a real incident');
    const before = await bot.storedRows();
    const mentionsDrill = (rows: Record<string, unknown[]>) =>
      Object.entries(rows).flatMap(([table, list]) => list.filter((row) => (row as Record<string, unknown>).incident_id === drill.id || (table === 'incidents' && (row as { id: number }).id === drill.id)).map(() => table));
    expect(new Set(mentionsDrill(before))).toEqual(new Set(['incidents', 'participants', 'timeline_entries', 'action_items', 'postmortems', 'drill_steps']));

    expect(await ask(h, 'drill end', { channelId: drill.channelId, userId: 'UALICE' })).toBe(
      `:white_check_mark: Drill ended: #${drill.channelName} is archived and the drill is removed from the records.`,
    );
    expect(bot.fake.channels.get(drill.channelId)!.isArchived).toBe(true);
    expect(await bot.deps.incidents.findById(drill.id)).toBeUndefined();
    expect(mentionsDrill(await bot.storedRows())).toEqual([]);
    expect(await bot.deps.incidents.findById(real.id)).toMatchObject({ phase: 'live', title: 'Real outage' });
    expect((await bot.storedRows()).timeline_entries!.length).toBeGreaterThan(0);
  });

  it('refuses in a real incident channel, in a channel that is no incident, and to someone who is not its commander or a responder', async () => {
    await start({ INCIDENT_RESPONDERS: 'UCAROL' });
    const real = await bot.declare({ title: 'Real outage' });
    expect(await ask(h, 'drill end', { channelId: real.channelId })).toBe(
      ":x: This is a real incident's channel, not a drill's: `/incident drill end` only ends drills, and never removes a real incident. To close this one, use `/incident resolve`.",
    );
    expect(await ask(h, 'drill end', { channelId: 'CGENERAL' })).toMatch(/`\/incident drill end` works in an incident's own channel/);
    const { drill } = await startDrill('frontend-white-screen', 'UALICE');
    expect(await ask(h, 'drill end', { channelId: drill.channelId, userId: 'UBOB' })).toBe(':x: Only the incident commander (<@UALICE>) or a listed responder can end the drill.');
    expect(bot.fake.callsTo('conversations.archive')).toHaveLength(0);
    expect(await bot.deps.incidents.findById(real.id)).toBeDefined();
    expect(await bot.deps.incidents.findById(drill.id)).toBeDefined();
    expect(await ask(h, 'drill end', { channelId: drill.channelId, userId: 'UCAROL' })).toMatch(/^:white_check_mark: Drill ended/);
  });

  it('removes nothing when Slack will not archive the channel, so it can be run again', async () => {
    await start();
    const { drill } = await startDrill('frontend-white-screen');
    bot.fake.failMethod('conversations.archive', { error: 'ratelimited', times: 1 });
    expect(await ask(h, 'drill end', { channelId: drill.channelId })).toMatch(/^:x: /);
    expect(await bot.deps.incidents.findById(drill.id)).toBeDefined();
    await waitFor(async () => (await ask(h, 'drill end', { channelId: drill.channelId })).startsWith(':white_check_mark: Drill ended'), 'the drill to end');
    expect(await bot.deps.incidents.findById(drill.id)).toBeUndefined();
  });
});

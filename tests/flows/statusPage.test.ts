import { afterEach, describe, expect, it } from 'vitest';
import { asLive, type LiveIncident } from '../../src/domain/incident.js';
import type { Publication } from '../../src/domain/statusPage.js';
import { completeDeclaration } from '../../src/flows/declare.js';
import { deliverDueSends } from '../../src/flows/outbox.js';
import { resolveIncident } from '../../src/flows/resolve.js';
import { postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { outboxDestinations } from '../../src/outlets/index.js';
import { startFakeStatuspage, type FakeStatuspage } from '../support/fakeStatuspage.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';

/**
 * The status page through the outbox, in this process: the real flows write the rows, the real
 * pass publishes them on a fake Statuspage on 127.0.0.1 that checks paths, the key and the bodies
 * as the real API does, and the clock is moved by hand instead of waiting out the retries.
 */
const CHECKOUT = 'cmp0checkout';
const SEARCH = 'cmp0search';
const COMPONENTS = `status_page:\n  components:\n    Checkout API: ${CHECKOUT}\n    Search: ${SEARCH}\n`;

describe('publishing on the status page', () => {
  let bot: InProcessBot;
  let page: FakeStatuspage;
  afterEach(async () => {
    await bot?.close();
    await page?.stop();
  });

  const start = async (env: Record<string, string> = {}) => {
    page = await startFakeStatuspage([CHECKOUT, SEARCH]);
    bot = await startInProcess({ env: { ...page.env, INCIDENT_CONFIG: configFile(COMPONENTS), OUTBOX_SEND_TIMEOUT: '1s', ...env } });
  };
  /** One pass of the outbox, as the running bot makes every tick. */
  const pass = () =>
    deliverDueSends({ ...bot.deps, senders: outboxDestinations(bot.config, bot.clock.now, () => bot.deps).senders, outboxSettings: bot.config.outbox, owner: 'this-process' });
  const rowsOf = async (incident: LiveIncident) => (await bot.deps.outbox.listFor(incident.id)).filter((row) => row.destination === 'statuspage');
  /** Past the next retry time of every pending row. */
  const afterBackoff = async (incident: LiveIncident) => {
    const next = Math.max(...(await rowsOf(incident)).map((row) => row.nextAttemptAt?.getTime() ?? 0));
    bot.clock.set(new Date(next + 1));
  };
  const declare = async (options: { severity?: 'SEV1' | 'SEV2' | 'SEV3'; isPrivate?: boolean; publication?: Publication } = {}) => {
    const { incident } = await bot.deps.incidents.recordDeclaration(
      `V-status-${Math.random()}`,
      { title: 'Checkout errors', severity: options.severity ?? 'SEV1', impact: 'Checkout fails for 20 % of users', commanderId: 'UBOB', isPrivate: options.isPrivate ?? false },
      'UALICE',
      bot.clock.now(),
    );
    const outcome = await completeDeclaration(bot.deps, incident, options.publication);
    if (outcome.kind !== 'declared') throw new Error(outcome.message);
    return asLive((await bot.deps.incidents.findById(incident.id))!)!;
  };
  const current = async (incident: LiveIncident) => (await bot.deps.incidents.findLiveById(incident.id))!;
  const PUBLISHED_DECLARE: Publication = { message: '[INVESTIGATING] We are currently investigating reports of failed checkouts.', components: ['Checkout API'] };

  it('creates the incident with its components at the declaration, updates it, and resolves it with the components operational', async () => {
    await start();
    const incident = await declare({ publication: PUBLISHED_DECLARE });
    expect(await pass()).toBe(1);

    expect(page.incidents).toHaveLength(1);
    const created = page.incidents[0]!;
    expect(created).toMatchObject({ name: 'Checkout errors', status: 'investigating', components: [{ id: CHECKOUT, status: 'major_outage' }] });
    expect(created.incident_updates.at(-1)!.body).toBe(PUBLISHED_DECLARE.message);
    expect(page.components.get(SEARCH)).toBe('operational');
    expect(page.requests.every((request) => request.authorized)).toBe(true);
    expect(page.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/pages/kctbh9vrtdwd/incidents/unresolved',
      'POST /v1/pages/kctbh9vrtdwd/incidents',
    ]);

    // The pinned summary shows the public message, and the timeline has it.
    const summary = bot.fake.messages(incident.channelId).find((message) => message.ts === incident.kickoffTs)!;
    expect(JSON.stringify(summary.blocks)).toContain('*Status page*');
    expect(JSON.stringify(summary.blocks)).toContain('We are currently investigating reports of failed checkouts.');
    expect((await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'status_page').map((entry) => entry.text)).toEqual([
      `Published to the status page (Investigating): ${PUBLISHED_DECLARE.message}`,
    ]);

    bot.clock.advance(60_000);
    await postStatusUpdate(bot.deps, await current(incident), 'UBOB', { status: 'identified', whatChanged: 'Bad deploy', impact: '', nextSteps: '' }, { source: 'person' }, null, {
      message: '[IDENTIFIED] We have identified the issue as a faulty release.',
      components: [],
    });
    expect(await pass()).toBe(1);
    const patch = page.requests.at(-1)!;
    expect(patch).toMatchObject({ method: 'PATCH', path: `/v1/pages/kctbh9vrtdwd/incidents/${created.id}` });
    expect(patch.body.incident).toMatchObject({ status: 'identified', body: '[IDENTIFIED] We have identified the issue as a faulty release.', components: { [CHECKOUT]: 'major_outage' } });

    bot.clock.advance(60_000);
    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Rolled back', rootCause: 'A faulty release' }, { message: '[RESOLVED] The issue has been resolved.', components: [] });
    expect(await pass()).toBe(1);
    expect(page.incidents).toHaveLength(1);
    expect(page.incidents[0]).toMatchObject({ status: 'resolved', components: [{ id: CHECKOUT, status: 'operational' }] });
    expect(page.components.get(CHECKOUT)).toBe('operational');
    expect((await rowsOf(incident)).map((row) => row.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('writes nothing for the status page when no form asked to publish, private or not', async () => {
    await start();
    const publicOne = await declare();
    const privateOne = await declare({ isPrivate: true });
    await postStatusUpdate(bot.deps, privateOne, 'UBOB', { status: 'identified', whatChanged: 'Found it', impact: '', nextSteps: '' });
    expect(await rowsOf(publicOne)).toEqual([]);
    expect(await rowsOf(privateOne)).toEqual([]);
    await pass();
    expect(page.requests).toEqual([]);
  });

  it('publishes a private incident when its form asked to, explicitly', async () => {
    await start();
    const incident = await declare({ isPrivate: true, publication: PUBLISHED_DECLARE });
    await pass();
    expect(page.incidents.map((created) => created.status)).toEqual(['investigating']);
    expect((await rowsOf(incident)).map((row) => row.state)).toEqual(['sent']);
  });

  it('retries a 500 within 30 s, leaving the incident as it was, and creates the incident once', async () => {
    await start();
    page.answer({ status: 500 }, { status: 503 });
    const incident = await declare({ publication: PUBLISHED_DECLARE });
    await pass();
    const [row] = await rowsOf(incident);
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row!.lastError).toMatch(/HTTP 500/);
    expect(row!.nextAttemptAt!.getTime() - bot.clock.now().getTime()).toBeLessThanOrEqual(30_000);
    expect((await current(incident)).status).toBe('investigating');

    await afterBackoff(incident);
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', attempts: 2 });
    await afterBackoff(incident);
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'sent', attempts: 3 });
    expect(page.incidents).toHaveLength(1);
  });

  it('creates the incident once when Statuspage created it but its answer was lost', async () => {
    await start();
    // The list of unresolved incidents as usual, then the incident created and the answer lost.
    page.answer({ as: 'usual' }, { loseAnswer: true });
    const incident = await declare({ publication: PUBLISHED_DECLARE });
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', attempts: 1 });
    await afterBackoff(incident);
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'sent', attempts: 2 });
    expect(page.incidents).toHaveLength(1);
    expect(page.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('does not post an update twice when its answer was lost', async () => {
    await start();
    const incident = await declare({ publication: PUBLISHED_DECLARE });
    await pass();
    await postStatusUpdate(bot.deps, await current(incident), 'UBOB', { status: 'monitoring', whatChanged: 'Fix out', impact: '', nextSteps: '' }, { source: 'person' }, null, {
      message: '[MONITORING] A fix has been deployed.',
      components: [],
    });
    page.answer({ as: 'usual' }, { loseAnswer: true });
    await pass();
    await afterBackoff(incident);
    await pass();
    expect((await rowsOf(incident)).map((row) => row.state)).toEqual(['sent', 'sent']);
    expect(page.incidents[0]!.incident_updates.map((update) => update.status)).toEqual(['investigating', 'monitoring']);
  });

  it('waits out a 429 as its Retry-After says, and retries when Statuspage is down or slow', async () => {
    await start();
    page.answer({ status: 429, retryAfter: '20' });
    const incident = await declare({ publication: PUBLISHED_DECLARE });
    const before = bot.clock.now().getTime();
    await pass();
    expect((await rowsOf(incident))[0]!.nextAttemptAt!.getTime() - before).toBe(20_000);

    await page.stop();
    await afterBackoff(incident);
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', attempts: 2 });

    await page.start();
    page.answer({ hangMs: 3_000 });
    await afterBackoff(incident);
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'pending', attempts: 3 });

    await afterBackoff(incident);
    await pass();
    expect((await rowsOf(incident))[0]).toMatchObject({ state: 'sent', attempts: 4 });
    expect(page.incidents).toHaveLength(1);
  });

  it('tells the channel at once when Statuspage refuses the key, and keeps the incident as it was', async () => {
    await start({ STATUSPAGE_API_KEY: 'the-wrong-key-0123456789abcdef' });
    const incident = await declare({ publication: PUBLISHED_DECLARE });
    await pass();
    const [row] = await rowsOf(incident);
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row!.lastError).toContain('STATUSPAGE_API_KEY');
    const told = bot.fake.messages(incident.channelId).filter((message) => /status page/.test(message.text));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('<@UBOB>');
    expect((await current(incident)).status).toBe('investigating');
  });
});

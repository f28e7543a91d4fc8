import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishDueHomes } from '../../src/flows/appHome.js';
import { addNote } from '../../src/flows/notes.js';
import { resolveIncident } from '../../src/flows/resolve.js';
import { assignRole } from '../../src/flows/roles.js';
import { HOME_PUBLISH_DELAY_MS } from '../../src/outlets/appHome.js';
import { sendEvent, sendSlashCommand } from '../../src/sandbox/slackRequests.js';
import { waitFor } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

/** The Home tab: published when something changed, never rebuilt for an open that would show the same. */
describe('the Home tab', () => {
  let bot: InProcessBot;
  let url: string;
  beforeEach(async () => {
    bot = await startInProcess();
    url = await bot.startApp();
  });
  afterEach(() => bot.close());

  const publishes = (userId: string) => bot.fake.callsTo('views.publish').filter((call) => call.args.user_id === userId && call.outcome === 'ok').length;
  const openHome = async (userId: string) => {
    expect((await sendEvent(url, bot.fake.openHome(userId))).status).toBe(200);
    await bot.inFlight.drain(10_000);
  };
  /** The Home's incident lines, top to bottom, as the person reads them. */
  const homeText = (userId: string) => JSON.stringify(bot.fake.homeView(userId)?.blocks ?? []);
  const publishPass = () => publishDueHomes(bot.deps);

  it('is published on the first open, not on the next while nothing changed, and once after a burst of changes', async () => {
    const checkout = await bot.declare({ title: 'Checkout errors', commanderId: 'UBOB' });
    await openHome('UCAROL');
    expect(publishes('UCAROL')).toBe(1);
    expect(homeText('UCAROL')).toContain('Checkout errors');
    await openHome('UCAROL');
    await openHome('UCAROL');
    expect(publishes('UCAROL')).toBe(1);

    // A burst: a declaration and two changes, within the delay.
    await bot.declare({ title: 'Search slow', commanderId: 'UBOB' });
    await assignRole(bot.deps, (await bot.deps.incidents.findLiveById(checkout.id))!, 'UBOB', 'scribe', 'UCAROL');
    expect(await publishPass()).toBe(0); // not yet: the burst may go on
    bot.clock.advance(HOME_PUBLISH_DELAY_MS);
    expect(await publishPass()).toBe(1);
    expect(await publishPass()).toBe(0);
    expect(publishes('UCAROL')).toBe(2);
    expect(homeText('UCAROL')).toContain('Search slow');
    await openHome('UCAROL');
    expect(publishes('UCAROL')).toBe(2);
  });

  it('lists first the incidents where the viewer holds a role, and the resolved ones below', async () => {
    await bot.declare({ title: 'Payments failing', commanderId: 'UCAROL' });
    await bot.declare({ title: 'Login slow', commanderId: 'UBOB' });
    const done = await bot.declare({ title: 'Queue stuck', commanderId: 'UBOB' });
    await resolveIncident(bot.deps, done, 'UBOB', { summary: 'Restarted the consumer', rootCause: '' });
    await openHome('UCAROL');
    const text = homeText('UCAROL');
    expect(text.indexOf('Payments failing')).toBeLessThan(text.indexOf('Login slow'));
    expect(text).toContain('you are incident commander');
    expect(text.indexOf('Recently resolved')).toBeLessThan(text.indexOf('Queue stuck'));
    expect(text).toContain('*SEV2*: 3 incidents');
  });

  it('leaves drills out, and a drill changing publishes nothing', async () => {
    await bot.declare({ title: 'Checkout errors', commanderId: 'UBOB' });
    await openHome('UCAROL');
    const response = await sendSlashCommand(url, { text: 'drill database-connection-failure', userId: 'UALICE', channelId: 'CGENERAL', triggerId: bot.fake.issueTriggerId('UALICE'), responseUrl: bot.fake.responseUrl() });
    expect(response.status).toBe(200);
    await bot.inFlight.drain(10_000);
    const drill = await waitFor(async () => (await bot.deps.incidents.listOpen()).find((incident) => incident.drillScenario !== null), 'the drill to be live');
    bot.clock.advance(HOME_PUBLISH_DELAY_MS);
    expect(await publishPass()).toBe(0);
    expect(publishes('UCAROL')).toBe(1);
    // A real change republishes, and the drill is not on it.
    await bot.declare({ title: 'Search slow', commanderId: 'UBOB' });
    bot.clock.advance(HOME_PUBLISH_DELAY_MS);
    expect(await publishPass()).toBe(1);
    expect(homeText('UCAROL')).toContain('Search slow');
    expect(homeText('UCAROL')).not.toContain(drill.title);
    expect(homeText('UCAROL')).toContain('*SEV2*: 2 incidents');
  });

  it('is not published again for a note, which only adds to the timeline', async () => {
    const checkout = await bot.declare({ title: 'Checkout errors', commanderId: 'UBOB' });
    await openHome('UCAROL');
    bot.clock.advance(HOME_PUBLISH_DELAY_MS);
    expect(await publishPass()).toBe(0);
    expect((await addNote(bot.deps, checkout, 'UBOB', 'rolled back the deploy')).ok).toBe(true);
    bot.clock.advance(HOME_PUBLISH_DELAY_MS);
    expect(await publishPass()).toBe(0);
    // A change Home shows is published as before.
    await assignRole(bot.deps, (await bot.deps.incidents.findLiveById(checkout.id))!, 'UBOB', 'scribe', 'UCAROL');
    bot.clock.advance(HOME_PUBLISH_DELAY_MS);
    expect(await publishPass()).toBe(1);
    expect(publishes('UCAROL')).toBe(2);
  });

  it('a publish Slack refuses is logged, told to nobody, and made on the next open', async () => {
    bot.fake.failMethod('views.publish', { error: 'internal_error', times: 1 });
    await openHome('UCAROL');
    expect(publishes('UCAROL')).toBe(0);
    expect(bot.logs.some((line) => line.msg === 'could not publish the Home tab; it is published again on the next open or change')).toBe(true);
    expect(bot.fake.dms('UCAROL')).toEqual([]);
    await openHome('UCAROL');
    expect(publishes('UCAROL')).toBe(1);
  });
});

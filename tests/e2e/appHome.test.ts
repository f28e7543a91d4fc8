import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEvent } from '../../src/sandbox/slackRequests.js';
import { declareIncident, startHarness, visibleText, waitFor, type Harness } from '../support/harness.js';

/** The Home tab through the built bot (dist/main.js) and the fake Slack. */
describe('the Home tab', () => {
  let h: Harness;
  beforeAll(async () => {
    // Debug: the log says when an open found the Home current, so the test need not guess how long to wait.
    h = await startHarness({ env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(() => h.close());

  const publishes = (userId: string) => h.fake.callsTo('views.publish').filter((call) => call.args.user_id === userId && call.outcome === 'ok');

  it('is published when someone opens it, and published again a few seconds after an incident is declared', async () => {
    expect((await sendEvent(h.app.url, h.fake.openHome('UCAROL'))).status).toBe(200);
    await waitFor(() => publishes('UCAROL').length === 1, 'the Home tab to be published on opening it');
    expect(visibleText(h.fake.homeView('UCAROL')?.blocks)).toContain('No open incidents');

    await declareIncident(h, { title: 'Checkout errors', severity: 'SEV1', impact: 'Checkout returns 500', commander: 'UCAROL' });
    await waitFor(() => publishes('UCAROL').length === 2, 'the Home tab to be published again after the declaration');
    const home = visibleText(h.fake.homeView('UCAROL')?.blocks);
    expect(home).toContain('Checkout errors');
    expect(home).toContain('you are incident commander');
    // Opening it again with nothing changed publishes nothing.
    expect((await sendEvent(h.app.url, h.fake.openHome('UCAROL'))).status).toBe(200);
    await h.app.waitForLog((line) => line.msg === 'Home tab opened' && line.published === false);
    expect(publishes('UCAROL')).toHaveLength(2);
  });
});

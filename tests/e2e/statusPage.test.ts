import { afterEach, describe, expect, it } from 'vitest';
import { declareOutcome, openDeclareForm, startHarness, submitForm, waitFor, type Harness } from '../support/harness.js';
import { configFile, startApp } from '../support/launcher.js';
import { startFakeStatuspage, type FakeStatuspage } from '../support/fakeStatuspage.js';

/**
 * The status page through the built bot (dist/main.js): the declare form as a person fills it in,
 * and a fake Statuspage on 127.0.0.1 that checks paths, the key and the bodies. What needs a
 * process: start-up with the settings, a real clock, and a crash with a publication pending. Each
 * fault and retry, with the clock moved by hand, is in tests/flows/statusPage.test.ts.
 */
const CHECKOUT = 'cmp0checkout';

describe('the status page', () => {
  let h: Harness;
  let page: FakeStatuspage;
  afterEach(async () => {
    await h?.close();
    await page?.stop();
  });
  const start = async () => {
    page = await startFakeStatuspage([CHECKOUT]);
    h = await startHarness({ env: { ...page.env, INCIDENT_CONFIG: configFile(`status_page:\n  components:\n    Checkout API: ${CHECKOUT}\n`), OUTBOX_FIRST_RETRY: '1s' } });
  };
  const declareSev1Published = async (title: string) => {
    const { view } = await openDeclareForm(h, title);
    const response = await submitForm(h, view, { Severity: 'SEV1', 'Status page': true, 'Affected components (status page)': 'Checkout API' });
    expect(response.status).toBe(200);
    return declareOutcome(h, view.id);
  };

  it('publishes a SEV1 declaration with its component, and shows the message in the pinned summary', async () => {
    await start();
    const outcome = await declareSev1Published('Checkout errors');
    const channelId = /<#(C[A-Z0-9]+)>/.exec(outcome)![1]!;
    const [incident] = await waitFor(() => page.incidents.length > 0 && page.incidents, 'the incident on the status page', 15_000);
    expect(incident).toMatchObject({ name: 'Checkout errors', status: 'investigating', components: [{ id: CHECKOUT, status: 'major_outage' }] });
    expect(incident!.incident_updates[0]!.body).toBe('[INVESTIGATING] We are currently investigating reports of Checkout errors.\nUpdates will be provided as we learn more.');
    await waitFor(() => h.fake.messages(channelId).some((message) => JSON.stringify(message.blocks ?? []).includes('*Status page*')), 'the public message in the pinned summary', 10_000);
  });

  it('creates the incident once after the bot is killed with the publication pending, Statuspage being down', async () => {
    await start();
    await page.stop();
    await declareSev1Published('Payments down');
    await h.app.waitForLog((line) => line.msg === 'send failed; it is retried', 10_000);
    h.app.child.kill('SIGKILL');
    await new Promise((resolve) => h.app.child.once('exit', resolve));
    await page.start();

    h.app = await startApp(h.env, { cwd: h.dir });
    await waitFor(() => page.incidents.length > 0, 'the incident on the status page after the restart', 15_000);
    // A further pass or two: nothing more is created.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(page.incidents.map((incident) => incident.name)).toEqual(['Payments down']);
    expect(page.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});

/**
 * The sandbox page API with the sandbox's own incident.config.yml (its example incident types):
 * a Type choice reaches the bot as block_actions and the open form is redrawn; number and multiple
 * choice fields are checked as Slack's client checks them; the Home tab is what the bot published.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packagePath } from '../../src/packageRoot.js';
import type { InProcessBot } from '../support/inProcess.js';
import { startSandboxPage, type SandboxPage } from '../support/sandboxPage.js';
import { waitFor } from '../support/harness.js';

type Json = Record<string, any>;

let page: SandboxPage;
let bot: InProcessBot;
const api: SandboxPage['api'] = (method, path, body) => page.api(method, path, body);
const state = (as?: string) => page.state(as);
const modalOf = (as?: string) => page.modalOf(as);

const FORM = { title: 'Stripe webhooks failing', severity: 'SEV2', impact: null, commander: 'UALICE', visibility: [], impact_started: null };

/** Opens the declare form and chooses `type` in it; resolves once the bot has redrawn it. */
async function declareFormWithType(type: string, label: string): Promise<Json> {
  expect((await api('POST', '/api/channels/CGENERAL/messages', { as: 'UALICE', text: '/incident declare' })).status).toBe(200);
  const modal = await modalOf();
  expect(modal.html).toContain('data-dispatch="true"');
  const chosen = await api('POST', `/api/views/${modal.id}/actions`, { as: 'UALICE', blockId: 'incident_type', actionId: 'incident_type_select', values: { ...FORM, incident_type: type } });
  expect(chosen.json).toEqual({ ok: true });
  return waitFor(async () => {
    const redrawn = (await state()).modal as Json;
    return redrawn.hash !== modal.hash && redrawn.html.includes(label) ? redrawn : undefined;
  }, `the form redrawn with the ${type} fields`);
}

beforeEach(async () => {
  page = await startSandboxPage({ INCIDENT_CONFIG: packagePath('src', 'sandbox', 'incident.config.yml') });
  bot = page.bot;
});
afterEach(() => page.close());

describe('incident types in the sandbox', () => {
  it('sends a Type choice as block_actions with the form as it stands, and shows the form the bot redraws', async () => {
    const modal = await declareFormWithType('security', 'Customer data exposed?');
    const sent = bot.fake.views.get(modal.id)!;
    expect(sent.view.blocks.map((block) => block.block_id)).toEqual(expect.arrayContaining(['field:data_exposed', 'field:records', 'field:reported_by']));
    // Security starts private: the redrawn form ticks the checkbox, and keeps the title typed before the choice.
    expect(modal.html).toMatch(/<input type="checkbox" name="[^"]+" value="private" checked/);
    expect(modal.html).toContain('value="Stripe webhooks failing"');
    expect(modal.html).toContain('<option value="security" selected>Security</option>');
    expect(modal.html).toMatch(/<input type="text" inputmode="decimal" id="[^"]+" value="">/);

    const forged = await api('POST', `/api/views/${modal.id}/actions`, { as: 'UALICE', blockId: 'severity', actionId: 'severity_select', values: FORM });
    expect(forged.status).toBe(400);
    expect(forged.json.error).toBe('Slack would not send this form: severity does not send its choices to the app.');
  });

  it('checks a number as Slack does, then declares with the fields shown in the pinned summary', async () => {
    const modal = await declareFormWithType('payments', 'Payment providers');
    expect(modal.html).toMatch(/<select multiple size="3" id="[^"]+">/);
    const fields = { incident_type: 'payments', 'field:providers': ['Stripe', 'Adyen'], 'field:failed_payments': 'about 40', 'field:first_failed': '2026-11-24', 'field:webhook_errors': 'signature mismatch' };
    const wrong = await api('POST', `/api/views/${modal.id}/submit`, { as: 'UALICE', values: { ...FORM, ...fields } });
    expect(wrong.json.errors).toEqual({ 'field:failed_payments': 'Please enter a number.' });
    const unknownChoice = await api('POST', `/api/views/${modal.id}/submit`, { as: 'UALICE', values: { ...FORM, ...fields, 'field:providers': ['Stripe', 'Klarna'] } });
    expect(unknownChoice.json.error).toBe('Slack would not send this form: field:providers: a choice that is not one of its options.');

    const declared = await api('POST', `/api/views/${modal.id}/submit`, { as: 'UALICE', values: { ...FORM, ...fields, 'field:failed_payments': '40' } });
    expect(declared.json).toMatchObject({ ok: true, outcome: 'updated' });
    const channel = await waitFor(async () => ((await state()).channels as Json[]).find((candidate) => candidate.label.startsWith('#pay-')), 'the payments channel');
    const summary = await waitFor(async () => {
      const view = (await api('GET', `/api/channels/${channel.id}?as=UALICE`)).json;
      const pinnedTs = bot.fake.pins(channel.id)[0];
      return (view.messages as Json[]).find((message) => message.ts === pinnedTs && message.html.includes('Payment providers'));
    }, 'the pinned summary with the fields');
    expect(summary.html).toContain('Stripe, Adyen');
    expect(summary.html).toContain('40');
    expect(summary.html).toContain('2026-11-24');
  });
});

describe('the sandbox\'s Security type', () => {
  it('declares a private #sec- channel with the @security-oncall group (Bob and Erin) invited', async () => {
    const modal = await declareFormWithType('security', 'Customer data exposed?');
    const fields = { incident_type: 'security', visibility: ['private'], 'field:data_exposed': 'unknown', 'field:credentials': 'STRIPE_SECRET_KEY', 'field:records': '1200', 'field:reported_by': 'UCAROL' };
    const declared = await api('POST', `/api/views/${modal.id}/submit`, { as: 'UALICE', values: { ...FORM, title: 'API key leaked in a public repo', ...fields } });
    expect(declared.json).toMatchObject({ ok: true, outcome: 'updated' });
    const channel = await waitFor(async () => ((await state()).channels as Json[]).find((candidate) => candidate.label.startsWith('#sec-')), 'the security channel');
    expect(channel.isPrivate).toBe(true);
    await waitFor(async () => {
      const members = (await api('GET', `/api/channels/${channel.id}?as=UALICE`)).json.members as string[];
      return ['Alice', 'Bob', 'Erin'].every((name) => members.includes(name)) ? members : undefined;
    }, 'Bob and Erin invited');
    expect(((await state('UCAROL')).channels as Json[]).map((candidate) => candidate.id)).not.toContain(channel.id);
  });
});

describe('the Home tab in the sandbox', () => {
  it('opening Home sends app_home_opened; the page shows what the bot published, nothing before', async () => {
    expect((await api('GET', '/api/home?as=UALICE')).json).toEqual({ html: null });
    expect((await api('POST', '/api/home/open', { as: 'UALICE' })).json).toEqual({ ok: true });
    const home = await waitFor(async () => (await api('GET', '/api/home?as=UALICE')).json.html as string | null, 'the published Home tab');
    expect(home).toContain('Incidents');
    expect(bot.fake.callsTo('views.publish').map((call) => call.args.user_id)).toEqual(['UALICE']);
    expect((await api('POST', '/api/home/actions', { as: 'UALICE', blockId: 'x', actionId: 'y', value: '' })).status).toBe(409);
    expect((await api('POST', '/api/home/open', { as: 'UNOBODY' })).status).toBe(400);
  });
});

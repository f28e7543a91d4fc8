import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'vitest';
import { clickButton, openDeclareForm, submitForm, declareOutcome, runCommand, visibleText, waitFor, type BotUnderTest } from '../support/harness.js';
import { postmortemSource } from '../../src/outlets/postmortemDraft.js';
import { renderPostmortem } from '../../src/render/postmortem.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { fillModal, viewBlockAction, type Answer } from '../support/modals.js';
import { httpSender } from '../../src/sandbox/slackRequests.js';
import type { EmulatedView } from '../../src/sandbox/slackEmulator.js';

const CONFIG = `
incident_types:
  - key: security
    label: Security
    private: true
    channel_prefix: sec
    responders: [UERIN]
    user_group: "@security-oncall"
    fields:
      - { key: customer_tier, label: Customer tier, kind: single_select, options: [free, pro, enterprise], required: true }
      - { key: records, label: Records exposed, kind: number }
      - { key: regions, label: Regions, kind: multi_select, options: [eu, us, apac] }
      - { key: reporter, label: Reported by, kind: user }
      - { key: found_on, label: Found on, kind: date }
      - { key: vector, label: Attack vector, kind: long_text }
      - { key: ticket, label: Ticket, kind: short_text }
  - key: payments
    label: Payments
    fields:
      - { key: psp, label: Payment provider, kind: single_select, options: [stripe, adyen] }
`;

async function start(context: TestContext): Promise<{ bot: InProcessBot; h: BotUnderTest }> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-types-'));
  writeFileSync(join(dir, 'incident.config.yml'), CONFIG);
  const bot = await startInProcess({ env: { INCIDENT_CONFIG: join(dir, 'incident.config.yml') } });
  context.onTestFinished(() => bot.close());
  return { bot, h: { fake: bot.fake, app: { url: await bot.startApp() } } };
}

const labels = (view: EmulatedView) => view.view.blocks.filter((block) => block.type === 'input').map((block) => (block.label as { text: string }).text);

/** Chooses a type in the open form, with `answers` typed so far, and waits for the redraw. */
async function chooseType(h: BotUnderTest, view: EmulatedView, type: string, answers: Record<string, Answer> = {}): Promise<EmulatedView> {
  const hash = h.fake.views.get(view.id)!.hash;
  const values = fillModal(view.view, answers);
  values.incident_type = { incident_type_select: { type: 'static_select', selected_option: { value: type } } };
  const response = await httpSender(h.app.url).interaction(viewBlockAction({ ...view.view, hash }, 'UALICE', values, { blockId: 'incident_type', actionId: 'incident_type_select', value: type }));
  if (response.status !== 200) throw new Error(`the choice was answered ${response.status}`);
  return waitFor(() => {
    const now = h.fake.views.get(view.id)!;
    return now.hash !== hash ? now : undefined;
  }, 'the form to be redrawn', 3000);
}

describe('incident types in the declare form', () => {
  it('redraws the form with the chosen type\'s fields through views.update, keeping what was typed', async (context) => {
    const { expect } = context;
    const { h } = await start(context);
    const { view } = await openDeclareForm(h, 'Token leaked');
    expect(labels(view)).toEqual(['Title', 'Type', 'Severity', 'What is happening / impact', 'Impact started at', 'Incident commander', 'Visibility']);
    const security = await chooseType(h, view, 'security', { 'What is happening / impact': 'A key in a public repo' });
    expect(labels(security)).toEqual(['Title', 'Type', 'Customer tier', 'Records exposed', 'Regions', 'Reported by', 'Found on', 'Attack vector', 'Ticket', 'Severity', 'What is happening / impact', 'Impact started at', 'Incident commander', 'Visibility']);
    expect(security.view.blocks.map((block) => (block.element as { type?: string } | undefined)?.type).slice(2, 9)).toEqual(['static_select', 'number_input', 'multi_static_select', 'users_select', 'datepicker', 'plain_text_input', 'plain_text_input']);
    const impact = security.view.blocks.find((block) => block.block_id === 'impact')!.element as { initial_value?: string };
    expect(impact.initial_value).toBe('A key in a public repo');
    // Private by type: the checkbox starts ticked.
    expect((security.view.blocks.find((block) => block.block_id === 'visibility')!.element as { initial_options?: unknown[] }).initial_options).toHaveLength(1);
    expect(h.fake.calls.filter((call) => call.method === 'views.update')).toHaveLength(1);

    const payments = await chooseType(h, security, 'payments', { 'Customer tier': 'pro' });
    expect(labels(payments)).toEqual(['Title', 'Type', 'Payment provider', 'Severity', 'What is happening / impact', 'Impact started at', 'Incident commander', 'Visibility']);
    expect((payments.view.blocks.find((block) => block.block_id === 'visibility')!.element as { initial_options?: unknown[] }).initial_options).toBeUndefined();
  });

  it('refuses a missing required field and a wrong number with errors on those fields', async (context) => {
    const { expect } = context;
    const { h } = await start(context);
    const { view } = await openDeclareForm(h, 'Token leaked');
    const security = await chooseType(h, view, 'security');
    const response = await submitForm(h, security, { Severity: 'SEV2', 'Records exposed': 'many' });
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { 'field:customer_tier': 'Customer tier is required.', 'field:records': 'Records exposed must be a number, e.g. 42 or 3.5.' },
    });
  });

  it('declares with the type and its fields: private, its prefix, its people invited, values stored', async (context) => {
    const { expect } = context;
    const { bot, h } = await start(context);
    h.fake.addUserGroup({ id: 'S0SEC', handle: 'security-oncall', users: ['UCAROL'] });
    const { view } = await openDeclareForm(h, 'Token leaked');
    const security = await chooseType(h, view, 'security');
    await submitForm(h, security, { Severity: 'SEV2', 'Customer tier': 'enterprise', 'Records exposed': '1200', Regions: 'eu,us', 'Reported by': 'UDAVE', 'Found on': '2026-11-23', Ticket: 'SEC-42' });
    const outcome = await declareOutcome(h, view.id);
    expect(outcome).toMatch(/Incident declared/);
    const [incident] = await bot.deps.incidents.listOpen();
    expect(incident).toMatchObject({
      type: 'security',
      isPrivate: true,
      fields: { customer_tier: 'enterprise', records: 1200, regions: ['eu', 'us'], reporter: 'UDAVE', found_on: '2026-11-23', ticket: 'SEC-42' },
    });
    expect(incident!.channelName).toMatch(/^sec-2026-11-24-token-leaked$/);
    const channel = h.fake.channels.get(incident!.channelId!)!;
    expect(channel.isPrivate).toBe(true);
    expect([...channel.members]).toEqual(expect.arrayContaining(['UALICE', 'UERIN', 'UCAROL']));

    const summary = visibleText(h.fake.messages(channel.id).find((message) => message.ts === incident!.kickoffTs)!.blocks);
    expect(summary).toContain('*Type:* Security · *Customer tier:* enterprise · *Records exposed:* 1200 · *Regions:* eu, us · *Reported by:* <@UDAVE> · *Found on:* 2026-11-23 · *Ticket:* SEC-42');

    const status = await runCommand(h, 'status', { channelId: channel.id });
    expect(JSON.stringify(status.json)).toContain('*Type:* Security\\n*Customer tier:* enterprise\\n*Records exposed:* 1200');

    const markdown = renderPostmortem(bot.deps.templates, await postmortemSource(bot.deps, incident!), { ...bot.deps.settings, names: { user: (id) => id.slice(1).toLowerCase() }, now: bot.clock.now() });
    expect(markdown).toContain('**Type**: Security\n**Customer tier**: enterprise\n**Records exposed**: 1200\n**Regions**: eu, us\n**Reported by**: @dave\n');
  });

  it("tells the declarer when the type's user group does not exist, and still declares with the type's named responders", async (context) => {
    const { expect } = context;
    const { bot, h } = await start(context);
    const { view } = await openDeclareForm(h, 'Token leaked');
    const security = await chooseType(h, view, 'security');
    await submitForm(h, security, { Severity: 'SEV2', 'Customer tier': 'pro' });
    const outcome = await declareOutcome(h, view.id);
    expect(outcome).toMatch(/Incident declared/);
    expect(outcome).toContain("Inviting the incident type's responders: the user group @security-oncall does not exist or has no members; invite its people by hand (check user_group of the type security in the configuration file).");
    const [incident] = await bot.deps.incidents.listOpen();
    expect([...h.fake.channels.get(incident!.channelId!)!.members]).toContain('UERIN');
  });

  it('Edit details on the summary: each changed field is a timeline entry, and the summary shows the new values', async (context) => {
    const { expect } = context;
    const { bot, h } = await start(context);
    const { view } = await openDeclareForm(h, 'Card payments failing');
    const payments = await chooseType(h, view, 'payments');
    await submitForm(h, payments, { Severity: 'SEV2', 'Payment provider': 'stripe' });
    expect(await declareOutcome(h, view.id)).toMatch(/Incident declared/);
    const [incident] = await bot.deps.incidents.listOpen();
    const before = new Set(h.fake.views.keys());
    await clickButton(h, { userId: 'UALICE', channelId: incident!.channelId!, messageTs: incident!.kickoffTs!, actionId: 'summary_edit_details', value: String(incident!.id) });
    const modal = await waitFor(() => [...h.fake.views.values()].find((candidate) => !before.has(candidate.id)), 'the Edit details modal', 5000);
    expect(labels(modal)).toEqual(['Payment provider']);
    expect((modal.view.blocks[0]!.element as { initial_option?: { value: string } }).initial_option?.value).toBe('stripe');
    const response = await submitForm(h, modal, { 'Payment provider': 'adyen' });
    expect(response.status).toBe(200);
    const entries = await waitFor(async () => {
      const rows = (await bot.storedRows()).timeline_entries as { kind: string; text: string }[];
      const edits = rows.filter((row) => row.kind === 'details_edited');
      return edits.length > 0 ? edits : undefined;
    }, 'the edit on the timeline', 5000);
    expect(entries.map((entry) => entry.text)).toEqual(['Payment provider: stripe → adyen']);
    expect(await bot.deps.incidents.findById(incident!.id)).toMatchObject({ fields: { psp: 'adyen' } });
    await waitFor(() => visibleText(h.fake.messages(incident!.channelId!).find((message) => message.ts === incident!.kickoffTs)!.blocks).includes('*Payment provider:* adyen'), 'the summary to show the new value', 5000);
  });
});

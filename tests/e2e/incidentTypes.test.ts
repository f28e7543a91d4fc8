import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareOutcome, expectModal, openDeclareForm, runCommand, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import { fillModal, viewBlockAction } from '../support/modals.js';
import { httpSender } from '../../src/sandbox/slackRequests.js';

const CONFIG = `
incident_types:
  - key: payments
    label: Payments
    channel_prefix: pay
    fields:
      - { key: psp, label: Payment provider, kind: single_select, options: [stripe, adyen], required: true }
      - { key: failed, label: Failed payments, kind: number }
`;

describe('incident types through dist/main.js', () => {
  let h: Harness;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-types-e2e-'));
    writeFileSync(join(dir, 'incident.config.yml'), CONFIG);
    h = await startHarness({ env: { INCIDENT_CONFIG: join(dir, 'incident.config.yml') } });
  });
  afterAll(async () => h.close());

  it('declares with a type and its fields, shown in the pinned summary and the post-mortem', async () => {
    const { view } = await openDeclareForm(h, 'Card payments failing');
    const hash = view.hash;
    const values = fillModal(view.view, {});
    values.incident_type = { incident_type_select: { type: 'static_select', selected_option: { value: 'payments' } } };
    await httpSender(h.app.url).interaction(viewBlockAction({ ...view.view, hash }, 'UALICE', values, { blockId: 'incident_type', actionId: 'incident_type_select', value: 'payments' }));
    const redrawn = await waitFor(() => (h.fake.views.get(view.id)!.hash !== hash ? h.fake.views.get(view.id) : undefined), 'the form redrawn for the type');
    await submitForm(h, redrawn, { Severity: 'SEV2', 'Payment provider': 'adyen', 'Failed payments': '420' });
    const outcome = await declareOutcome(h, view.id);
    const channelId = /<#(C[A-Z0-9]+)>/.exec(outcome)![1]!;
    const channel = h.fake.channels.get(channelId)!;
    expect(channel.name).toMatch(/^pay-\d{4}-\d{2}-\d{2}-card-payments-failing$/);
    const summary = await waitFor(() => h.fake.messages(channelId).find((message) => visibleText(message.blocks).includes('*Type:* Payments')), 'the summary');
    expect(visibleText(summary.blocks)).toContain('*Type:* Payments · *Payment provider:* adyen · *Failed payments:* 420');

    const resolve = await expectModal(h, () => runCommand(h, 'resolve', { channelId, userId: 'UALICE' }));
    await submitForm(h, resolve, { 'Resolution summary': 'Failed over to stripe', 'Root cause': 'Adyen outage' });
    const shared = await waitFor(() => h.fake.messages(channelId).find((message) => message.files?.length), 'the uploaded draft');
    const markdown = h.fake.files.get(shared.files![0]!.id)!.content!;
    expect(markdown).toContain('**Type**: Payments\n**Payment provider**: adyen\n**Failed payments**: 420\n');
  });
});

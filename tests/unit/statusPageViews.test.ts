import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY, SEVERITIES } from '../../src/domain/severity.js';
import { publishTickedByDefault } from '../../src/domain/statusPage.js';
import { publicStatusMessage } from '../../src/render/statusPageMessage.js';
import { loadTemplates } from '../../src/render/templates.js';
import { validateModalView } from '../../src/sandbox/blockKitRules.js';
import { declareModal, parseDeclareMetadata } from '../../src/slack/views/declareModal.js';
import { resolveModal, updateModal } from '../../src/slack/views/incidentModals.js';
import { PUBLIC_MESSAGE_INPUTS, publicMessageErrors, readPublicMessageForm, type PublicMessageField } from '../../src/slack/views/publicMessageFields.js';
import { sampleIncident } from '../support/sampleIncident.js';

const FIELD: PublicMessageField = { prefill: '[INVESTIGATING] We are currently investigating reports of checkout errors.', ticked: true, hint: 'Customers read this.' };
const inputs = (view: { blocks?: unknown[] }) => (view.blocks ?? []).filter((block) => (block as { type: string }).type === 'input') as { block_id: string; label: { text: string }; element: Record<string, any> }[];
const byId = (view: { blocks?: unknown[] }, id: string) => inputs(view).find((block) => block.block_id === id);

describe('the status page fields of the forms', () => {
  it('are absent when the status page is not configured', () => {
    const incident = sampleIncident();
    for (const view of [updateModal(incident), resolveModal(incident), declareModal({ severities: SEVERITIES, defaultSeverity: DEFAULT_SEVERITY, title: 'x', commanderId: 'UALICE', metadata: { channelId: 'C1' } })]) {
      expect(byId(view, PUBLIC_MESSAGE_INPUTS.message)).toBeUndefined();
      expect(byId(view, PUBLIC_MESSAGE_INPUTS.publish)).toBeUndefined();
    }
  });

  it('offer the prefilled, editable public message and the publish box, ticked or not as told, within Slack\'s limits', () => {
    const incident = sampleIncident();
    const ticked = updateModal(incident, undefined, FIELD);
    expect(validateModalView(ticked)).toEqual([]);
    expect(byId(ticked, PUBLIC_MESSAGE_INPUTS.message)).toMatchObject({ label: { text: 'Public status page message' }, element: { type: 'plain_text_input', initial_value: FIELD.prefill } });
    expect(byId(ticked, PUBLIC_MESSAGE_INPUTS.publish)!.element.initial_options).toEqual([expect.objectContaining({ value: 'publish' })]);
    expect(byId(ticked, PUBLIC_MESSAGE_INPUTS.publish)!.element.options[0].text.text).toBe('Publish to the status page');

    const unticked = resolveModal(incident, { ...FIELD, ticked: false, prefill: 'R'.repeat(5000) });
    expect(validateModalView(unticked)).toEqual([]);
    expect(byId(unticked, PUBLIC_MESSAGE_INPUTS.publish)!.element.initial_options).toBeUndefined();
  });

  it('in the declare form add the components, and keep the prefill to recognise it unchanged', () => {
    const view = declareModal({
      severities: SEVERITIES,
      defaultSeverity: DEFAULT_SEVERITY,
      title: 'Checkout errors',
      commanderId: 'UALICE',
      metadata: { channelId: 'C1' },
      publicMessage: { ...FIELD, ticked: false, componentNames: ['Checkout API', 'Search'] },
    });
    expect(validateModalView(view)).toEqual([]);
    expect(byId(view, PUBLIC_MESSAGE_INPUTS.components)!.element.options.map((option: { value: string }) => option.value)).toEqual(['Checkout API', 'Search']);
    expect(byId(view, PUBLIC_MESSAGE_INPUTS.publish)!.element.initial_options).toBeUndefined();
    expect(parseDeclareMetadata(view.private_metadata!)).toEqual({ channelId: 'C1', publicPrefill: FIELD.prefill });
  });

  it('start ticked only for a public incident of a severity the page is for', () => {
    expect(publishTickedByDefault({ isPrivate: false, severity: 'SEV1' })).toBe(true);
    expect(publishTickedByDefault({ isPrivate: false, severity: 'SEV3' })).toBe(false);
    expect(publishTickedByDefault({ isPrivate: true, severity: 'SEV1' })).toBe(false);
  });

  it('read back as typed, and ask for a message only when publishing', () => {
    const values = (publish: boolean, message: string) => ({
      [PUBLIC_MESSAGE_INPUTS.publish]: { [PUBLIC_MESSAGE_INPUTS.publish]: { selected_options: publish ? [{ value: 'publish' }] : [] } },
      [PUBLIC_MESSAGE_INPUTS.message]: { [PUBLIC_MESSAGE_INPUTS.message]: { value: message } },
    });
    expect(readPublicMessageForm(values(true, '  Fixed. '))).toEqual({ publish: true, message: 'Fixed.', components: [] });
    expect(publicMessageErrors(readPublicMessageForm(values(true, '   ')))).toEqual({ [PUBLIC_MESSAGE_INPUTS.message]: expect.stringContaining('untick') });
    expect(publicMessageErrors(readPublicMessageForm(values(false, '')))).toBeUndefined();
    expect(readPublicMessageForm({})).toEqual({ publish: false, message: '', components: [] });
  });
});

describe('the status-page template', () => {
  const deps = { templates: loadTemplates(), clock: { now: () => new Date('2026-11-24T03:00:00Z') }, settings: { timeZone: 'UTC', severities: SEVERITIES } };

  it('gives the runbooks\' public wording for each status', () => {
    const incident = { ...sampleIncident(), title: 'Checkout errors', impact: 'failed checkouts for some users', rootCause: 'a faulty release' };
    expect(publicStatusMessage(deps, incident, 'investigating')).toBe('[INVESTIGATING] We are currently investigating reports of failed checkouts for some users.\nUpdates will be provided as we learn more.');
    expect(publicStatusMessage(deps, incident, 'identified')).toBe('[IDENTIFIED] We have identified the issue as a faulty release.\nWe are working on a fix.');
    expect(publicStatusMessage(deps, incident, 'monitoring')).toBe('[MONITORING] A fix has been deployed. We are monitoring the situation.');
    expect(publicStatusMessage(deps, incident, 'resolved')).toBe('[RESOLVED] The issue has been resolved. All systems are operational.');
  });

  it('falls back to the title when the impact is not known, and writes it as plain text, not Slack markup', () => {
    const incident = { ...sampleIncident(), title: 'Checkout <500s> & retries', impact: '' };
    expect(publicStatusMessage(deps, incident, 'investigating')).toContain('reports of Checkout <500s> & retries.');
  });
});

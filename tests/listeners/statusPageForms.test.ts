import { afterEach, describe, expect, it } from 'vitest';
import type { LiveIncident } from '../../src/domain/incident.js';
import { DEFAULT_SEVERITY } from '../../src/domain/severity.js';
import { declarePublicMessageField, publicMessageField } from '../../src/listeners/publicMessage.js';
import { registerDeclareSubmission } from '../../src/listeners/views/declareSubmission.js';
import { registerIncidentSubmissions } from '../../src/listeners/views/incidentSubmissions.js';
import { declareModal } from '../../src/slack/views/declareModal.js';
import { updateModal } from '../../src/slack/views/incidentModals.js';
import { PUBLIC_MESSAGE_INPUTS } from '../../src/slack/views/publicMessageFields.js';
import { startInProcess, registeredListeners, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';
import { fillModal, viewSubmission, type Answer } from '../support/modals.js';

/**
 * The status page's fields as a person fills them in: the real listeners read the submitted forms
 * and the flows write the outbox rows (what would be published), or answer with field errors.
 */
const STATUS_PAGE_ENV = { STATUSPAGE_API_KEY: 'a8f3e6b1c2d44f0e9a7b5c3d2e1f0a9b', STATUSPAGE_PAGE_ID: 'kctbh9vrtdwd', STATUSPAGE_API_URL: 'http://127.0.0.1:9/v1' };

describe('the status page in the forms', () => {
  let bot: InProcessBot;
  afterEach(() => bot?.close());

  const start = async () => {
    bot = await startInProcess({ env: { ...STATUS_PAGE_ENV, INCIDENT_CONFIG: configFile('status_page:\n  components:\n    Checkout API: cmp0checkout\n') } });
  };
  const publications = async (incidentId: number) =>
    (await bot.deps.outbox.listFor(incidentId)).filter((row) => row.destination === 'statuspage').map((row) => JSON.parse(row.payload) as Record<string, any>);
  /** Submits a view the way Slack does, and returns what the listener acknowledged. */
  const submit = async (register: (app: any) => void, viewId: string, userId: string, answers: Record<string, Answer>) => {
    const listeners = registeredListeners(register);
    const opened = bot.fake.views.get(viewId)!.view;
    const body = viewSubmission(opened, userId, fillModal(opened, answers));
    let acked: unknown;
    await listeners.get(`view:${opened.callback_id}`)!({ ack: async (answer?: unknown) => void (acked = answer), body, view: body.view });
    return acked as { response_action?: string; errors?: Record<string, string> } | undefined;
  };
  const submitUpdate = async (incident: LiveIncident, answers: Record<string, Answer>) => {
    const viewId = await bot.deps.chat.openView(bot.fake.issueTriggerId('UBOB'), updateModal(incident, undefined, publicMessageField(bot.deps, incident, incident.status)));
    return submit((app) => registerIncidentSubmissions(app, bot.deps), viewId, 'UBOB', answers);
  };

  it('publishes nothing from a private incident\'s form left as it opened, and publishes when its box is ticked', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV1', isPrivate: true, commanderId: 'UBOB' });
    await submitUpdate(incident, { 'What changed': 'Found the cause' });
    expect(await publications(incident.id)).toEqual([]);

    await submitUpdate((await bot.deps.incidents.findLiveById(incident.id))!, { 'What changed': 'Fix deployed', Status: 'monitoring', 'Status page': true });
    expect((await publications(incident.id)).map((row) => row.status)).toEqual(['monitoring']);
  });

  it('publishes a public SEV1\'s update by default, in the template\'s words for the status chosen when the message was left as prefilled', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV1', commanderId: 'UBOB' });
    await submitUpdate(incident, { 'What changed': 'Fix deployed', Status: 'monitoring' });
    expect(await publications(incident.id)).toEqual([
      expect.objectContaining({ status: 'monitoring', message: '[MONITORING] A fix has been deployed. We are monitoring the situation.', componentIds: 'as before', componentStatus: 'major_outage' }),
    ]);

    await submitUpdate((await bot.deps.incidents.findLiveById(incident.id))!, { 'What changed': 'Still watching', 'Public status page message': 'Checkout works again; we keep watching.' });
    expect((await publications(incident.id)).at(-1)).toMatchObject({ status: 'monitoring', message: 'Checkout works again; we keep watching.' });
  });

  it('asks for the public message when publishing without one', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV1', commanderId: 'UBOB' });
    const acked = await submitUpdate(incident, { 'What changed': 'x', 'Public status page message': '' });
    expect(acked).toMatchObject({ response_action: 'errors', errors: { [PUBLIC_MESSAGE_INPUTS.message]: expect.stringContaining('untick') } });
    expect(await publications(incident.id)).toEqual([]);
  });

  it('publishes a SEV1 declaration with its components, written from the declared title, and refuses to for a SEV3', async () => {
    await start();
    const open = () =>
      bot.deps.chat.openView(
        bot.fake.issueTriggerId('UALICE'),
        declareModal({ severities: bot.deps.settings.severities, defaultSeverity: DEFAULT_SEVERITY, title: '', commanderId: 'UALICE', metadata: { channelId: 'C0GENERAL' }, publicMessage: declarePublicMessageField(bot.deps, '', DEFAULT_SEVERITY) }),
      );
    const refused = await submit((app) => registerDeclareSubmission(app, bot.deps), await open(), 'UALICE', { Title: 'Search is slow', Severity: 'SEV3', 'Status page': true });
    expect(refused).toMatchObject({ response_action: 'errors', errors: { [PUBLIC_MESSAGE_INPUTS.publish]: expect.stringContaining('SEV1 and SEV2') } });
    expect(await bot.deps.incidents.listOpen()).toEqual([]);

    await submit((app) => registerDeclareSubmission(app, bot.deps), await open(), 'UALICE', {
      Title: 'Checkout errors',
      Severity: 'SEV1',
      'Status page': true,
      'Affected components (status page)': 'Checkout API',
    });
    const [incident] = await bot.deps.incidents.listOpen();
    expect(await publications(incident!.id)).toEqual([
      expect.objectContaining({
        name: 'Checkout errors',
        status: 'investigating',
        message: '[INVESTIGATING] We are currently investigating reports of Checkout errors.\nUpdates will be provided as we learn more.',
        componentIds: ['cmp0checkout'],
        componentStatus: 'major_outage',
      }),
    ]);
  });
});

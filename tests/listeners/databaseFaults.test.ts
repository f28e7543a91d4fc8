import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { registerListeners } from '../../src/listeners/index.js';
import type { ListenerDependencies } from '../../src/listeners/types.js';
import { noteModal } from '../../src/slack/views/incidentModals.js';
import { SUMMARY_BUTTONS } from '../../src/slack/views/kickoffMessage.js';
import { DatabaseUnavailableError } from '../../src/store/faults.js';
import { visibleText } from '../support/harness.js';
import { registeredListeners, startInProcess, type InProcessBot } from '../support/inProcess.js';
import { fillModal, viewSubmission } from '../support/modals.js';

const TRY_AGAIN = /^:x: The bot lost its connection to its database \(it may be restarting\), so this was not done\. Try again in a moment/;

/** The listeners as registerListeners wires them, on a store whose every incident lookup fails as `error` says. */
function listenersWithIncidentsFailing(deps: ListenerDependencies, error: () => Error) {
  const incidents = new Proxy(deps.incidents, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? async () => Promise.reject(error()) : value;
    },
  });
  return registeredListeners((app) => registerListeners(app, { ...deps, incidents }));
}

const unreachable = () => new DatabaseUnavailableError('unreachable', 'PostgreSQL (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:5432');

/**
 * A database fault met before the work is under way (finding the incident): the person is told to
 * try again in the way the request allows, instead of hearing nothing while PostgreSQL restarts.
 */
describe('requests that meet a database fault before their work starts', () => {
  let bot: InProcessBot;
  let incident: Incident;
  beforeEach(async () => {
    bot = await startInProcess();
    incident = await bot.declare({ title: 'Database restarting', commanderId: 'UALICE' });
  });
  afterEach(() => bot.close());

  it('a slash command is answered in its ack', async () => {
    const acks: unknown[] = [];
    const command = { user_id: 'UALICE', channel_id: incident.channelId, text: 'note rolled back', trigger_id: bot.fake.issueTriggerId('UALICE'), response_url: bot.fake.responseUrl() };
    await listenersWithIncidentsFailing(bot.deps, unreachable).get('command:/incident')!({ command, ack: async (reply: unknown) => void acks.push(reply), respond: async () => {} });
    expect(acks).toEqual([{ response_type: 'ephemeral', text: expect.stringMatching(TRY_AGAIN) }]);
    expect(bot.logs.filter((line) => line.msg === 'a request met a database fault')).toHaveLength(1);
  });

  it('a button is answered on its response_url after its ack', async () => {
    let acks = 0;
    const told: unknown[] = [];
    const body = { user: { id: 'UBOB' }, trigger_id: bot.fake.issueTriggerId('UBOB'), response_url: bot.fake.responseUrl(), container: { channel_id: incident.channelId }, actions: [{ value: String(incident.id) }] };
    await listenersWithIncidentsFailing(bot.deps, unreachable).get(`action:${SUMMARY_BUTTONS.acknowledge}`)!({ ack: async () => void (acks += 1), body, respond: async (reply: unknown) => void told.push(reply) });
    expect(acks).toBe(1);
    expect(told).toEqual([{ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(TRY_AGAIN) }]);
  });

  it('a submitted form shows why in the form', async () => {
    const viewId = await bot.deps.chat.openView(bot.fake.issueTriggerId('UALICE'), noteModal(incident));
    const opened = bot.fake.views.get(viewId)!.view;
    const body = viewSubmission(opened, 'UALICE', fillModal(opened, { Note: 'rolled back' }));
    const acks: Record<string, any>[] = [];
    await listenersWithIncidentsFailing(bot.deps, unreachable).get(`view:${opened.callback_id}`)!({ ack: async (reply: Record<string, any>) => void acks.push(reply), body, view: body.view });
    expect(acks).toHaveLength(1);
    expect(acks[0]!.response_action).toBe('update');
    expect(visibleText(acks[0]!.view.blocks)).toMatch(TRY_AGAIN);
  });

  it('leaves any other error to the app error handler', async () => {
    const command = { user_id: 'UALICE', channel_id: incident.channelId, text: 'note rolled back', trigger_id: bot.fake.issueTriggerId('UALICE'), response_url: bot.fake.responseUrl() };
    const bug = () => new TypeError('not a database fault');
    await expect(listenersWithIncidentsFailing(bot.deps, bug).get('command:/incident')!({ command, ack: async () => {}, respond: async () => {} })).rejects.toThrow('not a database fault');
  });
});

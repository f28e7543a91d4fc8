import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { registerActionItemButtons } from '../../src/listeners/actions/actionItemButtons.js';
import { registerFlowButtons } from '../../src/listeners/actions/flowButtons.js';
import { registerReminderButtons } from '../../src/listeners/actions/reminderButtons.js';
import { registerIncidentCommand } from '../../src/listeners/commands/incidentCommand.js';
import { registerIncidentSubmissions } from '../../src/listeners/views/incidentSubmissions.js';
import { ACTION_DONE_BUTTON } from '../../src/slack/views/incidentReports.js';
import { noteModal } from '../../src/slack/views/incidentModals.js';
import { SUMMARY_BUTTONS } from '../../src/slack/views/kickoffMessage.js';
import { REMINDER_BUTTONS } from '../../src/slack/views/reminderMessage.js';
import { SqliteWorkJournal } from '../../src/store/sqlite/workJournal.js';
import { refuseWrites, registeredListeners, startInProcess, type InProcessBot } from '../support/inProcess.js';
import { fillModal, viewSubmission } from '../support/modals.js';

/**
 * Once Slack is answered, the person believes the work is under way: from that moment a crash must
 * be reported at the next start. So the work journal holds the entry before the ack, not after it.
 */
describe('work acknowledged to Slack is already in the work journal', () => {
  let bot: InProcessBot;
  let incident: Incident;
  /** What a restarted process would find in the journal: every entry of this one. */
  let journalAtAck: { what: string }[] | undefined;
  const ack = async () => {
    journalAtAck = await new SqliteWorkJournal(bot.database.db, 'the next process').othersEntries();
  };
  beforeEach(async () => {
    bot = await startInProcess();
    incident = await bot.declare({ title: 'Checkout down', commanderId: 'UALICE' });
    journalAtAck = undefined;
  });
  afterEach(() => bot.close());

  it('a slash command', async () => {
    const listeners = registeredListeners((app) => registerIncidentCommand(app, bot.deps));
    const command = { user_id: 'UALICE', channel_id: incident.channelId, text: 'note rolled back', trigger_id: bot.fake.issueTriggerId('UALICE'), response_url: bot.fake.responseUrl() };
    await listeners.get('command:/incident')!({ command, ack, respond: async () => {} });
    expect(journalAtAck?.map((entry) => entry.what)).toEqual(['add the note']);
    expect(await new SqliteWorkJournal(bot.database.db, 'the next process').othersEntries()).toEqual([]);
  });

  it('a submitted form', async () => {
    const listeners = registeredListeners((app) => registerIncidentSubmissions(app, bot.deps));
    const viewId = await bot.deps.chat.openView(bot.fake.issueTriggerId('UALICE'), noteModal(incident));
    const opened = bot.fake.views.get(viewId)!.view;
    const body = viewSubmission(opened, 'UALICE', fillModal(opened, { Note: 'rolled back' }));
    await listeners.get(`view:${opened.callback_id}`)!({ ack, body, view: body.view });
    expect(journalAtAck?.map((entry) => entry.what)).toEqual(['record what you submitted']);
  });

  it('a button that does the work at once', async () => {
    const listeners = registeredListeners((app) => registerFlowButtons(app, bot.deps));
    const body = {
      user: { id: 'UBOB' },
      trigger_id: bot.fake.issueTriggerId('UBOB'),
      response_url: bot.fake.responseUrl(),
      container: { channel_id: incident.channelId },
      actions: [{ value: String(incident.id) }],
    };
    await listeners.get(`action:${SUMMARY_BUTTONS.acknowledge}`)!({ ack, body, respond: async () => {} });
    expect(journalAtAck?.map((entry) => entry.what)).toEqual(['acknowledge the incident']);
  });
});

/** A button that writes on its own (no flow in the work journal) still answers the person when the database refuses. */
describe('buttons when the database cannot be written', () => {
  let bot: InProcessBot;
  let incident: Incident;
  beforeEach(async () => {
    bot = await startInProcess();
    incident = await bot.declare({ title: 'Disk trouble', commanderId: 'UALICE' });
  });
  afterEach(() => bot.close());

  /** Clicks the button as Slack sends it from the incident channel; resolves with what the person was told. */
  async function click(register: (app: Parameters<Parameters<typeof registeredListeners>[0]>[0]) => void, actionId: string, value: string): Promise<unknown[]> {
    const told: unknown[] = [];
    const body = { user: { id: 'UBOB' }, trigger_id: bot.fake.issueTriggerId('UBOB'), response_url: bot.fake.responseUrl(), container: { channel_id: incident.channelId }, actions: [{ value }] };
    await registeredListeners(register).get(`action:${actionId}`)!({ ack: async () => {}, body, respond: async (reply: unknown) => void told.push(reply) });
    return told;
  }

  it('Snooze says the database cannot be written', async () => {
    refuseWrites(bot.database);
    const told = await click((app) => registerReminderButtons(app, bot.deps), REMINDER_BUTTONS.snooze, String(incident.id));
    expect(told).toEqual([expect.objectContaining({ replace_original: false, text: expect.stringMatching(/^:x: The bot cannot write to its database .*so this was not done/) })]);
  });

  it('Mark done says the database cannot be written, and the item stays open', async () => {
    const item = await bot.deps.actions.add({ incidentId: incident.id, text: 'Add disk alerts', ownerId: null, dueOn: null, createdBy: 'UALICE', createdAt: bot.clock.now() }, 'Action item: Add disk alerts');
    refuseWrites(bot.database);
    const told = await click((app) => registerActionItemButtons(app, bot.deps), ACTION_DONE_BUTTON, String(item.id));
    expect(told).toEqual([expect.objectContaining({ replace_original: false, text: expect.stringMatching(/^:x: The bot cannot write to its database .*so this was not done/) })]);
    expect(await bot.deps.actions.find(item.id)).toMatchObject({ status: 'open' });
  });
});

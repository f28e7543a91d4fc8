import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveIncident } from '../../src/domain/incident.js';
import { registerTimelineEntryMenu } from '../../src/listeners/actions/timelineEntryMenu.js';
import { registerIncidentCommand } from '../../src/listeners/commands/incidentCommand.js';
import { registerIncidentSubmissions } from '../../src/listeners/views/incidentSubmissions.js';
import { publishPostmortem } from '../../src/flows/postmortem.js';
import { addNote } from '../../src/flows/notes.js';
import { messagePinned } from '../../src/flows/pins.js';
import { TIMELINE_ENTRY_MENU } from '../../src/slack/views/timelineList.js';
import { fillModal, viewSubmission } from '../support/modals.js';
import { registeredListeners, startInProcess, type InProcessBot } from '../support/inProcess.js';

type Json = Record<string, unknown>;
type Block = { type: string; text?: { text: string }; accessory?: { action_id: string; options: { text: { text: string }; value: string }[] } };

/** `/incident timeline`: the commander lists the entries, edits or removes one; each change is recorded and the post-mortem tells the final story. */
describe('/incident timeline', () => {
  let bot: InProcessBot;
  let incident: LiveIncident;
  let listeners: ReturnType<typeof registeredListeners>;
  beforeEach(async () => {
    bot = await startInProcess({ env: { INCIDENT_RESPONDERS: 'URESP' } });
    incident = await bot.declare({ title: 'Checkout down', commanderId: 'UALICE' });
    listeners = registeredListeners((app) => {
      registerIncidentCommand(app, bot.deps);
      registerTimelineEntryMenu(app, bot.deps);
      registerIncidentSubmissions(app, bot.deps);
    });
  });
  afterEach(() => bot.close());

  async function timeline(userId: string): Promise<{ text: string; blocks?: Block[] }> {
    const acks: { text: string; blocks?: Block[] }[] = [];
    const command = { user_id: userId, channel_id: incident.channelId, text: 'timeline', trigger_id: bot.fake.issueTriggerId(userId), response_url: bot.fake.responseUrl() };
    await listeners.get('command:/incident')!({ command, ack: async (reply: { text: string; blocks?: Block[] }) => void acks.push(reply), respond: async () => {} });
    expect(acks).toHaveLength(1);
    return acks[0]!;
  }

  /** Chooses an entry's menu option (Edit or Remove) as Slack would send it; returns what the listener said back. */
  async function choose(userId: string, list: Block[], entryText: string, option: 'Edit' | 'Remove'): Promise<Json[]> {
    const block = list.find((candidate) => candidate.text?.text.includes(entryText) && candidate.accessory);
    expect(block, `an entry reading "${entryText}" with a menu`).toBeDefined();
    const value = block!.accessory!.options.find((candidate) => candidate.text.text === option)!.value;
    const told: Json[] = [];
    const body = { user: { id: userId }, trigger_id: bot.fake.issueTriggerId(userId), response_url: bot.fake.responseUrl(), container: { channel_id: incident.channelId }, actions: [{ selected_option: { value } }] };
    expect(block!.accessory!.action_id).toMatch(TIMELINE_ENTRY_MENU);
    const [menu] = [...registeredListeners((app) => registerTimelineEntryMenu(app, bot.deps)).values()];
    await menu!({ ack: async () => {}, body, respond: async (reply: Json) => void told.push(reply) });
    return told;
  }

  const postmortem = async () => {
    const result = await publishPostmortem(bot.deps, (await bot.deps.incidents.findById(incident.id))!);
    expect(result.ok).toBe(true);
    return (await bot.deps.postmortems.draftOf(incident.id))!.markdown;
  };

  it('lists the entries, newest last, each with Edit and Remove, to the commander and to a responder', async () => {
    await addNote(bot.deps, incident, 'UALICE', 'rolled back deploy 4521');
    for (const userId of ['UALICE', 'URESP']) {
      const list = await timeline(userId);
      const entries = list.blocks!.filter((block) => block.accessory);
      expect(entries.length).toBe((await bot.deps.incidents.timelineOf(incident.id)).length);
      expect(entries.at(-1)!.text!.text).toContain('rolled back deploy 4521');
      expect(entries.at(-1)!.accessory!.options.map((option) => option.text.text)).toEqual(['Edit', 'Remove']);
    }
  });

  it('shows the last 20 and says how many earlier ones there are', async () => {
    for (let n = 1; n <= 25; n += 1) await addNote(bot.deps, incident, 'UALICE', `note ${n}`);
    const all = (await bot.deps.incidents.timelineOf(incident.id)).length;
    const list = await timeline('UALICE');
    expect(list.blocks!.filter((block) => block.accessory)).toHaveLength(20);
    expect(JSON.stringify(list.blocks)).toContain(`…${all - 20} earlier`);
    expect(list.blocks!.length).toBeLessThanOrEqual(50);
    // The fake Slack checks Block Kit's limits (blocks, overflow options, text lengths) as Slack does.
    await bot.deps.chat.postEphemeral(incident.channelId!, 'UALICE', { text: list.text, blocks: list.blocks as never });
    expect(bot.fake.ephemerals.at(-1)!.blocks).toHaveLength(list.blocks!.length);
  });

  it('refuses anyone else, naming the commander', async () => {
    const list = await timeline('UCAROL');
    expect(list.blocks).toBeUndefined();
    expect(list.text).toMatch(/Only the incident commander \(<@UALICE>\) or a listed responder can edit the timeline/);
  });

  it('Edit: the form shows the text; saved, the entry reads the new text, keeps the old one, the edit is recorded, and the post-mortem shows the final text', async () => {
    await addNote(bot.deps, incident, 'UALICE', 'rolled back deploy 4251');
    const list = await timeline('UALICE');
    expect(await choose('UALICE', list.blocks!, 'deploy 4251', 'Edit')).toEqual([]);
    const opened = [...bot.fake.views.values()].at(-1)!.view;
    expect(JSON.stringify(opened.blocks)).toContain('rolled back deploy 4251');
    const body = viewSubmission(opened, 'UALICE', fillModal(opened, { Text: 'rolled back deploy 4521' }));
    let acked = false;
    await listeners.get(`view:${opened.callback_id}`)!({ ack: async () => void (acked = true), body, view: body.view });
    expect(acked).toBe(true);
    // The channel shows nothing of an edit: the form closes and the person is told, only them, that it was saved.
    expect(bot.fake.ephemerals.filter((message) => message.user === 'UALICE').map((message) => message.text)).toEqual([':white_check_mark: Timeline entry edited; the post-mortem shows the new text.']);

    const entries = await bot.deps.incidents.timelineOf(incident.id);
    const note = entries.find((entry) => entry.kind === 'note')!;
    expect(note.text).toBe('rolled back deploy 4521');
    expect(note.data?.edits).toEqual([{ at: expect.any(String), by: 'UALICE', previousText: 'rolled back deploy 4251' }]);
    const record = entries.find((entry) => entry.kind === 'timeline_edited')!;
    expect(record).toMatchObject({ actorId: 'UALICE', text: 'Timeline entry edited: "rolled back deploy 4251" → "rolled back deploy 4521"', data: { entryId: note.id } });

    const markdown = await postmortem();
    expect(markdown).toContain('rolled back deploy 4521');
    expect(markdown).not.toContain('4251');
  });

  it('Remove: the entry is kept but marked, the removal is recorded, the list shows it struck out, and the post-mortem leaves it out', async () => {
    await addNote(bot.deps, incident, 'UALICE', 'blamed the CDN by mistake');
    await addNote(bot.deps, incident, 'UALICE', 'database failover done');
    const told = await choose('URESP', (await timeline('URESP')).blocks!, 'CDN by mistake', 'Remove');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ replace_original: true });
    expect(JSON.stringify(told[0]!.blocks)).toMatch(/~[^~]*blamed the CDN by mistake~ \(removed\)/);

    const entries = await bot.deps.incidents.timelineOf(incident.id);
    const removed = entries.find((entry) => entry.text === 'blamed the CDN by mistake')!;
    expect(removed.data).toMatchObject({ removedBy: 'URESP', removedAt: expect.any(String) });
    expect(entries.find((entry) => entry.kind === 'timeline_removed')).toMatchObject({ actorId: 'URESP', data: { entryId: removed.id } });

    const markdown = await postmortem();
    expect(markdown).toContain('database failover done');
    expect(markdown).not.toContain('CDN');
  });

  it('Edit on an entry longer than a Slack form holds says so and how to put it right, and opens no form', async () => {
    const long = `Dump of the failing query plan: ${'Seq Scan on orders '.repeat(200)}`;
    const message = bot.fake.postAsUser(incident.channelId, 'UDAVE', long);
    expect(await messagePinned(bot.deps, incident, message.ts, 'UALICE')).toBe('recorded');
    const views = bot.fake.views.size;

    const told = await choose('UALICE', (await timeline('UALICE')).blocks!, 'Dump of the failing query plan', 'Edit');

    expect(told).toEqual([expect.objectContaining({ text: expect.stringContaining(`This entry has ${long.length} characters, more than the 3000 a Slack form can hold`) })]);
    expect(String(told[0]!.text)).toMatch(/Remove it and add what matters with `\/incident note`/);
    expect(bot.fake.views.size).toBe(views);
  });

  it('a menu choice from someone else changes nothing', async () => {
    await addNote(bot.deps, incident, 'UALICE', 'keep me');
    const told = await choose('UCAROL', (await timeline('UALICE')).blocks!, 'keep me', 'Remove');
    expect(told).toEqual([expect.objectContaining({ text: expect.stringMatching(/can edit the timeline/) })]);
    expect((await bot.deps.incidents.timelineOf(incident.id)).some((entry) => entry.kind === 'timeline_removed')).toBe(false);
  });
});

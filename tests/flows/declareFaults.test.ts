import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../src/domain/severity.js';
import { completeDeclaration, recordDeclaration } from '../../src/flows/declare.js';
import { recoverInterruptedWork } from '../../src/flows/recovery.js';
import { loadTemplates, type Templates } from '../../src/render/templates.js';
import { registerDeclareSubmission } from '../../src/listeners/views/declareSubmission.js';
import { DECLARE_CALLBACK_ID, declareModal } from '../../src/slack/views/declareModal.js';
import { DECLARE_WORK } from '../../src/ports.js';
import { SqliteWorkJournal } from '../../src/store/sqlite/workJournal.js';
import { visibleText } from '../support/harness.js';
import { getHealth, refuseWrites, registeredListeners, sqliteOf, startInProcess, type InProcessBot } from '../support/inProcess.js';
import { scratchDir } from '../support/launcher.js';
import { fillModal, viewSubmission } from '../support/modals.js';

const DATABASE_REFUSED = /The bot cannot write to its database \(.*SQLITE_READONLY\), so this was not done\. Tell whoever runs the bot/;

/** The declare form as UALICE submits it; resolves with what the bot answered Slack (the ack). */
async function submitDeclareForm(bot: InProcessBot, title: string): Promise<{ viewId: string; acked: Record<string, any> }> {
  const viewId = await bot.deps.chat.openView(
    bot.fake.issueTriggerId('UALICE'),
    declareModal({ severities: SEVERITIES, defaultSeverity: 'SEV2', title, commanderId: 'UALICE', metadata: { channelId: 'CGENERAL' } }),
  );
  const opened = bot.fake.views.get(viewId)!.view;
  const submit = registeredListeners((app) => registerDeclareSubmission(app, bot.deps)).get(`view:${DECLARE_CALLBACK_ID}`)!;
  let acked: Record<string, any> = {};
  const body = viewSubmission(opened, 'UALICE', fillModal(opened, { Title: title, Severity: 'SEV1', 'Incident commander': 'UBOB' }));
  await submit({ ack: async (response: Record<string, any> = {}) => void (acked = response), body, view: body.view });
  return { viewId, acked };
}

const incidentChannels = (bot: InProcessBot) => [...bot.fake.channels.values()].filter((channel) => channel.name.startsWith('incident-'));

describe('declaring when the database cannot be written', () => {
  let bot: InProcessBot;
  afterEach(() => bot.close());

  it('refuses in the form, before anything is done in Slack, and /health answers 503 until the database takes writes again', async () => {
    bot = await startInProcess();
    refuseWrites(bot.database);
    const { acked } = await submitDeclareForm(bot, 'Checkout down');

    expect(acked.response_action).toBe('update');
    const shown = visibleText(acked.view.blocks);
    expect(shown).toMatch(/The incident was \*not\* declared/);
    expect(shown).toMatch(DATABASE_REFUSED);
    expect(bot.fake.callsTo('conversations.create')).toHaveLength(0);
    expect(await getHealth(bot.database)).toEqual({ status: 503, body: { status: 'unavailable', database: 'unwritable', detail: expect.stringMatching(/^SQLITE_READONLY/) } });

    refuseWrites(bot.database, false);
    await submitDeclareForm(bot, 'Checkout down again');
    expect(await getHealth(bot.database)).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
  });

  it('refuses in the form when the database file was deleted under the bot, instead of writing where nothing will read it again', async () => {
    const path = join(scratchDir(), 'incidents.db');
    bot = await startInProcess({ databasePath: path });
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    const { acked } = await submitDeclareForm(bot, 'Checkout down');

    expect(visibleText(acked.view.blocks)).toMatch(/The bot's database file was deleted or replaced while the bot was running, so this was not done\. Tell whoever runs the bot/);
    expect(bot.fake.callsTo('conversations.create')).toHaveLength(0);
    expect(sqliteOf(bot.database).prepare('select count(*) as rows from incidents').get()).toEqual({ rows: 0 });
  });

  it('archives the channel and says why when the database stops taking writes after the channel was made', async () => {
    bot = await startInProcess();
    const { incident } = await recordDeclaration({ ...bot.deps, journal: bot.deps.journal }, { declarationKey: 'V1', declaredBy: 'UALICE', declaration: { title: 'Payments slow', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false } });
    refuseWrites(bot.database);

    const outcome = await completeDeclaration(bot.deps, incident);

    expect(outcome).toMatchObject({ kind: 'failed', message: expect.stringMatching(DATABASE_REFUSED) });
    expect(incidentChannels(bot)).toHaveLength(1);
    expect(incidentChannels(bot).every((channel) => channel.isArchived)).toBe(true);
  });
});

describe('declaring when something else fails after the channel exists', () => {
  let bot: InProcessBot;
  afterEach(() => bot.close());

  it('archives the channel and tells the declarer in the form when the summary cannot be rendered', async () => {
    const shipped = loadTemplates();
    const failingKickoff: Templates = {
      render: (name, data) => {
        if (name === 'kickoff') throw new Error('Missing helper: "uppercase"');
        return shipped.render(name, data);
      },
    };
    bot = await startInProcess({ templates: failingKickoff });
    const { viewId } = await submitDeclareForm(bot, 'Search broken');

    const shown = visibleText(bot.fake.views.get(viewId)?.view.blocks);
    expect(shown).toMatch(/The incident was \*not\* declared/);
    expect(shown).toMatch(/internal error after creating the channel, so it archived the channel; its logs say why/);
    expect(incidentChannels(bot)).toHaveLength(1);
    expect(incidentChannels(bot)[0]!.isArchived).toBe(true);
    expect((await bot.deps.incidents.findByChannelName(incidentChannels(bot)[0]!.name))?.phase).toBe('aborted');
    expect(sqliteOf(bot.database).prepare('select * from work_in_progress').all()).toEqual([]);
  });
});

describe('a title with Slack markup in what the declarer is told', () => {
  let bot: InProcessBot;
  afterEach(() => bot.close());
  const TITLE = '<!channel> payments & <b>';
  const SHOWN = '"&lt;!channel&gt; payments &amp; &lt;b&gt;"';

  it('is shown as text in the direct message when the form was closed', async () => {
    bot = await startInProcess();
    bot.fake.failMethod('conversations.create', { error: 'restricted_action' });
    bot.fake.failMethod('views.update', { error: 'not_found' });
    await submitDeclareForm(bot, TITLE);
    expect(bot.fake.dms('UALICE').map((message) => message.text)).toEqual([expect.stringContaining(`:x: The incident ${SHOWN} was *not* declared.`)]);
  });

  it('is shown as text when the next start calls off a declaration a crash cut short', async () => {
    bot = await startInProcess();
    const { incident } = await bot.deps.incidents.recordDeclaration('V1', { title: TITLE, severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', bot.clock.now());
    // The entry of a process on this machine that no longer exists.
    await new SqliteWorkJournal(bot.database.db, `${hostname()}:2147483646:gone`).start({ what: DECLARE_WORK, userId: 'UALICE', incidentId: incident.id }, bot.clock.now());
    const recovery = { ...bot.deps, owner: 'in-process-test', timeZone: 'UTC' };
    expect(await recoverInterruptedWork(recovery)).toBe(1);
    expect(bot.fake.dms('UALICE').map((message) => message.text)).toEqual([expect.stringContaining(`:x: The bot stopped while declaring ${SHOWN}`)]);
  });
});

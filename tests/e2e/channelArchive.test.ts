import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, clickButton, declareIncident, expectModal, readDatabase, replyAt, runCommand, startHarness, submitForm, waitFor, type Harness } from '../support/harness.js';
import { configFile } from '../support/launcher.js';

/**
 * The channel archive through the built bot (dist/main.js), its scheduler on the real clock: a
 * period of 0.00005 days (4.3 s) set in incident.config.yml, so the warning comes at the resolve and
 * the archive seconds later. The rules themselves are tested in tests/flows/channelArchive.test.ts.
 */
describe('archiving a resolved incident\'s channel, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INCIDENT_CONFIG: configFile('archive_after_days: 0.0001\n') } });
  });
  afterAll(() => h.close());

  it('warns at the resolve, Keep open postpones, then archives; reopening from another channel unarchives', async () => {
    const { channel } = await declareIncident(h, { title: 'Stale search index', commander: 'UBOB', severity: 'SEV3' });
    const view = await expectModal(h, () => runCommand(h, 'resolve', { channelId: channel.id, userId: 'UBOB' }));
    await submitForm(h, view, { 'Resolution summary': 'Reindexed', 'Root cause': 'A bad mapping' }, 'UBOB');
    const warnings = () => h.fake.messages(channel.id).filter((message) => message.text.includes('will be archived on'));
    const warning = await waitFor(() => warnings()[0], 'the archive warning', 15_000);

    const button = warning.blocks!.find((block) => block.type === 'actions')!.elements[0];
    const { responseUrl } = await clickButton(h, { userId: 'UCAROL', channelId: channel.id, messageTs: warning.ts, actionId: button.action_id, value: button.value });
    expect(await replyAt(h, responseUrl)).toMatchObject({ replace_original: true, text: expect.stringContaining('<@UCAROL> kept this channel open') });

    await waitFor(() => channel.isArchived, 'the channel archived', 25_000);
    const row = readDatabase(h.dbPath).incidents.find((incident) => incident.channel_id === channel.id)!;
    const kinds = readDatabase(h.dbPath).timeline.filter((entry) => entry.incident_id === row.id).map((entry) => [entry.kind, entry.actor_id]);
    expect(kinds).toContainEqual(['archive_postponed', 'UCAROL']);
    expect(kinds.at(-1)).toEqual(['channel_archived', null]);
    // The period started again at the click: warned again (a period under a day is warned at its start), then archived.
    expect(warnings()).toHaveLength(2);

    expect(await ask(h, `reopen <#${channel.id}|${channel.name}> errors are back`, { userId: 'UBOB' })).toMatch(/The channel is unarchived/);
    expect(channel.isArchived).toBe(false);
    expect(readDatabase(h.dbPath).incidents.find((incident) => incident.id === row.id)).toMatchObject({ status: 'investigating' });
  });
});

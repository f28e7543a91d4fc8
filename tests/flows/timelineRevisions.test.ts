/**
 * The timeline's own changes (a pinned message taken off, edited or deleted in Slack, an entry
 * edited or removed with `/incident timeline`) go through the change pipeline like every other
 * change: the outlets hear each one that changed something, and each outlet acts only on what it
 * shows. Only the post-mortem draft shows the timeline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Happened } from '../../src/domain/events.js';
import type { LiveIncident } from '../../src/domain/incident.js';
import { addNote } from '../../src/flows/notes.js';
import { messagePinned, pinnedMessageChanged, pinnedMessageGone, pinRemoved, SLACK_PIN_HOLDER } from '../../src/flows/pins.js';
import { publishPostmortem } from '../../src/flows/postmortem.js';
import { resolveIncident } from '../../src/flows/resolve.js';
import { markReviewHeld } from '../../src/flows/review.js';
import { changeSeverity } from '../../src/flows/statusUpdate.js';
import { editTimelineEntry, removeTimelineEntry } from '../../src/flows/timelineEdits.js';
import { OUTLETS } from '../../src/outlets/index.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';
import { recordingOutlet } from '../support/recordingOutlet.js';

let bot: InProcessBot;
afterEach(() => bot?.close());

const current = async (incident: LiveIncident) => (await bot.deps.incidents.findLiveById(incident.id))!;
const entryReading = async (incident: LiveIncident, text: string) => {
  const entry = (await bot.deps.incidents.timelineOf(incident.id)).find((candidate) => candidate.text === text);
  expect(entry, `an entry reading "${text}"`).toBeDefined();
  return entry!;
};
const kindsAfter = (recorder: { heard: Happened[] }, from: number) => recorder.heard.slice(from).map(({ event }) => event.kind);

describe('the timeline\'s own changes, through the pipeline', () => {
  it('are heard by the outlets, each with what changed and who changed it; a change that changes nothing is not', async () => {
    const recorder = recordingOutlet();
    bot = await startInProcess({ outlets: [...OUTLETS, recorder] });
    const incident = await bot.declare({ title: 'Checkout errors', commanderId: 'UBOB' });
    const edited = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'error rate 5%');
    const deleted = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'it was the CDN');
    const twicePinned = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'p99 800 ms');
    const slackPinned = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'rollback done');
    await messagePinned(bot.deps, incident, edited.ts, 'UBOB');
    await messagePinned(bot.deps, incident, deleted.ts, 'UBOB');
    await messagePinned(bot.deps, incident, twicePinned.ts, 'UBOB');
    await messagePinned(bot.deps, incident, twicePinned.ts, 'UCAROL');
    await messagePinned(bot.deps, incident, slackPinned.ts, 'UCAROL', SLACK_PIN_HOLDER);
    await addNote(bot.deps, incident, 'UBOB', 'rolled back deploy 4521');
    const from = recorder.heard.length;

    expect(await pinnedMessageChanged(bot.deps, incident, edited.ts, 'error rate 12%', 'UDAVE')).toBe(true);
    expect(await pinnedMessageChanged(bot.deps, incident, edited.ts, 'error rate 12%', 'UDAVE')).toBe(false); // a link preview: same text
    expect(await pinnedMessageGone(bot.deps, incident, deleted.ts)).toBe(true);
    expect(await pinnedMessageGone(bot.deps, incident, deleted.ts)).toBe(false); // Slack retried the event
    expect(await pinRemoved(bot.deps, incident, twicePinned.ts, 'UBOB')).toBe(false); // Carol's :pushpin: still holds it
    expect(await pinRemoved(bot.deps, incident, twicePinned.ts, 'UCAROL')).toBe(true);
    expect(await pinRemoved(bot.deps, incident, slackPinned.ts, 'UERIN', SLACK_PIN_HOLDER)).toBe(true);
    const note = await entryReading(incident, 'rolled back deploy 4521');
    expect(await editTimelineEntry(bot.deps, incident, note.id, 'UBOB', 'rolled back deploy 4521 at 14:05')).toMatchObject({ ok: true });
    expect(await editTimelineEntry(bot.deps, incident, note.id, 'UBOB', 'rolled back deploy 4521 at 14:05')).toMatchObject({ ok: false });
    expect(await removeTimelineEntry(bot.deps, incident, note.id, 'UBOB')).toMatchObject({ ok: true });
    expect(await removeTimelineEntry(bot.deps, incident, note.id, 'UBOB')).toMatchObject({ ok: false });

    expect(kindsAfter(recorder, from)).toEqual(['pinned_message_edited', 'pinned_message_deleted', 'message_unpinned', 'message_unpinned', 'timeline_entry_edited', 'timeline_entry_removed']);
    const [edit, deletion, unpinned, slackUnpinned, entryEdit, removal] = recorder.heard.slice(from);
    expect(edit).toMatchObject({ actorId: 'UDAVE', event: { messageTs: edited.ts, previousText: 'error rate 5%', text: 'error rate 12%' }, incident: { id: incident.id } });
    expect(deletion).toMatchObject({ actorId: null, event: { messageTs: deleted.ts } });
    expect(unpinned).toMatchObject({ actorId: 'UCAROL', event: { messageTs: twicePinned.ts } });
    expect(slackUnpinned).toMatchObject({ actorId: 'UERIN', event: { messageTs: slackPinned.ts } });
    expect(entryEdit).toMatchObject({ actorId: 'UBOB', event: { entryId: note.id, previousText: 'rolled back deploy 4521', text: 'rolled back deploy 4521 at 14:05' } });
    expect(removal).toMatchObject({ actorId: 'UBOB', event: { entryId: note.id, text: 'rolled back deploy 4521 at 14:05' } });
  });

  it('leave the channel, the pinned summary, the topic, the announcement channel, the Home tab and the webhooks alone', async () => {
    const everything = configFile(['webhooks:', '  - name: feed', '    url: http://127.0.0.1:9/hook', '    secret_env: FEED_SECRET', ''].join('\n'));
    bot = await startInProcess({ env: { INCIDENT_CONFIG: everything, FEED_SECRET: 'x'.repeat(32), INCIDENT_ANNOUNCE_CHANNEL: 'C0ANNOUNCE' } });
    const incident = await bot.declare({ title: 'Checkout errors', commanderId: 'UBOB' });
    await bot.deps.appHome.recordOpened('UBOB', bot.clock.now());
    const pinned = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'error rate 5%');
    const unpinned = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'p99 800 ms');
    await messagePinned(bot.deps, incident, pinned.ts, 'UBOB');
    await messagePinned(bot.deps, incident, unpinned.ts, 'UBOB');
    await addNote(bot.deps, incident, 'UBOB', 'rolled back deploy 4521');
    const note = await entryReading(incident, 'rolled back deploy 4521');
    const calls = () => bot.fake.calls.filter((call) => ['chat.postMessage', 'chat.update', 'conversations.setTopic', 'views.publish', 'files.completeUploadExternal'].includes(call.method)).length;
    const before = { calls: calls(), rows: await bot.storedRows() };
    // The webhook hears every event it can: the declaration is in the outbox, so a new row would show.
    expect(before.rows.outbox).toHaveLength(1);

    await pinnedMessageChanged(bot.deps, incident, pinned.ts, 'error rate 12%', 'UDAVE');
    await pinnedMessageGone(bot.deps, incident, pinned.ts);
    await pinRemoved(bot.deps, incident, unpinned.ts, 'UBOB');
    await editTimelineEntry(bot.deps, incident, note.id, 'UBOB', 'rolled back deploy 4521 at 14:05');
    await removeTimelineEntry(bot.deps, incident, note.id, 'UBOB');

    const after = await bot.storedRows();
    expect(calls()).toBe(before.calls);
    expect(after.outbox).toEqual(before.rows.outbox);
    expect(after.app_home_viewers).toEqual(before.rows.app_home_viewers);
    // The same watch sees a change Home does hear: a new severity marks it stale.
    await changeSeverity(bot.deps, await current(incident), 'UBOB', 'SEV1');
    expect((await bot.storedRows()).app_home_viewers).not.toEqual(before.rows.app_home_viewers);
  });

  it('draft the open post-mortem again, with the final text and without what was removed; never once its review is held, and never uploaded again', async () => {
    bot = await startInProcess();
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV1', commanderId: 'UBOB' });
    const pinned = bot.fake.postAsUser(incident.channelId, 'UDAVE', 'error rate 5%');
    await messagePinned(bot.deps, incident, pinned.ts, 'UBOB');
    await addNote(bot.deps, incident, 'UBOB', 'rolled back deploy 4521');
    await addNote(bot.deps, incident, 'UBOB', 'a wrong guess: the database');
    const draft = async () => (await bot.deps.postmortems.draftOf(incident.id))!;

    // No draft yet: nothing is drafted before the incident's post-mortem is.
    await pinnedMessageChanged(bot.deps, incident, pinned.ts, 'error rate 9%', 'UDAVE');
    expect(await bot.deps.postmortems.draftOf(incident.id)).toBeUndefined();

    expect(await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Rolled back', rootCause: 'Deploy 4521' })).toMatchObject({ ok: true });
    const uploaded = await draft();
    expect(uploaded.markdown).toContain('a wrong guess: the database');
    const uploads = () => bot.fake.calls.filter((call) => call.method === 'files.completeUploadExternal').length;
    const uploadsBefore = uploads();

    const resolved = await current(incident);
    bot.clock.advance(60_000);
    await pinnedMessageChanged(bot.deps, resolved, pinned.ts, 'error rate 12%', 'UDAVE');
    await editTimelineEntry(bot.deps, resolved, (await entryReading(incident, 'rolled back deploy 4521')).id, 'UBOB', 'rolled back deploy 4521 at 14:05');
    await removeTimelineEntry(bot.deps, resolved, (await entryReading(incident, 'a wrong guess: the database')).id, 'UBOB');

    const redrafted = await draft();
    expect(redrafted.markdown).toContain(':pushpin: error rate 12%');
    expect(redrafted.markdown).toContain('rolled back deploy 4521 at 14:05');
    expect(redrafted.markdown).not.toContain('a wrong guess');
    expect(redrafted.markdown).not.toContain('error rate 9%');
    expect(redrafted.generatedAt.getTime()).toBeGreaterThan(uploaded.generatedAt.getTime());
    expect(redrafted.fileId).toBe(uploaded.fileId);
    expect(uploads()).toBe(uploadsBefore);
    // What /incident postmortem would post now is the draft kept.
    expect((await publishPostmortem(bot.deps, await current(incident))).ok).toBe(true);
    expect((await draft()).markdown).toBe(redrafted.markdown);

    expect(await markReviewHeld(bot.deps, await current(incident), 'UBOB')).toMatchObject({ ok: true });
    const reviewed = await draft();
    await pinnedMessageGone(bot.deps, await current(incident), pinned.ts);
    expect(await draft()).toEqual(reviewed);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { LiveIncident as Incident } from '../../src/domain/incident.js';
import { STALE_DRAFT } from '../../src/domain/lifecycle.js';
import { updateSourceOf } from '../../src/domain/statusDraft.js';
import { addActionItem } from '../../src/flows/actionItems.js';
import { resultText } from '../../src/flows/incidentFlow.js';
import { addNote } from '../../src/flows/notes.js';
import { messagePinned } from '../../src/flows/pins.js';
import { postmortemSource } from '../../src/outlets/postmortemDraft.js';
import { sendDueReminders } from '../../src/flows/reminders.js';
import { resolveIncident } from '../../src/flows/resolve.js';
import { assignRole } from '../../src/flows/roles.js';
import { changeSeverity, postDraftAsIs, postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { renderPostmortem } from '../../src/render/postmortem.js';
import { loadTemplates } from '../../src/render/templates.js';
import { parseDraftButtonValue } from '../../src/slack/views/reminderMessage.js';
import type { EmulatedMessage } from '../../src/sandbox/slackEmulator.js';
import { visibleText } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

const MINUTE = 60_000;

/**
 * The update the bot writes when an interval passes, through the real scheduler pass, flows and
 * fake Slack, with the clock moved by hand: 30-minute intervals without waiting for them.
 */
describe('the drafted status update', () => {
  let bot: InProcessBot;
  afterEach(() => bot.close());

  const start = async (env: Record<string, string> = {}) => {
    bot = await startInProcess({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CGENERAL', ...env } });
    bot.fake.addUser({ id: 'UBOB', name: 'bob' });
    bot.fake.addUser({ id: 'UCAROL', name: 'carol' });
  };
  /** One pass of the scheduler, as the running bot makes every tick. */
  const pass = () => sendDueReminders({ ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, owner: 'this-process', retryMs: 30_000 });
  const at = (incident: Incident, minutes: number) => bot.clock.set(new Date(incident.declaredAt.getTime() + minutes * MINUTE));
  const botMessages = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.user === bot.fake.botUserId);
  const reminders = (incident: Incident) => botMessages(incident).filter((message) => message.text.includes('No status update'));
  const automatic = (incident: Incident) => botMessages(incident).filter((message) => message.text.startsWith('Automatic update'));
  const shown = (message: EmulatedMessage) => visibleText(message.blocks);
  const buttons = (message: EmulatedMessage) => (message.blocks!.find((block) => block.type === 'actions')!.elements as { text: { text: string }; value: string; action_id: string }[]);
  const draftIdOf = (message: EmulatedMessage) => parseDraftButtonValue(buttons(message)[0]!.value)!.draftId;
  const updates = async (incident: Incident) =>
    (await bot.deps.incidents.timelineOf(incident.id))
      .filter((entry) => entry.kind === 'status_update')
      .map((entry) => ({ source: updateSourceOf(entry), actorId: entry.actorId, text: entry.text }));
  const current = async (incident: Incident) => (await bot.deps.incidents.findLiveById(incident.id))!;

  it('writes the update from the timeline: news since the last update, impact, roles, and the next steps it gave, marked as such', async () => {
    await start({ INCIDENT_AUTO_UPDATE: 'none' });
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });
    at(incident, 2);
    await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'identified', whatChanged: 'Pool exhausted', impact: '40% of checkouts fail', nextSteps: 'Roll back deploy 4521 by 02:30' });
    at(incident, 5);
    await addNote(bot.deps, await current(incident), 'UCAROL', 'Rollback started <@UBOB>');
    const pinned = bot.fake.postAsUser(incident.channelId!, 'UCAROL', 'error rate <5% now & falling');
    await messagePinned(bot.deps, await current(incident), pinned.ts, 'UBOB');
    await changeSeverity(bot.deps, await current(incident), 'UBOB', 'SEV1');
    await assignRole(bot.deps, await current(incident), 'UBOB', 'comms', 'UCAROL');
    await addActionItem(bot.deps, await current(incident), 'UBOB', 'Alert on pool saturation <@UCAROL>');

    at(incident, 31);
    expect(await pass()).toBe(0);
    at(incident, 32);
    expect(await pass()).toBe(1);
    const [reminder] = reminders(incident);
    expect(reminder!.text).toBe('<@UBOB> <@UCAROL> No status update for 30 min');
    const text = shown(reminder!);
    expect(text).toContain('Here is one drafted from the timeline');
    expect(text).not.toContain('the bot posts this draft itself');
    expect(text).toContain('>*What changed:* Since the last update (02:02):');
    for (const line of [
      '>• 02:05 Note from <@UCAROL>: Rollback started <@UBOB>',
      ':pushpin: <@UCAROL>: error rate &lt;5% now &amp; falling',
      '>• 02:05 Severity raised from SEV2 to SEV1',
      '>• 02:05 <@UCAROL> is now communications lead',
      '>• 02:05 New action item: Alert on pool saturation (owner <@UCAROL>)',
      '>*Severity:* SEV1 · Critical',
      '>*Impact:* 40% of checkouts fail',
      '>*ETA / next steps:* (from the 02:02 update) Roll back deploy 4521 by 02:30',
      '>*Incident Commander:* <@UBOB>',
    ]) {
      expect(text).toContain(line);
    }
    expect(buttons(reminder!).map((button) => button.text.text)).toEqual(['Post as is', 'Edit and post', 'Snooze 15 min']);
    // Off for this severity: the bot never posts it itself, it reminds again an interval later.
    at(incident, 61);
    expect(await pass()).toBe(0);
    expect(automatic(incident)).toEqual([]);
    at(incident, 62);
    expect(await pass()).toBe(1);
    expect(reminders(incident)).toHaveLength(2);
    // Still the news since the last update: no update has carried it to the channel yet.
    expect(shown(reminders(incident)[1]!)).toContain('>• 02:05 Note from <@UCAROL>: Rollback started <@UBOB>');
  });

  it('Post as is: the draft is the update, in the clicker\'s name, marked as the bot\'s draft; the clock starts again', async () => {
    await start({ INCIDENT_AUTO_UPDATE: 'none' });
    const incident = await bot.declare({ severity: 'SEV3', commanderId: 'UBOB' });
    at(incident, 30);
    await pass();
    const [reminder] = reminders(incident);
    at(incident, 33);
    const result = await postDraftAsIs(bot.deps, await current(incident), draftIdOf(reminder!), 'UBOB');
    expect(resultText(result)).toBe(':white_check_mark: Update posted: Investigating.');
    const posted = botMessages(incident).at(-1)!;
    expect(shown(posted)).toContain('>'.repeat(0) + '*What changed:* Nothing new on the timeline since the incident was declared (02:00).');
    expect(shown(posted)).toContain('_Drafted by the bot from the timeline, posted as is by <@UBOB>._');
    expect(await updates(incident)).toEqual([{ source: 'draft', actorId: 'UBOB', text: "Investigating (the bot's draft, posted as is)" }]);
    expect((await current(incident)).lastUpdateAt).toEqual(bot.clock.now());
    // The commander posting it counts as acknowledging, as their own update does.
    expect((await current(incident)).acknowledgedBy).toBe('UBOB');

    at(incident, 62);
    expect(await pass()).toBe(0); // counts from 02:33
    at(incident, 63);
    expect(await pass()).toBe(1);
  });

  it('Post as is on a draft the incident has moved past is refused, and posts nothing', async () => {
    await start({ INCIDENT_AUTO_UPDATE: 'none' });
    const incident = await bot.declare({ severity: 'SEV3', commanderId: 'UBOB' });
    at(incident, 30);
    await pass();
    const draftId = draftIdOf(reminders(incident)[0]!);
    await postDraftAsIs(bot.deps, await current(incident), draftId, 'UBOB');
    const count = botMessages(incident).length;

    // A second click (or a colleague's, a second later) would post the same news twice.
    expect(resultText(await postDraftAsIs(bot.deps, await current(incident), draftId, 'UCAROL'))).toBe(`:x: ${STALE_DRAFT}`);
    // So would one after a person's own update.
    at(incident, 61);
    await pass();
    const second = draftIdOf(reminders(incident)[1]!);
    await postStatusUpdate(bot.deps, await current(incident), 'UCAROL', { status: 'monitoring', whatChanged: 'Fix out', impact: '', nextSteps: '' });
    expect(resultText(await postDraftAsIs(bot.deps, await current(incident), second, 'UBOB'))).toBe(`:x: ${STALE_DRAFT}`);
    expect(botMessages(incident)).toHaveLength(count + 2); // the second reminder and Carol's update
    expect((await updates(incident)).map((update) => update.source)).toEqual(['draft', 'person']);
    // A draft of another incident is not found through this one.
    const other = await bot.declare({ severity: 'SEV3' });
    expect(resultText(await postDraftAsIs(bot.deps, other, second, 'UBOB'))).toMatch(/not in the bot's database/);
  });

  it('when nobody posts, the bot does: marked automatic, mentioning the commander, announced for SEV1/SEV2, and it counts as the update', async () => {
    await start();
    const incident = await bot.declare({ title: 'Payments down', severity: 'SEV2', commanderId: 'UBOB' });
    at(incident, 10);
    await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'identified', whatChanged: 'Card processor timing out', impact: 'No card payments', nextSteps: 'Fail over to the backup processor' });
    at(incident, 40);
    expect(await pass()).toBe(1);
    expect(shown(reminders(incident)[0]!)).toContain('If nobody posts an update by *02:45*, the bot posts this draft itself.');
    at(incident, 44);
    expect(await pass()).toBe(0);
    at(incident, 45);
    expect(await pass()).toBe(1);

    const [posted] = automatic(incident);
    expect(posted!.text).toBe('Automatic update: Identified. No update from people since 02:10. <@UBOB>');
    const text = shown(posted!);
    expect(text).toMatch(/^:robot_face: \*Automatic update:\* no new update from the commander since 02:10; this is where things stand\.\n/);
    expect(text).toContain('*Incident Commander:* <@UBOB>');
    expect(text).toContain('*ETA / next steps:* (from the 02:10 update) Fail over to the backup processor');
    expect(buttons(posted!).map((button) => [button.text.text, button.action_id])).toEqual([['Post update', 'reminder_update']]);
    expect((await updates(incident)).at(-1)).toEqual({ source: 'automatic', actorId: null, text: 'Identified (nobody had posted an update this interval)' });
    expect((await current(incident)).lastUpdateAt).toEqual(bot.clock.now());
    const announced = bot.fake.messages('CGENERAL').map((message) => message.text);
    expect(announced.at(-1)).toMatch(/^\*SEV2 · Identified\* — Payments down: automatic update, nothing from the responders since 02:10: Nothing new on the timeline since the last update \(02:10\)\./);

    // The next interval counts from the bot's update, and the reminder says people are still silent.
    at(incident, 74);
    expect(await pass()).toBe(0);
    at(incident, 75);
    expect(await pass()).toBe(1);
    expect(shown(reminders(incident)[1]!)).toContain("(since the bot's automatic update; none from people since 02:10)");
    at(incident, 80);
    expect(await pass()).toBe(1);
    expect(automatic(incident)).toHaveLength(2);
    // Next steps are a person's: the bot's own update does not pass them on as its own.
    expect(shown(automatic(incident)[1]!)).toContain('(from the 02:10 update) Fail over to the backup processor');
  });

  it('is never announced for a private incident or a severity the announcement channel does not hear', async () => {
    await start({ INCIDENT_AUTO_UPDATE: 'SEV1,SEV3' });
    const secret = await bot.declare({ severity: 'SEV1', isPrivate: true, commanderId: 'UBOB' });
    const minor = await bot.declare({ severity: 'SEV3', commanderId: 'UBOB' });
    const before = bot.fake.messages('CGENERAL').length;
    at(secret, 30);
    await pass();
    at(secret, 40);
    expect(await pass()).toBe(2);
    expect(automatic(secret)).toHaveLength(1);
    expect(automatic(minor)).toHaveLength(1);
    expect(bot.fake.messages('CGENERAL')).toHaveLength(before);
  });

  it('INCIDENT_AUTO_UPDATE=none: SEV1 gets the drafted reminder, never an automatic update', async () => {
    await start({ INCIDENT_AUTO_UPDATE: 'none' });
    const incident = await bot.declare({ severity: 'SEV1', commanderId: 'UBOB' });
    for (let minute = 30; minute <= 120; minute += 5) {
      at(incident, minute);
      await pass();
    }
    expect(automatic(incident)).toEqual([]);
    expect(reminders(incident)).toHaveLength(4);
    expect(await updates(incident)).toEqual([]);
  });

  it('Snooze holds the automatic update back too', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV1', commanderId: 'UBOB' });
    at(incident, 30);
    await pass();
    at(incident, 31);
    await bot.deps.reminders.snooze(incident.id, new Date(bot.clock.now().getTime() + 15 * MINUTE));
    at(incident, 45);
    expect(await pass()).toBe(0);
    at(incident, 46);
    expect(await pass()).toBe(1);
    expect(automatic(incident)).toHaveLength(1);
  });

  it('a Slack failure delays the automatic update and records nothing; it goes out once Slack takes it', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV2', commanderId: 'UBOB' });
    at(incident, 30);
    await pass();
    at(incident, 35);
    bot.fake.failMethod('chat.postMessage', { error: 'ratelimited', times: 1 });
    expect(await pass()).toBe(0);
    expect(await updates(incident)).toEqual([]);
    expect(bot.logs.some((line) => line.msg === 'Slack did not take a scheduled message; will retry')).toBe(true);
    at(incident, 35.4);
    expect(await pass()).toBe(0); // waits the retry delay
    at(incident, 35.5);
    expect(await pass()).toBe(1);
    expect(automatic(incident)).toHaveLength(1);
    expect((await updates(incident)).map((update) => update.source)).toEqual(['automatic']);
  });

  it('killed between posting and recording: the next claimant finds it in the channel, records it once, posts nothing more', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV2', commanderId: 'UBOB' });
    at(incident, 30);
    await pass();
    at(incident, 35);
    const incidents = bot.deps.incidents;
    const applyChange = incidents.applyChange.bind(incidents);
    incidents.applyChange = () => {
      throw new Error('killed mid-way');
    };
    await expect(pass()).rejects.toThrow('killed mid-way');
    incidents.applyChange = applyChange;
    expect(automatic(incident)).toHaveLength(1);
    expect(await updates(incident)).toEqual([]);

    // The lease of the process that died runs out; the message it sent is found by its key.
    at(incident, 36.5);
    await pass();
    expect(automatic(incident)).toHaveLength(1);
    expect((await updates(incident)).map((update) => update.source)).toEqual(['automatic']);
    expect((await current(incident)).lastUpdateAt).toEqual(new Date(incident.declaredAt.getTime() + 35 * MINUTE));
    at(incident, 64);
    expect(await pass()).toBe(0);
  });

  it('stops with the incident: nothing is drafted or posted once it is resolved', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV1', commanderId: 'UBOB' });
    at(incident, 30);
    await pass();
    at(incident, 32);
    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Fixed', rootCause: '' });
    at(incident, 40);
    await pass();
    expect(automatic(incident)).toEqual([]);
    expect(resultText(await postDraftAsIs(bot.deps, await current(incident), draftIdOf(reminders(incident)[0]!), 'UBOB'))).toMatch(/resolved/);
  });

  it('the post-mortem tells updates people wrote from the bot\'s, with the longest silence of people', async () => {
    await start();
    const incident = await bot.declare({ severity: 'SEV2', commanderId: 'UBOB' });
    at(incident, 5);
    await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'identified', whatChanged: 'Found it', impact: '', nextSteps: 'Roll back' });
    at(incident, 35);
    await pass();
    at(incident, 40);
    await pass(); // automatic
    at(incident, 70);
    await pass();
    at(incident, 71);
    await postDraftAsIs(bot.deps, await current(incident), draftIdOf(reminders(incident)[1]!), 'UCAROL');
    at(incident, 90);
    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Fixed', rootCause: '' });

    const source = await postmortemSource(bot.deps, await current(incident));
    const names = { user: (id: string) => id.toLowerCase(), channel: (id: string) => id };
    const markdown = renderPostmortem(loadTemplates(), source, { timeZone: 'UTC', severities: bot.config.severities, names, now: bot.clock.now() });
    expect(markdown).toContain('| Status updates | 3 (1 by people, 1 bot draft posted as is, 1 automatic) |');
    expect(markdown).toContain('| Longest gap between updates | 35 min (02:05 to 02:40) |');
    expect(markdown).toContain('| Longest gap without an update written by a person | 1 h 25 min (02:05 to 03:30) |');
    expect(markdown).toContain('| 02:05 | @ubob | Status update: Identified: Found it · Next: Roll back |');
    // The bot's updates restate the timeline: no details of their own.
    expect(markdown).toContain('| 02:40 | bot | Automatic status update: Identified (nobody had posted an update this interval) |');
    expect(markdown).toMatch(/\| 03:11 \| @ucarol \| Status update \(bot draft\): Identified \(the bot's draft, posted as is\)/);
  });
});

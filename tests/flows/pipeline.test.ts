/**
 * The change pipeline: every change to an incident reaches every outlet, in order; an outlet that
 * fails never undoes the change nor stops the outlets after it, and its failure reaches the person
 * and the log. Outlets are added here as a user of the bot would add one: one object, one line in
 * the list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveIncident } from '../../src/domain/incident.js';
import { acknowledgeIncident } from '../../src/flows/acknowledge.js';
import { addActionItem, completeActionItem } from '../../src/flows/actionItems.js';
import { completeDeclaration } from '../../src/flows/declare.js';
import { sendDueEscalations } from '../../src/flows/escalation.js';
import { addNote } from '../../src/flows/notes.js';
import { messagePinned } from '../../src/flows/pins.js';
import { sendDueReminders } from '../../src/flows/reminders.js';
import { reopenIncident, resolveIncident } from '../../src/flows/resolve.js';
import { markReviewHeld } from '../../src/flows/review.js';
import { assignRole } from '../../src/flows/roles.js';
import { changeSeverity, postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { OUTLETS } from '../../src/outlets/index.js';
import type { Outlet } from '../../src/outlets/outlet.js';
import { SlackCallError } from '../../src/slack/slackErrors.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { configFile } from '../support/launcher.js';
import { recordingOutlet } from '../support/recordingOutlet.js';

let bot: InProcessBot;
afterEach(() => bot?.close());

const current = async (incident: LiveIncident) => (await bot.deps.incidents.findLiveById(incident.id))!;
const UPDATE = { status: 'identified' as const, whatChanged: 'Pool exhausted', impact: '40% of checkouts fail', nextSteps: 'Roll back' };

describe('the change pipeline', () => {
  it('hands every kind of change to an outlet registered with one line, with the incident as it now stands', async () => {
    const recorder = recordingOutlet();
    const ladder = 'severities:\n  SEV1:\n    autoPost: true\n    escalation:\n      - { tier: Team lead, after: 1m, page: [UDAVE] }\nupdateInterval: 30m\n';
    bot = await startInProcess({ env: { INCIDENT_CONFIG: configFile(ladder) }, outlets: [...OUTLETS, recorder] });
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });
    const minute = () => bot.clock.advance(60_000);

    minute();
    await acknowledgeIncident(bot.deps, await current(incident), 'UBOB');
    await postStatusUpdate(bot.deps, await current(incident), 'UBOB', UPDATE);
    await changeSeverity(bot.deps, await current(incident), 'UBOB', 'SEV1');
    await assignRole(bot.deps, await current(incident), 'UBOB', 'comms', 'UCAROL');
    await addNote(bot.deps, await current(incident), 'UCAROL', 'Rollback started');
    const message = bot.fake.postAsUser(incident.channelId, 'UCAROL', 'p99 back under 800 ms');
    await messagePinned(bot.deps, await current(incident), message.ts, 'UBOB');
    await addActionItem(bot.deps, await current(incident), 'UBOB', 'Alert on pool saturation');
    await completeActionItem(bot.deps, await current(incident), 1, 'UCAROL');
    minute();
    expect(await sendDueEscalations({ ...bot.deps, escalation: bot.config.escalation, owner: 'this-process', retryMs: 30_000 })).toBe(1);
    const reminders = { ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, owner: 'this-process', retryMs: 30_000 };
    bot.clock.advance(30 * 60_000);
    await sendDueReminders(reminders); // the drafted reminder: not a change
    bot.clock.advance(5 * 60_000);
    await sendDueReminders(reminders); // nobody posted: the bot's update is
    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Rolled back', rootCause: 'Pool too small' });
    await reopenIncident(bot.deps, await current(incident), 'UBOB', 'errors are back');
    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Pool resized', rootCause: 'Pool too small' });
    await markReviewHeld(bot.deps, await current(incident), 'UBOB');

    expect(recorder.heard.map(({ event }) => event.kind)).toEqual([
      'declared',
      'acknowledged',
      'status_updated',
      'severity_changed',
      'role_assigned',
      'note_added',
      'message_pinned',
      'action_added',
      'action_done',
      'escalated',
      'status_updated',
      'resolved',
      'reopened',
      'resolved',
      'review_held',
    ]);
    const [declared, acknowledged, , raised, , , , , , paged, automatic] = recorder.heard;
    expect(declared).toMatchObject({ actorId: 'UALICE', incident: { phase: 'live', channelId: incident.channelId, kickoffTs: expect.any(String) } });
    expect(acknowledged).toMatchObject({ actorId: 'UBOB', incident: { acknowledgedBy: 'UBOB' } });
    expect(raised).toMatchObject({ event: { from: 'SEV2', to: 'SEV1', raised: true }, incident: { severity: 'SEV1' } });
    expect(paged).toMatchObject({ actorId: null, event: { tier: 'Team lead', page: ['UDAVE'] } });
    expect(automatic).toMatchObject({ actorId: null, event: { source: 'automatic', previousStatus: 'identified' } });
    // Each change was heard after it was recorded: the stored timeline has one entry per change (and the pinned message).
    const timeline = (await bot.deps.incidents.timelineOf(incident.id)).map((entry) => entry.kind);
    expect(timeline.filter((kind) => kind !== 'pinned_message')).toHaveLength(recorder.heard.length - 1);
  });

  it('keeps the change and runs the next outlets when an outlet crashes, and tells the person and the log', async () => {
    const recorder = recordingOutlet();
    const broken: Outlet = { name: 'broken', step: 'Telling the broken system', deliver: async () => { throw new TypeError('boom'); } };
    bot = await startInProcess({ outlets: [OUTLETS[0]!, broken, ...OUTLETS.slice(1), recorder] });
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });

    const result = await changeSeverity(bot.deps, await current(incident), 'UBOB', 'SEV1');

    expect(result).toEqual({ ok: true, message: 'Severity is now SEV1.', warnings: ['Telling the broken system: the bot hit an internal error; its logs say why.'] });
    expect((await current(incident)).severity).toBe('SEV1');
    // The outlets after the broken one still ran: the summary, the announcement channel, the recorder.
    expect(bot.fake.messages(incident.channelId).map((message) => message.text)).toContain('Severity :arrow_double_up: raised from SEV2 to *SEV1* by <@UBOB>');
    expect(recorder.heard.map(({ event }) => event.kind)).toEqual(['declared', 'severity_changed']);
    const failure = bot.logs.find((line) => line.msg === 'an outlet failed; the change stands' && line.event === 'severity_changed');
    expect(failure).toMatchObject({ outlet: 'broken', incidentId: incident.id, level: 50 });
  });

  it('says which step the chat refused, in the words of its refusal, and goes on', async () => {
    const recorder = recordingOutlet();
    const refusing: Outlet = {
      name: 'refusing',
      step: 'Telling the refusing system',
      deliver: async (_happened, _deps, steps) => steps.attempt('Posting to the status page', async () => { throw new SlackCallError('chat.postMessage', 'channel_not_found'); }),
    };
    bot = await startInProcess({ outlets: [refusing, ...OUTLETS, recorder] });
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });

    const result = await acknowledgeIncident(bot.deps, await current(incident), 'UBOB');

    expect(result.ok && result.warnings).toEqual([expect.stringMatching(/^Posting to the status page: /)]);
    expect((await current(incident)).acknowledgedBy).toBe('UBOB');
    expect(recorder.heard.map(({ event }) => event.kind)).toEqual(['declared', 'acknowledged']);
    expect(bot.logs.find((line) => line.msg === 'step failed' && line.step === 'Posting to the status page')).toMatchObject({ code: 'channel_not_found' });
  });

  it('takes back a status update the channel refused, and no outlet hears of it', async () => {
    const recorder = recordingOutlet();
    bot = await startInProcess({ outlets: [...OUTLETS, recorder] });
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });
    bot.fake.failMethod('chat.postMessage', { error: 'channel_not_found', times: 1 });

    const result = await postStatusUpdate(bot.deps, await current(incident), 'UBOB', UPDATE);

    expect(result.ok).toBe(false);
    expect((await current(incident)).status).toBe('investigating');
    expect((await bot.deps.incidents.timelineOf(incident.id)).map((entry) => entry.kind)).toEqual(['declared']);
    expect(recorder.heard.map(({ event }) => event.kind)).toEqual(['declared']);
  });

  it('hears nothing of a change the domain refuses', async () => {
    const recorder = recordingOutlet();
    bot = await startInProcess({ outlets: [...OUTLETS, recorder] });
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });

    const result = await resolveIncident(bot.deps, await current(incident), 'UCAROL', { summary: 'Rolled back', rootCause: '' });

    expect(result.ok).toBe(false);
    expect(recorder.heard.map(({ event }) => event.kind)).toEqual(['declared']);
  });

  it('restarts the reminder clock of a reopened incident before any Slack call, so no pass meanwhile reminds on the old clock', async () => {
    bot = await startInProcess({ env: { INCIDENT_UPDATE_INTERVAL: '30m', INCIDENT_AUTO_UPDATE: 'none' } });
    const incident = await bot.declare({ title: 'Checkout errors', severity: 'SEV2', commanderId: 'UBOB' });
    await resolveIncident(bot.deps, await current(incident), 'UBOB', { summary: 'Rolled back', rootCause: 'Pool too small' });
    bot.clock.advance(2 * 60 * 60_000); // long past an interval since the last update
    bot.fake.slowMethod('chat.postMessage', 300);
    const pass = () => sendDueReminders({ ...bot.deps, reminderSettings: bot.config.reminders, review: bot.config.review, owner: 'this-process', retryMs: 30_000 });

    const reopening = reopenIncident(bot.deps, await current(incident), 'UBOB', 'errors are back');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the reopen is waiting on Slack
    expect(await pass()).toBe(0);
    expect(await reopening).toMatchObject({ ok: true });
    bot.fake.slowMethod('chat.postMessage', 0);
    bot.clock.advance(30 * 60_000);
    expect(await pass()).toBe(1);
  });

  it('never archives the channel of an incident that went live, whatever fails after', async () => {
    // An outlet so broken that even reporting its failure throws: the worst the pipeline can meet.
    const hopeless = { name: 'hopeless', deliver: async () => { throw new Error('boom'); }, get step(): string { throw new Error('no step either'); } } as Outlet;
    bot = await startInProcess({ outlets: [hopeless] });
    const { incident: recorded } = await bot.deps.incidents.recordDeclaration('V-live', { title: 'Checkout errors', severity: 'SEV2', impact: '', commanderId: 'UBOB', isPrivate: false }, 'UALICE', bot.clock.now());

    const outcome = await completeDeclaration(bot.deps, recorded);

    expect(outcome).toMatchObject({ kind: 'declared', warnings: ['Announcing the incident: the bot hit an internal error; its logs say why.'] });
    const channel = bot.fake.channels.get((await bot.deps.incidents.findById(recorded.id))!.channelId!)!;
    expect(channel.isArchived).toBe(false);
    expect((await bot.deps.incidents.findById(recorded.id))?.phase).toBe('live');
  });
});

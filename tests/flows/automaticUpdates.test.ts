import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { updateSourceOf } from '../../src/domain/statusDraft.js';
import { sendDueReminders } from '../../src/flows/reminders.js';
import { parseDraftButtonValue } from '../../src/slack/views/reminderMessage.js';
import type { FakeMessage } from '../support/fakeSlack.js';
import { clickButton, expectModal, submitForm, visibleText, waitFor, type BotUnderTest } from '../support/harness.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';
import { scratchDir } from '../support/launcher.js';

/**
 * The bot's own status update after a reminder nobody answered, with a 2-second interval as the
 * end-to-end tests had it: the real scheduler passes a quarter second apart on the injected clock,
 * the real listeners for the reminder's buttons and the update form.
 */
const INTERVAL_MS = 2000;
const TICK_MS = 250;

function configFile(yaml: string): string {
  const path = join(scratchDir(), 'incident.config.yml');
  writeFileSync(path, yaml);
  return path;
}

describe('drafted and automatic status updates, a 2-second interval', () => {
  let bot: InProcessBot;
  let h: BotUnderTest;
  afterEach(() => bot.close());

  const start = async (env: Record<string, string> = {}) => {
    bot = await startInProcess({ env: { INCIDENT_UPDATE_INTERVAL: '2s', INCIDENT_ANNOUNCE_CHANNEL: 'CGENERAL', ...env } });
    h = { fake: bot.fake, app: { url: await bot.startApp() } };
  };
  const pass = () => sendDueReminders({ ...bot.deps.incident, reminderSettings: bot.config.reminders, review: bot.config.review, owner: 'this-process', retryMs: 1000 });
  /** Scheduler ticks until `probe` holds; resolves with the clock's time then (ms since the incident was declared). */
  const tickUntil = async <T>(incident: Incident, probe: () => T | undefined, what: string): Promise<{ found: T; atMs: number }> => {
    for (let tick = 0; tick < 40; tick += 1) {
      const found = probe();
      if (found) return { found, atMs: bot.clock.now().getTime() - incident.declaredAt.getTime() };
      bot.clock.advance(TICK_MS);
      await pass();
    }
    throw new Error(`ten seconds of ticks passed without ${what}`);
  };
  const remindersIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.includes('No status update'));
  const automaticIn = (incident: Incident) => bot.fake.messages(incident.channelId!).filter((message) => message.text.startsWith('Automatic update'));
  const buttonsOf = (message: FakeMessage) => message.blocks!.find((block) => block.type === 'actions')!.elements as { text: { text: string }; action_id: string; value: string }[];
  const click = (incident: Incident, message: FakeMessage, label: string, userId = 'UBOB') => {
    const button = buttonsOf(message).find((candidate) => candidate.text.text === label)!;
    return clickButton(h, { userId, channelId: incident.channelId!, messageTs: message.ts, actionId: button.action_id, value: button.value });
  };
  const draftIdOf = (reminder: FakeMessage) => parseDraftButtonValue(buttonsOf(reminder)[0]!.value)!.draftId;
  /** The stored status updates of an incident, as the post-mortem reads them. */
  const updatesOf = (incident: Incident) =>
    bot.deps.incident.incidents
      .timelineOf(incident.id)
      .filter((entry) => entry.kind === 'status_update')
      .map((entry) => ({ at: entry.at, actorId: entry.actorId, text: entry.text, data: { ...entry.data, source: updateSourceOf(entry) } }));

  it('Edit and post: the person\'s update is theirs and the interval\'s, so the bot waits for the next one (auto_post_after from the file)', async () => {
    // Three seconds before the bot posts its own (set in the file, as operators write it): time to edit.
    await start({ INCIDENT_CONFIG: configFile('auto_post_after: 3s\n') });
    const incident = await bot.declare({ title: 'Slow reports', severity: 'SEV2', commanderId: 'UBOB' });
    const { found: reminder, atMs: remindedAt } = await tickUntil(incident, () => remindersIn(incident)[0], 'the drafted reminder');
    expect(remindedAt).toBe(INTERVAL_MS);
    // 02:00:02 and three seconds: the minute the bot would post.
    expect(visibleText(reminder.blocks)).toContain('If nobody posts an update by *02:00*, the bot posts this draft itself.');
    const draftId = draftIdOf(reminder);

    const modal = await expectModal(h, () => click(incident, reminder, 'Edit and post'));
    expect(modal.view.callback_id).toBe('incident_update');
    const whatChanged = (modal.view.blocks as any[]).find((block) => block.label?.text === 'What changed').element.initial_value as string;
    expect(whatChanged).toBe(bot.deps.incident.reminders.findDraft(draftId)!.whatChanged);
    expect(whatChanged).toBe('Nothing new on the timeline since the incident was declared (02:00).');

    bot.clock.advance(500);
    await submitForm(h, modal, { Status: 'Monitoring', 'What changed': 'Report queue drained; watching it for an hour' }, 'UBOB');
    const posted = await waitFor(() => bot.fake.messages(incident.channelId!).find((message) => message.text.startsWith('Monitoring: Report queue drained')), 'the edited update');
    expect(visibleText(posted.blocks)).toContain('*What changed:* Report queue drained; watching it for an hour');
    expect(visibleText(posted.blocks)).not.toContain('Drafted by the bot');
    expect(updatesOf(incident)).toEqual([
      { at: bot.clock.now(), actorId: 'UBOB', text: 'Monitoring: Report queue drained; watching it for an hour', data: expect.objectContaining({ source: 'person', draftId }) },
    ]);
    await waitFor(() => bot.fake.messages('CGENERAL').find((message) => message.text.includes('— Slow reports: status update: Report queue drained')), 'the announcement');

    // The person's update is the interval's: the next reminder counts from it, and the bot's own update waits for the next one.
    const { atMs: nextAt } = await tickUntil(incident, () => remindersIn(incident)[1], 'the next reminder');
    expect(nextAt).toBe(remindedAt + 500 + INTERVAL_MS);
    expect(automaticIn(incident)).toEqual([]);
    const { atMs: automaticAt } = await tickUntil(incident, () => automaticIn(incident)[0], 'the automatic update after the next reminder');
    // The file's 3 s, cut to the interval: the bot's update comes before what would be the next reminder.
    expect(automaticAt - nextAt).toBe(INTERVAL_MS);
    expect(automaticIn(incident)).toHaveLength(1);
  });

  it('SEV2 by default: when nobody posts, the bot does, mentioning the commander, announced; the next reminder counts from it', async () => {
    await start();
    const incident = await bot.declare({ title: 'Payments down', severity: 'SEV2', commanderId: 'UBOB' });
    const { found: reminder, atMs: remindedAt } = await tickUntil(incident, () => remindersIn(incident)[0], 'the drafted reminder');
    expect(visibleText(reminder.blocks)).toMatch(/If nobody posts an update by \*\d\d:\d\d\*, the bot posts this draft itself\./);

    const { found: automatic, atMs: automaticAt } = await tickUntil(incident, () => automaticIn(incident)[0], 'the automatic update');
    // A third of the interval for someone to post first.
    expect(automaticAt - remindedAt).toBeGreaterThan((INTERVAL_MS / 3) * 0.75);
    expect(automatic.text).toBe('Automatic update: Investigating. No update from people since the incident was declared. <@UBOB>');
    const shown = visibleText(automatic.blocks);
    expect(shown).toMatch(/^:robot_face: \*Automatic update:\* no new update from the commander since the incident was declared; this is where things stand\.\n:rotating_light: \*INCIDENT: Payments down\*/);
    expect(shown).toContain('*Incident Commander:* <@UBOB>');

    const announced = bot.fake.messages('CGENERAL').filter((message) => message.text.includes('automatic update'));
    expect(announced).toHaveLength(1);
    expect(announced[0]!.text).toMatch(/^\*SEV2 · Investigating\* — Payments down: automatic update, nothing from the responders since the declaration: Nothing new on the timeline/);
    const [update] = updatesOf(incident);
    expect(update).toEqual({ at: bot.clock.now(), actorId: null, text: 'Investigating (nobody had posted an update this interval)', data: expect.objectContaining({ source: 'automatic' }) });
    expect(bot.deps.incident.incidents.findById(incident.id)!.lastUpdateAt).toEqual(update!.at);

    const { found: next, atMs: nextAt } = await tickUntil(incident, () => remindersIn(incident)[1], 'the next reminder');
    expect(nextAt - automaticAt).toBe(INTERVAL_MS);
    expect(visibleText(next.blocks)).toContain("(since the bot's automatic update; none from people since the incident was declared)");
  });
});

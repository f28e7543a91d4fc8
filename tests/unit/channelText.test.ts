/**
 * What people type, as the incident channel shows it: the flows run in this process against the
 * strict fake Slack and an in-memory database, the way the listeners call them.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDeclaration } from '../../src/domain/declaration.js';
import { addActionItem } from '../../src/flows/actionItems.js';
import { completeDeclaration, recordDeclaration } from '../../src/flows/declare.js';
import type { FlowDependencies } from '../../src/flows/incidentFlow.js';
import { addNote } from '../../src/flows/notes.js';
import { reopenIncident, resolveIncident } from '../../src/flows/resolve.js';
import { postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { deliverToOutlets } from '../../src/flows/pipeline.js';
import { summaryOutlet } from '../../src/outlets/summary.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from '../../src/render/templates.js';
import { readDeclareForm } from '../../src/slack/views/declareModal.js';
import { readNoteForm, readResolveForm, readUpdateForm } from '../../src/slack/views/incidentModals.js';
import { brokenTextProblem } from '../../src/sandbox/blockKitRules.js';
import type { SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { startInProcess, type InProcessBot } from '../support/inProcess.js';

const TECHNOLOGIST = '👩‍💻';
const INVISIBLE = '\u200B\u202E\u0007'; // zero-width space, right-to-left override, bell

let bot: InProcessBot;
let fake: SlackEmulator;
let deps: FlowDependencies;
let declarations = 0;

beforeAll(async () => {
  bot = await startInProcess();
  bot.clock.set(new Date('2026-11-26T03:00:00Z'));
  ({ fake } = bot);
  deps = bot.deps;
});
afterAll(() => bot.close());

/** The declare form as Slack submits it, read and checked as the listener does, then declared. */
async function declare(title: string) {
  const values = {
    title: { title_input: { type: 'plain_text_input', value: title } },
    severity: { severity_select: { type: 'static_select', selected_option: { value: 'SEV2' } } },
    impact: { impact_input: { type: 'plain_text_input', value: '' } },
    commander: { commander_select: { type: 'users_select', selected_user: 'UBOB' } },
  };
  const check = checkDeclaration(readDeclareForm(values));
  if (!check.ok) throw new Error(JSON.stringify(check.errors));
  declarations += 1;
  const { incident } = await recordDeclaration(deps, { declarationKey: `V${declarations}`, declaredBy: 'UALICE', declaration: check.declaration });
  const outcome = await completeDeclaration(deps, incident);
  if (outcome.kind !== 'declared') throw new Error(outcome.message);
  return (await deps.incidents.findLiveById(incident.id))!;
}

const lastMessage = (channelId: string) => fake.messages(channelId).at(-1)!;
const lastEntry = async (incidentId: number) => (await deps.incidents.timelineOf(incidentId)).at(-1)!;
const textInput = (value: string) => ({ type: 'plain_text_input', value });

describe('mentions and links people type are shown working; broadcasts never ping', () => {
  // What `/incident note …` leaves after the listener has undone Slack's escaping once.
  const typed = 'asked <@UCOMMAND1|ivan> in <#CGENERAL|general>, see <https://grafana.example/d?a=1&b=2|dashboard>; <b> & <!channel> <!here> <!subteam^S01|@oncall>';
  const shown = 'asked <@UCOMMAND1|ivan> in <#CGENERAL|general>, see <https://grafana.example/d?a=1&amp;b=2|dashboard>; &lt;b&gt; &amp; &lt;!channel&gt; &lt;!here&gt; &lt;!subteam^S01|@oncall&gt;';

  it('in a note, stored as typed', async () => {
    const incident = await declare('Checkout down');
    expect(await addNote(deps, incident, 'UCAROL', typed)).toMatchObject({ ok: true });
    expect(lastMessage(incident.channelId!).text).toBe(`:memo: *Note* from <@UCAROL>: ${shown}`);
    expect(await lastEntry(incident.id)).toMatchObject({ kind: 'note', text: typed });
  });

  it('in an action item', async () => {
    const incident = await declare('Search slow');
    expect(await addActionItem(deps, incident, 'UCAROL', `${typed} <@UDAVE> 2026-12-01`)).toMatchObject({ ok: true });
    expect(lastMessage(incident.channelId!).text).toContain(`added by <@UCAROL>: ${shown} · owner <@UDAVE> · due 2026-12-01`);
  });

  it('in a reopen reason', async () => {
    const incident = await declare('Queue stuck');
    await resolveIncident(deps, incident, 'UBOB', { summary: 'drained', rootCause: '' });
    expect(await reopenIncident(deps, (await deps.incidents.findLiveById(incident.id))!, 'UBOB', typed)).toMatchObject({ ok: true });
    expect(fake.messages(incident.channelId!).map((message) => message.text)).toContain(`:rotating_light: Incident *reopened* by <@UBOB>: ${shown}. Status is back to Investigating.`);
  });

  it('in a status update typed in the form, a pasted <!channel> does not ping', async () => {
    const incident = await declare('Login errors');
    const form = readUpdateForm({
      status: { status: { selected_option: { value: 'identified' } } },
      what_changed: { what_changed: textInput('rolled back, thanks <@UDAVE> <!channel>') },
      impact: { impact: textInput('see <https://status.example|status page>') },
      next_steps: { next_steps: textInput('') },
    });
    expect(await postStatusUpdate(deps, incident, 'UCAROL', { ...form, status: 'identified' })).toMatchObject({ ok: true });
    const posted = lastMessage(incident.channelId!);
    const blocks = JSON.stringify(posted.blocks);
    expect(blocks).toContain('*What changed:* rolled back, thanks <@UDAVE> &lt;!channel&gt;');
    expect(blocks).toContain('*Impact:* see <https://status.example|status page>');
    expect(posted.text).toBe('Identified: rolled back, thanks <@UDAVE> &lt;!channel&gt;');
  });

  it('titles stay text everywhere, so a title never pings or links', async () => {
    const incident = await declare('<!channel> <@UDAVE> & friends');
    const kickoff = fake.messages(incident.channelId!)[0]!;
    expect(kickoff.text).toContain('&lt;!channel&gt; &lt;@UDAVE&gt; &amp; friends');
    const sections = kickoff.blocks!.filter((block) => block.type === 'section');
    expect(sections.length).toBeGreaterThan(0);
    expect(JSON.stringify(sections)).not.toMatch(/<!channel>|<@UDAVE>/);
  });
});

describe('form fields are stored without invisible and control characters', () => {
  it('a status update, a note and a resolution', async () => {
    const incident = await declare('Payments failing');
    const form = readUpdateForm({
      status: { status: { selected_option: { value: 'identified' } } },
      what_changed: { what_changed: textInput(`pool${INVISIBLE} exhausted\nafter deploy`) },
      impact: { impact: textInput(`card${INVISIBLE} payments`) },
      next_steps: { next_steps: textInput(`roll back${INVISIBLE}`) },
    });
    await postStatusUpdate(deps, incident, 'UCAROL', { ...form, status: 'identified' });
    expect(await lastEntry(incident.id)).toMatchObject({ kind: 'status_update', text: 'Identified: pool exhausted\nafter deploy', data: { impact: 'card payments', nextSteps: 'roll back' } });
    expect((await deps.incidents.findById(incident.id))!.impact).toBe('card payments');

    await addNote(deps, incident, 'UCAROL', readNoteForm({ note: { note: textInput(`seen${INVISIBLE} at 03:10`) } }));
    expect(await lastEntry(incident.id)).toMatchObject({ kind: 'note', text: 'seen at 03:10' });

    await resolveIncident(deps, (await deps.incidents.findLiveById(incident.id))!, 'UBOB', readResolveForm({ summary: { summary: textInput(`rolled${INVISIBLE} back`) }, root_cause: { root_cause: textInput(`pool${INVISIBLE} size`) } }));
    expect(await deps.incidents.findById(incident.id)).toMatchObject({ resolutionSummary: 'rolled back', rootCause: 'pool size' });
    expect(JSON.stringify(fake.messages(incident.channelId!))).not.toMatch(/[\u200B\u202E\u0007]/);
  });

  it('an emoji joined with a zero-width joiner survives in the title, the header and the kickoff', async () => {
    const incident = await declare(`${TECHNOLOGIST}${INVISIBLE} laptops cannot log in`);
    expect(incident.title).toBe(`${TECHNOLOGIST} laptops cannot log in`);
    const kickoff = fake.messages(incident.channelId!)[0]!;
    expect(kickoff.blocks![0]).toMatchObject({ type: 'header', text: { text: `🚨 ${TECHNOLOGIST} laptops cannot log in` } });
  });
});

describe('long text is never cut inside an entity, a mention or a character', () => {
  it('a long status update with & and < everywhere is split into sections Slack accepts, each whole', async () => {
    const incident = await declare('Everything & more');
    const whatChanged = `${'R&D <team> & <@UDAVE> '.repeat(70)}${TECHNOLOGIST.repeat(30)}`;
    const form = readUpdateForm({
      status: { status: { selected_option: { value: 'identified' } } },
      what_changed: { what_changed: textInput(whatChanged) },
      impact: { impact: textInput(whatChanged) },
      next_steps: { next_steps: textInput(whatChanged) },
    });
    expect(await postStatusUpdate(deps, incident, 'UCAROL', { ...form, status: 'identified' })).toMatchObject({ ok: true });
    const sections = lastMessage(incident.channelId!).blocks!.map((block) => String(block.text.text));
    expect(sections.length).toBeGreaterThan(2);
    for (const section of sections) {
      expect(section.length).toBeLessThanOrEqual(3000);
      expect(brokenTextProblem(section, 'mrkdwn')).toBeUndefined();
      expect(section).not.toMatch(/^[a-z]{1,3};/);
    }
    // Sections end at a line break (dropped) or mid-line: joined back, each field reads whole.
    const shown = whatChanged.replace(/&/g, '&amp;').replace(/<team>/g, '&lt;team&gt;');
    expect(sections.join('')).toContain(`*What changed:* ${shown}*Impact:* ${shown}*ETA / next steps:* ${shown}`);
  });

  it('a topic with the title in it is cut at 250 characters between entities', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'topic.hbs'), '{{severity.level}} · IC {{commander}} · {{title}}');
    const withTitle = { ...deps, templates: loadTemplates(dir), outlets: [summaryOutlet] };
    try {
      // Each padding moves the 250th character to another place inside an `&amp;`.
      for (const padding of ['', 'x', 'xx', 'xxx', 'xxxx']) {
        const incident = await declare(`${padding}${'&'.repeat(100)}`);
        expect(await deliverToOutlets(withTitle, { event: { kind: 'acknowledged', afterMs: 0 }, incident, actorId: 'UBOB', at: bot.clock.now() })).toEqual([]);
        const topic = fake.channels.get(incident.channelId!)!.topic;
        expect(topic.length).toBeLessThanOrEqual(250);
        expect(topic).toMatch(/^SEV2 · IC <@UBOB> · x*(&amp;)+…$/);
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

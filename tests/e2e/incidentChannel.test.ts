import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, ask, clickButton, declareIncident, expectModal, readDatabase, replyAt, runCommand, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';
import type { EmulatedChannel } from '../../src/sandbox/slackEmulator.js';
import { sendEvent } from '../../src/sandbox/slackRequests.js';

/** Running an incident from its channel: every command, button and the :pushpin: event. */
describe('running an incident from its channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CANNOUNCE', INCIDENT_RESPONDERS: 'UERIN' } });
    h.fake.addChannel({ id: 'CANNOUNCE', name: 'incidents' });
  });
  afterAll(() => h.close());

  /** A fresh SEV2 incident commanded by Bob, declared by Alice. */
  async function incident(title: string, extra: { severity?: string; isPrivate?: boolean } = {}) {
    const { channel } = await declareIncident(h, { title, commander: 'UBOB', severity: extra.severity ?? 'SEV2', ...(extra.isPrivate ? { isPrivate: true } : {}) });
    const row = readDatabase(h.dbPath).incidents.find((candidate) => candidate.channel_id === channel.id)!;
    return { channel, id: row.id as number, kickoffTs: row.kickoff_ts as string };
  }
  const timelineOf = (id: number) => readDatabase(h.dbPath).timeline.filter((entry) => entry.incident_id === id);
  const incidentRow = (id: number) => readDatabase(h.dbPath).incidents.find((row) => row.id === id)!;
  const summaryText = (channel: EmulatedChannel, ts: string) => visibleText(h.fake.messages(channel.id).find((message) => message.ts === ts)!.blocks);
  const in_ = (channel: EmulatedChannel, userId = 'UALICE') => ({ channelId: channel.id, userId });

  it('answers a channel command outside an incident channel with what to do instead, writing nothing', async () => {
    const before = readDatabase(h.dbPath).timeline.length;
    for (const command of ['update', 'note hello', 'severity sev1', 'resolve', 'status']) {
      expect(await ask(h, command)).toMatch(/works in an incident's own channel.*\/incident list/);
    }
    expect(readDatabase(h.dbPath).timeline).toHaveLength(before);
  });

  it('posts a status update from the template, keeps the pinned summary and topic current, and repeats SEV2 updates', async () => {
    const { channel, id, kickoffTs } = await incident('Checkout errors');
    const view = await expectModal(h, () => runCommand(h, 'update', in_(channel)));
    expect(view.view.blocks.map((block: any) => block.label?.text).filter(Boolean)).toEqual(['Status', 'What changed', 'Impact', 'Next steps / ETA']);
    const response = await submitForm(h, view, { Status: 'Identified', 'What changed': 'Pool exhausted after deploy 4521', Impact: '30% of checkouts fail', 'Next steps / ETA': 'Rolling back, 20 min' }, 'UALICE');
    expect(response.status).toBe(200);

    const update = await waitFor(() => h.fake.messages(channel.id).find((message) => visibleText(message.blocks).includes('INCIDENT: Checkout errors')), 'the update in the channel');
    const text = visibleText(update.blocks);
    for (const line of [/Severity:\* SEV2 · High/, /Status:\* Identified \(was Investigating\)/, /What changed:\* Pool exhausted after deploy 4521/, /Impact:\* 30% of checkouts fail/, /ETA \/ next steps:\* Rolling back, 20 min/, /Incident Commander:\* <@UBOB>/]) {
      expect(text).toMatch(line);
    }
    await waitFor(() => channel.topic === 'SEV2 · Identified · IC <@UBOB>', 'the topic to follow');
    const summary = summaryText(channel, kickoffTs);
    expect(summary).toMatch(/Status:\* Identified/);
    expect(summary).toMatch(/Impact:\* 30% of checkouts fail/);
    expect(summary).toMatch(/Last update:\* \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await waitFor(() => /SEV2 · Identified.*Checkout errors: status update: Pool exhausted/.test(visibleText(h.fake.messages('CANNOUNCE').at(-1)?.blocks)), 'the update repeated in the announcement channel');

    const entry = timelineOf(id).find((row) => row.kind === 'status_update')!;
    expect(entry).toMatchObject({ actor_id: 'UALICE', text: 'Identified: Pool exhausted after deploy 4521' });
    expect(incidentRow(id)).toMatchObject({ status: 'identified', impact: '30% of checkouts fail' });
    expect(incidentRow(id).last_update_at).toBe(entry.at);
  });

  it('does not repeat SEV3 updates in the announcement channel, and refuses an update without what changed', async () => {
    const { channel, id } = await incident('Slow search', { severity: 'SEV3' });
    const announcements = h.fake.messages('CANNOUNCE').length;
    const view = await expectModal(h, () => runCommand(h, 'update', in_(channel)));
    const refused = await submitForm(h, view, { Status: 'Monitoring', 'What changed': '   ' });
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { what_changed: expect.stringMatching(/Say what changed/) } });
    await submitForm(h, view, { Status: 'Monitoring', 'What changed': 'Index rebuilt' });
    await waitFor(() => timelineOf(id).some((row) => row.kind === 'status_update'), 'the update on the timeline');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.messages('CANNOUNCE')).toHaveLength(announcements);
  });

  it('sends an update marked Resolved on to the resolve form', async () => {
    const { channel } = await incident('Queue stuck');
    const view = await expectModal(h, () => runCommand(h, 'update', in_(channel, 'UBOB')));
    const response = await submitForm(h, view, { Status: 'Resolved', 'What changed': 'Drained' }, 'UBOB');
    const next = (response.json as { response_action: string; view: any });
    expect(next.response_action).toBe('update');
    expect(next.view.callback_id).toBe('incident_resolve');
  });

  it('changes severity directly, announces a raise, and keeps topic, summary and timeline in step', async () => {
    const { channel, id, kickoffTs } = await incident('Payments degraded', { severity: 'SEV3' });
    expect(await ask(h, 'severity sev1', in_(channel))).toMatch(/Severity is now SEV1/);
    expect(channel.topic).toBe('SEV1 · Investigating · IC <@UBOB>');
    expect(summaryText(channel, kickoffTs)).toMatch(/Severity:\* SEV1 · Critical/);
    expect(h.fake.messages(channel.id).at(-1)!.text).toMatch(/raised from SEV3 to \*SEV1\* by <@UALICE>/);
    expect(visibleText(h.fake.messages('CANNOUNCE').at(-1)!.blocks)).toMatch(/severity raised from SEV3 to SEV1/);

    const announcements = h.fake.messages('CANNOUNCE').length;
    expect(await ask(h, 'severity 2', in_(channel))).toMatch(/Severity is now SEV2/);
    expect(h.fake.messages('CANNOUNCE')).toHaveLength(announcements);
    expect(timelineOf(id).filter((row) => row.kind === 'severity_changed').map((row) => row.text)).toEqual(['Severity raised from SEV3 to SEV1', 'Severity lowered from SEV1 to SEV2']);
    expect(incidentRow(id)).toMatchObject({ severity: 'SEV2', highest_severity: 'SEV1' });
  });

  it('answers a bad severity with the valid ones and changes nothing', async () => {
    const { channel, id } = await incident('Bad severity');
    expect(await ask(h, 'severity sev9', in_(channel))).toMatch(/"sev9" is not a severity\. Use SEV1, SEV2, SEV3, SEV4/);
    expect(await ask(h, 'severity SEV2', in_(channel))).toMatch(/already SEV2/);
    expect(timelineOf(id).map((row) => row.kind)).toEqual(['declared']);
  });

  it('opens the severity form when no level is given', async () => {
    const { channel, id } = await incident('Severity by form');
    const view = await expectModal(h, () => runCommand(h, 'severity', in_(channel)));
    await submitForm(h, view, { Severity: 'SEV1' });
    await waitFor(() => incidentRow(id).severity === 'SEV1', 'the severity to change');
  });

  it('assigns roles from escaped mentions, invites the person and posts the timed handoff', async () => {
    const { channel, id, kickoffTs } = await incident('Login loops');
    expect(await ask(h, 'role comms <@UCAROL|carol>', in_(channel))).toMatch(/<@UCAROL> is now communications lead/);
    expect(channel.members.has('UCAROL')).toBe(true);
    expect(h.fake.messages(channel.id).at(-1)!.text).toMatch(/Communications lead:\* <@UCAROL> \(assigned by <@UALICE> at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/);
    expect(summaryText(channel, kickoffTs)).toMatch(/Comms:\* <@UCAROL>/);

    expect(await ask(h, 'commander <@UDAVE|dave>', in_(channel, 'UALICE'))).toMatch(/Only the incident commander \(<@UBOB>\) or a listed responder can hand over command/);
    expect(await ask(h, 'commander <@UDAVE|dave>', in_(channel, 'UBOB'))).toMatch(/<@UDAVE> is now incident commander/);
    expect(h.fake.messages(channel.id).at(-1)!.text).toMatch(/Incident commander:\* <@UBOB> → <@UDAVE> \(handed over by <@UBOB> at /);
    expect(channel.topic).toBe('SEV2 · Investigating · IC <@UDAVE>');
    expect(await ask(h, 'role commander <@UFRANK>', in_(channel, 'UERIN'))).toMatch(/<@UFRANK> is now incident commander/); // a listed responder

    const roles = readDatabase(h.dbPath).participants.filter((row) => row.incident_id === id).map((row) => `${row.role}:${row.user_id}`);
    expect(roles).toEqual(expect.arrayContaining(['comms:UCAROL', 'commander:UDAVE', 'commander:UFRANK']));
    expect(timelineOf(id).filter((row) => row.kind === 'role_assigned').map((row) => row.actor_id)).toEqual(['UALICE', 'UBOB', 'UERIN']);
  });

  it.each([
    ['role janitor <@UCAROL>', /no role "janitor"/],
    ['role scribe carol', /not a person/],
    ['role', /Usage/],
    ['commander', /Say who/],
    ['commander <@UNOBODY>', /could not be found/],
  ])('answers %j with what is wrong and writes nothing', async (command, answer) => {
    const { channel, id } = await incident(`Roles ${command.length}`);
    expect(await ask(h, command, in_(channel, 'UBOB'))).toMatch(answer);
    expect(timelineOf(id)).toHaveLength(1);
  });

  it('adds notes to the timeline and the channel (the note in the channel is the answer), and refuses an empty one', async () => {
    const { channel, id } = await incident('Notes');
    expect(await ask(h, 'note', in_(channel))).toMatch(/A note needs some text/);
    const posted = await addNote(h, 'Rolled back <!channel> deploy 4521', in_(channel));
    expect(posted.text).toBe(':memo: *Note* from <@UALICE>: Rolled back &lt;!channel&gt; deploy 4521');
    await waitFor(() => timelineOf(id).some((row) => row.kind === 'note'), 'the note on the timeline');
    expect(timelineOf(id).filter((row) => row.kind === 'note')).toMatchObject([{ actor_id: 'UALICE', text: 'Rolled back <!channel> deploy 4521' }]);
  });

  it('tells the user when Slack refuses the note, and records nothing', async () => {
    const { channel, id } = await incident('Archived elsewhere');
    h.fake.failMethod('chat.postMessage', { error: 'is_archived', times: 1 });
    expect(await ask(h, 'note too late', in_(channel))).toMatch(/Slack refused `chat.postMessage` \(is_archived\)/);
    expect(timelineOf(id).filter((row) => row.kind === 'note')).toHaveLength(0);
  });

  it('puts a :pushpin:-ed message on the timeline once, and takes it off when the last pin goes', async () => {
    const { channel, id } = await incident('Pinned evidence');
    const message = h.fake.postAsUser(channel.id, 'UCAROL', 'p99 latency jumped at 02:14, see grafana');
    const reaction = (type: string, user: string) => ({ type, user, reaction: 'pushpin', item_user: 'UCAROL', item: { type: 'message', channel: channel.id, ts: message.ts }, event_ts: `${Date.now() / 1000}` });
    await sendEvent(h.app.url, reaction('reaction_added', 'UALICE'), { eventId: 'EvPIN1' });
    await sendEvent(h.app.url, reaction('reaction_added', 'UALICE'), { eventId: 'EvPIN1', retryNum: 1 });
    await sendEvent(h.app.url, reaction('reaction_added', 'UBOB'));
    await sendEvent(h.app.url, { ...reaction('reaction_added', 'UBOB'), reaction: 'eyes' });
    const pinned = await waitFor(() => timelineOf(id).filter((row) => row.kind === 'pinned_message').at(0), 'the pinned message on the timeline');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(timelineOf(id).filter((row) => row.kind === 'pinned_message')).toHaveLength(1);
    expect(pinned).toMatchObject({ actor_id: 'UCAROL', text: 'p99 latency jumped at 02:14, see grafana', message_ts: message.ts, at: Math.round(Number(message.ts) * 1000) });

    await sendEvent(h.app.url, reaction('reaction_removed', 'UALICE'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(timelineOf(id).filter((row) => row.kind === 'pinned_message')).toHaveLength(1);
    await sendEvent(h.app.url, reaction('reaction_removed', 'UBOB'));
    await waitFor(() => timelineOf(id).every((row) => row.kind !== 'pinned_message'), 'the message to leave the timeline');
  });

  it('records action items with owner and due date, lists them, and marks them done by button', async () => {
    const { channel, id } = await incident('Follow-ups');
    expect(await ask(h, 'action Alert on pool exhaustion <@UBOB|bob> 2026-12-01', in_(channel))).toMatch(/Action item #\d+ added/);
    expect(await ask(h, 'action Update the runbook', in_(channel))).toMatch(/added/);
    expect(await ask(h, 'action <@UBOB>', in_(channel))).toMatch(/Say what needs doing/);
    const items = readDatabase(h.dbPath).actionItems.filter((row) => row.incident_id === id);
    expect(items).toMatchObject([
      { text: 'Alert on pool exhaustion', owner_id: 'UBOB', due_on: '2026-12-01', status: 'open', created_by: 'UALICE' },
      { text: 'Update the runbook', owner_id: null, due_on: null, status: 'open' },
    ]);

    const listed = await runCommand(h, 'actions', in_(channel));
    const list = listed.json as { response_type: string; blocks: any[] };
    expect(list.response_type).toBe('ephemeral');
    expect(visibleText(list.blocks)).toMatch(/Alert on pool exhaustion · owner <@UBOB> · due 2026-12-01/);
    const button = list.blocks.find((block) => block.accessory?.value === String(items[0]!.id)).accessory;
    const { responseUrl } = await clickButton(h, { userId: 'UBOB', channelId: channel.id, messageTs: '1.1', actionId: button.action_id, value: button.value });
    const refreshed = await replyAt(h, responseUrl);
    expect(refreshed.replace_original).toBe(true);
    expect(visibleText(refreshed.blocks)).toMatch(/1 open, 1 done/);
    expect(readDatabase(h.dbPath).actionItems.find((row) => row.id === items[0]!.id)).toMatchObject({ status: 'done', done_by: 'UBOB' });
    expect(timelineOf(id).map((row) => row.kind)).toEqual(expect.arrayContaining(['action_added', 'action_added', 'action_done']));
  });

  it('shows the current state to the user', async () => {
    const { channel } = await incident('State of things');
    await ask(h, 'role scribe <@UDAVE>', in_(channel));
    const status = await ask(h, 'status', in_(channel));
    expect(status).toMatch(/\*State of things\* \(#\d+\)/);
    expect(status).toMatch(/SEV2 · High · \*Status:\* Investigating · open for \d+ s/);
    expect(status).toMatch(/Incident commander: <@UBOB> · Communications lead: _nobody_ · Scribe: <@UDAVE>/);
    expect(status).toMatch(/Last update:\* _none yet_/);
  });

  it('lists open incidents newest first, hiding private ones from people not in them', async () => {
    const older = await incident('List older');
    const secret = await incident('List secret breach', { isPrivate: true });
    const newer = await incident('List newer');
    const forCarol = await ask(h, 'list', { userId: 'UCAROL' });
    expect(forCarol.indexOf('List newer')).toBeLessThan(forCarol.indexOf('List older'));
    expect(forCarol).toContain(`<#${newer.channel.id}>`);
    expect(forCarol).not.toContain('secret');
    expect(forCarol).not.toContain(secret.channel.id);
    expect(forCarol).toMatch(/Plus 1 private incident you are not part of/);
    const forBob = await ask(h, 'list', { userId: 'UBOB' });
    expect(forBob).toContain('List secret breach');
    expect(forBob).toContain(`<#${older.channel.id}>`);
  });

  it('resolves through the form: resolution message, duration, announcement; then reopens', async () => {
    const { channel, id, kickoffTs } = await incident('Cache stampede');
    expect(await ask(h, 'resolve', in_(channel, 'UCAROL'))).toMatch(/Only the incident commander \(<@UBOB>\) or a listed responder can resolve it/);
    const view = await expectModal(h, () => runCommand(h, 'resolve', in_(channel, 'UBOB')));
    const blank = await submitForm(h, view, { 'Resolution summary': ' ' }, 'UBOB');
    expect(blank.json).toMatchObject({ response_action: 'errors', errors: { summary: expect.any(String) } });
    await submitForm(h, view, { 'Resolution summary': 'Added jitter to cache expiry', 'Root cause': 'All keys expired at once' }, 'UBOB');

    const resolution = await waitFor(() => h.fake.messages(channel.id).find((message) => message.text.startsWith('[RESOLVED]')), 'the resolution message');
    const text = visibleText(resolution.blocks);
    expect(text).toMatch(/\[RESOLVED\] Cache stampede/);
    expect(text).toMatch(/Root cause:\* All keys expired at once/);
    expect(text).toMatch(/Duration:\* \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC to \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(\d+ s\)/);
    await waitFor(() => h.fake.messages('CANNOUNCE').some((message) => message.text === '[RESOLVED] Cache stampede'), 'the resolution announced');
    expect(channel.topic.startsWith('SEV2 · Resolved')).toBe(true);
    const summary = h.fake.messages(channel.id).find((message) => message.ts === kickoffTs)!;
    expect(summary.blocks!.some((block) => block.type === 'actions')).toBe(false);
    expect(visibleText(summary.blocks)).toMatch(/Resolved\* .* after \d+ s: Added jitter/);
    const row = incidentRow(id);
    expect(row).toMatchObject({ status: 'resolved', root_cause: 'All keys expired at once', resolution_summary: 'Added jitter to cache expiry' });
    const resolved = timelineOf(id).find((entry) => entry.kind === 'resolved')!;
    expect(JSON.parse(resolved.data as string).durationMs).toBe((row.resolved_at as number) - (row.declared_at as number));

    expect(await ask(h, 'resolve', in_(channel, 'UBOB'))).toMatch(/already resolved/);
    expect(await ask(h, 'update', in_(channel, 'UBOB'))).toMatch(/resolved\. Run `\/incident reopen`/);
    expect(await ask(h, 'reopen errors are back', in_(channel, 'UCAROL'))).toMatch(/Only the incident commander/);
    expect(await ask(h, 'reopen errors are back', in_(channel, 'UBOB'))).toMatch(/reopened; status is Investigating/);
    expect(incidentRow(id)).toMatchObject({ status: 'investigating', resolved_at: null });
    expect(timelineOf(id).at(-1)).toMatchObject({ kind: 'reopened', text: 'Reopened: errors are back', actor_id: 'UBOB' });
    expect(await ask(h, 'reopen', in_(channel, 'UBOB'))).toMatch(/not resolved/);
  });

  it('opens the same forms from the pinned summary\'s buttons, and refuses Resolve to others', async () => {
    const { channel, id, kickoffTs } = await incident('Buttons');
    const buttons = h.fake.messages(channel.id).find((message) => message.ts === kickoffTs)!.blocks!.find((block) => block.type === 'actions')!.elements as any[];
    expect(buttons.map((button) => button.text.text)).toEqual(['Acknowledge', 'Post update', 'Change severity', 'Add note', 'Resolve']);
    const press = (index: number, userId: string) => clickButton(h, { userId, channelId: channel.id, messageTs: kickoffTs, actionId: buttons[index + 1].action_id, value: buttons[index + 1].value });

    expect((await expectModal(h, () => press(0, 'UCAROL'))).view.callback_id).toBe('incident_update');
    expect((await expectModal(h, () => press(1, 'UCAROL'))).view.callback_id).toBe('incident_severity');
    const note = await expectModal(h, () => press(2, 'UCAROL'));
    await submitForm(h, note, { Note: 'Seen from the EU only' }, 'UCAROL');
    await waitFor(() => timelineOf(id).find((row) => row.kind === 'note' && row.actor_id === 'UCAROL'), 'the note from the button');

    const { responseUrl } = await press(3, 'UCAROL');
    expect((await replyAt(h, responseUrl)).text).toMatch(/Only the incident commander/);
    expect((await expectModal(h, () => press(3, 'UBOB'))).view.callback_id).toBe('incident_resolve');
  });
});

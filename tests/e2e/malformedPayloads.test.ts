import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, declareIncident, readDatabase, startHarness, waitFor, type Harness } from '../support/harness.js';
import { postSigned, sendEvent, sendInteraction, type SlackResponse } from '../../src/sandbox/slackRequests.js';

/**
 * Signed requests whose fields have the wrong type, for each kind of listener: answered at once
 * (well inside Slack's 3 seconds) with 200, one warn line, nothing written, and the bot goes on
 * serving the next valid request.
 */
describe('signed payloads of the wrong shape', () => {
  let h: Harness;
  let channelId: string;
  let incidentId: number;
  beforeAll(async () => {
    h = await startHarness();
    channelId = (await declareIncident(h, { title: 'Target', commander: 'UBOB' })).channel.id;
    incidentId = Number(readDatabase(h.dbPath).incidents[0]?.id);
    // The declaration leaves the work journal a moment after its channel shows: the tests below
    // compare everything stored before and after, so they start once it has.
    await waitFor(() => readDatabase(h.dbPath).workInProgress.length === 0, 'the declaration to finish');
    // Going live writes "look again now" (0) as the incident's due times; the scheduler's next pass
    // writes the true ones, which a bot that declares quickly may not have reached yet.
    await waitFor(() => readDatabase(h.dbPath).incidents.every((row) => row.reminder_due_at !== 0 && row.escalation_due_at !== 0), 'the due times of the declared incident');
  });
  afterAll(() => h.close());

  const WRONG_SHAPE = 'ignored a Slack payload of the wrong shape';
  const problems = () => h.app.logs().filter((line) => line.level >= 40);
  const everythingStored = () => readDatabase(h.dbPath);
  const command = (fields: string) =>
    postSigned(h.app.url, `command=%2Fincident&team_id=T0001&trigger_id=${h.fake.issueTriggerId('UCAROL')}&response_url=${encodeURIComponent(h.fake.responseUrl())}&${fields}`, 'application/x-www-form-urlencoded');
  const click = (overrides: Record<string, unknown>) =>
    sendInteraction(h.app.url, {
      type: 'block_actions',
      team: { id: 'T0001' },
      user: { id: 'UCAROL' },
      trigger_id: h.fake.issueTriggerId('UCAROL'),
      response_url: h.fake.responseUrl(),
      container: { type: 'message', channel_id: channelId, message_ts: '1.1' },
      actions: [{ type: 'button', action_id: 'summary_acknowledge', value: String(incidentId) }],
      ...overrides,
    });
  const submission = (callbackId: string, overrides: Record<string, unknown>, view: Record<string, unknown> = {}) =>
    sendInteraction(h.app.url, {
      type: 'view_submission',
      team: { id: 'T0001' },
      user: { id: 'UCAROL' },
      view: { id: 'V0BROKEN', hash: 'h', callback_id: callbackId, private_metadata: JSON.stringify({ incidentId }), state: { values: {} }, ...view },
      ...overrides,
    });

  it.each<[string, () => Promise<SlackResponse>]>([
    ['a command whose text is a list', () => command(`user_id=UCAROL&channel_id=${channelId}&text=note%20one&text=note%20two`)],
    ['a command with no user', () => command(`channel_id=${channelId}&text=note%20ghost`)],
    ['a declare form whose view.state is null', () => submission('declare_incident', {}, { state: null, private_metadata: '' })],
    ['a note form whose user is a number', () => submission('incident_note', { user: 42 }, { state: { values: { note: { note: { type: 'plain_text_input', value: 'hello' } } } } })],
    ['a button click with no actions', () => click({ actions: undefined })],
    ['a button click whose user is a number', () => click({ user: 42 })],
    ['a member_joined_channel whose user is a number', () => sendEvent(h.app.url, { type: 'member_joined_channel', user: 42, channel: channelId, channel_type: 'C', team: 'T0001' })],
    ['a reaction_added with no item', () => sendEvent(h.app.url, { type: 'reaction_added', user: 'UCAROL', reaction: 'pushpin', event_ts: '1.1' })],
  ])('%s: 200 at once, one warn line, nothing written, and the next request is served', async (_case, send) => {
    const before = everythingStored();
    const problemsBefore = problems().length;
    const response = await send();
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(1500);
    await waitFor(() => problems().length > problemsBefore, 'the warn line', 5000);
    expect(problems().slice(problemsBefore).map((line) => line.msg)).toEqual([WRONG_SHAPE]);
    expect(everythingStored()).toEqual(before);
    expect(h.app.child.exitCode).toBeNull();
    expect(await ask(h, 'status', { channelId, userId: 'UCAROL' })).toContain('*Target*');
    expect(problems().length).toBe(problemsBefore + 1);
  });
});

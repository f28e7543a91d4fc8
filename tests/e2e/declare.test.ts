import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDateInZone } from '../../src/domain/time.js';
import { sendEvent } from '../../src/sandbox/slackRequests.js';
import { declareIncident, openDeclareForm, readDatabase, startHarness, submitForm, visibleText, waitFor, type Harness } from '../support/harness.js';

describe('declaring an incident', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { INCIDENT_ANNOUNCE_CHANNEL: 'CANNOUNCE' } });
    // A public channel the bot is not a member of: chat:write.public lets it announce there.
    h.fake.addChannel({ id: 'CANNOUNCE', name: 'incidents', members: ['UALICE', 'UBOB'] });
  });
  afterAll(() => h.close());

  it('opens a form prefilled with the title, the runbook severities and the declarer as commander', async () => {
    const { response, view } = await openDeclareForm(h, 'Database connection failure', { userId: 'UALICE' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    const blocks = view.view.blocks as Record<string, any>[];
    const byLabel = (label: string) => blocks.find((block) => block.label?.text === label)?.element;
    expect(byLabel('Title').initial_value).toBe('Database connection failure');
    const severity = byLabel('Severity');
    expect(severity.options.map((option: any) => option.value)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(severity.options[0].description.text).toMatch(/Service down.*Immediate/);
    expect(severity.options[3].description.text).toMatch(/Next business day/);
    expect(byLabel('Incident commander').initial_user).toBe('UALICE');
    expect(byLabel('What is happening / impact').type).toBe('plain_text_input');
    expect(byLabel('Visibility').options[0].text.text).toMatch(/Private/);
  });

  it('creates the channel, invites, sets the topic, pins the kickoff, announces and stores it all', async () => {
    const { channel, outcome } = await declareIncident(h, {
      title: 'Database connection failure',
      severity: 'SEV1',
      impact: 'Checkout returns 500 for all users since 02:10',
      commander: 'UBOB',
    });
    expect(outcome).toMatch(/Incident declared/);
    expect(outcome).not.toMatch(/Some steps did not work/);

    const db = readDatabase(h.dbPath);
    const incident = db.incidents.find((row) => row.channel_id === channel.id)!;
    const declaredAt = new Date(incident.declared_at as number);
    expect(channel.name).toBe(`incident-${isoDateInZone(declaredAt, 'UTC')}-database-connection-failure`);
    expect(channel.isPrivate).toBe(false);
    expect([...channel.members].sort()).toEqual(['UALICE', 'UBOB', 'UBOT']);
    expect(channel.topic).toBe('SEV1 · Investigating · IC <@UBOB>');

    const [kickoff, ...others] = h.fake.messages(channel.id);
    expect(others).toHaveLength(0);
    const text = visibleText(kickoff!.blocks);
    expect(text).toContain('🚨 Database connection failure');
    expect(text).toMatch(/SEV1 · Critical: Service down, data loss, security breach/);
    expect(text).toMatch(/Response time:\* Immediate/);
    expect(text).toMatch(/Status:\* Investigating/);
    expect(text).toMatch(/Incident commander:\* <@UBOB>/);
    expect(text).toContain('Checkout returns 500 for all users since 02:10');
    expect(text).toMatch(/first 15 minutes/i);
    expect(text).toMatch(/Acknowledge the alert/);
    expect(text).toMatch(/Review recent deployments/);
    expect(h.fake.pins(channel.id)).toEqual([kickoff!.ts]);

    const announcement = h.fake.messages('CANNOUNCE').at(-1)!;
    const announced = visibleText(announcement.blocks);
    expect(announced).toMatch(/SEV1 incident declared: Database connection failure/);
    expect(announced).toContain('<@UBOB>');
    expect(announced).toContain(`<#${channel.id}>`);

    expect(incident).toMatchObject({ phase: 'live', title: 'Database connection failure', severity: 'SEV1', status: 'investigating', commander_id: 'UBOB', declared_by: 'UALICE', kickoff_ts: kickoff!.ts });
    expect(db.participants.filter((row) => row.incident_id === incident.id).map((row) => [row.user_id, row.role])).toEqual(
      expect.arrayContaining([['UALICE', 'declarer'], ['UBOB', 'commander']]),
    );
    const timeline = db.timeline.filter((row) => row.incident_id === incident.id);
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ kind: 'declared', actor_id: 'UALICE' });
  });

  it('makes a private incident a private channel and never announces it', async () => {
    const announcementsBefore = h.fake.messages('CANNOUNCE').length;
    const { channel } = await declareIncident(h, { title: 'Leaked API key', severity: 'SEV1', isPrivate: true, commander: 'UCAROL' });
    expect(channel.isPrivate).toBe(true);
    expect([...channel.members].sort()).toEqual(['UALICE', 'UBOT', 'UCAROL']);
    expect(h.fake.messages('CANNOUNCE')).toHaveLength(announcementsBefore);
    expect(h.fake.pins(channel.id)).toHaveLength(1);
  });

  it('gives a second incident with the same title the -2 channel', async () => {
    const first = await declareIncident(h, { title: 'Checkout down' });
    const second = await declareIncident(h, { title: 'Checkout down' });
    expect(second.channel.name).toBe(`${first.channel.name}-2`);
    expect(second.channel.id).not.toBe(first.channel.id);
  });

  it('steps past a channel name someone already took by hand', async () => {
    const { channel: earlier } = await declareIncident(h, { title: 'Search is slow' });
    h.fake.addChannel({ name: `${earlier.name}-2` });
    const { channel } = await declareIncident(h, { title: 'Search is slow' });
    expect(channel.name).toBe(`${earlier.name}-3`);
  });

  it.each([
    ['Сбой базы данных', /-sboy-bazy-dannykh$/],
    ['数据库故障', /-[a-z]{6,}$/],
    ['🔥🔥🔥', /-fire-fire-fire$/],
    ['!!! ???', /-\d{4}-\d{2}-\d{2}-incident$/],
    ['Payments failing for every customer in the European region after the gateway deploy', /-payments-failing-for-every-customer-in-the-european-region$/],
  ])('names the channel sensibly for the title %j', async (title, expected) => {
    const { channel } = await declareIncident(h, { title });
    expect(channel.name).toMatch(/^incident-\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/);
    expect(channel.name.length).toBeLessThanOrEqual(80);
    expect(channel.name).toMatch(expected);
  });

  it.each([
    ['a blank title', { Title: '   ' }, 'title', /title/i],
    ['an over-long title', { Title: 'x'.repeat(500) }, 'title', /120 characters/],
    ['an over-long impact', { Title: 'Fine', 'What is happening / impact': 'y'.repeat(3000) }, 'impact', /2000 characters/],
    ['no severity', { Title: 'Fine', Severity: null }, 'severity', /severity/i],
  ])('answers %s with an error on that field and creates nothing', async (_case, answers, blockId, message) => {
    const channelsBefore = h.fake.channels.size;
    const incidentsBefore = readDatabase(h.dbPath).incidents.length;
    const { view } = await openDeclareForm(h, '');
    const response = await submitForm(h, view, answers);
    expect(response.status).toBe(200);
    const body = response.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual([blockId]);
    expect(body.errors[blockId]).toMatch(message);
    expect(h.fake.channels.size).toBe(channelsBefore);
    expect(readDatabase(h.dbPath).incidents).toHaveLength(incidentsBefore);
  });

  it('shows a title with Slack markup as text, not as a mention or link; the impact\'s link works', async () => {
    const { channel } = await declareIncident(h, { title: 'Alerts to <!channel> & <@UBOB> {{evil}}', impact: '<https://status.example|status page> <!here>' });
    const kickoff = h.fake.messages(channel.id)[0]!;
    const [header, ...rest] = kickoff.blocks as Record<string, any>[];
    // The title typed after /incident declare is prefilled as a person writes it (`@channel`, plain
    // text that notifies nobody); every mrkdwn text (sections, notification) is escaped.
    expect(header).toMatchObject({ type: 'header', text: { type: 'plain_text', text: '🚨 Alerts to @channel & @UBOB {{evil}}' } });
    expect(kickoff.text).toContain('Alerts to @channel &amp; @UBOB {{evil}}');
    const mrkdwn = visibleText(rest);
    expect(mrkdwn).toContain('<https://status.example|status page> &lt;!here&gt;');
    expect(mrkdwn).not.toMatch(/<!channel>|<!here>|<@UBOB>/);
    const announcement = h.fake.messages('CANNOUNCE').at(-1)!;
    expect(announcement.text).toContain('Alerts to @channel &amp; @UBOB {{evil}}');
    expect(visibleText(announcement.blocks)).toContain('Alerts to @channel &amp; @UBOB {{evil}}');
    expect(visibleText(announcement.blocks)).not.toMatch(/<!channel>|<!here>|<@UBOB>/);
  });

  it('records everyone who joins the incident channel, once, even when Slack retries the event', async () => {
    const { channel } = await declareIncident(h, { title: 'Queue backlog' });
    const event = { type: 'member_joined_channel', user: 'UDAVE', channel: channel.id, channel_type: 'C', team: 'T0001', event_ts: `${Date.now() / 1000}` };
    expect((await sendEvent(h.app.url, event, { eventId: 'Ev0001' })).status).toBe(200);
    expect((await sendEvent(h.app.url, event, { eventId: 'Ev0001', retryNum: 1 })).status).toBe(200);
    const incidentId = readDatabase(h.dbPath).incidents.find((row) => row.channel_id === channel.id)!.id;
    const members = await waitFor(() => {
      const rows = readDatabase(h.dbPath).participants.filter((row) => row.incident_id === incidentId && row.role === 'member');
      return rows.length > 0 ? rows : undefined;
    }, 'the participant to be recorded');
    expect(members.map((row) => row.user_id)).toEqual(['UDAVE']);
  });
});

describe('declaring with a configured prefix and time zone', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INCIDENT_CHANNEL_PREFIX: 'inc', INCIDENT_TIMEZONE: 'Pacific/Kiritimati' } });
  });
  afterAll(() => h.close());

  it('names the channel with the prefix and the date in that zone, and announces nothing without a channel', async () => {
    const { channel } = await declareIncident(h, { title: 'Login broken' });
    const declaredAt = new Date(readDatabase(h.dbPath).incidents[0]!.declared_at as number);
    expect(channel.name).toBe(`inc-${isoDateInZone(declaredAt, 'Pacific/Kiritimati')}-login-broken`);
    expect(h.fake.callsTo('chat.postMessage').filter((call) => call.args.channel !== channel.id)).toHaveLength(0);
  });
});

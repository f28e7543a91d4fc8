import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNameError, startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';

/** The fake is only worth its tests if it refuses what Slack refuses: these pin that down. */
describe('the fake Slack', () => {
  let fake: SlackEmulator;
  beforeEach(async () => {
    fake = await startSlackEmulator();
  });
  afterEach(() => fake.close());

  async function call(method: string, args: Record<string, unknown>, token = fake.botToken) {
    const body = new URLSearchParams(Object.entries(args).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
    const response = await fetch(`${fake.url}${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  }

  it.each([
    ['', 'invalid_name_required'],
    ['x'.repeat(81), 'invalid_name_maxlength'],
    ['Has Capitals', 'invalid_name_specials'],
    ['incident-ümlaut', 'invalid_name_specials'],
    ['---', 'invalid_name_punctuation'],
    ['x'.repeat(80), undefined],
    ['incident-2026-11-24-db_down', undefined],
  ])('judges the channel name %j as Slack does', (name, error) => {
    expect(channelNameError(name)).toBe(error);
  });

  it('rejects a token it did not issue', async () => {
    expect((await call('auth.test', {}, 'xoxb-other')).body).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('answers name_taken for a channel name in use', async () => {
    expect((await call('conversations.create', { name: 'general' })).body.error).toBe('name_taken');
  });

  it('refuses to post where the bot may not, and invites only from inside the channel', async () => {
    const secret = fake.addChannel({ name: 'secret', isPrivate: true, members: ['UALICE'] });
    const open = fake.addChannel({ name: 'open', members: ['UALICE'] });
    expect((await call('chat.postMessage', { channel: secret.id, text: 'hi' })).body.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', { channel: open.id, text: 'hi' })).body.ok).toBe(true); // chat:write.public
    expect((await call('conversations.invite', { channel: open.id, users: 'UBOB' })).body.error).toBe('not_in_channel');
    expect((await call('pins.add', { channel: open.id, timestamp: '1.000001' })).body.error).toBe('not_in_channel');
  });

  it('archives as Slack does: an archived channel refuses posts, and only a member bot brings it back', async () => {
    const room = fake.addChannel({ name: 'incident-room', members: ['UALICE', fake.botUserId] });
    expect((await call('conversations.archive', { channel: room.id })).body.ok).toBe(true);
    expect((await call('conversations.archive', { channel: room.id })).body.error).toBe('already_archived');
    expect((await call('chat.postMessage', { channel: room.id, text: 'hi' })).body.error).toBe('is_archived');
    room.members.delete(fake.botUserId);
    expect((await call('conversations.unarchive', { channel: room.id })).body.error).toBe('not_in_channel');
    room.members.add(fake.botUserId);
    expect((await call('conversations.unarchive', { channel: room.id })).body.ok).toBe(true);
    expect((await call('conversations.unarchive', { channel: room.id })).body.error).toBe('not_archived');
    expect((await call('chat.postMessage', { channel: room.id, text: 'hi' })).body.ok).toBe(true);
  });

  it('rejects messages over the Block Kit limits with invalid_blocks', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const { body } = await call('chat.postMessage', { channel: 'CGENERAL', text: 'x', blocks });
    expect(body.error).toBe('invalid_blocks');
    expect(fake.messages('CGENERAL')).toHaveLength(0);
  });

  it('publishes a Home tab only for a named user, of type home, within 100 blocks', async () => {
    const home = { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Open incidents' } }] };
    expect((await call('views.publish', { view: home })).body.error).toBe('invalid_arguments');
    expect((await call('views.publish', { user_id: 'UALICE', view: { ...home, type: 'modal', title: { type: 'plain_text', text: 'Hi' } } })).body.error).toBe('invalid_arguments');
    expect((await call('views.publish', { user_id: 'UALICE', view: { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) } })).body.error).toBe('invalid_arguments');
    expect(fake.homeView('UALICE')).toBeUndefined();
    expect((await call('views.publish', { user_id: 'UALICE', view: home })).body.ok).toBe(true);
    expect(fake.homeView('UALICE')?.blocks).toEqual(home.blocks);
    expect(fake.openHome('UALICE')).toMatchObject({ type: 'app_home_opened', user: 'UALICE', tab: 'home' });
  });

  it('lets a trigger id open one view, within 3 seconds only', async () => {
    const view = { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] };
    const trigger = fake.issueTriggerId('UALICE');
    expect((await call('views.open', { trigger_id: trigger, view })).body.ok).toBe(true);
    expect((await call('views.open', { trigger_id: trigger, view })).body.error).toBe('exchanged_trigger_id');
    const stale = fake.issueTriggerId('UALICE', { issuedAt: Date.now() - 3100 });
    expect((await call('views.open', { trigger_id: stale, view })).body.error).toBe('expired_trigger_id');
    expect((await call('views.open', { trigger_id: 'made-up', view })).body.error).toBe('invalid_trigger_id');
  });

  it('checks scopes against the manifest', async () => {
    const narrow = await startSlackEmulator({ scopes: ['chat:write'] });
    try {
      const response = await fetch(`${narrow.url}conversations.create`, { method: 'POST', headers: { authorization: `Bearer ${narrow.botToken}` }, body: new URLSearchParams({ name: 'x' }) });
      expect(await response.json()).toMatchObject({ ok: false, error: 'missing_scope', needed: 'channels:manage' });
    } finally {
      await narrow.close();
    }
  });

  it('can be told to rate-limit, fail and be slow, and records each outcome', async () => {
    fake.rateLimit('auth.test', { times: 1, retryAfterSec: 7 });
    const limited = await call('auth.test', {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    fake.failMethod('auth.test', { status: 503, times: 1 });
    expect((await fetch(`${fake.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${fake.botToken}` } })).status).toBe(503);
    fake.setLatency(200);
    const started = Date.now();
    expect((await call('auth.test', {})).body.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(fake.callsTo('auth.test').map((entry) => entry.outcome)).toEqual(['ratelimited', 'http_503', 'ok']);
  });
});

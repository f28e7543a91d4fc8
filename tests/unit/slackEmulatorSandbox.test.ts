/** What the Slack emulator gained for the sandbox: modal stacks, answers to view_submission, reactions, the change feed. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackError, startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slackEmulator.js';
import { scaledClock } from '../../src/sandbox/scaledClock.js';

type Json = Record<string, any>;
let fake: SlackEmulator;

const call = async (method: string, args: Json): Promise<Json> => {
  const response = await fetch(`${fake.url}${method}`, { method: 'POST', headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/json' }, body: JSON.stringify(args) });
  return (await response.json()) as Json;
};
const modal = (title: string) => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [{ type: 'input', block_id: 'note', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'note' } }],
});
const open = async (title: string, method = 'views.open') => (await call(method, { trigger_id: fake.issueTriggerId('UALICE'), view: modal(title) })) as Json;

beforeEach(async () => {
  fake = await startSlackEmulator();
});
afterEach(() => fake.close());

describe('modals per person', () => {
  it('keeps a stack per person: open starts it, push adds to it up to Slack\'s three, close clears it', async () => {
    const first = await open('One');
    await open('Two', 'views.push');
    await open('Three', 'views.push');
    expect(fake.openModals('UALICE').map((view) => view.view.title.text)).toEqual(['One', 'Two', 'Three']);
    expect(fake.openModals('UBOB')).toEqual([]);
    expect(await open('Four', 'views.push')).toMatchObject({ ok: false, error: 'push_limit_reached' });
    fake.closeModals('UALICE');
    expect(fake.openModals('UALICE')).toEqual([]);
    expect(first.ok).toBe(true);
  });

  it('carries out the bot\'s answer to a submission: nothing closes, update replaces, push adds, clear closes all', async () => {
    const { view } = await open('Form');
    expect(fake.answerSubmission(view.id, { response_action: 'update', view: modal('Done') })).toMatchObject({ kind: 'updated' });
    expect(fake.openModals('UALICE').map((open) => open.view.title.text)).toEqual(['Done']);
    expect(fake.answerSubmission(view.id, { response_action: 'push', view: modal('More') })).toMatchObject({ kind: 'pushed' });
    expect(fake.openModals('UALICE')).toHaveLength(2);
    expect(fake.answerSubmission(view.id, { response_action: 'clear' })).toEqual({ kind: 'closed' });
    expect(fake.openModals('UALICE')).toEqual([]);
    const again = (await open('Again')).view;
    expect(fake.answerSubmission(again.id, undefined)).toEqual({ kind: 'closed' });
    expect(fake.openModals('UALICE')).toEqual([]);
  });

  it('shows errors only under inputs of the submitted view, and refuses a view Slack would refuse', async () => {
    const { view } = await open('Form');
    expect(fake.answerSubmission(view.id, { response_action: 'errors', errors: { note: 'Say more' } })).toEqual({ kind: 'errors', errors: { note: 'Say more' } });
    expect(fake.answerSubmission(view.id, { response_action: 'errors', errors: { nowhere: 'x' } })).toEqual({ kind: 'refused', problem: 'errors for blocks that are not inputs of this view: nowhere' });
    expect(fake.answerSubmission(view.id, { response_action: 'update', view: { type: 'modal', blocks: [] } })).toMatchObject({ kind: 'refused' });
    expect(fake.answerSubmission(view.id, { response_action: 'explode' })).toEqual({ kind: 'refused', problem: 'unknown response_action "explode"' });
    expect(fake.openModals('UALICE').map((open) => open.view.title.text)).toEqual(['Form']);
  });
});

describe('Slack\'s own pins', () => {
  it('pins and unpins a message as a person, returns the events the manifest subscribes to, and refuses twice the same', () => {
    const message = fake.postAsUser('CGENERAL', 'UBOB', 'deploy rolled back');
    expect(fake.pinMessage('CGENERAL', message.ts, 'UALICE')).toMatchObject({
      type: 'pin_added',
      user: 'UALICE',
      channel_id: 'CGENERAL',
      item: { type: 'message', channel: 'CGENERAL', created_by: 'UALICE', message: { ts: message.ts, user: 'UBOB', text: 'deploy rolled back' } },
    });
    expect(fake.pins('CGENERAL')).toEqual([message.ts]);
    expect(() => fake.pinMessage('CGENERAL', message.ts, 'UBOB')).toThrow(expect.objectContaining({ code: 'already_pinned' }));
    expect(fake.unpinMessage('CGENERAL', message.ts, 'UBOB')).toMatchObject({ type: 'pin_removed', user: 'UBOB', item: { message: { ts: message.ts } }, has_pins: false });
    expect(fake.pins('CGENERAL')).toEqual([]);
    expect(() => fake.unpinMessage('CGENERAL', message.ts, 'UBOB')).toThrow(expect.objectContaining({ code: 'no_pin' }));
  });
});

describe('reactions', () => {
  it('adds and removes a person\'s reaction and returns the event the manifest subscribes to', () => {
    const message = fake.postAsUser('CGENERAL', 'UBOB', 'deploy rolled back');
    const added = fake.addReaction('CGENERAL', message.ts, 'UALICE', 'pushpin');
    expect(added).toMatchObject({ type: 'reaction_added', user: 'UALICE', reaction: 'pushpin', item_user: 'UBOB', item: { type: 'message', channel: 'CGENERAL', ts: message.ts } });
    expect(fake.reactions('CGENERAL', message.ts)).toEqual([{ name: 'pushpin', users: ['UALICE'] }]);
    expect(fake.removeReaction('CGENERAL', message.ts, 'UALICE', 'pushpin')).toMatchObject({ type: 'reaction_removed' });
    expect(fake.reactions('CGENERAL', message.ts)).toEqual([]);
  });

  it('refuses as Slack does: twice the same, removing one not there, a bad name, a message that is not there', () => {
    const message = fake.postAsUser('CGENERAL', 'UBOB', 'hello');
    fake.addReaction('CGENERAL', message.ts, 'UALICE', 'pushpin');
    const code = (act: () => unknown) => {
      try {
        act();
        return 'ok';
      } catch (error) {
        return error instanceof SlackError ? error.code : String(error);
      }
    };
    expect(code(() => fake.addReaction('CGENERAL', message.ts, 'UALICE', 'pushpin'))).toBe('already_reacted');
    expect(code(() => fake.removeReaction('CGENERAL', message.ts, 'UBOB', 'pushpin'))).toBe('no_reaction');
    expect(code(() => fake.addReaction('CGENERAL', message.ts, 'UALICE', '<script>'))).toBe('invalid_name');
    expect(code(() => fake.addReaction('CGENERAL', '1.000001', 'UALICE', 'pushpin'))).toBe('message_not_found');
  });
});

describe('the change feed', () => {
  it('tells listeners of every change, and stops when asked', async () => {
    let heard = 0;
    const stop = fake.onChange(() => void (heard += 1));
    fake.postAsUser('CGENERAL', 'UALICE', 'one');
    await call('chat.postMessage', { channel: 'CGENERAL', text: 'two' });
    await call('chat.postMessage', { channel: 'CNOPE', text: 'refused: no change' });
    expect(heard).toBe(2);
    stop();
    fake.postAsUser('CGENERAL', 'UALICE', 'three');
    expect(heard).toBe(2);
  });
});

describe('the sandbox clock', () => {
  it('runs SANDBOX_SPEED times faster than real time from when it was made', () => {
    let real = 1_000_000;
    const clock = scaledClock(60, () => real);
    expect(clock.now().getTime()).toBe(1_000_000);
    real += 30_000;
    expect(clock.now().getTime()).toBe(1_000_000 + 30 * 60_000);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { registerIncidentCommand } from '../../src/listeners/commands/incidentCommand.js';
import type { ListenerDependencies } from '../../src/listeners/types.js';
import type { Outlet } from '../../src/outlets/outlet.js';
import { registeredListeners, startInProcess, type InProcessBot } from '../support/inProcess.js';

/**
 * `/incident note`: the note said in the channel is its author's answer, so a note that went well
 * gets no other; a refusal, a crash or a step that did not work is still told on the response_url.
 */
describe('what the author of /incident note is told', () => {
  let bot: InProcessBot;
  let incident: Incident;
  beforeEach(async () => {
    bot = await startInProcess();
    incident = await bot.declare({ title: 'Checkout down', commanderId: 'UALICE' });
  });
  afterEach(() => bot.close());

  /** Runs the command's listener to its end; returns what it acked and what it said on the response_url. */
  async function note(text: string, deps: ListenerDependencies = bot.deps): Promise<{ acks: unknown[]; told: { text: string }[] }> {
    const acks: unknown[] = [];
    const told: { text: string }[] = [];
    const listeners = registeredListeners((app) => registerIncidentCommand(app, deps));
    const command = { user_id: 'UCAROL', channel_id: incident.channelId, text: `note ${text}`, trigger_id: bot.fake.issueTriggerId('UCAROL'), response_url: bot.fake.responseUrl() };
    await listeners.get('command:/incident')!({ command, ack: async (reply?: unknown) => void acks.push(reply), respond: async (reply: { text: string }) => void told.push(reply) });
    return { acks, told };
  }
  const notes = async () => (await bot.deps.incidents.timelineOf(incident.id)).filter((entry) => entry.kind === 'note').map((entry) => entry.text);
  const channelTexts = () => bot.fake.messages(incident.channelId!).map((message) => message.text);

  it('a note that went well is in the channel and on the timeline, and nothing else is said', async () => {
    const { acks, told } = await note('rolled back the deploy');
    expect(acks).toEqual([undefined]);
    expect(told).toEqual([]);
    expect(channelTexts().at(-1)).toBe(':memo: *Note* from <@UCAROL>: rolled back the deploy');
    expect(await notes()).toEqual(['rolled back the deploy']);
  });

  it('a note Slack refuses to post: its author is told why, and nothing is recorded', async () => {
    bot.fake.failMethod('chat.postMessage', { error: 'is_archived', times: 1 });
    const { told } = await note('too late');
    expect(told).toEqual([{ response_type: 'ephemeral', text: expect.stringMatching(/Slack refused `chat.postMessage` \(is_archived\)/) }]);
    expect(await notes()).toEqual([]);
  });

  it('a note the timeline cannot take: its author is told something went wrong and to check the channel', async () => {
    const incidents = new Proxy(bot.deps.incidents, {
      get(target, property) {
        if (property === 'appendTimeline') return async () => Promise.reject(new Error('disk I/O error'));
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { told } = await note('lost on the way', { ...bot.deps, incidents });
    expect(told).toEqual([{ response_type: 'ephemeral', text: expect.stringMatching(/Something went wrong while trying to add the note.*Check the channel/) }]);
    expect(await notes()).toEqual([]);
  });

  it('a note recorded with a step that did not work: its author hears the note was added, and what did not work', async () => {
    const broken: Outlet = {
      name: 'broken',
      step: 'Telling the status page',
      async deliver() {
        throw new Error('status page down');
      },
    };
    const { told } = await note('status page next', { ...bot.deps, outlets: [...bot.deps.outlets, broken] });
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/Note added to the timeline[\s\S]*Telling the status page/);
    expect(await notes()).toEqual(['status page next']);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resultText } from '../../src/flows/incidentFlow.js';
import { postStatusUpdate } from '../../src/flows/statusUpdate.js';
import { startInProcessBot, type InProcessBot } from '../support/inProcessBot.js';

describe('a status update Slack will not post', () => {
  let bot: InProcessBot;
  beforeEach(async () => {
    bot = await startInProcessBot();
  });
  afterEach(() => bot.close());

  it('is recorded (it was decided first), shown on the pinned summary, and the user is told it is not in the channel', async () => {
    const incident = await bot.declare({ commanderId: 'UBOB' });
    bot.fake.failMethod('chat.postMessage', { error: 'rate_limited', times: 1 });

    const result = await postStatusUpdate(bot.deps, incident, 'UBOB', { status: 'monitoring', whatChanged: 'Fix deployed', impact: '', nextSteps: '' });

    expect(resultText(result)).toMatch(/^:white_check_mark: Update recorded: Monitoring\. It is on the pinned summary, but not in the channel\.\n:warning: Some steps did not work:\n• Posting the update in the channel: /);
    expect(bot.deps.incidents.findById(incident.id)?.status).toBe('monitoring');
    expect(bot.deps.incidents.timelineOf(incident.id).map((entry) => entry.text)).toContain('Monitoring: Fix deployed');
    const summary = bot.fake.messages(incident.channelId!).find((message) => message.ts === incident.kickoffTs);
    expect(JSON.stringify(summary?.blocks)).toContain('Monitoring');
  });
});

/**
 * The baseline for the benchmark: a Bolt app that does nothing but ack `/incident`, verifying
 * signatures like the real one. What the real bot costs is measured against this.
 */
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  // Answers from memory, as the real bot does: no Slack call between a request and its ack.
  authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0001', botUserId: 'UBOT' }),
  logLevel: LogLevel.ERROR,
  processBeforeResponse: false,
});
app.command('/incident', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'ok' } as never);
});
const server = await app.start(Number(process.env.PORT ?? 0));
const address = (server as { address(): { port: number } }).address();
console.log(JSON.stringify({ msg: 'incident commander is listening', port: address.port }));

import type { Logger } from 'pino';
import { stepFailed } from '../messages/steps.js';
import { SlackCallError } from '../slack/slackErrors.js';

/**
 * Collects the Slack failures of steps worth doing but not worth failing a whole change for
 * (pinning, the topic, an announcement): each becomes a line telling the user what did not work.
 */
export class Warnings {
  readonly list: string[] = [];

  constructor(private readonly log: Logger) {}

  async attempt(step: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      this.log.warn({ step, method: error.method, code: error.code }, 'step failed');
      this.list.push(stepFailed(step, error.userMessage));
    }
  }

  add(warnings: string[]): void {
    this.list.push(...warnings);
  }
}

import type { Logger } from 'pino';
import { stepFailed } from '../messages/steps.js';
import { SlackCallError } from '../slack/slackErrors.js';
import { DatabaseFaultError } from '../store/faults.js';

/**
 * Collects the failures of steps worth doing but not worth failing a whole change for (pinning,
 * the topic, an announcement): each refusal of Slack or the database becomes a line telling the
 * person what did not work, and a line in the log. Anything else is a bug and is thrown.
 */
export class Warnings {
  readonly list: string[] = [];

  constructor(private readonly log: Logger) {}

  async attempt(step: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (error instanceof SlackCallError) this.log.warn({ step, method: error.method, code: error.code }, 'step failed');
      else if (error instanceof DatabaseFaultError) this.log.warn({ step, fault: error.fault }, 'step failed');
      else throw error;
      this.list.push(stepFailed(step, error.userMessage));
    }
  }

  add(warnings: string[]): void {
    this.list.push(...warnings);
  }
}

import type { App } from '@slack/bolt';
import { DEFAULT_SEVERITY, SEVERITIES } from '../../../domain/severity.js';
import { SlackCallError } from '../../slackErrors.js';
import { declareModal } from '../../views/declareModal.js';
import { helpText } from '../../views/helpMessage.js';
import { RecentRequests } from '../recentRequests.js';
import type { ListenerDependencies } from '../types.js';

/** `/incident <subcommand> [text]` */
export function registerIncidentCommand(app: App, deps: ListenerDependencies): void {
  const recentTriggers = new RecentRequests();
  app.command('/incident', async ({ command, ack, respond }) => {
    const [subcommand = ''] = command.text.trim().split(/\s+/);
    const argument = command.text.trim().slice(subcommand.length).trim();
    switch (subcommand.toLowerCase()) {
      case 'declare':
      case 'new':
      case 'open': {
        // The trigger id dies 3 seconds after the user pressed enter: ack and open the form first, nothing else.
        await ack();
        if (!recentTriggers.firstTime(command.trigger_id)) return; // Slack retried: the form is already open
        try {
          await deps.slack.openView(
            command.trigger_id,
            declareModal({
              severities: SEVERITIES,
              defaultSeverity: DEFAULT_SEVERITY,
              title: argument,
              commanderId: command.user_id,
              metadata: { channelId: command.channel_id },
            }),
          );
        } catch (error) {
          deps.log.warn({ err: error, userId: command.user_id }, 'could not open the declare form');
          const message = error instanceof SlackCallError ? error.userMessage : 'Something went wrong opening the form. Try again.';
          await respond({ response_type: 'ephemeral', text: `:x: ${message}` });
        }
        return;
      }
      case '':
      case 'help':
        await ack({ response_type: 'ephemeral', text: helpText() });
        return;
      default:
        await ack({ response_type: 'ephemeral', text: helpText(subcommand) });
    }
  });
}

import type { App } from '@slack/bolt';
import { registerIncidentCommand } from './commands/incidentCommand.js';
import { registerMemberJoinedChannel } from './events/memberJoinedChannel.js';
import type { ListenerDependencies } from './types.js';
import { registerDeclareSubmission } from './views/declareSubmission.js';

export function registerListeners(app: App, deps: ListenerDependencies): void {
  registerIncidentCommand(app, deps);
  registerDeclareSubmission(app, deps);
  registerMemberJoinedChannel(app, deps);
}

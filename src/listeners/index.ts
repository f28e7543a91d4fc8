import type { App } from '@slack/bolt';
import { registerAlertButtons } from './actions/alertButtons.js';
import { registerActionItemButtons } from './actions/actionItemButtons.js';
import { registerArchiveButtons } from './actions/archiveButtons.js';
import { registerDeclareTypeSelect } from './actions/declareTypeSelect.js';
import { registerFlowButtons } from './actions/flowButtons.js';
import { registerReminderButtons } from './actions/reminderButtons.js';
import { registerSummaryButtons } from './actions/summaryButtons.js';
import { registerTimelineEntryMenu } from './actions/timelineEntryMenu.js';
import { registerIncidentCommand } from './commands/incidentCommand.js';
import { answeringDatabaseFaults } from './databaseFaults.js';
import { registerAppHomeOpened } from './events/appHomeOpened.js';
import { registerMemberJoinedChannel } from './events/memberJoinedChannel.js';
import { registerMemberLeftChannel } from './events/memberLeftChannel.js';
import { registerPinReactions } from './events/pinReactions.js';
import { registerMessageRevisions } from './events/messageRevisions.js';
import type { ListenerDependencies } from './types.js';
import { registerDeclareSubmission } from './views/declareSubmission.js';
import { registerIncidentSubmissions } from './views/incidentSubmissions.js';

export function registerListeners(slackApp: App, deps: ListenerDependencies): void {
  const app = answeringDatabaseFaults(slackApp, deps);
  registerIncidentCommand(app, deps);
  registerDeclareSubmission(app, deps);
  registerDeclareTypeSelect(app, deps);
  registerIncidentSubmissions(app, deps);
  registerSummaryButtons(app, deps);
  registerActionItemButtons(app, deps);
  registerTimelineEntryMenu(app, deps);
  registerReminderButtons(app, deps);
  registerFlowButtons(app, deps);
  registerArchiveButtons(app, deps);
  registerMemberJoinedChannel(app, deps);
  registerMemberLeftChannel(app, deps);
  registerPinReactions(app, deps);
  registerAppHomeOpened(app, deps);
  registerMessageRevisions(app, deps);
  if (deps.settings.alerts) registerAlertButtons(app, deps);
}

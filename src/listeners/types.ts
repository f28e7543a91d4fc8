import type { Logger } from 'pino';
import type { DeclareDependencies } from '../flows/declare.js';
import type { IncidentDependencies } from '../flows/incidentFlow.js';
import type { HandledRequestRepository } from '../store/handledRequestRepository.js';
import type { WorkJournal } from '../store/workJournal.js';
import type { SlackGateway } from '../slack/gateway.js';

/** What listeners are handed by the composition root. */
export interface ListenerDependencies {
  log: Logger;
  slack: SlackGateway;
  declare: DeclareDependencies;
  incident: IncidentDependencies;
  journal: WorkJournal;
  /** Requests already acted on, so Slack's retries are not acted on twice. */
  handledRequests: HandledRequestRepository;
}

import type { IncidentStore } from '../../ports.js';
import { AlertRepository } from './alertRepository.js';
import { ActionItemRepository } from './actionItemRepository.js';
import { AppHomeRepository } from './appHomeRepository.js';
import { ArchiveRepository } from './archiveRepository.js';
import type { PgDb as Db } from './db.js';
import { DrillRepository } from './drillRepository.js';
import { DueTimeRepository } from './dueTimeRepository.js';
import { EscalationRepository } from './escalationRepository.js';
import { withUnavailableFaults } from './faults.js';
import { HandledRequestRepository } from './handledRequestRepository.js';
import { IncidentRepository } from './incidentRepository.js';
import { OutboxRepository } from './outboxRepository.js';
import { PostgresLeases } from './leases.js';
import { PostmortemRepository } from './postmortemRepository.js';
import { ReminderRepository } from './reminderRepository.js';
import { ReplicaRepository } from './replicaRepository.js';
import { PostgresWorkJournal } from './workJournal.js';

/**
 * The incident store on PostgreSQL; `owner` names this process in the work journal. A server gone
 * or too slow surfaces from any call as a DatabaseUnavailableError.
 */
export function postgresStore(db: Db, owner: string): IncidentStore {
  const handledRequests = new HandledRequestRepository(db);
  return withUnavailableFaults({
    incidents: new IncidentRepository(db),
    actions: new ActionItemRepository(db),
    reminders: new ReminderRepository(db),
    escalations: new EscalationRepository(db),
    leases: new PostgresLeases(db),
    postmortems: new PostmortemRepository(db),
    journal: new PostgresWorkJournal(db, owner, handledRequests),
    handledRequests,
    drills: new DrillRepository(db),
    replicas: new ReplicaRepository(db),
    dueTimes: new DueTimeRepository(db),
    archives: new ArchiveRepository(db),
    alerts: new AlertRepository(db),
    outbox: new OutboxRepository(db),
    appHome: new AppHomeRepository(db),
  });
}

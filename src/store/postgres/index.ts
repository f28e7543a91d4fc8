import type { IncidentStore } from '../../ports.js';
import { ActionItemRepository } from './actionItemRepository.js';
import type { PgDb as Db } from './db.js';
import { DrillRepository } from './drillRepository.js';
import { DueTimeRepository } from './dueTimeRepository.js';
import { EscalationRepository } from './escalationRepository.js';
import { HandledRequestRepository } from './handledRequestRepository.js';
import { IncidentRepository } from './incidentRepository.js';
import { PostgresLeases } from './leases.js';
import { PostmortemRepository } from './postmortemRepository.js';
import { ReminderRepository } from './reminderRepository.js';
import { PostgresWorkJournal } from './workJournal.js';

/** The incident store on PostgreSQL; `owner` names this process in the work journal. */
export function postgresStore(db: Db, owner: string): IncidentStore {
  return {
    incidents: new IncidentRepository(db),
    actions: new ActionItemRepository(db),
    reminders: new ReminderRepository(db),
    escalations: new EscalationRepository(db),
    leases: new PostgresLeases(db),
    postmortems: new PostmortemRepository(db),
    journal: new PostgresWorkJournal(db, owner),
    handledRequests: new HandledRequestRepository(db),
    drills: new DrillRepository(db),
    dueTimes: new DueTimeRepository(db),
  };
}

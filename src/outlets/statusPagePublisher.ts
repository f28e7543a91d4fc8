/**
 * One publication on Statuspage: the page's incident for ours is looked up by the key in its
 * metadata before it is created, so an answer lost on the way back (a timeout after Statuspage
 * created it) never makes a second one; then it is updated. The outbox's event id is kept there
 * too, so an update whose answer was lost is not posted twice either. Retries are the outbox's.
 */
import type { ComponentStatus } from '../domain/statusPage.js';
import type { IncidentStatus } from '../domain/incident.js';
import { StatusPageApi, type StatusPageApiSettings } from './statusPageApi.js';

/** One public message to put on the status page for one of our incidents: an outbox row's payload. */
export interface StatusPagePublication {
  /** Ours, kept on the status page's incident: how it is found again instead of created twice. */
  incidentKey: string;
  /** The status page incident's name, when it has to be created. */
  name: string;
  status: IncidentStatus;
  message: string;
  /** The affected components' ids; `as before`: those the status page's incident already has. */
  componentIds: readonly string[] | 'as before';
  componentStatus: ComponentStatus;
}

export type Published = { statusPageIncidentId: string; outcome: 'created' | 'updated' | 'already done' };

export class StatusPagePublisher {
  private readonly api: StatusPageApi;

  constructor(settings: StatusPageApiSettings) {
    this.api = new StatusPageApi(settings);
  }

  /** Throws a `StatusPageError` when Statuspage cannot be reached or refuses. */
  async publish(publication: StatusPagePublication, eventId: string, signal?: AbortSignal): Promise<Published> {
    const existing = (await this.api.unresolved(signal)).find((incident) => incident.incidentKey === publication.incidentKey);
    if (existing?.eventId === eventId) return { statusPageIncidentId: existing.id, outcome: 'already done' };
    const componentIds = publication.componentIds === 'as before' ? (existing?.componentIds ?? []) : publication.componentIds;
    const write = {
      status: publication.status,
      body: publication.message,
      components: Object.fromEntries(componentIds.map((id) => [id, publication.componentStatus])),
      mark: { incidentKey: publication.incidentKey, eventId },
    };
    if (existing) return { statusPageIncidentId: (await this.api.update(existing.id, write, signal)).id, outcome: 'updated' };
    return { statusPageIncidentId: (await this.api.create(publication.name, write, signal)).id, outcome: 'created' };
  }
}

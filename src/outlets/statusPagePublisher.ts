/**
 * Publishing on Statuspage through its API: the page's incident for ours is looked up by the key in
 * its metadata before it is created, so an answer lost on the way back (a timeout after Statuspage
 * created it) never makes a second one; then it is updated. A failure that may pass (the network,
 * Statuspage's 5xx, its rate limit) is tried again a few times, a moment apart, before the person is told.
 */
import type { StatusPage, StatusPagePublication } from '../ports.js';
import { StatusPageApi, StatusPageError, type StatusPageApiSettings } from './statusPageApi.js';

/** Waits between attempts: first within seconds, as a person publishing would try again. */
export const PUBLISH_RETRY_DELAYS_MS: readonly number[] = [1_000, 4_000];
/** A Retry-After longer than this is not waited out: the person is told instead. */
const LONGEST_WAIT_MS = 15_000;

export class StatusPagePublisher implements StatusPage {
  private readonly api: StatusPageApi;

  constructor(
    settings: StatusPageApiSettings,
    private readonly retryDelaysMs: readonly number[] = PUBLISH_RETRY_DELAYS_MS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.api = new StatusPageApi(settings);
  }

  async publish(publication: StatusPagePublication): Promise<{ statusPageIncidentId: string; created: boolean }> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.publishOnce(publication);
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (!(error instanceof StatusPageError) || !error.retryable || delay === undefined) throw error;
        const wait = Math.max(delay, error.retryAfterMs ?? 0);
        if (wait > LONGEST_WAIT_MS) throw error;
        await this.sleep(wait);
      }
    }
  }

  private async publishOnce(publication: StatusPagePublication): Promise<{ statusPageIncidentId: string; created: boolean }> {
    const existing = (await this.api.unresolved()).find((incident) => incident.incidentKey === publication.incidentKey);
    const componentIds = publication.componentIds === 'as before' ? (existing?.componentIds ?? []) : publication.componentIds;
    const write = {
      status: publication.status,
      body: publication.message,
      components: Object.fromEntries(componentIds.map((id) => [id, publication.componentStatus])),
    };
    if (existing) return { statusPageIncidentId: (await this.api.update(existing.id, write)).id, created: false };
    return { statusPageIncidentId: (await this.api.create(publication.incidentKey, publication.name, write)).id, created: true };
  }
}

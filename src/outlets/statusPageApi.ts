/**
 * Atlassian Statuspage's REST API (https://developer.statuspage.io), the calls the bot makes:
 * list the page's unresolved incidents, create one, update one. Every call carries the key as
 * `Authorization: OAuth <key>` and gives up after a timeout. A failure is a `StatusPageError`
 * saying whether trying again may help.
 */
import type { ComponentStatus } from '../domain/statusPage.js';
import type { IncidentStatus } from '../domain/incident.js';
import { STATUS_PAGE_FAILURES } from '../messages/statusPage.js';

/** Where our incident key is kept on Statuspage's incident: its metadata, one namespace of ours. */
export const METADATA_NAMESPACE = 'incident_bot';
export const DEFAULT_STATUSPAGE_TIMEOUT_MS = 10_000;

export type StatusPageFailure = 'unreachable' | 'timeout' | 'rate_limited' | 'server_error' | 'unauthorized' | 'not_found' | 'rejected' | 'bad_answer';

export class StatusPageError extends Error {
  override name = 'StatusPageError';
  constructor(
    readonly code: StatusPageFailure,
    /** A sentence for the person who asked to publish. */
    readonly userMessage: string,
    readonly httpStatus: number | null = null,
    /** From a 429's Retry-After. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(`Statuspage: ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`);
  }

  /** Whether the same call may work later: the network, the server, the rate limit, a garbled answer; not a refusal. */
  get retryable(): boolean {
    return this.code === 'unreachable' || this.code === 'timeout' || this.code === 'rate_limited' || this.code === 'server_error' || this.code === 'bad_answer';
  }
}

/** A Statuspage incident as far as the bot reads it. */
export interface StatusPageIncident {
  id: string;
  status: string;
  /** Our incident key, when the bot created it. */
  incidentKey: string | undefined;
  /** The outbox event the bot last wrote it with. */
  eventId: string | undefined;
  componentIds: string[];
}

export interface StatusPageIncidentWrite {
  status: IncidentStatus;
  body: string;
  /** Component id → status; the keys are also the incident's affected components. */
  components: Record<string, ComponentStatus>;
  /** Kept in the incident's metadata: our incident, and the outbox event this write is. */
  mark: { incidentKey: string; eventId: string };
}

export interface StatusPageApiSettings {
  apiKey: string;
  pageId: string;
  apiUrl: string;
  timeoutMs?: number;
}

export class StatusPageApi {
  constructor(private readonly settings: StatusPageApiSettings) {}

  /** The page's incidents still open on it (Investigating, Identified, Monitoring). */
  async unresolved(signal?: AbortSignal): Promise<StatusPageIncident[]> {
    const answer = await this.call('GET', `/pages/${this.settings.pageId}/incidents/unresolved?per_page=100`, undefined, signal);
    if (!Array.isArray(answer)) throw badAnswer();
    return answer.map(readIncident);
  }

  /** Creates an incident, marked with our key so that a lost answer is found before creating again. */
  async create(name: string, write: StatusPageIncidentWrite, signal?: AbortSignal): Promise<StatusPageIncident> {
    const answer = await this.call('POST', `/pages/${this.settings.pageId}/incidents`, { incident: { name, ...incidentFields(write) } }, signal);
    return readIncident(answer);
  }

  /** A new update on an incident: its status, the message, and its components' statuses. */
  async update(statusPageIncidentId: string, write: StatusPageIncidentWrite, signal?: AbortSignal): Promise<StatusPageIncident> {
    const answer = await this.call('PATCH', `/pages/${this.settings.pageId}/incidents/${encodeURIComponent(statusPageIncidentId)}`, { incident: incidentFields(write) }, signal);
    return readIncident(answer);
  }

  private async call(method: 'GET' | 'POST' | 'PATCH', path: string, body: object | undefined, signal: AbortSignal | undefined): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.apiUrl}${path}`, {
        method,
        headers: { Authorization: `OAuth ${this.settings.apiKey}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: signal ?? AbortSignal.timeout(this.settings.timeoutMs ?? DEFAULT_STATUSPAGE_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw new StatusPageError('timeout', STATUS_PAGE_FAILURES.timeout);
      throw new StatusPageError('unreachable', STATUS_PAGE_FAILURES.unreachable);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw new StatusPageError('timeout', STATUS_PAGE_FAILURES.timeout);
      throw new StatusPageError('unreachable', STATUS_PAGE_FAILURES.unreachable);
    }
    if (response.ok) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw badAnswer();
      }
    }
    throw errorFor(response.status, response.headers.get('retry-after'), text);
  }
}

/** The fields of an incident the bot writes, as Statuspage names them; metadata values must be objects. */
const incidentFields = (write: StatusPageIncidentWrite) => ({
  status: write.status,
  body: write.body,
  component_ids: Object.keys(write.components),
  components: write.components,
  metadata: { [METADATA_NAMESPACE]: { incident_key: write.mark.incidentKey, event_id: write.mark.eventId } },
});

const badAnswer = () => new StatusPageError('bad_answer', STATUS_PAGE_FAILURES.badAnswer);

function errorFor(status: number, retryAfter: string | null, text: string): StatusPageError {
  if (status === 429) {
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    return new StatusPageError('rate_limited', STATUS_PAGE_FAILURES.rateLimited, status, Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null);
  }
  if (status === 408 || status >= 500) return new StatusPageError(status === 408 ? 'timeout' : 'server_error', status === 408 ? STATUS_PAGE_FAILURES.timeout : STATUS_PAGE_FAILURES.serverError(status), status);
  if (status === 401 || status === 403) return new StatusPageError('unauthorized', STATUS_PAGE_FAILURES.unauthorized, status);
  if (status === 404) return new StatusPageError('not_found', STATUS_PAGE_FAILURES.notFound, status);
  return new StatusPageError('rejected', STATUS_PAGE_FAILURES.rejected(status, errorDetail(text)), status);
}

/** Statuspage explains a refusal as `{"error": "..."}` or `{"error": ["...", ...]}`. */
function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    const detail = Array.isArray(parsed.error) ? parsed.error.join('; ') : typeof parsed.error === 'string' ? parsed.error : '';
    return detail.slice(0, 300);
  } catch {
    return '';
  }
}

function readIncident(value: unknown): StatusPageIncident {
  if (!value || typeof value !== 'object' || typeof (value as { id?: unknown }).id !== 'string') throw badAnswer();
  const incident = value as { id: string; status?: unknown; metadata?: unknown; components?: unknown };
  const ours = incident.metadata && typeof incident.metadata === 'object' ? (incident.metadata as Record<string, unknown>)[METADATA_NAMESPACE] : undefined;
  const key = ours && typeof ours === 'object' ? (ours as Record<string, unknown>).incident_key : undefined;
  const eventId = ours && typeof ours === 'object' ? (ours as Record<string, unknown>).event_id : undefined;
  const components = Array.isArray(incident.components) ? incident.components : [];
  return {
    id: incident.id,
    status: typeof incident.status === 'string' ? incident.status : '',
    incidentKey: typeof key === 'string' ? key : undefined,
    eventId: typeof eventId === 'string' ? eventId : undefined,
    componentIds: components.flatMap((component: unknown) =>
      component && typeof component === 'object' && typeof (component as { id?: unknown }).id === 'string' ? [(component as { id: string }).id] : [],
    ),
  };
}

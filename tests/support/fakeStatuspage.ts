/**
 * A Statuspage API on 127.0.0.1 that checks what the real one checks for the calls the bot makes:
 * the path under /v1/pages/{page_id}/incidents, `Authorization: OAuth <key>`, JSON bodies with an
 * `incident` whose status, components and component statuses are ones Statuspage knows (422
 * otherwise, with its `{"error": …}`). It keeps the incidents and the page's component statuses.
 * Tests set how it answers next (`answer`, one per request): a status (with Retry-After), a hang, or the request
 * carried out and the connection cut before the answer (a lost answer); `stop` and `start` take it
 * down and bring it back on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAKE_PAGE_ID = 'kctbh9vrtdwd';
export const FAKE_API_KEY = 'a8f3e6b1c2d44f0e9a7b5c3d2e1f0a9b';

const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];
const COMPONENT_STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'];

/** The next answers, one per request: as the real API would (`usual`), a failure status, a hang, or done and the answer lost. */
export type StatuspageAnswer = { as: 'usual' } | { status: number; retryAfter?: string } | { hangMs: number } | { loseAnswer: true };

export interface FakeIncident {
  id: string;
  name: string;
  status: string;
  metadata: Record<string, Record<string, unknown>>;
  components: { id: string; status: string }[];
  incident_updates: { status: string; body: string }[];
}

export interface StatuspageRequest {
  method: string;
  path: string;
  authorized: boolean;
  body: any;
  /** What the fake answered (0: no answer). */
  answered: number;
}

export interface FakeStatuspage {
  /** STATUSPAGE_API_URL for the bot. */
  url: string;
  env: Record<string, string>;
  requests: StatuspageRequest[];
  incidents: FakeIncident[];
  /** The page's components and their current status. */
  components: Map<string, string>;
  answer(...answers: StatuspageAnswer[]): void;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startFakeStatuspage(componentIds: readonly string[]): Promise<FakeStatuspage> {
  const requests: StatuspageRequest[] = [];
  const incidents: FakeIncident[] = [];
  const components = new Map(componentIds.map((id) => [id, 'operational']));
  let answers: StatuspageAnswer[] = [];
  let server: Server | undefined;
  let port = 0;
  const sockets = new Set<Socket>();

  const send = (response: ServerResponse, record: StatuspageRequest, status: number, body: unknown, headers: Record<string, string> = {}) => {
    record.answered = status;
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  /** Problems with an incident body as Statuspage reports them; empty when it would take it. */
  const problemsOf = (body: any, creating: boolean): string[] => {
    const incident = body?.incident;
    if (!incident || typeof incident !== 'object') return ['incident is missing'];
    const problems: string[] = [];
    if (creating && (typeof incident.name !== 'string' || incident.name.trim() === '')) problems.push("Name can't be blank");
    if (incident.status !== undefined && !INCIDENT_STATUSES.includes(incident.status)) problems.push(`Status is not included in the list`);
    if (incident.body !== undefined && typeof incident.body !== 'string') problems.push('Body must be a string');
    for (const id of incident.component_ids ?? []) if (!components.has(id)) problems.push(`Component ${id} not found`);
    for (const [id, status] of Object.entries(incident.components ?? {})) {
      if (!components.has(id)) problems.push(`Component ${id} not found`);
      if (!COMPONENT_STATUSES.includes(String(status))) problems.push(`Component status ${String(status)} is not valid`);
    }
    if (incident.metadata !== undefined && (typeof incident.metadata !== 'object' || Object.values(incident.metadata).some((value) => !value || typeof value !== 'object'))) {
      problems.push('Metadata values must be objects');
    }
    return problems;
  };

  const apply = (incident: FakeIncident, fields: any) => {
    if (fields.status) incident.status = fields.status;
    if (fields.metadata) incident.metadata = { ...incident.metadata, ...fields.metadata };
    for (const [id, status] of Object.entries(fields.components ?? {})) components.set(id, String(status));
    if (fields.component_ids) incident.components = (fields.component_ids as string[]).map((id) => ({ id, status: components.get(id)! }));
    incident.components = incident.components.map((component) => ({ id: component.id, status: components.get(component.id)! }));
    incident.incident_updates.push({ status: incident.status, body: fields.body ?? '' });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const record: StatuspageRequest = { method: request.method ?? '', path: url.pathname, authorized: request.headers.authorization === `OAuth ${FAKE_API_KEY}`, body, answered: 0 };
    requests.push(record);
    const answer = answers.shift();
    if (answer && 'hangMs' in answer) {
      await new Promise((resolve) => setTimeout(resolve, answer.hangMs));
      if (response.destroyed) return;
    }
    if (answer && 'status' in answer) return send(response, record, answer.status, { error: 'fake failure' }, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {});
    if (!record.authorized) return send(response, record, 401, { error: 'Could not authenticate' });
    const match = /^\/v1\/pages\/([^/]+)\/incidents(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match || match[1] !== FAKE_PAGE_ID) return send(response, record, 404, { error: 'Not found' });
    const [, , tail] = match;
    let status = 200;
    let result: unknown;
    if (request.method === 'GET' && tail === 'unresolved') {
      result = incidents.filter((incident) => incident.status !== 'resolved');
    } else if (request.method === 'POST' && tail === undefined) {
      if (request.headers['content-type'] !== 'application/json') return send(response, record, 415, { error: 'Unsupported media type' });
      const problems = problemsOf(body, true);
      if (problems.length > 0) return send(response, record, 422, { error: problems });
      const incident: FakeIncident = { id: `inc${incidents.length + 1}`, name: body.incident.name, status: 'investigating', metadata: {}, components: [], incident_updates: [] };
      apply(incident, body.incident);
      incidents.push(incident);
      status = 201;
      result = incident;
    } else if (request.method === 'PATCH' && tail && tail !== 'unresolved') {
      const incident = incidents.find((candidate) => candidate.id === tail);
      if (!incident) return send(response, record, 404, { error: 'Not found' });
      const problems = problemsOf(body, false);
      if (problems.length > 0) return send(response, record, 422, { error: problems });
      apply(incident, body.incident);
      result = incident;
    } else {
      return send(response, record, 405, { error: 'Method not allowed' });
    }
    if (answer && 'loseAnswer' in answer) {
      request.socket.destroy();
      return;
    }
    send(response, record, status, result);
  };

  const start = async () => {
    server = createServer((request, response) => void handle(request, response));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await start();
  const url = `http://127.0.0.1:${port}/v1`;
  return {
    url,
    env: { STATUSPAGE_API_KEY: FAKE_API_KEY, STATUSPAGE_PAGE_ID: FAKE_PAGE_ID, STATUSPAGE_API_URL: url },
    requests,
    incidents,
    components,
    answer: (...next) => void (answers = [...answers, ...next]),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
    start,
  };
}

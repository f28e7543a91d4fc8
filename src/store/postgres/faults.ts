import type { IncidentStore } from '../../ports.js';
import { DatabaseFaultError, DatabaseUnavailableError } from '../faults.js';

/** The socket's own errors when the server is down, restarting or out of reach. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL's SQLSTATEs for a server going or gone: admin_shutdown (57P01, a fast or immediate
 * stop), crash_shutdown (57P02), cannot_connect_now (57P03, starting up or shutting down), every
 * connection exception (class 08) and too_many_connections (53300).
 */
const UNAVAILABLE_STATE = /^(57P0[123]|08...|53300)$/;

/** query_canceled: what the server says when statement_timeout (DATABASE_STATEMENT_TIMEOUT) cancels a statement. */
const STATEMENT_TIMEOUT_STATE = '57014';

/** node-postgres and its pool say a connection died or never came in words, not codes. */
const LOST_CONNECTION_MESSAGE = /^Connection terminated|^timeout exceeded when trying to connect|is not queryable|^Client was closed/;

/**
 * The DatabaseUnavailableError an error stands for, if it is one of a server gone or too slow.
 * Drizzle wraps the driver's error (DrizzleQueryError, whose message is the statement), so the
 * whole `cause` chain is searched.
 */
export function unavailableFault(error: unknown): DatabaseUnavailableError | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof DatabaseFaultError) return undefined;
    const code = 'code' in current && typeof current.code === 'string' ? current.code : undefined;
    const detail = `PostgreSQL (DATABASE_URL): ${current.message || code}${code && !current.message.includes(code) ? ` (${code})` : ''}`;
    if (code === STATEMENT_TIMEOUT_STATE) return new DatabaseUnavailableError('statement_timeout', detail, error as Error);
    if ((code && (NETWORK_CODES.has(code) || UNAVAILABLE_STATE.test(code))) || LOST_CONNECTION_MESSAGE.test(current.message)) {
      return new DatabaseUnavailableError('unreachable', detail, error as Error);
    }
    // Node's answer for a host with several addresses (localhost) refusing on each.
    if (current instanceof AggregateError && current.errors.length > 0 && current.errors.every((inner) => unavailableFault(inner))) {
      return new DatabaseUnavailableError('unreachable', `PostgreSQL (DATABASE_URL): ${current.errors.map((inner: Error) => inner.message).join('; ')}`, error as Error);
    }
  }
  return undefined;
}

/**
 * The store with every call's error of a server gone or too slow turned into a
 * DatabaseUnavailableError, so flows and listeners answer it as they answer any database fault
 * ("try again in a moment"). Here, around the repositories, rather than around the pool: drizzle
 * wraps whatever the pool throws in an error of its own.
 */
export function withUnavailableFaults(store: IncidentStore): IncidentStore {
  const rethrow = (error: unknown): never => {
    throw unavailableFault(error) ?? error;
  };
  const guarded = <T extends object>(repository: T): T =>
    new Proxy(repository, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          try {
            const result: unknown = value.apply(target, args);
            return result instanceof Promise ? result.catch(rethrow) : result;
          } catch (error) {
            return rethrow(error);
          }
        };
      },
    });
  return Object.fromEntries(Object.entries(store).map(([name, repository]) => [name, guarded(repository as object)])) as unknown as IncidentStore;
}

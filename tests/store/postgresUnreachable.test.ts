import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DatabaseUnreachableError, redactedUrl } from '../../src/store/postgres/db.js';
import { openStore } from '../../src/store/open.js';

/** A loopback port nothing listens on: taken, then let go. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('PostgreSQL unreachable at start-up', () => {
  it('fails with one line naming DATABASE_URL, the password hidden', async () => {
    const url = `postgres://bot:s3cret@127.0.0.1:${await closedPort()}/incidents`;
    const opening = openStore({ databasePath: ':memory:', postgres: { url, poolSize: 2, statementTimeoutMs: 1000 } }, 'test');
    const error = await opening.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    const message = (error as Error).message;
    expect(message).toMatch(/^cannot connect to PostgreSQL at postgres:\/\/bot:\*\*\*@127\.0\.0\.1:\d+\/incidents \(DATABASE_URL\): .*ECONNREFUSED/);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
  });

  it('hides the password of any URL it prints', () => {
    expect(redactedUrl('postgresql://bot:p%40ss@db.internal/incidents?sslmode=require')).toBe('postgresql://bot:***@db.internal/incidents?sslmode=require');
    expect(redactedUrl('postgres://db/incidents')).toBe('postgres://db/incidents');
  });
});

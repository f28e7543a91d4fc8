import { describe, expect, it } from 'vitest';
import { describeError, explainStartFailure, StartupError } from '../../src/startupErrors.js';

describe('describeError', () => {
  it('names the cause of a failed query instead of printing the whole statement', () => {
    const driver = Object.assign(new Error('permission denied for table incidents'), { code: '42501' });
    const wrapped = new Error('Failed query: select "id", "title" from "incidents" where "status" = $1\nparams: open', { cause: driver });
    expect(describeError(wrapped)).toBe('a database query failed: permission denied for table incidents');
  });

  it('keeps one line for an error without a cause', () => {
    expect(describeError(new Error('first line\nsecond line'))).toBe('first line');
    expect(describeError('plain text')).toBe('plain text');
  });
});

describe('explainStartFailure', () => {
  it('turns a port in use into the setting to change', () => {
    const explained = explainStartFailure(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }), { port: 3000, mode: 'http' });
    expect(explained).toBeInstanceOf(StartupError);
    expect((explained as Error).message).toContain('PORT 3000 is already in use');
  });
});

import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { leaseIsLive, leaseOwnerId } from '../../src/scheduler/leases.js';

describe('whether a lease still protects a send', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const later = new Date(now.getTime() + 60_000);
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited

  it.each([
    ['this process, before it runs out', leaseOwnerId(), later, true],
    ['any holder, once it has run out', leaseOwnerId(), now, false],
    ['no lease', null, null, false],
    ['a process on another machine', 'other-host:1234:abc', later, true],
    ['a process on this machine that has exited', `${hostname()}:${deadPid}:abc`, later, false],
    ['an earlier run with our pid (a restarted container)', `${hostname()}:${process.pid}:earlier-run`, later, false],
    ['a live process on this machine', `${hostname()}:${process.ppid}:abc`, later, true],
  ])('%s', (_case, owner, until, live) => {
    expect(leaseIsLive(owner, until, now)).toBe(live);
  });
});

import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Leases, Replicas } from '../ports.js';
import { holderIsAlive, leaseIsLive } from './leases.js';
import { startScheduler } from './loop.js';

/** How often each process writes its heartbeat. */
export const HEARTBEAT_MS = 2_000;

/**
 * A process whose last heartbeat is older than this is dead, on whatever machine it ran: five
 * beats missed, more than a slow statement or a pause of the event loop. The failover bound
 * follows from it: a replica killed at t beat last at t − 2 s at the earliest, so the others see
 * it dead between t + 8 s and t + 10 s, and the next scheduler tick (at most 1 s later) takes over
 * its leases and sends: its due work goes out within 11 s plus the Slack call, under 15 s.
 */
export const SILENT_AFTER_MS = 10_000;

/** Processes silent for this long are forgotten (their rows deleted) when a replica starts. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

/**
 * Heartbeats use the machine's own clock, not the bot's: the sandbox runs its clock faster than
 * time passes, and liveness is about time that really passed. Replicas' clocks must agree within
 * a second or two (NTP), as lease expiry already needs.
 */
const wallClock = () => new Date();

/**
 * Of `owners`, the ones that are gone: a process of this machine whose pid has exited (known at
 * once), or any process whose heartbeat is older than `SILENT_AFTER_MS` or absent. `self` is never
 * gone: the process asking is running.
 */
export async function goneAmong(replicas: Replicas, owners: readonly string[], self: string): Promise<string[]> {
  const others = [...new Set(owners)].filter((owner) => owner !== self);
  const exited = others.filter((owner) => !holderIsAlive(owner));
  const rest = others.filter((owner) => holderIsAlive(owner));
  const silent = await replicas.silentSince(rest, new Date(wallClock().getTime() - SILENT_AFTER_MS));
  return [...exited, ...silent];
}

/**
 * Registers this process and beats every `HEARTBEAT_MS` until stopped; `stop` deletes its row, so
 * the others know at once it takes no more work. The beat has a timer of its own, not a pass of
 * the scheduler: a pass held up by a slow Slack call must not make a live process look dead.
 */
export async function joinReplicas(replicas: Replicas, owner: string, log: Logger): Promise<{ stop(): Promise<void> }> {
  const me = { owner, host: hostname(), pid: process.pid };
  await replicas.beat(me, wallClock());
  await replicas.forgetSilentSince(new Date(wallClock().getTime() - FORGET_AFTER_MS));
  const beating = startScheduler({ heartbeat: () => replicas.beat(me, wallClock()) }, HEARTBEAT_MS, log);
  return {
    async stop() {
      await beating.stop();
      await replicas.leave(owner);
    },
  };
}

/** Holders of unexpired leases known to be gone (`goneAmong`): their leases may be taken over now. */
export async function deadHolders(store: { leases: Leases; replicas: Replicas }, self: string, now: Date): Promise<string[]> {
  return goneAmong(store.replicas, await store.leases.holders(now), self);
}

/** `leaseIsLive`, knowing that the holders in `dead` are gone, wherever they ran. */
export const leaseCheckWithout =
  (dead: readonly string[]) =>
  (owner: string | null, leaseUntil: Date | null, now: Date): boolean =>
    leaseIsLive(owner, leaseUntil, now) && !dead.includes(owner ?? '');

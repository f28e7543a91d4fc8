import type { Logger } from 'pino';
import type { Clock } from '../domain/time.js';

/** Calls `wake` at `at` on the bot's clock; returns what cancels it. */
export type WakeAt = (at: Date, wake: () => void) => () => void;

/**
 * Sends made ready ahead of their time, each fired at its time: everything due at the same instant
 * is handed to `fire` together, so a burst is checked and sent as one. `stop` cancels what has not
 * fired (each handed to `release`, so another process can take it at once) and waits for what has.
 */
export class TimedSends<T> {
  private readonly waiting = new Map<number, { items: T[]; cancel: () => void }>();
  private readonly firing = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly wakeAt: WakeAt,
    private readonly fire: (items: T[]) => Promise<void>,
    private readonly release: (item: T) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** How many are waiting for their time. */
  get size(): number {
    return [...this.waiting.values()].reduce((total, group) => total + group.items.length, 0);
  }

  add(at: Date, item: T): void {
    if (this.stopped) {
      this.track(this.release(item));
      return;
    }
    const time = at.getTime();
    const group = this.waiting.get(time);
    if (group) {
      group.items.push(item);
      return;
    }
    const items = [item];
    this.waiting.set(time, {
      items,
      cancel: this.wakeAt(at, () => {
        this.waiting.delete(time);
        this.track(this.fire(items));
      }),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const unfired = [...this.waiting.values()];
    this.waiting.clear();
    for (const group of unfired) {
      group.cancel();
      for (const item of group.items) this.track(this.release(item));
    }
    while (this.firing.size > 0) await Promise.allSettled([...this.firing]);
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.log.error({ err: error }, 'a scheduled send made ready ahead failed; its lease runs out and another pass takes it'))
      .finally(() => this.firing.delete(tracked));
    this.firing.add(tracked);
  }
}

/**
 * `WakeAt` on a clock that may run faster than time (the sandbox's): the timer is set for the
 * clock's remaining time at its speed, and set again if it wakes a little before the clock says so,
 * so nothing fires early. Never calls `wake` before returning.
 */
export function wakeOnClock(clock: Clock, speed = 1): WakeAt {
  return (at, wake) => {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const left = at.getTime() - clock.now().getTime();
      if (left <= 0) wake();
      else timer = setTimeout(arm, Math.ceil(left / speed));
    };
    timer = setTimeout(arm, 0);
    return () => clearTimeout(timer);
  };
}

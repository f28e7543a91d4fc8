import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TimedSends, wakeOnClock, type WakeAt } from '../../src/scheduler/timedSends.js';

const start = Date.now();

describe('sends made ready ahead', () => {
  it('wakes on the bot’s clock, never before it says so, and never while being set', async () => {
    // A clock 30 ms behind the machine's, and one running ten times faster.
    for (const [clock, speed] of [[{ now: () => new Date(Date.now() - 30) }, 1], [{ now: () => new Date(start + (Date.now() - start) * 10) }, 10]] as const) {
      const at = new Date(clock.now().getTime() + 50);
      let wokeAt: Date | undefined;
      const woken = new Promise<void>((resolve) => wakeOnClock(clock, speed)(at, () => ((wokeAt = clock.now()), resolve())));
      expect(wokeAt).toBeUndefined();
      await woken;
      expect(wokeAt!.getTime()).toBeGreaterThanOrEqual(at.getTime());
    }
    let woke = false;
    wakeOnClock({ now: () => new Date() })(new Date(0), () => (woke = true));
    expect(woke).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(woke).toBe(true);
  });

  it('fires everything due at one time together, and on stop hands back what has not fired and waits for what has', async () => {
    const timers = new Map<number, () => void>();
    const wakeAt: WakeAt = (at, wake) => {
      timers.set(at.getTime(), wake);
      return () => timers.delete(at.getTime());
    };
    const fired: string[][] = [];
    const released: string[] = [];
    let finishFiring: () => void = () => undefined;
    const sends = new TimedSends<string>(
      wakeAt,
      (items) => {
        fired.push([...items]);
        return new Promise((resolve) => (finishFiring = resolve));
      },
      async (item) => void released.push(item),
      pino({ level: 'silent' }),
    );
    sends.add(new Date(1000), 'a');
    sends.add(new Date(1000), 'b');
    sends.add(new Date(2000), 'c');
    expect(sends.size).toBe(3);
    expect([...timers.keys()]).toEqual([1000, 2000]);
    timers.get(1000)!();
    expect(fired).toEqual([['a', 'b']]);
    let stopped = false;
    const stopping = sends.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(released).toEqual(['c']);
    expect([...timers.keys()]).toEqual([1000]); // c's timer cancelled
    expect(stopped).toBe(false); // a and b are being sent
    finishFiring();
    await stopping;
    // Added after stopping: handed back at once.
    sends.add(new Date(3000), 'd');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(released).toEqual(['c', 'd']);
  });
});

import type { Clock } from '../domain/time.js';

/**
 * A clock that runs `speed` times faster than real time from the moment it is made: at 60, a
 * 30-minute reminder comes after 30 real seconds. The bot is given it; Slack's side keeps real time.
 */
export function scaledClock(speed: number, realNow: () => number = Date.now): Clock {
  const start = realNow();
  return { now: () => new Date(start + (realNow() - start) * speed) };
}

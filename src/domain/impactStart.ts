/**
 * "Impact started at": when users were first hurt, which is often before anyone declared. Typed
 * as people say it during an incident (`14:05`, `2026-11-26 14:05`, `-20m`), read in the incident's
 * zone. Pure: the caller passes the time and the zone.
 */
import type { Parsed } from './commandText.js';
import { formatInZone, instantOfWallTime, isoDateInZone } from './time.js';

export const IMPACT_START_USAGE =
  'Say when the impact started, in the incident’s time zone: `/incident impact-start 14:05`, `/incident impact-start 2026-11-26 14:05`, or how long ago: `/incident impact-start -20m` (or `-2h`, `-1h30m`).';

const CLOCK = /^(\d{1,2}):(\d{2})$/;
const DATE_AND_CLOCK = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$/;
const AGO = /^-\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/i;

/** The impact's start, from what someone typed; refused when it is unreadable or in the future. */
export function parseImpactStart(text: string, now: Date, timeZone: string): Parsed<Date> {
  const typed = text.trim();
  const ago = AGO.exec(typed);
  if (ago && (ago[1] || ago[2])) {
    const minutes = Number(ago[1] ?? 0) * 60 + Number(ago[2] ?? 0);
    return { ok: true, value: new Date(Math.floor(now.getTime() / 60_000) * 60_000 - minutes * 60_000) };
  }
  const clock = CLOCK.exec(typed);
  const dated = DATE_AND_CLOCK.exec(typed);
  if (!clock && !dated) return { ok: false, reason: `“${typed}” is not a time I can read. ${IMPACT_START_USAGE}` };
  const date = dated ? dated[1]! : isoDateInZone(now, timeZone);
  const hour = Number(dated ? dated[2] : clock![1]);
  const minute = Number(dated ? dated[3] : clock![2]);
  if (hour > 23 || minute > 59 || !isCalendarDate(date)) return { ok: false, reason: `“${typed}” is not a time I can read. ${IMPACT_START_USAGE}` };
  const at = instantOfWallTime(date, hour, minute, timeZone);
  if (!at) return { ok: false, reason: `${date} ${typed.slice(-5)} does not exist in ${timeZone}: the clocks moved forward over it. Give a time before or after.` };
  if (at.getTime() > now.getTime()) {
    const hint = dated ? '' : ' For another day, write the date too, e.g. `2026-11-25 23:50`.';
    return { ok: false, reason: `${formatInZone(at, timeZone)} is in the future: the impact cannot have started yet.${hint}` };
  }
  return { ok: true, value: at };
}

function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

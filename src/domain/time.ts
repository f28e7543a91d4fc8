/**
 * One formatter per zone, made once: creating an Intl.DateTimeFormat costs far more than using
 * one, and a post-mortem formats a time for every timeline entry.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** An instant's parts in a zone: year, month, day, hour, minute and the zone's short name. */
function partsInZone(instant: Date, timeZone: string) {
  const parts = zoneFormatter(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), zone: part('timeZoneName') };
}

/** The calendar date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function isoDateInZone(instant: Date, timeZone: string): string {
  const { year, month, day } = partsInZone(instant, timeZone);
  return `${year}-${month}-${day}`;
}

/**
 * "14:02" on the day `day` (YYYY-MM-DD, in the zone), "11-26 00:15" on another: a timeline's time
 * column. In the hour a clock turns back, which happens twice, the offset tells the two apart:
 * "02:30 (UTC+02:00)", then "02:30 (UTC+01:00)".
 */
export function timeOfDayInZone(instant: Date, timeZone: string, day: string): string {
  const { year, month, day: dayOfMonth, hour, minute } = partsInZone(instant, timeZone);
  const time = `${year}-${month}-${dayOfMonth}` === day ? `${hour}:${minute}` : `${month}-${dayOfMonth} ${hour}:${minute}`;
  return isRepeatedWallTime(instant, timeZone) ? `${time} (${formatOffset(offsetMinutes(instant, timeZone))})` : time;
}

/** The zone's offset from UTC at an instant, in minutes (120 for Berlin in summer). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const { year, month, day, hour, minute } = partsInZone(instant, timeZone);
  const wallClock = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
  return Math.round((wallClock - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

const formatOffset = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
};

/**
 * The answers of `wallTimeRepeats`, by zone and minute: zones change offset only on whole minutes,
 * and a post-mortem asks about the same few minutes for entry after entry.
 */
const repeatedMinutes = new Map<string, boolean>();
const REPEATED_MINUTES_KEPT = 100_000;

function isRepeatedWallTime(instant: Date, timeZone: string): boolean {
  const key = `${timeZone} ${Math.floor(instant.getTime() / 60_000)}`;
  let repeated = repeatedMinutes.get(key);
  if (repeated === undefined) {
    if (repeatedMinutes.size >= REPEATED_MINUTES_KEPT) repeatedMinutes.clear();
    repeated = wallTimeRepeats(instant, timeZone);
    repeatedMinutes.set(key, repeated);
  }
  return repeated;
}

/**
 * Whether the zone's clock shows this instant's time at another instant too (the hour after a
 * fall-back). Zones change offset by at most a few hours, so the other instant, if any, lies within
 * that of this one, at an offset seen three hours before or after.
 */
function wallTimeRepeats(instant: Date, timeZone: string): boolean {
  const offset = offsetMinutes(instant, timeZone);
  const nearby = [-3, 3].map((hours) => offsetMinutes(new Date(instant.getTime() + hours * 3_600_000), timeZone));
  return nearby.some((other) => {
    if (other === offset) return false;
    const twin = new Date(instant.getTime() + (offset - other) * 60_000);
    return offsetMinutes(twin, timeZone) === other;
  });
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Time is a parameter of the domain; flows read it from a Clock so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** "2026-11-24 14:02 UTC": a time as people in an incident read it, in the configured zone. */
export function formatInZone(instant: Date, timeZone: string): string {
  const { year, month, day, hour, minute, zone } = partsInZone(instant, timeZone);
  return `${year}-${month}-${day} ${hour}:${minute} ${zone}`;
}

/** "2026-11-26T14:05+01:00": an instant as ISO 8601 to the minute, on the zone's wall clock with its offset (a report's columns). */
export function isoMinuteInZone(instant: Date, timeZone: string): string {
  const { year, month, day, hour, minute } = partsInZone(instant, timeZone);
  return `${year}-${month}-${day}T${hour}:${minute}${formatOffset(offsetMinutes(instant, timeZone)).slice(3)}`;
}

/**
 * The instant a zone's clock shows `date` (YYYY-MM-DD) at `hour`:`minute`, or null when that
 * clock never shows it (the hour skipped when clocks go forward). In the hour shown twice, the
 * earlier instant.
 */
export function instantOfWallTime(date: string, hour: number, minute: number, timeZone: string): Date | null {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offset near the wall time, tried from both sides of a change of offset.
  const candidates = [-3, 3]
    .map((hours) => offsetMinutes(new Date(asIfUtc + hours * 3_600_000), timeZone))
    .map((offset) => new Date(asIfUtc - offset * 60_000))
    .sort((a, b) => a.getTime() - b.getTime());
  const wanted = `${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return candidates.find((instant) => {
    const parts = partsInZone(instant, timeZone);
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}` === wanted;
  }) ?? null;
}

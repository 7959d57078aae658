// Dates in the newsroom app are shown in the newsroom's time zone (the site
// setting readers see dates in), not the browser's: a reporter abroad and the
// desk at home must read the same "18:00" for the same moment. The zone is set
// once the session is known (app.tsx); until then the browser's zone is used.

import { isTimeZone, type WallClock, wallClockAt, zonedTime } from '../core/dates.js';

let newsroomTimeZone: string | undefined;

/**
 * Sets the IANA zone every date in the app is shown in. A zone this browser
 * does not know (an old browser, a newly named zone) is left out, and the
 * browser's own is used: every date failing to show would blank the app.
 */
export function setNewsroomTimeZone(zone: string | undefined): void {
  newsroomTimeZone = zone !== undefined && isTimeZone(zone) ? zone : undefined;
}

/** The zone dates are shown in (the newsroom's, or the browser's before it is known). */
export function shownTimeZone(): string {
  return newsroomTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function instant(at: string | Date): Date {
  return typeof at === 'string' ? new Date(at) : at;
}

/** A moment as a date and time in the newsroom's zone, e.g. "6 Dec 2026, 18:05". */
export function formatDateTime(at: string | Date): string {
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: shownTimeZone(),
  }).format(instant(at));
}

/** A moment as a time of day in the newsroom's zone, e.g. "18:05". */
export function formatTime(at: string | Date): string {
  return new Intl.DateTimeFormat(undefined, {
    timeStyle: 'short',
    timeZone: shownTimeZone(),
  }).format(instant(at));
}

/** The day a moment falls on in the newsroom's zone, in words, e.g. "Sunday, 29 March 2026". */
export function formatDay(at: string | Date): string {
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'full',
    timeZone: shownTimeZone(),
  }).format(instant(at));
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The calendar day of a moment in the newsroom's zone, as "2026-03-29" (for grouping by day). */
export function dayKey(at: string | Date, zone = shownTimeZone()): string {
  const clock = wallClockAt(instant(at).getTime(), zone);
  return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;
}

/** A moment as the value of an `<input type="datetime-local">` reading it in `zone`: "2026-03-29T18:00". */
export function toZonedInputValue(at: string | Date, zone = shownTimeZone()): string {
  const clock = wallClockAt(instant(at).getTime(), zone);
  return `${dayKey(at, zone)}T${pad(clock.hour)}:${pad(clock.minute)}`;
}

const INPUT_VALUE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * The moment a `datetime-local` value ("2026-03-29T18:00") means on a clock in
 * `zone`, or null for a value that is no date. A time the clocks skip when they
 * go forward is read as the same time after the jump (03:30 → 04:30), and a
 * time that happens twice when they go back is the first one, as Temporal's
 * "compatible" reading does.
 */
export function fromZonedInputValue(value: string, zone = shownTimeZone()): Date | null {
  const match = INPUT_VALUE.exec(value);
  if (!match) return null;
  const part = (index: number) => Number(match[index] ?? 0);
  const clock: WallClock = {
    year: part(1),
    month: part(2),
    day: part(3),
    hour: part(4),
    minute: part(5),
    second: part(6),
  };
  const check = new Date(Date.UTC(2000, clock.month - 1, clock.day));
  check.setUTCFullYear(clock.year);
  // Dates roll 30 February over into March: such a value names no day.
  if (
    check.getUTCMonth() !== clock.month - 1 ||
    check.getUTCDate() !== clock.day ||
    clock.hour > 23
  )
    return null;
  return zonedTime(clock, zone);
}

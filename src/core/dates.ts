// Dates are ISO 8601 strings in UTC everywhere (see docs/architecture.md), so
// they compare and sort as text.

/** The latest of some ISO dates, ignoring missing ones; null when there is none. */
export function newestDate(dates: Iterable<string | null | undefined>): string | null {
  let newest: string | null = null;
  for (const date of dates) if (date && (newest === null || date > newest)) newest = date;
  return newest;
}

/** When readers last saw an article change: its last edit or its last public correction. */
export function articleChangedAt(updatedAt: string, correctionDates: Iterable<string>): string {
  return newestDate([updatedAt, ...correctionDates]) ?? updatedAt;
}

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Riga"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day `at` falls on in `timeZone`, as "2026-03-02". */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** A reading of a clock on the wall (months 1–12). */
export type WallClock = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** What a clock on the wall in `zone` shows at `time` (milliseconds since the epoch). */
export function wallClockAt(time: number, zone: string): WallClock {
  let format = wallClockFormats.get(zone);
  if (!format) {
    // Numbers only, 00–23 hours: a fixed locale, so the parts parse the same everywhere.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormats.set(zone, format);
  }
  const parts = new Map(format.formatToParts(time).map((part) => [part.type, part.value]));
  const read = (type: Intl.DateTimeFormatPartTypes) => Number(parts.get(type));
  return {
    year: read('year'),
    month: read('month'),
    day: read('day'),
    hour: read('hour'),
    minute: read('minute'),
    second: read('second'),
  };
}

/** A wall-clock reading as if it were UTC, in milliseconds: the arithmetic of offsets. */
function asUtc(clock: WallClock): number {
  const time = new Date(
    Date.UTC(2000, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second),
  );
  // Set apart: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  return time.setUTCFullYear(clock.year);
}

/** How far `zone` is ahead of UTC at `at`, in minutes (Europe/Riga: 120 in winter, 180 in summer). */
export function zoneOffsetMinutes(at: string | Date, zone: string): number {
  // Whole seconds: the wall clock has no milliseconds.
  const time = Math.floor(new Date(at).getTime() / 1000) * 1000;
  return Math.round((asUtc(wallClockAt(time, zone)) - time) / 60_000);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The moment a clock in `zone` shows `clock`. A time the clocks skip when
 * they go forward is read as the same time after the jump (03:30 → 04:30; a
 * midnight skipped is the day's first instant), and a time that happens
 * twice when they go back is the first one, as Temporal's "compatible"
 * reading does.
 */
export function zonedTime(clock: WallClock, zone: string): Date {
  const wall = asUtc(clock);
  // A zone changes its offset at most once a day, so the offsets a day either
  // side are the only two this wall-clock time can have been read with.
  const before = zoneOffsetMinutes(new Date(wall - DAY_MS), zone);
  const after = zoneOffsetMinutes(new Date(wall + DAY_MS), zone);
  const readings = [wall - before * 60_000, wall - after * 60_000].filter(
    (time) => asUtc(wallClockAt(time, zone)) === wall,
  );
  if (readings.length > 0) return new Date(Math.min(...readings));
  // In the hour skipped by the jump: the offset from before it moves the time forward.
  return new Date(wall - before * 60_000);
}

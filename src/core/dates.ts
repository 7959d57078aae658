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

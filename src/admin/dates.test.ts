import { afterEach, describe, expect, it } from 'vitest';
import { zoneOffsetMinutes } from '../core/dates.js';
import {
  dayKey,
  formatDateTime,
  formatTime,
  fromZonedInputValue,
  setNewsroomTimeZone,
  shownTimeZone,
  toZonedInputValue,
} from './dates.js';

// Europe/Riga in 2026: clocks go forward on 29 March at 03:00 (01:00 UTC) and
// back on 25 October at 04:00 (01:00 UTC).
const RIGA = 'Europe/Riga';

afterEach(() => setNewsroomTimeZone(undefined));

const iso = (value: string, zone: string) => fromZonedInputValue(value, zone)?.toISOString();

describe('the offset of a zone', () => {
  it('changes at the moment the clocks do', () => {
    expect(zoneOffsetMinutes('2026-03-29T00:59:59Z', RIGA)).toBe(120);
    expect(zoneOffsetMinutes('2026-03-29T01:00:00Z', RIGA)).toBe(180);
    expect(zoneOffsetMinutes('2026-10-25T00:59:59Z', RIGA)).toBe(180);
    expect(zoneOffsetMinutes('2026-10-25T01:00:00Z', RIGA)).toBe(120);
  });

  it('is negative west of Greenwich and counts half hours', () => {
    expect(zoneOffsetMinutes('2026-01-15T12:00:00Z', 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes('2026-01-15T12:00:00Z', 'Asia/Kolkata')).toBe(330);
  });
});

describe('reading a datetime-local value in the newsroom zone', () => {
  it('reads the same wall-clock time with the offset of its season', () => {
    expect(iso('2026-03-28T18:00', RIGA)).toBe('2026-03-28T16:00:00.000Z');
    expect(iso('2026-03-29T18:00', RIGA)).toBe('2026-03-29T15:00:00.000Z');
    expect(iso('2026-10-24T18:00', RIGA)).toBe('2026-10-24T15:00:00.000Z');
    expect(iso('2026-10-25T18:00', RIGA)).toBe('2026-10-25T16:00:00.000Z');
  });

  it('reads the times just before and after the spring jump', () => {
    expect(iso('2026-03-29T02:59', RIGA)).toBe('2026-03-29T00:59:00.000Z');
    expect(iso('2026-03-29T04:00', RIGA)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('reads a time the clocks skip as the same time after the jump', () => {
    // 03:30 never shows on Riga clocks that morning; 04:30 does.
    expect(iso('2026-03-29T03:30', RIGA)).toBe('2026-03-29T01:30:00.000Z');
    expect(toZonedInputValue('2026-03-29T01:30:00.000Z', RIGA)).toBe('2026-03-29T04:30');
  });

  it('reads a time that happens twice in autumn as the first one', () => {
    expect(iso('2026-10-25T03:30', RIGA)).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25T04:00', RIGA)).toBe('2026-10-25T02:00:00.000Z');
  });

  it('does not depend on the zone of the machine it runs on', () => {
    expect(iso('2026-07-01T09:00', 'Pacific/Auckland')).toBe('2026-06-30T21:00:00.000Z');
    expect(iso('2026-07-01T09:00', 'America/Los_Angeles')).toBe('2026-07-01T16:00:00.000Z');
  });

  it('refuses values that are no date', () => {
    expect(fromZonedInputValue('', RIGA)).toBeNull();
    expect(fromZonedInputValue('2026-02-30T10:00', RIGA)).toBeNull();
    expect(fromZonedInputValue('2026-03-01T25:00', RIGA)).toBeNull();
    expect(fromZonedInputValue('tomorrow', RIGA)).toBeNull();
  });

  it('accepts seconds, which some browsers add', () => {
    expect(iso('2026-03-28T18:00:30', RIGA)).toBe('2026-03-28T16:00:30.000Z');
  });
});

describe('showing a moment in the newsroom zone', () => {
  it('gives the field value of a moment, and reads it back to the same moment', () => {
    for (const at of [
      '2026-03-28T16:00:00.000Z',
      '2026-03-29T15:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-12-31T22:30:00.000Z',
    ]) {
      expect(iso(toZonedInputValue(at, RIGA), RIGA)).toBe(at);
    }
    expect(toZonedInputValue('2026-12-31T22:30:00.000Z', RIGA)).toBe('2027-01-01T00:30');
  });

  it('puts a moment on the day it is in the newsroom, not in UTC', () => {
    expect(dayKey('2026-03-01T23:30:00Z', RIGA)).toBe('2026-03-02');
    expect(dayKey('2026-03-01T23:30:00Z', 'America/New_York')).toBe('2026-03-01');
  });

  it('formats in the zone the session set, and in the browser zone before that', () => {
    expect(shownTimeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    setNewsroomTimeZone(RIGA);
    expect(shownTimeZone()).toBe(RIGA);
    // 15:05 UTC is 18:05 in a Riga summer; written 18:05 or 6:05 PM by locale.
    expect(formatTime('2026-07-01T15:05:00Z')).toMatch(/\b(18|6)[:.]05\b/);
    setNewsroomTimeZone('Asia/Tokyo');
    expect(formatTime('2026-07-01T15:05:00Z')).toMatch(/\b(0?0|12)[:.]05\b/);
    expect(formatDateTime('2026-07-01T15:05:00Z')).toMatch(/2026/);
  });
});

describe('what the app does with odd input', () => {
  it('falls back to the browser zone for a zone this browser does not know, instead of failing', () => {
    setNewsroomTimeZone('Mars/Olympus_Mons');
    expect(shownTimeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => formatDateTime('2026-07-01T15:05:00Z')).not.toThrow();
  });

  it('reads the years before 100 as written, as a field being typed may briefly hold them', () => {
    expect(iso('0099-06-01T12:00', 'UTC')).toBe('0099-06-01T12:00:00.000Z');
  });
});

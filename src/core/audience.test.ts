import { describe, expect, it } from 'vitest';
import {
  addressHost,
  channelLink,
  channelOf,
  deviceOf,
  isPrefetch,
  isReaderAgent,
  languageOf,
  periodSpan,
  startOfDay,
  viewSeries,
  viewSource,
} from './audience.js';

const own = {
  site: new Set(['lantern.example']),
  mirrors: new Set(['lantern-mirror.pages.example']),
};

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const TABLET =
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID_TABLET =
  'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const ANDROID_PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('what is kept of a view', () => {
  it('keeps only the referring domain, and sorts it into a channel', () => {
    const cases: [string, string, string][] = [
      ['https://www.google.com/search?q=council+contracts', 'search', 'google.com'],
      ['https://www.google.de/', 'search', 'google.de'],
      ['https://duckduckgo.com/', 'search', 'duckduckgo.com'],
      ['https://yandex.ru/search/?text=x', 'search', 'yandex.ru'],
      ['https://t.co/abc', 'social', 't.co'],
      ['https://l.facebook.com/l.php?u=x', 'social', 'l.facebook.com'],
      ['https://bsky.app/profile/someone', 'social', 'bsky.app'],
      ['https://t.me/lantern_en/12', 'telegram', 't.me'],
      ['https://web.telegram.org/k/', 'telegram', 'web.telegram.org'],
      ['https://mail.google.com/mail/u/0/', 'newsletter', 'mail.google.com'],
      ['https://mastodon.social/@someone/1', 'fediverse', 'mastodon.social'],
      ['https://chaos.social/', 'fediverse', 'chaos.social'],
      ['https://lantern-mirror.pages.example/news/x', 'mirror', 'lantern-mirror.pages.example'],
      ['https://blog.example.org/a-post', 'website', 'blog.example.org'],
      ['https://lantern.example/news', 'internal', ''],
      ['https://www.lantern.example/', 'internal', ''],
    ];
    for (const [referer, channel, domain] of cases) {
      expect(channelOf(addressHost(referer), '', own), referer).toEqual({
        channel,
        referrer: domain,
      });
    }
  });

  it('counts a view with no referrer as direct unless its link names a channel', () => {
    expect(channelOf('', '', own)).toEqual({ channel: 'direct', referrer: '' });
    expect(channelOf('', 'ref=telegram', own)).toEqual({ channel: 'telegram', referrer: '' });
    expect(channelOf('', 'utm_source=newsletter&utm_medium=email', own)).toEqual({
      channel: 'newsletter',
      referrer: '',
    });
    expect(channelOf('', 'utm_source=mastodon', own).channel).toBe('fediverse');
    // A marker that names no channel of ours leaves the view direct; its value is never kept.
    expect(channelOf('', 'utm_source=reader-4711', own)).toEqual({
      channel: 'direct',
      referrer: '',
    });
    // Links the newsroom's own channels post carry their marker.
    expect(channelLink('https://lantern.example/news/a', 'telegram')).toBe(
      'https://lantern.example/news/a?ref=telegram',
    );
    expect(channelLink('https://lantern.example/a?x=1', 'newsletter')).toBe(
      'https://lantern.example/a?x=1&ref=newsletter',
    );
  });

  it('drops referrers that are not web addresses', () => {
    expect(addressHost(undefined)).toBe('');
    expect(addressHost('not a url')).toBe('');
    expect(addressHost('android-app://org.telegram.messenger/')).toBe('');
    expect(addressHost('https://user:secret@host.example/path?q=1')).toBe('host.example');
    // An address or a bare name could point at the reader's own machine or network: not kept.
    for (const referer of [
      'http://203.0.113.5/admin',
      'http://localhost:3000/',
      'http://0x7f.1/',
      'http://[2001:db8::1]/',
      'http://nas/',
    ])
      expect(channelOf(addressHost(referer), '', own), referer).toEqual({
        channel: 'website',
        referrer: '',
      });
  });

  it('tells phones, tablets and desktops apart, and reads the first language', () => {
    expect(deviceOf(PHONE)).toBe('phone');
    expect(deviceOf(ANDROID_PHONE)).toBe('phone');
    expect(deviceOf(TABLET)).toBe('tablet');
    expect(deviceOf(ANDROID_TABLET)).toBe('tablet');
    expect(deviceOf(DESKTOP)).toBe('desktop');
    expect(languageOf('ru-RU,ru;q=0.9,en-US;q=0.8')).toBe('ru');
    expect(languageOf('EN')).toBe('en');
    expect(languageOf('*')).toBe('');
    expect(languageOf(undefined)).toBe('');
    expect(languageOf('x'.repeat(40))).toBe('');
    // Made-up tags are not kept.
    expect(languageOf('qzx')).toBe('');
    expect(languageOf('uk')).toBe('uk');
  });

  it('counts browsers, not crawlers, tools or prefetches', () => {
    expect(isReaderAgent(DESKTOP)).toBe(true);
    expect(isReaderAgent(PHONE)).toBe(true);
    for (const agent of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'TelegramBot (like TwitterBot)',
      'facebookexternalhit/1.1',
      'curl/8.5.0',
      'python-requests/2.32',
      'Mozilla/5.0',
      '',
      undefined,
    ]) {
      expect(isReaderAgent(agent), String(agent)).toBe(false);
    }
    expect(isPrefetch('prefetch;prerender', undefined)).toBe(true);
    expect(isPrefetch(undefined, 'prefetch')).toBe(true);
    expect(isPrefetch(undefined, undefined)).toBe(false);
  });

  it('puts together what is kept, and nothing else', () => {
    const kept = viewSource(
      {
        userAgent: PHONE,
        referer: 'https://www.google.com/search?q=private+words',
        acceptLanguage: 'uk-UA,uk;q=0.9',
        query: '',
      },
      own,
    );
    expect(kept).toEqual({
      channel: 'search',
      referrer: 'google.com',
      language: 'uk',
      device: 'phone',
    });
    // A link from the address the reader asked for is from our own pages, whatever it is called.
    const inside = viewSource(
      {
        userAgent: PHONE,
        referer: 'http://127.0.0.1:4000/news',
        acceptLanguage: undefined,
        query: '',
        host: '127.0.0.1:4000',
      },
      own,
    );
    expect(inside).toMatchObject({ channel: 'internal', referrer: '' });
  });
});

describe('periods', () => {
  it('finds when a day starts in a zone, across a clock change', () => {
    expect(startOfDay('2026-03-01', 'UTC').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(startOfDay('2026-03-01', 'Europe/Berlin').toISOString()).toBe(
      '2026-02-28T23:00:00.000Z',
    );
    expect(startOfDay('2026-07-01', 'Europe/Berlin').toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
    // The day the clocks go forward starts before the change.
    expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(startOfDay('2026-03-01', 'Asia/Kolkata').toISOString()).toBe('2026-02-28T18:30:00.000Z');
    // Where clocks jump from midnight to one, the day starts at the jump.
    expect(startOfDay('2026-09-06', 'America/Santiago').toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
    expect(startOfDay('2026-03-08', 'America/Havana').toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
  });

  it('spans today by hour, a week and a month by day, and the last half hour by minute', () => {
    const now = new Date('2026-03-01T09:20:30Z');
    const today = periodSpan('today', now, 'Europe/Berlin');
    expect(today.step).toBe('hour');
    expect([today.from.toISOString(), today.to.toISOString()]).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-01T23:00:00.000Z',
    ]);
    const week = periodSpan('7d', now, 'UTC');
    expect(week.days).toEqual([
      '2026-02-23',
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    const recent = periodSpan('realtime', now, 'UTC');
    expect([recent.from.toISOString(), recent.to.toISOString()]).toEqual([
      '2026-03-01T08:51:00.000Z',
      '2026-03-01T09:21:00.000Z',
    ]);
  });

  it('folds hours into the newsroom’s days and fills the steps nothing was read in', () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const week = periodSpan('7d', now, 'Europe/Berlin');
    const series = viewSeries(
      [
        // 23:00 UTC on 28 February is already 1 March in Berlin.
        { bucket: '2026-02-28T23', views: 4 },
        { bucket: '2026-02-28T22', views: 2 },
        { bucket: '2026-03-01T08', views: 1 },
        // Before the week: not shown.
        { bucket: '2026-02-01T08', views: 100 },
      ],
      week,
      'Europe/Berlin',
    );
    expect(series).toHaveLength(7);
    expect(series.at(-1)).toEqual({ at: '2026-03-01', views: 5 });
    expect(series.at(-2)).toEqual({ at: '2026-02-28', views: 2 });
    expect(series.slice(0, 5).every((point) => point.views === 0)).toBe(true);

    const today = periodSpan('today', now, 'UTC');
    const hours = viewSeries([{ bucket: '2026-03-01T08', views: 3 }], today, 'UTC');
    expect(hours).toHaveLength(24);
    expect(hours[8]).toEqual({ at: '2026-03-01T08:00:00.000Z', views: 3 });
  });
});

import { describe, expect, it } from 'vitest';
import { TELEGRAM_CAPTION_LIMIT } from '../core/distribution.js';
import { escapeTelegramHtml, telegramPostHtml } from './telegram-post.js';

const post = {
  title: 'Ferry fares rise',
  standfirst: 'The crossing costs a fifth more from May.',
  language: 'en',
  articleUrl: 'https://news.example/news/ferry-fares-rise',
  mirrorsUrl: 'https://news.example/mirrors',
  photoCredit: null,
  corrections: [],
};

/** What readers see of a post: its text with the tags taken out and the entities read. */
function visible(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
}

describe('a Telegram post', () => {
  it('escapes what Telegram’s HTML reads as markup', () => {
    expect(escapeTelegramHtml('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    const html = telegramPostHtml(
      { ...post, articleUrl: 'https://news.example/a?x=1&y="2"' },
      TELEGRAM_CAPTION_LIMIT,
    );
    expect(html).toContain('<a href="https://news.example/a?x=1&amp;y=&quot;2&quot;">');
  });

  it('keeps within the caption limit by shortening the standfirst, never the links', () => {
    const long = { ...post, standfirst: 'word '.repeat(400).trim() };
    const html = telegramPostHtml(long, TELEGRAM_CAPTION_LIMIT);
    expect(visible(html).length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
    expect(html).toContain('…');
    expect(html).toContain('<a href="https://news.example/mirrors">If the site is blocked</a>');
  });

  it('speaks the article’s language and shows corrections under the text', () => {
    const html = telegramPostHtml(
      {
        ...post,
        language: 'ru',
        title: 'Паром подорожал',
        corrections: [{ type: 'correction', text: 'Цена выросла на пятую часть.' }],
      },
      TELEGRAM_CAPTION_LIMIT,
    );
    expect(html).toContain('<b>Исправление:</b> Цена выросла на пятую часть.');
    expect(html).toContain('>Читать на сайте</a>');
    expect(html).toContain('>Если сайт заблокирован</a>');
  });
});

describe('a Telegram post with long corrections', () => {
  it('keeps every correction and the links within the caption limit', () => {
    const html = telegramPostHtml(
      {
        ...post,
        photoCredit: 'Lantern Photo / Jonas Feld',
        corrections: [
          { type: 'correction', text: 'An earlier version said a quarter. '.repeat(60) },
          { type: 'clarification', text: 'The fare applies from May. '.repeat(60) },
        ],
      },
      TELEGRAM_CAPTION_LIMIT,
    );
    const shown = visible(html);
    expect(shown.length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
    expect(shown).toContain('Correction: An earlier version');
    expect(shown).toContain('Clarification: The fare applies');
    expect(shown).toContain('Photo: Lantern Photo / Jonas Feld');
    expect(shown).toMatch(/Read on the site · If the site is blocked$/);
  });

  it('never cuts an emoji in half', () => {
    const html = telegramPostHtml(
      { ...post, standfirst: '🚢'.repeat(2000) },
      TELEGRAM_CAPTION_LIMIT,
    );
    expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

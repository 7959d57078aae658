import { parse } from 'node-html-parser';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { photo } from '../../test/site-fixtures.js';
import type { Doc } from '../core/document.js';
import type { Media } from '../core/types.js';
import { DocumentBody } from './components.js';
import { embedFacadeHtml } from './embed-facade.js';

const THUMBNAIL = 'abcdefabcdefabcdefabcdefabcdefab.jpg';
const VIDEO = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

/** An article body of `content` as a reader page shows it, with the thumbnail record 21 among its media. */
function page(content: Doc['content'], language = 'en', media?: Media[]) {
  const html = renderToStaticMarkup(
    <DocumentBody
      doc={{ type: 'doc', content }}
      media={
        media ?? [
          {
            ...photo,
            id: 21,
            file: THUMBNAIL,
            width: 480,
            height: 360,
            alt: 'YouTube: The speech',
          },
        ]
      }
      language={language}
    />,
  );
  return { html, root: parse(html) };
}

/** Every absolute address in the HTML that does not belong to the site itself. */
function outsideAddresses(html: string): string[] {
  return [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)]
    .map((match) => match[0])
    .filter((url) => !url.startsWith('https://news.example'));
}

describe('an embed on a reader page', () => {
  it('is a facade with the stored thumbnail, the title, the provider and what Play loads', () => {
    const { html, root } = page([
      {
        type: 'embed',
        attrs: { url: VIDEO, title: 'The speech', thumbnailMediaId: 21 },
      },
    ]);
    const facade = root.querySelector('.article-body figure.embed-facade');
    expect(facade?.getAttribute('data-embed-player')).toBe('youtube');
    expect(facade?.getAttribute('data-embed-id')).toBe('dQw4w9WgXcQ');
    expect(facade?.classList.contains('has-thumbnail')).toBe(true);
    const link = facade?.querySelector('a.embed-link');
    // Without JavaScript, a link to the video on YouTube, as before.
    expect(link?.getAttribute('href')).toBe(VIDEO);
    expect(link?.getAttribute('target')).toBeUndefined();
    expect(link?.querySelector('.embed-action')?.text).toBe('Play on YouTube');
    expect(link?.querySelector('.embed-title')?.text).toBe('The speech');
    const img = link?.querySelector('.embed-thumbnail img');
    expect(img?.getAttribute('src')).toBe(`/media/${THUMBNAIL}`);
    // Decorative: the title beside it says what it is.
    expect(img?.getAttribute('alt')).toBe('');
    expect(img?.getAttribute('loading')).toBe('lazy');
    expect(facade?.querySelector('figcaption.embed-note')?.text).toBe(
      'Playing loads the video from YouTube, which may set cookies and see your address.',
    );
    // Nothing from YouTube but the link to the video itself; no frame, no script.
    expect(outsideAddresses(html)).toEqual([VIDEO]);
    expect(
      root.querySelectorAll('iframe, script:not([src]):not([type="application/ld+json"])'),
    ).toHaveLength(0);
  });

  it('without a thumbnail still shows the title, the provider and the note', () => {
    const { root } = page([
      { type: 'embed', attrs: { url: 'https://vimeo.com/76979871', title: 'A film' } },
      // A thumbnail whose record is gone leaves no broken picture.
      { type: 'embed', attrs: { url: VIDEO, title: 'Gone', thumbnailMediaId: 99 } },
    ]);
    const [vimeo, gone] = root.querySelectorAll('.article-body figure.embed-facade');
    expect(vimeo?.querySelector('img')).toBeNull();
    expect(vimeo?.classList.contains('has-thumbnail')).toBe(false);
    expect(vimeo?.getAttribute('data-embed-player')).toBe('vimeo');
    expect(vimeo?.querySelector('.embed-action')?.text).toBe('Play on Vimeo');
    expect(vimeo?.querySelector('.embed-title')?.text).toBe('A film');
    expect(gone?.querySelector('img')).toBeNull();
  });

  it('keeps a post a link that opens in a new tab, and says so', () => {
    const { html, root } = page([
      { type: 'embed', attrs: { url: 'https://t.me/lantern/123', title: 'The statement' } },
    ]);
    const facade = root.querySelector('.article-body figure.embed-facade');
    expect(facade?.getAttribute('data-embed-player')).toBeUndefined();
    const link = facade?.querySelector('a.embed-link');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link?.querySelector('.embed-action')?.text).toBe('Open the post on Telegram');
    expect(facade?.querySelector('.embed-note')?.text).toBe(
      'Opens on Telegram in a new tab, where Telegram may set cookies and see your address. Nothing from Telegram loads on this page.',
    );
    expect(outsideAddresses(html)).toEqual(['https://t.me/lantern/123']);
  });

  it('is written in Russian on a Russian article', () => {
    const { root } = page(
      [
        { type: 'embed', attrs: { url: VIDEO, title: 'Речь', thumbnailMediaId: 21 } },
        { type: 'embed', attrs: { url: 'https://soundcloud.com/lantern/show', title: '' } },
        { type: 'embed', attrs: { url: 'https://x.com/lantern/status/1', title: '' } },
      ],
      'ru',
    );
    const [video, audio, post] = root.querySelectorAll('.article-body figure.embed-facade');
    expect(video?.querySelector('.embed-action')?.text).toBe('Включить видео с YouTube');
    expect(video?.querySelector('.embed-note')?.text).toContain('может установить cookie');
    expect(audio?.querySelector('.embed-action')?.text).toBe('Включить запись с SoundCloud');
    expect(audio?.getAttribute('data-embed-id')).toBe('/lantern/show');
    // No title: nothing empty is rendered for it.
    expect(audio?.querySelector('.embed-title')).toBeNull();
    expect(post?.querySelector('.embed-action')?.text).toBe('Открыть публикацию: X');
  });

  it('escapes the title and renders nothing for an address off the allow-list', () => {
    const html = embedFacadeHtml(
      { url: VIDEO, title: '"><script>alert(1)</script>', thumbnailHtml: '' },
      'en',
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('data-embed-title="&quot;&gt;&lt;script&gt;');
    expect(
      embedFacadeHtml({ url: 'https://evil.example/v', title: '', thumbnailHtml: '' }, 'en'),
    ).toBe('');
  });
});

describe('a gallery on a reader page', () => {
  it('is a named, focusable scrolling region that says how many photos it holds', () => {
    const { root } = page(
      [
        {
          type: 'gallery',
          attrs: { photos: [1, 2, 3].map((id) => ({ mediaId: id, src: null })), caption: '' },
        },
      ],
      'ru',
      [1, 2, 3].map((id) => ({ ...photo, id, file: THUMBNAIL, width: 800 })),
    );
    const region = root.querySelector('.article-body figure.gallery .gallery-photos');
    expect(region?.getAttribute('role')).toBe('region');
    expect(region?.getAttribute('tabindex')).toBe('0');
    expect(region?.getAttribute('aria-label')).toBe('Галерея: 3 фотографии');
    expect(region?.querySelectorAll('figure')).toHaveLength(3);
    expect(
      page([{ type: 'gallery', attrs: { photos: [{ mediaId: 21 }] } }])
        .root.querySelector('.gallery-photos')
        ?.getAttribute('aria-label'),
    ).toBe('Gallery: 1 photo');
  });
});

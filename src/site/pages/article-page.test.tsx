import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { articleView, assets, chrome, photo } from '../../../test/site-fixtures.js';
import { renderHtml } from '../render-page.js';
import { ArticlePage } from './article-page.js';

function render(view = articleView(), isPrintView = false) {
  const html = renderHtml(ArticlePage({ view, chrome, assets, isPrintView }));
  return { html, root: parse(html) };
}

describe('ArticlePage', () => {
  it('ends with a sign-up form for the newsletter in its language, but not on a mirror', () => {
    const lists = [
      { id: 1, name: 'Daily', language: 'en' },
      { id: 2, name: 'Ежедневно', language: 'ru' },
    ];
    const withLists = { ...chrome, signUpLists: lists };
    const root = parse(
      renderHtml(
        ArticlePage({ view: articleView(), chrome: withLists, assets, isPrintView: false }),
      ),
    );
    const form = root.querySelector('.newsletter-signup form');
    expect(form?.getAttribute('action')).toBe('/newsletters');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.querySelector('input[name=list]')?.getAttribute('value')).toBe('1');
    expect(form?.querySelector('button')?.text).toBe('Subscribe: Daily');
    expect(root.querySelector('label[for=newsletter-signup-email]')).not.toBeNull();
    const mirror = parse(
      renderHtml(
        ArticlePage({
          view: articleView(),
          chrome: { ...withLists, isMirror: true },
          assets,
          isPrintView: false,
        }),
      ),
    );
    expect(mirror.querySelector('.newsletter-signup')).toBeNull();
    expect(render().root.querySelector('.newsletter-signup')).toBeNull();
  });

  it('renders a complete document with the article language and the canonical URL', () => {
    const { html, root } = render();
    expect(html.startsWith('<!DOCTYPE html><html lang="en" dir="ltr">')).toBe(true);
    expect(root.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe(
      'https://gazette.example/news/politics/council-votes',
    );
    expect(root.querySelector('title')?.text).toBe(
      'Council votes <to> publish “every” contract — The Test Gazette',
    );
  });

  it('describes an article without a standfirst by its first paragraph, for search and social cards', () => {
    const { root } = render(articleView({ standfirst: '' }));
    expect(root.querySelector('meta[name=description]')?.getAttribute('content')).toBe(
      'First paragraph.',
    );
    expect(root.querySelector('meta[property="og:description"]')?.getAttribute('content')).toBe(
      'First paragraph.',
    );
    const withStandfirst = render().root;
    expect(withStandfirst.querySelector('meta[name=description]')?.getAttribute('content')).toBe(
      'A standfirst.',
    );
  });

  it('escapes the headline and keeps typographic quotes', () => {
    const { html, root } = render();
    expect(html).toContain('Council votes &lt;to&gt; publish “every” contract');
    expect(root.querySelector('h1')?.text).toBe('Council votes <to> publish “every” contract');
  });

  it('shows breadcrumbs as links from the top section down', () => {
    const links = render().root.querySelectorAll('nav.breadcrumbs a');
    expect(links.map((a) => [a.text, a.getAttribute('href')])).toEqual([
      ['News', '/news'],
      ['Politics', '/news/politics'],
    ]);
  });

  it('shows the byline and a machine-readable date', () => {
    const meta = render().root.querySelector('.article-meta');
    expect(meta?.querySelector('.byline')?.text).toBe('By Ada Lindqvist');
    expect(meta?.querySelector('time')?.getAttribute('datetime')).toBe('2026-02-15T12:00:00.000Z');
    // The time of day and its zone with the date (UTC here: the fixture's zone).
    expect(meta?.querySelector('time')?.text).toBe('15 February 2026 at 12:00 UTC');
    expect(meta?.querySelector('.reading-time')?.text).toBe('1 min read');
    expect(meta?.querySelector('.updated')).toBeNull();
  });

  it('says when an article was updated after it was published', () => {
    const view = articleView();
    const meta = render({ ...view, modifiedAt: '2026-02-16T08:30:00.000Z' }).root.querySelector(
      '.article-meta',
    );
    expect(meta?.querySelector('.updated')?.text).toBe('Updated 16 February 2026 at 08:30 UTC');
    expect(meta?.querySelector('.updated time')?.getAttribute('datetime')).toBe(
      '2026-02-16T08:30:00.000Z',
    );
  });

  it('renders the credit line from the chain, and no image when the photo has no file', () => {
    const figure = render().root.querySelector('figure.lead');
    expect(figure?.querySelector('img')).toBeNull();
    expect(figure?.querySelector('.caption')?.text).toBe('The hall on the evening of the vote.');
    expect(figure?.querySelector('.credit')?.text).toBe(
      'Photo: EPA / Grigory Sysoev / Sputnik / Kremlin',
    );
  });

  it('renders the image with alt text and dimensions when the photo has a file', () => {
    const view = articleView({}, { ...photo, file: 'abc.jpg', width: 1600, height: 1000 });
    const img = render(view).root.querySelector('figure.lead img');
    expect(img?.getAttribute('src')).toBe('/media/abc.jpg');
    expect(img?.getAttribute('alt')).toBe('A hall at dusk.');
    expect([img?.getAttribute('width'), img?.getAttribute('height')]).toEqual(['1600', '1000']);
  });

  it('renders an attributed quote with its speaker and cited source', () => {
    const quote = render().root.querySelector('.article-body figure.quote');
    expect(quote?.querySelector('blockquote')?.text).toBe('We were told it was impossible.');
    expect(quote?.querySelector('figcaption')?.text).toBe('— Irena Vass, TASS');
    expect(quote?.querySelector('cite a')?.getAttribute('href')).toBe('https://tass.example/1');
  });

  it('offers share links with no script, each carrying the article URL', () => {
    const share = render().root.querySelector('section.share');
    const encoded = encodeURIComponent('https://gazette.example/news/politics/council-votes');
    const hrefs = share?.querySelectorAll('a').map((a) => a.getAttribute('href') ?? '') ?? [];
    for (const prefix of [
      'https://t.me/',
      'https://x.com/',
      'https://www.facebook.com/',
      'https://vk.com/',
      'https://wa.me/',
      'mailto:',
    ]) {
      const href = hrefs.find((candidate) => candidate.startsWith(prefix));
      expect(href, prefix).toBeDefined();
      expect(href).toContain(encoded);
    }
    expect(share?.querySelector('[data-copy-link]')?.getAttribute('href')).toBe(
      'https://gazette.example/news/politics/council-votes',
    );
    expect(share?.querySelector('[data-print]')?.getAttribute('href')).toBe(
      '/news/politics/council-votes?print',
    );
    expect(
      render().root.querySelectorAll('script:not([src]):not([type="application/ld+json"])'),
    ).toHaveLength(0);
  });

  it('carries the article URL for print, and applies the print stylesheet on screen in the print view', () => {
    expect(render().root.querySelector('.print-url')?.text).toBe(
      'This article: https://gazette.example/news/politics/council-votes',
    );
    const media = (isPrintView: boolean) =>
      render(articleView(), isPrintView)
        .root.querySelector(`link[href="${assets.printStylesheet}"]`)
        ?.getAttribute('media');
    expect(media(false)).toBe('print');
    expect(media(true)).toBe('all');
  });

  it('links the masthead line and the legal pages in the footer', () => {
    const links = render().root.querySelectorAll('footer a');
    expect(links.map((a) => [a.text, a.getAttribute('href')])).toEqual([
      ['Editor in chief — Mira Castell', '/masthead'],
      ['Terms of use', '/terms-of-use'],
      ['Privacy policy', '/privacy-policy'],
      ['Corrections', '/corrections'],
      ['Contact us safely', '/contact'],
    ]);
  });

  it('lists the topics after the body each linking to its topic page, under a labelled heading', () => {
    const view = {
      ...articleView(),
      tags: [
        { name: 'Local elections', slug: 'local-elections' },
        { name: 'Budget', slug: 'budget' },
      ],
    };
    const section = render(view).root.querySelector('section.article-tags');
    const heading = section?.querySelector('h2');
    expect(heading?.text).toBe('Topics');
    expect(section?.getAttribute('aria-labelledby')).toBe(heading?.getAttribute('id'));
    expect(section?.querySelectorAll('ul.tags li').map((li) => li.text)).toEqual([
      'Local elections',
      'Budget',
    ]);
    expect(section?.querySelectorAll('a').map((a) => a.getAttribute('href'))).toEqual([
      '/tags/local-elections',
      '/tags/budget',
    ]);
    expect(section?.previousElementSibling?.classList.contains('article-body')).toBe(true);
  });

  it('shows no topics line for an article without tags', () => {
    expect(render().root.querySelector('.article-tags')).toBeNull();
  });

  it('speaks Russian around a Russian article', () => {
    const { root } = render(articleView({ language: 'ru', title: 'Заголовок' }));
    expect(root.querySelector('html')?.getAttribute('lang')).toBe('ru');
    expect(root.querySelector('.credit')?.text).toBe(
      'Фото: EPA / Grigory Sysoev / Sputnik / Kremlin',
    );
    expect(root.querySelector('.byline')?.text).toBe('Автор: Ada Lindqvist');
    expect(root.querySelector('time')?.text).toBe('15 февраля 2026 г. в 12:00 UTC');
    expect(root.querySelector('[data-print]')?.text).toBe('Печать');
    expect(root.querySelector('.skip-link')?.text).toBe('Перейти к содержанию');
    const tagged = render({
      ...articleView({ language: 'ru' }),
      tags: [{ name: 'Выборы', slug: 'vybory' }],
    }).root;
    expect(tagged.querySelector('#tags-heading')?.text).toBe('Темы');
  });
});

describe('ArticlePage body images and embeds', () => {
  it('shows a body image with its library caption and credit, and an embed as a facade', () => {
    const view = articleView();
    view.article.body = {
      type: 'doc',
      content: [
        {
          type: 'image',
          attrs: { mediaId: 9, src: null, alt: 'stale', caption: 'stale', credit: 'stale' },
        },
        {
          type: 'embed',
          attrs: { url: 'https://www.youtube.com/watch?v=abc', title: 'The full speech' },
        },
      ],
    };
    view.bodyMedia = [
      {
        ...photo,
        id: 9,
        file: 'abcdefabcdefabcdefabcdefabcdefab.jpg',
        width: 800,
        height: 500,
        alt: 'Fresh alt',
      },
    ];
    const root = render(view).root;
    const figure = root.querySelector('.article-body figure.image');
    expect(figure?.querySelector('img')?.getAttribute('src')).toBe(
      '/media/abcdefabcdefabcdefabcdefabcdefab.jpg',
    );
    expect(figure?.querySelector('img')?.getAttribute('alt')).toBe('Fresh alt');
    // Body pictures get the same responsive renditions as the lead, loaded lazily.
    expect(figure?.querySelector('source[type="image/avif"]')?.getAttribute('srcset')).toBe(
      '/media/abcdefabcdefabcdefabcdefabcdefab-320.avif 320w, /media/abcdefabcdefabcdefabcdefabcdefab-640.avif 640w',
    );
    expect(figure?.querySelector('img')?.getAttribute('loading')).toBe('lazy');
    expect(figure?.querySelector('img')?.getAttribute('width')).toBe('800');
    expect(figure?.querySelector('.credit')?.text).toBe(
      'Photo: EPA / Grigory Sysoev / Sputnik / Kremlin',
    );
    // An embed is a facade linking to the item (site/embed-facade.test.ts has the rest).
    const embed = root.querySelector('.article-body figure.embed a');
    expect(embed?.querySelector('.embed-title')?.text).toBe('The full speech');
    expect(embed?.getAttribute('href')).toBe('https://www.youtube.com/watch?v=abc');
    expect(
      root.querySelectorAll('iframe, script:not([src]):not([type="application/ld+json"])'),
    ).toHaveLength(0);
  });
});

describe('the lead photo', () => {
  it('loads at once, with sizes for the article column, while body pictures wait', () => {
    const view = articleView(
      {},
      { ...photo, file: 'abcdefabcdefabcdefabcdefabcdefab.jpg', width: 1600, height: 1000 },
    );
    const img = render(view).root.querySelector('figure.lead img');
    expect(img?.getAttribute('loading')).toBe('eager');
    expect(img?.getAttribute('fetchpriority')).toBe('high');
    expect(img?.getAttribute('sizes')).toBe('(min-width: 42rem) 40rem, calc(100vw - 2rem)');
    expect([img?.getAttribute('width'), img?.getAttribute('height')]).toEqual(['1600', '1000']);
  });
});

describe('an embed on a Russian article', () => {
  it('is labelled in Russian', () => {
    const view = articleView({ language: 'ru' });
    view.article.body = {
      type: 'doc',
      content: [
        { type: 'embed', attrs: { url: 'https://www.youtube.com/watch?v=abc', title: 'Речь' } },
      ],
    };
    // No 11-character video id: nothing to play here, so a link to open.
    expect(render(view).root.querySelector('figure.embed .embed-action')?.text).toBe(
      'Открыть: YouTube',
    );
  });
});

describe('a body image with nothing to show', () => {
  it('still renders a complete figure, never an empty self-closing one', () => {
    const view = articleView();
    view.article.body = {
      type: 'doc',
      content: [
        { type: 'image', attrs: { mediaId: 5 } },
        { type: 'paragraph', content: [{ type: 'text', text: 'After.' }] },
      ],
    };
    view.bodyMedia = [
      { ...photo, id: 5, file: null, caption: '', credit: [], alt: 'A lost photo' },
    ];
    const { html, root } = render(view);
    expect(html).toContain(
      '<figure class="image"><figcaption>A lost photo</figcaption></figure><p>After.</p>',
    );
    expect(root.querySelector('.article-body > p')?.text).toBe('After.');
  });
});

describe('the lead photo preload', () => {
  it('asks for the AVIF rendition the picture will use, before the stylesheet', () => {
    const view = articleView(
      {},
      { ...photo, file: 'abcdefabcdefabcdefabcdefabcdefab.jpg', width: 1600, height: 1000 },
    );
    const { html, root } = render(view);
    const preload = root.querySelector('link[rel=preload][as=image]');
    expect(preload?.getAttribute('type')).toBe('image/avif');
    expect(preload?.getAttribute('imagesrcset')).toContain(
      '/media/abcdefabcdefabcdefabcdefabcdefab-640.avif 640w',
    );
    expect(preload?.getAttribute('fetchpriority')).toBe('high');
    expect(html.indexOf('rel="preload"')).toBeLessThan(html.indexOf('rel="stylesheet"'));
  });

  it('is absent when the photo has no file', () => {
    expect(render().root.querySelector('link[rel=preload]')).toBeNull();
  });
});

describe('the JSON-LD', () => {
  it('is one script element whose text cannot close it early, with the credited photo', () => {
    const view = articleView(
      {},
      { ...photo, file: 'abcdefabcdefabcdefabcdefabcdefab.jpg', width: 1600, height: 1000 },
    );
    const { html, root } = render(view);
    const scripts = root.querySelectorAll('script[type="application/ld+json"]');
    expect(scripts).toHaveLength(1);
    // The headline holds "<to>": escaped inside the script, restored by JSON.parse.
    expect(html).not.toContain('"Council votes <to>');
    const data = JSON.parse(scripts[0]?.textContent ?? '');
    expect(data['@graph'][0].headline).toBe('Council votes <to> publish “every” contract');
    expect(data['@graph'][0].image[0]).toMatchObject({
      '@type': 'ImageObject',
      creditText: 'EPA / Grigory Sysoev / Sputnik / Kremlin',
      creator: { '@type': 'Person', name: 'Grigory Sysoev' },
    });
  });
});

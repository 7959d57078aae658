import { describe, expect, it } from 'vitest';
import { rewritePage } from './rewrite-links.js';

// A mirror is served without the site's CSP, often over plain http or from
// files: a link that looks site-relative but opens another site must not
// survive into it, whatever the page held.

describe('rewritePage', () => {
  it.each([
    '/\\evil.example/',
    '/&#9;/evil.example/',
    '/&#10;/evil.example/',
    '//evil.example/',
    'https:evil.example',
    'java&#9;script:alert(1)',
  ])('drops a link to %j', (href) => {
    const { html, links } = rewritePage(
      `<div><a href="${href}">x</a><img src="${href}"><form action="${href}"></form></div>`,
      'news/story/index.html',
    );
    expect(html).toBe('<div><a>x</a><img><form></form></div>');
    expect(links).toEqual([]);
  });

  it('drops a srcset candidate that leads off the site', () => {
    const { html } = rewritePage(
      '<img srcset="/\\evil.example/a.jpg 2x, //evil.example/b.jpg 3x, /media/a.jpg 1x">',
      'news/story/index.html',
    );
    expect(html).toBe('<img srcset="../../media/a.jpg 1x">');
  });

  it('makes site links relative as the browser reads them, and keeps web, mail and same-page links', () => {
    const { html, links } = rewritePage(
      '<a href="/news/&#9;politics">a</a><a href="https://news.example/">b</a><a href="mailto:desk@news.example">c</a><a href="?print">d</a><a href="#main">e</a><a href="/%5Cevil.example">f</a>',
      'news/story/index.html',
    );
    expect(html).toBe(
      '<a href="../politics/index.html">a</a><a href="https://news.example/">b</a><a href="mailto:desk@news.example">c</a><a href="?print">d</a><a href="#main">e</a><a href="/%5Cevil.example">f</a>',
    );
    expect(links).toEqual(['/news/politics']);
  });
});

import { describe, expect, it } from 'vitest';
import { sanitizeArchivedHtml } from './archived-html.js';
import { link, paragraph, parseDoc, quote, text } from './document.js';
import { browserHref, isSafeHref, readLink, safeHref } from './links.js';

// Links are judged as a browser follows them (WHATWG URL), not by their first
// characters: each of these starts like a site-relative link, or hides its
// scheme, and opens another site or runs script in a browser.
const OFF_SITE = [
  '/\\evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '/\r\n/evil.example/',
  '\\\\evil.example/',
  '\\/evil.example/',
  '//evil.example',
  '//evil.example/path',
  ' //evil.example',
  'https:evil.example',
  'http:evil.example',
  'https:/evil.example',
];
const SCRIPT = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  '\tjavascript:alert(1)',
  ' javascript:alert(1)',
  '\u0001javascript:alert(1)',
  'javascript&colon;alert(1)',
  '&#106;avascript:alert(1)',
  '&#x6A;avascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
];

describe('readLink', () => {
  it.each(OFF_SITE)('refuses %j: it leads off the site, or depends on the page', (href) => {
    expect(readLink(href)).toBeNull();
    expect(isSafeHref(href)).toBe(false);
  });

  it.each(SCRIPT)('refuses %j: not a web or mail link once read as a browser does', (href) => {
    expect(isSafeHref(href)).toBe(false);
  });

  it('reads tabs and newlines away, and trims controls and spaces, as a browser does', () => {
    expect(browserHref(' \t/news/\npolitics\r\n ')).toBe('/news/politics');
    expect(browserHref('\u0000https://example.org/a b\u001f')).toBe('https://example.org/a b');
    expect(safeHref('https://exa\tmple.org/\nreport')).toBe('https://example.org/report');
  });

  it('keeps what stays on the site', () => {
    expect(readLink('/news/politics')).toEqual({ kind: 'site', href: '/news/politics' });
    expect(readLink('#notes')).toEqual({ kind: 'site', href: '#notes' });
    expect(readLink('?print')).toEqual({ kind: 'site', href: '?print' });
    // A percent-encoded backslash is a path character to a browser, not a slash.
    expect(readLink('/%5Cevil.example')).toEqual({ kind: 'site', href: '/%5Cevil.example' });
    expect(readLink('/%2F%2Fevil.example')).toEqual({
      kind: 'site',
      href: '/%2F%2Fevil.example',
    });
  });

  it('keeps web and mail links for what they are', () => {
    expect(readLink('https://example.org/a?b=c#d')?.kind).toBe('web');
    expect(readLink('HTTP://Example.org')?.kind).toBe('web');
    expect(readLink('mailto:desk@example.org')?.kind).toBe('mail');
    // Backslashes after the scheme read as slashes on any page: plainly another site.
    expect(readLink('http:\\\\evil.example')?.kind).toBe('web');
    // An old import's broken host names another site all the same: documents stored with one still load.
    expect(readLink('http://exa mple.org/x')).toEqual({
      kind: 'web',
      href: 'http://exa mple.org/x',
    });
  });

  it('keeps in documents only root-relative paths and fragments of the site kind', () => {
    expect(safeHref('/news')).toBe('/news');
    expect(safeHref('#top')).toBe('#top');
    expect(safeHref('?page=2')).toBeNull();
    expect(safeHref('../news')).toBeNull();
    expect(safeHref('news/politics')).toBeNull();
    expect(safeHref('')).toBeNull();
    expect(safeHref('  ')).toBeNull();
  });
});

describe('documents', () => {
  it.each([...OFF_SITE, ...SCRIPT])('refuse a link or a quote source to %j', (href) => {
    const linked = { type: 'doc', content: [paragraph(text('x', [link(href)]))] };
    expect(() => parseDoc(linked)).toThrow(/http\(s\), mailto or site-relative/);
    const quoted = { type: 'doc', content: [quote(['Words.'], { speaker: 'A', sourceUrl: href })] };
    expect(() => parseDoc(quoted)).toThrow(/http\(s\), mailto or site-relative/);
  });

  it('store a link as the browser reads it', () => {
    const doc = { type: 'doc', content: [paragraph(text('x', [link(' /news/\tpolitics\n')]))] };
    expect(parseDoc(doc)).toEqual({
      type: 'doc',
      content: [paragraph(text('x', [link('/news/politics')]))],
    });
  });
});

describe('kept HTML', () => {
  it.each([
    ...OFF_SITE,
    ...SCRIPT,
    '&#x2F;&#x5C;evil.example/',
    '/&#9;/evil.example/',
    '/&Tab;/evil.example/',
    'jav&#x09;ascript:alert(1)',
    'java&NewLine;script:alert(1)',
  ])('drops the link to %j and keeps its text', (href) => {
    const escaped = href.replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const kept = sanitizeArchivedHtml(`<p><a href="${escaped}">the results</a></p>`);
    expect(kept).toBe('<p><a>the results</a></p>');
  });

  it('keeps web, mail and root-relative links, as the browser reads them', () => {
    expect(
      sanitizeArchivedHtml(
        '<a href="https://results.example/">r</a><a href="mailto:desk@example.org">m</a><a href="/news/&#9;x">n</a>',
      ),
    ).toBe(
      '<a href="https://results.example/">r</a><a href="mailto:desk@example.org">m</a><a href="/news/x">n</a>',
    );
  });

  it('rewrites only the links it keeps', () => {
    const absolute = (href: string) => `https://news.example${href}`;
    expect(
      sanitizeArchivedHtml('<a href="/a">a</a><a href="/\\evil.example/">b</a>', absolute),
    ).toBe('<a href="https://news.example/a">a</a><a>b</a>');
  });
});

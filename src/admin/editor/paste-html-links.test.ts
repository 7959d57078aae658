import { describe, expect, it } from 'vitest';
import { cleanPastedHtml } from './paste-html.js';

// A paste keeps only links that lead somewhere from here (the web, a mail
// address), read as the browser reads them: `/<TAB>/x` is `//x`.

describe('links in pasted HTML', () => {
  it.each([
    '/\\evil.example/',
    '/&#9;/evil.example/',
    '/&#10;/evil.example/',
    '//evil.example/',
    'https:evil.example',
    'ht&#9;tps:evil.example',
    '/news/politics',
    'java&#9;script:alert(1)',
    'javascript&colon;alert(1)',
  ])('keeps the text of a link to %j, not the link', (href) => {
    expect(cleanPastedHtml(`<p>Read <a href="${href}">the audit</a>.</p>`)).toBe(
      '<p>Read the audit.</p>',
    );
  });

  it('keeps web and mail links as the browser reads them', () => {
    expect(
      cleanPastedHtml(
        '<p><a href="https://example.org/&#9;audit">audit</a> <a href="mailto:desk@example.org">desk</a></p>',
      ),
    ).toBe(
      '<p><a href="https://example.org/audit">audit</a> <a href="mailto:desk@example.org">desk</a></p>',
    );
  });
});

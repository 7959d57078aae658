import { describe, expect, it } from 'vitest';
import type { DocNode } from '../core/document.js';
import { htmlToDoc } from './html-to-doc.js';

// Imported posts keep only the links a browser would follow to the web, to a
// mail address or within the site: read as the browser reads them, after the
// HTML parser has decoded entities such as &#9; (a tab) and &colon;.

function linksOf(node: DocNode): string[] {
  const own = (node.marks ?? []).flatMap((mark) =>
    mark.type === 'link' ? [String(mark.attrs?.href)] : [],
  );
  return [...own, ...(node.content ?? []).flatMap(linksOf)];
}

function convert(href: string) {
  const { doc, notes } = htmlToDoc(`<p>See <a href="${href}">the results</a>.</p>`, {
    autoParagraphs: false,
  });
  return { links: linksOf({ type: 'doc', content: doc.content }), doc, notes };
}

describe('links in imported HTML', () => {
  it.each([
    '/\\evil.example/',
    '/&#9;/evil.example/',
    '/&#x0A;/evil.example/',
    '/&NewLine;/evil.example/',
    '//evil.example',
    '\\\\evil.example',
    'https:evil.example',
    'javascript:alert(1)',
    'java&#9;script:alert(1)',
    '&#106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    '&#x20;javascript:alert(1)',
  ])('keep the text of a link to %j, not the link', (href) => {
    const { links, doc, notes } = convert(href);
    expect(links).toEqual([]);
    expect(JSON.stringify(doc)).toContain('the results');
    expect([...notes.keys()]).toContain('link with an unsafe or unknown address (kept as text)');
  });

  it('keep a link as the browser reads it', () => {
    expect(convert('https://results.example/\n2024').links).toEqual([
      'https://results.example/2024',
    ]);
    expect(convert(' /news/&#9;politics ').links).toEqual(['/news/politics']);
    expect(convert('/%5Cevil.example').links).toEqual(['/%5Cevil.example']);
  });
});

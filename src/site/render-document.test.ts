import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import { describe, expect, it } from 'vitest';
import type { Doc } from '../core/document.js';
import { documentExtensions } from '../core/document-extensions.js';
import { renderDocument } from './render-document.js';

// renderDocument does the library's renderToHTMLString steps once instead of
// on every call. This guard renders the same documents both ways, so a new
// Tiptap version that renders differently fails here rather than on readers.

const text = (value: string, marks?: { type: string; attrs?: Record<string, unknown> }[]) => ({
  type: 'text',
  text: value,
  ...(marks ? { marks } : {}),
});

const EVERY_NODE: Doc = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [text('A heading & more')] },
    {
      type: 'paragraph',
      content: [
        text('Plain, '),
        text('bold', [{ type: 'bold' }]),
        text(' and '),
        text('italic <b>', [{ type: 'italic' }]),
        { type: 'hardBreak' },
        text('a link', [{ type: 'link', attrs: { href: '/news/politics/story' } }]),
        text(' and '),
        text('both', [
          { type: 'bold' },
          { type: 'link', attrs: { href: 'https://example.org/"x"' } },
        ]),
      ],
    },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [text('one')] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [text('two')] }] },
      ],
    },
    {
      type: 'orderedList',
      attrs: { start: 3 },
      content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('three')] }] }],
    },
    { type: 'blockquote', content: [{ type: 'paragraph', content: [text('Quoted')] }] },
    { type: 'horizontalRule' },
    {
      type: 'quote',
      attrs: { speaker: 'Liis Tamm', source: 'an interview', sourceUrl: 'https://example.org/i' },
      content: [{ type: 'paragraph', content: [text('We found out from a door.')] }],
    },
    {
      type: 'image',
      attrs: { mediaId: 7, alt: 'Boats', caption: 'The harbour', credit: 'Lantern Wire' },
    },
    {
      type: 'image',
      attrs: { mediaId: 8, alt: 'Nets', caption: 'Library words', storyCaption: 'Our words' },
    },
    {
      type: 'gallery',
      attrs: {
        photos: [
          { mediaId: 9, src: '/media/a.jpg' },
          { mediaId: 10, src: '/media/b.jpg' },
          { mediaId: 11, src: '/media/c.jpg' },
        ],
        caption: 'The night <count>',
      },
    },
    { type: 'embed', attrs: { url: 'https://www.youtube.com/watch?v=abc', title: 'A film' } },
    { type: 'embed', attrs: { url: 'https://unknown.example/x', title: '' } },
    { type: 'html', attrs: { html: '<table><tr><td>kept</td></tr></table><script>x</script>' } },
    { type: 'paragraph' },
  ],
} as Doc;

describe('renderDocument', () => {
  it('renders every node and mark the way the library renders them', () => {
    // Embeds and kept HTML are Masthead's own renderings on any path; the
    // rest (pictures too, when no renderImage is given) come from the schema.
    const ours = renderDocument(withoutCustomNodes(EVERY_NODE), { language: 'en' });
    const theirs = renderToHTMLString({
      extensions: documentExtensions,
      content: withoutCustomNodes(EVERY_NODE),
    });
    expect(ours).toBe(theirs);
    expect(ours).toContain('<h2>A heading &amp; more</h2>');
    expect(ours).toContain('<a href="/news/politics/story">a link</a>');
    expect(ours).toContain('<ol start="3">');
  });

  it('keeps Masthead’s own renderings: embeds, kept HTML, pictures and rewritten links', () => {
    const html = renderDocument(EVERY_NODE, {
      language: 'en',
      // Photo 11 is gone from the library: its place in the gallery closes up.
      renderImage: (id, storyCaption) =>
        id === 11 ? '' : `<img data-media="${id}" data-story-caption="${storyCaption}">`,
      rewriteHref: (href) => (href.startsWith('/') ? `https://news.example${href}` : href),
    });
    expect(html).toContain('<img data-media="7" data-story-caption="">');
    expect(html).toContain('<img data-media="8" data-story-caption="Our words">');
    expect(html).toContain(
      '<figure class="gallery"><div class="gallery-photos"><img data-media="9" data-story-caption=""><img data-media="10" data-story-caption=""></div><figcaption class="gallery-caption">The night &lt;count&gt;</figcaption></figure>',
    );
    expect(html).toContain('<a href="https://news.example/news/politics/story">a link</a>');
    expect(html).toContain('<figure class="embed"><a href="https://www.youtube.com/watch?v=abc"');
    expect(html).toContain('<a href="#" class="embed-link">');
    expect(html).toContain('<div class="imported-html"><table>');
    expect(html).not.toContain('<script');
  });

  it('leaves nothing of a gallery whose photos are all gone', () => {
    const html = renderDocument(
      {
        type: 'doc',
        content: [
          {
            type: 'gallery',
            attrs: { photos: [{ mediaId: 9, src: '/media/a.jpg' }], caption: 'x' },
          },
        ],
      } as Doc,
      { language: 'en', renderImage: () => '' },
    );
    expect(html).toBe('');
  });
});

/** The document without the nodes renderDocument always renders itself (embed, html). */
function withoutCustomNodes(doc: Doc): Doc {
  return {
    ...doc,
    content: doc.content.filter((node) => !['embed', 'html'].includes(node.type)),
  };
}

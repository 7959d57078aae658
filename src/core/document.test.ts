import { getSchema } from '@tiptap/core';
import type { TagParseRule } from '@tiptap/pm/model';
import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  articleCaptions,
  articleMediaIds,
  bodyMediaIds,
  type Doc,
  type DocNode,
  docFromParagraphs,
  embedThumbnailIds,
  imageMediaIds,
  link,
  paragraph,
  parseDoc,
  plainText,
  quote,
  text,
  withoutTrailingEmptyLine,
  withTrailingEmptyLine,
} from './document.js';
import { canonicalDoc, documentExtensions } from './document-extensions.js';

describe('parseDoc', () => {
  it('accepts the documents the builders make', () => {
    const doc = {
      type: 'doc',
      content: [
        paragraph('See ', text('the minutes', [link('https://example.org/m')])),
        quote(['Words.'], { speaker: 'A. B.' }),
      ],
    };
    expect(parseDoc(doc)).toEqual(doc);
  });

  it('refuses a javascript: link', () => {
    const doc = { type: 'doc', content: [paragraph(text('x', [link('javascript:alert(1)')]))] };
    expect(() => parseDoc(doc)).toThrow(/http\(s\), mailto or site-relative/);
  });

  it('refuses node types the renderer does not know', () => {
    expect(() => parseDoc({ type: 'doc', content: [{ type: 'iframe' }] })).toThrow();
  });

  it('refuses empty text nodes (ProseMirror cannot hold them)', () => {
    expect(() =>
      parseDoc({
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
      }),
    ).toThrow();
  });
});

describe('withoutTrailingEmptyLine', () => {
  const image: DocNode = { type: 'image', attrs: { mediaId: 3 } };
  const empty: DocNode = { type: 'paragraph' };
  const line = paragraph('After.');
  it('drops the empty line an editor keeps after a last picture, and nothing else', () => {
    expect(withoutTrailingEmptyLine({ type: 'doc', content: [image, empty] }).content).toEqual([
      image,
    ]);
    expect(withoutTrailingEmptyLine({ type: 'doc', content: [image, line] }).content).toEqual([
      image,
      line,
    ]);
    // An empty line after a paragraph is the writer's; an empty text stays a paragraph.
    expect(withoutTrailingEmptyLine({ type: 'doc', content: [line, empty] }).content).toEqual([
      line,
      empty,
    ]);
    expect(withoutTrailingEmptyLine({ type: 'doc', content: [empty] }).content).toEqual([empty]);
    // Two editors that each added one.
    expect(
      withoutTrailingEmptyLine({ type: 'doc', content: [line, image, empty, empty] }).content,
    ).toEqual([line, image]);
  });

  it('is undone by withTrailingEmptyLine, the form a shared text keeps', () => {
    expect(withTrailingEmptyLine({ type: 'doc', content: [line, image] }).content).toEqual([
      line,
      image,
      empty,
    ]);
    expect(withTrailingEmptyLine({ type: 'doc', content: [image, line] }).content).toEqual([
      image,
      line,
    ]);
  });

  it('leaves the editor’s empty line out of comparisons of two texts', () => {
    const stored: Doc = { type: 'doc', content: [line, image] };
    expect(canonicalDoc(withTrailingEmptyLine(stored))).toEqual(canonicalDoc(stored));
    expect(canonicalDoc({ type: 'doc', content: [line, image, line] })).not.toEqual(
      canonicalDoc(stored),
    );
  });
});

describe('plainText', () => {
  it('joins blocks with newlines and inline text without separators', () => {
    const doc = docFromParagraphs(['One “two”.', 'Three.']);
    expect(plainText(doc)).toBe('One “two”.\nThree.');
  });
});

describe('images and embeds', () => {
  const image = {
    type: 'image',
    attrs: { mediaId: 7, src: '/media/0123456789abcdef0123456789abcdef.jpg', alt: 'A' },
  };

  it('accepts an image from the library and an allow-listed embed, filling defaults', () => {
    const doc = parseDoc({
      type: 'doc',
      content: [image, { type: 'embed', attrs: { url: 'https://youtu.be/x' } }],
    });
    expect(doc.content[0]?.attrs).toEqual({
      mediaId: 7,
      src: '/media/0123456789abcdef0123456789abcdef.jpg',
      alt: 'A',
      caption: '',
      storyCaption: '',
      credit: '',
      width: null,
      height: null,
      href: null,
    });
    expect(doc.content[1]?.attrs).toEqual({
      url: 'https://youtu.be/x',
      title: '',
      thumbnailMediaId: null,
      thumbnailSrc: null,
    });
  });

  it('keeps an embed’s thumbnail by media id, and refuses one that is no library photo', () => {
    const embed = (attrs: Record<string, unknown>) =>
      parseDoc({
        type: 'doc',
        content: [{ type: 'embed', attrs: { url: 'https://youtu.be/dQw4w9WgXcQ', ...attrs } }],
      });
    const doc = embed({
      thumbnailMediaId: 12,
      thumbnailSrc: '/media/0123456789abcdef0123456789abcdef.jpg',
      onload: 'x',
    });
    expect(doc.content[0]?.attrs).toEqual({
      url: 'https://youtu.be/dQw4w9WgXcQ',
      title: '',
      thumbnailMediaId: 12,
      thumbnailSrc: '/media/0123456789abcdef0123456789abcdef.jpg',
    });
    expect(() => embed({ thumbnailMediaId: 0 })).toThrow();
    expect(() => embed({ thumbnailMediaId: '12' })).toThrow();
    expect(() => embed({ thumbnailMediaId: 1.5 })).toThrow();
    // The provider's own picture address never reaches a stored document.
    expect(() =>
      embed({ thumbnailSrc: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg' }),
    ).toThrow();
  });

  it('lists embeds’ thumbnails among the media a body shows, after its pictures', () => {
    const doc = parseDoc({
      type: 'doc',
      content: [
        { type: 'embed', attrs: { url: 'https://youtu.be/dQw4w9WgXcQ', thumbnailMediaId: 12 } },
        image,
        { type: 'embed', attrs: { url: 'https://t.me/channel/5' } },
      ],
    });
    expect(embedThumbnailIds(doc)).toEqual([12]);
    expect(imageMediaIds(doc)).toEqual([7]);
    expect(bodyMediaIds(doc)).toEqual([7, 12]);
    expect(articleMediaIds({ leadMediaId: 3, body: doc })).toEqual([3, 7, 12]);
  });

  it('refuses an image pointing outside the media library and an embed from elsewhere', () => {
    expect(() =>
      parseDoc({
        type: 'doc',
        content: [{ type: 'image', attrs: { mediaId: 7, src: 'https://tracker.example/p.gif' } }],
      }),
    ).toThrow();
    expect(() =>
      parseDoc({
        type: 'doc',
        content: [{ type: 'embed', attrs: { url: 'https://tracker.example/' } }],
      }),
    ).toThrow(/embeds come only from/);
  });

  it('keeps the link a picture leads to, and refuses a javascript: one', () => {
    const linked = (href: string) =>
      parseDoc({ type: 'doc', content: [{ type: 'image', attrs: { mediaId: 7, href } }] });
    expect(linked('https://example.org/story').content[0]?.attrs?.href).toBe(
      'https://example.org/story',
    );
    expect(() => linked('javascript:alert(1)')).toThrow(/a link needs/);
  });

  it('lists the library pictures a document shows, in order', () => {
    const doc = parseDoc({
      type: 'doc',
      content: [image, { ...image, attrs: { ...image.attrs, mediaId: 8 } }],
    });
    expect(imageMediaIds(doc)).toEqual([7, 8]);
  });

  const photo = (mediaId: number) => ({
    mediaId,
    src: `/media/${String(mediaId).padStart(32, '0')}.jpg`,
  });

  it('keeps a gallery of library photos with its caption and counts its photos as shown', () => {
    const doc = parseDoc({
      type: 'doc',
      content: [
        image,
        { type: 'gallery', attrs: { photos: [photo(9), photo(10)], caption: 'The count.' } },
      ],
    });
    expect(doc.content[1]?.attrs).toEqual({
      photos: [photo(9), photo(10)],
      caption: 'The count.',
    });
    expect(imageMediaIds(doc)).toEqual([7, 9, 10]);
    expect(articleCaptions(doc)).toEqual(['The count.']);
  });

  it('refuses an empty gallery, one of more than 30 photos and one with a photo from outside', () => {
    const gallery = (photos: unknown[]) => () =>
      parseDoc({ type: 'doc', content: [{ type: 'gallery', attrs: { photos } }] });
    expect(gallery([])).toThrow();
    expect(gallery(Array.from({ length: 31 }, (_, index) => photo(index + 1)))).toThrow();
    expect(gallery([{ mediaId: 3, src: 'https://tracker.example/p.gif' }])).toThrow();
  });

  it('keeps a caption written for this article apart from the library caption', () => {
    const doc = parseDoc({
      type: 'doc',
      content: [{ ...image, attrs: { ...image.attrs, storyCaption: 'Here, the night before.' } }],
    });
    expect(doc.content[0]?.attrs?.storyCaption).toBe('Here, the night before.');
    expect(articleCaptions(doc)).toEqual(['Here, the night before.']);
  });
});

describe('ordered lists', () => {
  it('keep a list that counts down, through the check, the editor schema and its HTML', () => {
    const list = {
      type: 'orderedList',
      attrs: { start: 10, reversed: true },
      content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('Ten')] }] }],
    };
    const doc = parseDoc({ type: 'doc', content: [list] });
    expect(doc.content[0]?.attrs).toEqual({ start: 10, reversed: true });
    const html = renderToHTMLString({ extensions: documentExtensions, content: doc });
    expect(html).toBe('<ol reversed="" start="10"><li><p>Ten</p></li></ol>');
    // One that counts up says nothing about it.
    const plain = parseDoc({ type: 'doc', content: [{ ...list, attrs: { start: 1 } }] });
    expect(plain.content[0]?.attrs).toEqual({ start: 1, reversed: false });
    expect(renderToHTMLString({ extensions: documentExtensions, content: plain })).toBe(
      '<ol><li><p>Ten</p></li></ol>',
    );
  });
});

describe('pictures and galleries in the editor’s HTML', () => {
  const schema = getSchema(documentExtensions);
  const src = '/media/0123456789abcdef0123456789abcdef.jpg';

  /** The node as the editor's HTML (the schema's rendering), its <figure>'s attributes. */
  function figureOf(node: object, extra: Record<string, string> = {}): Record<string, string> {
    const html = renderToHTMLString({
      extensions: documentExtensions,
      content: { type: 'doc', content: [node] },
    });
    const figure = parseDocument(html).children[0];
    if (!figure || !('attribs' in figure)) throw new Error(`no figure in ${html}`);
    return { ...figure.attribs, ...extra };
  }

  /** What the editor's parser reads from such a figure, as ProseMirror asks it (Tiptap's own rule included). */
  function parsed(type: 'image' | 'gallery', attribs: Record<string, string>) {
    const rule = schema.nodes[type]?.spec.parseDOM?.[0] as TagParseRule;
    const element = { getAttribute: (name: string) => attribs[name] ?? null } as HTMLElement;
    return rule.getAttrs?.(element) ?? false;
  }

  it('keeps every attribute of a photo from node to HTML and back', () => {
    const attrs = {
      mediaId: 7,
      src,
      alt: 'Boats “in” the <harbour>.',
      caption: 'The harbour & the quay.',
      storyCaption: 'Here, the night before.',
      credit: 'EPA / Lantern Wire',
      width: 640,
      height: 420,
      href: 'https://example.org/harbour?a=1&b=2',
    };
    const node = schema.nodeFromJSON({ type: 'image', attrs });
    expect(parsed('image', figureOf(node.toJSON()))).toEqual(node.attrs);
    expect(node.attrs).toEqual(attrs);
    // With only an id, the rest come back as their defaults.
    const bare = schema.nodeFromJSON({ type: 'image', attrs: { mediaId: 8 } });
    expect(parsed('image', figureOf(bare.toJSON()))).toEqual(bare.attrs);
  });

  it('keeps every photo of a gallery, in order, and its caption', () => {
    const attrs = {
      photos: [
        { mediaId: 9, src },
        { mediaId: 10, src: null },
        { mediaId: 11, src },
      ],
      caption: 'The night “in” pictures',
    };
    const node = schema.nodeFromJSON({ type: 'gallery', attrs });
    expect(parsed('gallery', figureOf(node.toJSON()))).toEqual(attrs);
  });

  it('takes no attribute from elsewhere on the figure, and no figure without valid data', () => {
    const node = { type: 'image', attrs: { mediaId: 7, src, alt: 'A' } };
    expect(
      parsed('image', figureOf(node, { src: 'https://tracker.example/p.gif', alt: 'B' })),
    ).toMatchObject({ src, alt: 'A' });
    expect(parsed('image', { class: 'image' })).toBe(false);
    expect(
      parsed('image', { class: 'image', 'data-media-id': '7', 'data-src': 'https://x.example/p' }),
    ).toBe(false);
    expect(parsed('gallery', { class: 'gallery', 'data-photos': 'not json' })).toBe(false);
  });
});

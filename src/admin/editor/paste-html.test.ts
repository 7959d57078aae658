import { readFileSync } from 'node:fs';
import { renderToHTMLString } from '@tiptap/static-renderer/pm/html-string';
import { describe, expect, it } from 'vitest';
import { documentExtensions } from '../../core/document-extensions.js';
import { cleanPastedHtml } from './paste-html.js';

// The same piece copied from each program (test/fixtures/paste) comes out as
// the same plain markup: headings under the headline, bold and italic where
// the writer put them and nowhere else, real lists, links, the table.

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/paste/${name}.html`, import.meta.url), 'utf8');

const head =
  '<h2>Harbour budget</h2><p>The port authority spent <strong>4.2 million</strong> on dredging, and <em>nobody</em> asked why.</p>' +
  '<h3>What the records show</h3><ul><li><p>Three contracts went to one firm</p></li><li><p>Two were never tendered</p></li></ul>' +
  '<ol><li><p>First the audit</p></li><li><p>Then the vote</p></li></ol>';
const link = '<p>Read the <a href="https://example.org/audit">audit report</a>.</p>';
const rows =
  '<tr><td><p>2024</p></td><td><p>1.9 m</p></td></tr><tr><td><p>2025</p></td><td><p>2.3 m</p></td></tr>';
// Word processors mark a table's first row bold; HTML writers make it header cells.
const boldHeader = `<table><tbody><tr><td><p><strong>Year</strong></p></td><td><p><strong>Spent</strong></p></td></tr>${rows}</tbody></table>`;
const headerCells = `<table><tbody><tr><th><p>Year</p></th><th><p>Spent</p></th></tr>${rows}</tbody></table>`;

describe('cleanPastedHtml', () => {
  it.each([
    ['google-docs', `${head}${link}${boldHeader}`],
    ['word-desktop', `${head}${link}${boldHeader}`],
    ['word-web', `${head}${link}${boldHeader}`],
    ['libreoffice', `${head}${link}${headerCells}`],
    [
      'web-page',
      `${head}<blockquote><p>Nobody asked, so we did.</p></blockquote><p>Read the <a href="https://example.org/audit">audit report</a>. Subscribe</p>${headerCells}`,
    ],
  ])('keeps only the structure and the marks of a copy from %s', (name, expected) => {
    const cleaned = cleanPastedHtml(fixture(name));
    expect(cleaned).toBe(expected);
    // Nothing a CSP would block or a reader's page should carry.
    expect(cleaned).not.toMatch(/style=|class=|<script|<img|onclick|<span|<b>/);
  });

  it('does not make everything bold inside Google Docs’ <b style="font-weight:normal"> wrapper', () => {
    expect(
      cleanPastedHtml(
        '<b style="font-weight:normal;" id="docs-internal-guid-1"><p><span style="font-weight:400">plain</span> <span style="font-weight:700">bold</span></p></b>',
      ),
    ).toBe('<p>plain <strong>bold</strong></p>');
  });

  it('nests Word’s list paragraphs by their level and leaves out the fake bullets', () => {
    const item = (level: number, marker: string, text: string) =>
      `<p class=MsoListParagraph style='mso-list:l0 level${level} lfo1'><![if !supportLists]><span style='mso-list:Ignore'>${marker}<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><![endif]>${text}</p>`;
    expect(
      cleanPastedHtml(
        item(1, '1.', 'One') +
          item(2, 'a.', 'One a') +
          item(2, 'b.', 'One b') +
          item(1, '2.', 'Two'),
      ),
    ).toBe(
      '<ol><li><p>One</p><ol><li><p>One a</p></li><li><p>One b</p></li></ol></li><li><p>Two</p></li></ol>',
    );
  });

  it('keeps only links that lead somewhere from the article', () => {
    expect(
      cleanPastedHtml(
        '<p><a href="javascript:alert(1)">a</a> <a href="/local">b</a> <a href="mailto:desk@example.org">c</a></p>',
      ),
    ).toBe('<p>a b <a href="mailto:desk@example.org">c</a></p>');
  });

  it('escapes text so that pasted words never become markup', () => {
    expect(cleanPastedHtml('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>',
    );
  });

  describe('pictures', () => {
    const src = '/media/0123456789abcdef0123456789abcdef.jpg';
    const image = {
      type: 'image',
      attrs: {
        mediaId: 7,
        src,
        alt: 'Boats in the harbour.',
        caption: 'The harbour.',
        storyCaption: 'Here, "before" the <storm>.',
        credit: 'Lantern Wire',
        width: 640,
        height: 420,
      },
    };
    const gallery = {
      type: 'gallery',
      attrs: {
        photos: [
          { mediaId: 9, src },
          { mediaId: 10, src: null },
        ],
        caption: 'The night',
      },
    };
    /** This browser's clipboard mark (clipboard-mark.ts), which the editor puts on the photos it copies. */
    const MARK = '5f0c2b7e9a1d4c3e8b6a0f1e2d3c4b5a';
    /** The clipboard of a copy in the editor: its own HTML, marked by ProseMirror and by us, as Chromium writes it. */
    const editorCopy = (content: object[], mark = MARK) =>
      `<meta charset="utf-8">${renderToHTMLString({
        extensions: documentExtensions,
        content: { type: 'doc', content },
      })
        .replace(
          /<figure class="(image|gallery)"/g,
          `<figure class="$1" data-masthead-clip="${mark}"`,
        )
        .replace('<figure', '<figure data-pm-slice="0 0 []"')}`;

    it('keeps a photo and a gallery cut or copied within the editor, with every attribute', () => {
      expect(
        cleanPastedHtml(
          editorCopy([image, { type: 'paragraph', content: [{ type: 'text', text: 'After.' }] }]),
          MARK,
        ),
      ).toBe(
        `<figure class="image" data-media-id="7" data-src="${src}" data-alt="Boats in the harbour." data-caption="The harbour." data-story-caption="Here, &quot;before&quot; the &lt;storm&gt;." data-credit="Lantern Wire" data-width="640" data-height="420"></figure><p>After.</p>`,
      );
      expect(cleanPastedHtml(editorCopy([gallery]), MARK)).toBe(
        `<figure class="gallery" data-photos="[{&quot;mediaId&quot;:9,&quot;src&quot;:&quot;${src}&quot;},{&quot;mediaId&quot;:10,&quot;src&quot;:null}]" data-caption="The night"></figure>`,
      );
    });

    it('leaves out pictures from other pages, keeping their captions as text', () => {
      const outside =
        '<figure class="image"><img src="https://news.example/p.jpg" alt="x"><figcaption>Elsewhere.</figcaption></figure><p><img src="https://tracker.example/p.gif">Text.</p>';
      expect(cleanPastedHtml(outside)).toBe('<p>Elsewhere.</p><p>Text.</p>');
    });

    it('leaves out a figure whose data is not a library photo’s', () => {
      const forged = [
        // A picture from elsewhere, dressed as one of the editor's.
        '<figure class="image" data-media-id="7" data-src="https://tracker.example/p.gif"></figure>',
        '<figure class="image" data-media-id="seven"></figure>',
        '<figure class="image" data-caption="No id."></figure>',
        '<figure class="gallery" data-photos="[{mediaId:9}"></figure>',
        '<figure class="gallery" data-photos="[]"></figure>',
        '<figure data-media-id="7"></figure>',
      ];
      for (const html of forged)
        expect(cleanPastedHtml(`${html}<p>Kept.</p>`, MARK)).toBe('<p>Kept.</p>');
    });

    it('leaves out a well-formed figure another page wrote, without this browser’s mark', () => {
      // Hidden in a copied paragraph, it would put library photo 3 in the
      // article with a caption of the page's choosing.
      const planted =
        '<p>The mayor said…</p><figure class="image" data-media-id="3" data-story-caption="The mayor, arrested on Monday"></figure>';
      expect(cleanPastedHtml(planted, MARK)).toBe('<p>The mayor said…</p>');
      expect(
        cleanPastedHtml(
          planted.replace('<figure ', `<figure data-masthead-clip="${'0'.repeat(32)}" `),
          MARK,
        ),
      ).toBe('<p>The mayor said…</p>');
      // Copied from another browser's editor (another newsroom, where id 7 is
      // another photo): its caption comes as text, as from any page.
      const asText = '<p>Here, "before" the &lt;storm&gt;. Lantern Wire</p>';
      expect(cleanPastedHtml(editorCopy([image], 'another-browsers-mark'), MARK)).toBe(asText);
      // Nor with no mark to compare against.
      expect(cleanPastedHtml(editorCopy([image]))).toBe(asText);
    });
  });
});

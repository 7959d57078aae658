import { describe, expect, it } from 'vitest';
import { plainText } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { renderDocument } from '../site/render-document.js';
import { bindImages, type ConvertOptions, htmlToDoc, MAX_NESTING } from './html-to-doc.js';
import { expandShortcodes, parseShortcodeAttributes } from './shortcodes.js';

const blocks = { autoParagraphs: false };
const classic = { autoParagraphs: true };

function html(source: string, options: ConvertOptions = blocks): string {
  const { doc } = htmlToDoc(source, options);
  return renderDocument(validateDoc(doc, 'test'), {
    language: 'en',
    renderImage: (id) => `<img data-id="${id}">`,
  });
}

describe('htmlToDoc', () => {
  it('keeps what a figure holds besides its picture, and counts a caption’s link it cannot keep', () => {
    const { doc, notes } = htmlToDoc(
      '<figure><img src="https://x.example/a.jpg" alt="A"><p>Said under the photo.</p><figcaption>By <a href="https://agency.example/">the agency</a></figcaption></figure>',
      blocks,
    );
    expect(doc.content.map((node) => node.type)).toEqual(['image', 'paragraph']);
    expect(doc.content[0]?.attrs?.storyCaption).toBe('By the agency');
    expect(JSON.stringify(doc.content[1])).toContain('Said under the photo.');
    expect(notes.get('link in a picture caption (its text kept, not the link)')).toBe(1);
  });

  it('reads brackets as text, not shortcodes, when told the HTML is not WordPress’s', () => {
    const source = '<p>Type [gallery] or [video] there; see [contact_form].</p>';
    expect(html(source, { autoParagraphs: false, shortcodes: false })).toBe(
      '<p>Type [gallery] or [video] there; see [contact_form].</p>',
    );
    expect(html(source)).not.toContain('[gallery]');
  });

  it('maps paragraphs, headings, marks, links and lists to Masthead blocks', () => {
    expect(
      html(
        '<h1>Top</h1><h2>Two</h2><p>A <strong>bold</strong> and <em>em</em> <a href="https://x.example/a">link</a>.</p><ol start="3"><li>one<ul><li>inner</li></ul></li></ol><hr/>',
      ),
    ).toBe(
      '<h2>Top</h2><h3>Two</h3><p>A <strong>bold</strong> and <em>em</em> <a href="https://x.example/a">link</a>.</p><ol start="3"><li><p>one</p><ul><li><p>inner</p></li></ul></li></ol><hr/>',
    );
  });

  it('fits headings under the title: the highest becomes level 2, and no level is skipped', () => {
    const { doc, notes } = htmlToDoc('<h3>A</h3><p>x</p><h5>B</h5><h6>C</h6><h3>D</h3>', blocks);
    expect(doc.content.filter((n) => n.type === 'heading').map((n) => n.attrs?.level)).toEqual([
      2, 3, 4, 2,
    ]);
    expect(Object.fromEntries(notes)).toEqual({
      'heading <h3> as level 2': 2,
      'heading <h5> as level 3': 1,
      'heading <h6> as level 4': 1,
    });
    expect(htmlToDoc('<h2>A</h2><h3>B</h3>', blocks).notes.size).toBe(0);
    // A lower heading first: it still follows the title directly.
    const first = htmlToDoc('<h2>A</h2><h1>B</h1><h2>C</h2><h4>D</h4>', blocks).doc.content;
    expect(first.map((n) => n.attrs?.level)).toEqual([2, 2, 3, 4]);
  });

  it('turns a table into a Masthead table: header and data cells, spans, caption, formatting', () => {
    const { doc, notes } = htmlToDoc(
      '<table class="wp-block-table"><caption>Budget by year</caption><thead><tr><th>Year</th><th>&nbsp;</th></tr></thead>' +
        '<tbody><tr><td colspan="2" style="width:40px" align="right"><b>2025</b>: <a href="https://example.org/b">4 m</a></td></tr><tr><td></td><td>x</td></tr></tbody></table>',
      blocks,
    );
    const cell = (type: string, content: unknown[], colspan = 1) => ({
      type,
      attrs: { colspan, rowspan: 1 },
      content,
    });
    const para = (...content: unknown[]) => ({ type: 'paragraph', content });
    expect(doc.content).toEqual([
      para({ type: 'text', text: 'Budget by year' }),
      {
        type: 'table',
        content: [
          {
            type: 'tableRow',
            // An empty header cell heads nothing: a plain cell.
            content: [
              cell('tableHeader', [para({ type: 'text', text: 'Year' })]),
              cell('tableCell', [{ type: 'paragraph' }]),
            ],
          },
          {
            type: 'tableRow',
            content: [
              cell(
                'tableCell',
                [
                  para(
                    { type: 'text', text: '2025', marks: [{ type: 'bold' }] },
                    { type: 'text', text: ': ' },
                    {
                      type: 'text',
                      text: '4 m',
                      marks: [{ type: 'link', attrs: { href: 'https://example.org/b' } }],
                    },
                  ),
                ],
                2,
              ),
            ],
          },
          {
            type: 'tableRow',
            content: [
              cell('tableCell', [{ type: 'paragraph' }]),
              cell('tableCell', [para({ type: 'text', text: 'x' })]),
            ],
          },
        ],
      },
    ]);
    expect(notes.size).toBe(0);
    // The editor's schema takes it as it is.
    expect(() => validateDoc(doc, 'body')).not.toThrow();
  });

  it('keeps a table the editor cannot hold (a table in a cell) as HTML, empty header cells plain', () => {
    const { doc } = htmlToDoc(
      '<table><tr><th>Name</th><th>&nbsp;</th></tr><tr><td><table><tr><td>in</td></tr></table></td></tr></table>',
      blocks,
    );
    expect(doc.content[0]?.attrs?.html).toBe(
      '<table><tr><th>Name</th><td>\u00a0</td></tr><tr><td><table><tr><td>in</td></tr></table></td></tr></table>',
    );
  });

  it('splits classic WordPress text into paragraphs at blank lines and keeps single line breaks', () => {
    expect(html('First line\nsecond line\n\nNext <b>paragraph</b>', classic)).toBe(
      '<p>First line<br/>second line</p><p>Next <strong>paragraph</strong></p>',
    );
  });

  it('turns a quote block with a <cite> into an attributed quote', () => {
    const { doc } = htmlToDoc(
      '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Words.</p><cite>A. Speaker</cite></blockquote><!-- /wp:quote -->',
      blocks,
    );
    expect(doc.content).toEqual([
      {
        type: 'quote',
        attrs: { speaker: 'A. Speaker', source: null, sourceUrl: null },
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Words.' }] }],
      },
    ]);
  });

  it('collects pictures in their place with their attachment, alt and caption, bound later to media records', () => {
    const result = htmlToDoc(
      '<figure class="wp-block-image"><img src="https://old.example/a.jpg" alt="Alt" class="wp-image-12"/><figcaption>Cap</figcaption></figure>' +
        '[caption id="attachment_7" width="300"]<img src="https://old.example/b-300x200.jpg" alt="B"> The caption[/caption]' +
        '<p>Text <img src="https://old.example/c.jpg"> more</p>',
      classic,
    );
    expect(result.images).toEqual([
      { src: 'https://old.example/a.jpg', attachmentId: 12, alt: 'Alt', caption: 'Cap' },
      {
        src: 'https://old.example/b-300x200.jpg',
        attachmentId: 7,
        alt: 'B',
        caption: 'The caption',
      },
      { src: 'https://old.example/c.jpg', attachmentId: null, alt: '', caption: '' },
    ]);
    const bound = bindImages(result.doc, [101, null, 103]);
    expect(bound.content.map((node) => [node.type, node.attrs?.mediaId ?? null])).toEqual([
      ['image', 101],
      ['paragraph', null],
      ['image', 103],
      ['paragraph', null],
    ]);
  });

  it('shows a gallery as its pictures, by ids or as the post’s attachments', () => {
    const byIds = htmlToDoc('[gallery ids="4,5"]', classic);
    expect(byIds.images.map((image) => image.attachmentId)).toEqual([4, 5]);
    const attached = htmlToDoc('<!-- wp:shortcode -->\n[gallery]\n<!-- /wp:shortcode -->', {
      ...blocks,
      galleryImages: () => [{ src: null, attachmentId: 9, alt: '', caption: '' }],
    });
    expect(attached.doc.content.map((node) => node.type)).toEqual(['image']);
    expect(attached.notes.get('[gallery] (as its pictures, one after another)')).toBe(1);
  });

  it('makes embeds of allow-listed providers (upgraded to https) and links of others', () => {
    const { doc, notes } = htmlToDoc(
      '<!-- wp:embed {"url":"http://www.youtube.com/watch?v=abc"} --><figure class="wp-block-embed"><div>http://www.youtube.com/watch?v=abc</div></figure><!-- /wp:embed -->' +
        '<!-- wp:embed {"url":"https://unknown.example/v/1"} --><figure></figure><!-- /wp:embed -->',
      blocks,
    );
    expect(doc.content[0]).toEqual({
      type: 'embed',
      attrs: { url: 'https://www.youtube.com/watch?v=abc', title: '' },
    });
    expect(doc.content[1]?.type).toBe('paragraph');
    expect(notes.get('embed from a provider Masthead does not embed (kept as a link)')).toBe(1);
    expect(htmlToDoc('https://vimeo.com/1234', classic).doc.content[0]?.type).toBe('embed');
  });

  it('keeps tables, preformatted text and custom HTML sanitized, and reports them', () => {
    const { doc, notes } = htmlToDoc(
      '<table class="x" onclick="evil()"><tr><td style="color:red" colspan="2">cell<script>alert(1)</script><img src="https://tracker.example/p.gif"></td></tr></table>' +
        '<!-- wp:html --><div><a href="javascript:alert(1)">bad</a> <iframe src="https://evil.example"></iframe><b>ok</b></div><!-- /wp:html -->',
      blocks,
    );
    expect(doc.content).toEqual([
      {
        type: 'html',
        attrs: { html: '<table><tr><td colspan="2">cell</td></tr></table>', label: 'table' },
      },
      {
        type: 'html',
        attrs: { html: '<div><a>bad</a> <b>ok</b></div>', label: 'custom HTML block' },
      },
    ]);
    expect(Object.fromEntries(notes)).toEqual({
      'kept as HTML: table': 1,
      'kept as HTML: custom HTML block': 1,
      '<script> inside kept HTML (left out)': 1,
      '<iframe> inside kept HTML (left out)': 1,
      'picture inside kept HTML (left out: it would load from the old site)': 1,
    });
  });

  it('renders a stored HTML block sanitized again, whatever reached the database', () => {
    const doc = validateDoc(
      {
        type: 'doc',
        content: [{ type: 'html', attrs: { html: '<p onclick="x()">a<script>b</script></p>' } }],
      },
      'test',
    );
    expect(renderDocument(doc, { language: 'en' })).toBe(
      '<div class="imported-html"><p>a</p></div>',
    );
  });

  it('leaves out what cannot be shown and counts it, including WordPress’s dynamic blocks', () => {
    const { doc, notes } = htmlToDoc(
      '<p>Keep</p><iframe src="https://ads.example/x"></iframe><form><input></form><!-- wp:latest-posts /--><!-- wp:spacer --><div style="height:100px"></div><!-- /wp:spacer --><!--more--><!-- wp:nextpage --><!--nextpage--><!-- /wp:nextpage -->',
      blocks,
    );
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'Keep' }] }]);
    expect(Object.fromEntries(notes)).toEqual({
      '<iframe> (cannot be shown without loading another site or a script)': 1,
      '<form> (cannot be shown without loading another site or a script)': 1,
      'block wp:latest-posts (drawn by WordPress itself; not content)': 1,
      'block wp:spacer (drawn by WordPress itself; not content)': 1,
      '“more” teaser marker (not needed: the standfirst leads)': 1,
      'page break (<!--nextpage-->): the article is one page': 1,
    });
  });

  it('keeps the text of inline formatting it has no mark for, and says so', () => {
    const { doc, notes } = htmlToDoc(
      '<p>H<sub>2</sub>O and <q>quoted</q> <code>x</code></p>',
      blocks,
    );
    expect(doc.content[0]).toEqual({
      type: 'paragraph',
      content: [{ type: 'text', text: 'H2O and “quoted” x' }],
    });
    expect(notes.get('inline <sub> (its text kept, its formatting not)')).toBe(1);
  });

  it('drops unsafe links but keeps their text', () => {
    const { doc } = htmlToDoc('<p><a href="javascript:alert(1)">click</a></p>', blocks);
    expect(doc.content[0]).toEqual({
      type: 'paragraph',
      content: [{ type: 'text', text: 'click' }],
    });
  });

  it('gives an empty body one empty paragraph', () => {
    expect(htmlToDoc('', classic).doc).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });
});

describe('htmlToDoc, awkward input', () => {
  it('makes an embed of a custom-HTML block that is only an allow-listed player', () => {
    const { doc } = htmlToDoc(
      '<!-- wp:html --><div class="video"><iframe src="https://www.youtube.com/embed/abc" width="560"></iframe></div><!-- /wp:html -->',
      blocks,
    );
    expect(doc.content).toEqual([
      { type: 'embed', attrs: { url: 'https://www.youtube.com/embed/abc', title: '' } },
    ]);
  });

  it('converts the rest of a post after a block comment that never closes', () => {
    const { doc, notes } = htmlToDoc('<!-- wp:html --><p>One</p><p>Two</p>', blocks);
    expect(doc.content.map((node) => node.type)).toEqual(['paragraph', 'paragraph']);
    expect(
      notes.get('block wp:html without its closing comment (its content converted as it is)'),
    ).toBe(1);
  });

  it('keeps the text of markup nested thousands deep, dropping the deeper tags and saying so', () => {
    const flattened = `HTML nested more than ${MAX_NESTING} elements deep (the deeper tags dropped, their text kept)`;
    const divs = `${'<div>'.repeat(20_000)}x <b>bold</b>${'</div>'.repeat(20_000)}<p>After</p>`;
    const fromDivs = htmlToDoc(divs, blocks);
    expect(plainText(fromDivs.doc)).toBe('x bold\nAfter');
    expect(fromDivs.notes.get(flattened)).toBe(1);
    // Unclosed tags, as old posts pasted from word processors hold them.
    const fonts = `<p>${'<font size="2">'.repeat(4000)}Port reopens</p><p>Next</p>`;
    expect(plainText(htmlToDoc(fonts, blocks).doc)).toContain('Port reopens');
    const lists = `${'<ul><li>'.repeat(3000)}deep item${'</li></ul>'.repeat(3000)}`;
    const fromLists = htmlToDoc(lists, blocks);
    expect(plainText(fromLists.doc)).toContain('deep item');
    expect(fromLists.notes.get(flattened)).toBe(1);
    // Nested as deep as is kept, nothing is dropped.
    const kept = `${'<div>'.repeat(MAX_NESTING - 1)}<b>x</b>${'</div>'.repeat(MAX_NESTING - 1)}`;
    const fromKept = htmlToDoc(kept, blocks);
    expect(fromKept.notes.get(flattened)).toBeUndefined();
    expect(JSON.stringify(fromKept.doc)).toContain('"bold"');
  });
});

describe('shortcodes', () => {
  it('reads WordPress attribute syntax', () => {
    expect(parseShortcodeAttributes(' id="a b" width=300 align=\'left\' positional')).toEqual({
      id: 'a b',
      width: '300',
      align: 'left',
      '0': 'positional',
    });
  });

  it('expands core shortcodes, closed unknown ones, and leaves bracketed words and [[escapes]] as text', () => {
    expect(expandShortcodes('[sic] [[gallery]] [gallery ids="1"] [note]x[/note]')).toBe(
      '[sic] [gallery] <mh-shortcode name="gallery" attrs="{&quot;ids&quot;:&quot;1&quot;}"></mh-shortcode> <mh-shortcode name="note" attrs="{}">x</mh-shortcode>',
    );
  });

  it('takes a lone plugin-shaped name for a shortcode, never an editor’s brackets or an address', () => {
    const tag = (name: string, attrs = '{}') =>
      `<mh-shortcode name="${name}" attrs="${attrs.replace(/"/g, '&quot;')}"></mh-shortcode>`;
    expect(
      expandShortcodes(
        '[contact_form] [contact-form-7 id="12" title="Contact"] [wpforms id=3] [sic] [re-elected] [Contact_Form] [Update: x] [the mayor] <a href="/?a[b_c]=1">x</a>',
      ),
    ).toBe(
      `${tag('contact_form')} ${tag('contact-form-7', '{"id":"12","title":"Contact"}')} ${tag('wpforms', '{"id":"3"}')} [sic] [re-elected] [Contact_Form] [Update: x] [the mayor] <a href="/?a[b_c]=1">x</a>`,
    );
  });
});

describe('nothing lost without a report line', () => {
  const render = (source: string, options: Parameters<typeof htmlToDoc>[1] = blocks) => {
    const result = htmlToDoc(source, options);
    return {
      ...result,
      html: renderDocument(validateDoc(result.doc, 'test'), {
        language: 'en',
        renderImage: (id, storyCaption, href) =>
          `<img data-id="${id}" data-caption="${storyCaption}" data-href="${href ?? ''}">`,
      }),
    };
  };

  it('reads <![CDATA[ as a browser does: hidden up to the first ">", the text after it kept and counted', () => {
    const { html, notes } = render(
      '<p>Before <![CDATA[ hidden > shown ]]> after.</p><p>Next.</p><p>Open <![CDATA[ to the end</p><p>Last.</p>',
    );
    expect(html).toBe(
      '<p>Before shown ]]&gt; after.</p><p>Next.</p><p>Open to the end</p><p>Last.</p>',
    );
    expect(
      notes.get('“<![CDATA[” in the HTML (read as a browser does: hidden up to the first “>”)'),
    ).toBe(1);
    expect(notes.get('“<![CDATA[” marker in the HTML (left out, the text after it kept)')).toBe(1);
  });

  it('takes an old wp:core-embed block’s address without its caption, and keeps the caption after it', () => {
    const { doc, notes } = render(
      '<!-- wp:core-embed/youtube {"url":"https://www.youtube.com/watch?v=abc","type":"video"} -->' +
        '<figure class="wp-block-embed-youtube wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=abc\n</div><figcaption>The <a href="https://x.example/">debate</a>, in full</figcaption></figure>' +
        '<!-- /wp:core-embed/youtube -->' +
        '<!-- wp:core-embed/vimeo --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://vimeo.com/1</div><figcaption>Second</figcaption></figure><!-- /wp:core-embed/vimeo -->',
    );
    const italic = { type: 'italic' };
    expect(doc.content).toEqual([
      { type: 'embed', attrs: { url: 'https://www.youtube.com/watch?v=abc', title: '' } },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'The ', marks: [italic] },
          {
            type: 'text',
            text: 'debate',
            marks: [italic, { type: 'link', attrs: { href: 'https://x.example/' } }],
          },
          { type: 'text', text: ', in full', marks: [italic] },
        ],
      },
      { type: 'embed', attrs: { url: 'https://vimeo.com/1', title: '' } },
      { type: 'paragraph', content: [{ type: 'text', text: 'Second', marks: [italic] }] },
    ]);
    expect(notes.get('embed caption (kept as an italic paragraph after it)')).toBe(2);
  });

  it('turns footnotes into "[n]" in the text and a numbered list where the footnotes block was', () => {
    const { html, notes } = render(
      '<p>Claim<sup data-fn="b2" class="fn"><a href="#b2" id="b2-link">1</a></sup> and <strong>another<sup data-fn="a1" class="fn"><a href="#a1" id="a1-link">2</a></sup></strong>.</p>' +
        '<!-- wp:footnotes /--><p>After the notes.</p>',
      {
        ...blocks,
        footnotes: [
          { id: 'a1', content: 'Second, <a href="https://source.example/">a source</a>.' },
          { id: 'b2', content: 'First.' },
          { id: 'c3', content: 'Never pointed at.' },
        ],
      },
    );
    expect(html).toBe(
      '<p>Claim[1] and <strong>another[2]</strong>.</p>' +
        '<ol><li><p>First.</p></li><li><p>Second, <a href="https://source.example/">a source</a>.</p></li><li><p>Never pointed at.</p></li></ol>' +
        '<p>After the notes.</p>',
    );
    expect(
      notes.get('footnote (its text in a numbered list, its reference in the text as “[n]”)'),
    ).toBe(3);
    expect([...notes.keys()].some((what) => what.includes('<sup>'))).toBe(false);
  });

  it('puts footnotes at the end without a footnotes block, and counts a reference with no text', () => {
    const { html, notes } = render(
      '<p>A<sup data-fn="x" class="fn"><a href="#x">1</a></sup> b<sup data-fn="y" class="fn"><a href="#y">2</a></sup>.</p><p>End.</p>',
      { ...blocks, footnotes: [{ id: 'y', content: 'Why.' }] },
    );
    expect(html).toBe('<p>A[1] b[2].</p><p>End.</p><ol><li><p></p></li><li><p>Why.</p></li></ol>');
    expect(notes.get('footnote reference whose text is not in the file (an empty list item)')).toBe(
      1,
    );
  });

  it('keeps one link named after the file from a file block, not the "Download" button too', () => {
    const { html, notes } = render(
      '<!-- wp:file --><div class="wp-block-file"><object class="wp-block-file__embed" data="https://old.example/r.pdf" type="application/pdf"></object>' +
        '<a id="wp-block-file--media-1" href="https://old.example/r.pdf">Annual report</a>' +
        '<a href="https://old.example/r.pdf" class="wp-block-file__button wp-element-button" download>Download</a></div><!-- /wp:file -->',
    );
    expect(html).toBe('<p><a href="https://old.example/r.pdf">Annual report</a></p>');
    expect(Object.fromEntries(notes)).toEqual({
      'preview of a file (left out: the link to the file is kept)': 1,
    });
  });

  it('keeps a list counting down, and where it starts', () => {
    const { doc, html } = render(
      '<ol reversed><li>Three</li><li>Two</li></ol><ol reversed="reversed" start="10"><li>Ten</li></ol><ol start="4"><li>Four</li></ol>',
    );
    expect(doc.content.map((node) => node.attrs)).toEqual([
      { start: 1, reversed: true },
      { start: 10, reversed: true },
      { start: 4 },
    ]);
    expect(html).toBe(
      '<ol reversed=""><li><p>Three</p></li><li><p>Two</p></li></ol><ol reversed="" start="10"><li><p>Ten</p></li></ol><ol start="4"><li><p>Four</p></li></ol>',
    );
  });

  it('keeps a table block’s caption right after the table, in italics, with its links', () => {
    const { html, notes } = render(
      '<!-- wp:table --><figure class="wp-block-table"><table><tbody><tr><td>4 m</td></tr></tbody></table>' +
        '<figcaption>Budget, <a href="https://x.example/b">source</a></figcaption></figure><!-- /wp:table --><p>Next.</p>',
    );
    expect(html).toContain(
      '</table></div><p><em>Budget, </em><em><a href="https://x.example/b">source</a></em></p><p>Next.</p>',
    );
    expect(notes.get('table caption (kept as an italic paragraph after it)')).toBe(1);
  });

  it('leaves out a plugin’s shortcode and counts it by name, keeping bracketed text and the sentence', () => {
    const { html, notes } = render(
      '<p>Write to us: [contact_form] or [wpforms id="3"] [sic] [1] [x-ray] [Update: none].</p>' +
        '<p><a href="https://x.example/?f[post_type]=1">filtered</a></p>\n\n[mc4wp_form/]',
      classic,
    );
    expect(html).toBe(
      '<p>Write to us: or [sic] [1] [x-ray] [Update: none].</p><p><a href="https://x.example/?f[post_type]=1">filtered</a></p>',
    );
    expect(Object.fromEntries(notes)).toEqual({
      'shortcode [contact_form] (not converted)': 1,
      'shortcode [wpforms] (not converted)': 1,
      'shortcode [mc4wp_form] (not converted)': 1,
    });
  });

  it('gives a picture the caption written where it is shown as this use’s caption, and keeps the link around it', () => {
    const { doc, html, images, notes } = render(
      '<figure class="wp-block-image"><a href="https://story.example/more"><img src="https://old.example/c.jpg" alt="C" class="wp-image-3"></a><figcaption>The mayor, left</figcaption></figure>' +
        '<p>Text <a href="https://old.example/wp-content/uploads/d.jpg"><img src="https://old.example/wp-content/uploads/d-300x200.jpg"></a></p>' +
        '<p><a href="https://old.example/post/d/" rel="attachment wp-att-4"><img src="https://old.example/e.jpg"></a></p>' +
        '[caption id="attachment_9"]<a href="javascript:alert(1)"><img src="https://old.example/f.jpg"></a> Own words[/caption]',
      classic,
    );
    expect(doc.content.filter((node) => node.type === 'image').map((node) => node.attrs)).toEqual([
      { mediaId: 1, alt: 'C', storyCaption: 'The mayor, left', href: 'https://story.example/more' },
      { mediaId: 2, alt: '' },
      { mediaId: 3, alt: '' },
      { mediaId: 4, alt: '', storyCaption: 'Own words' },
    ]);
    // The library's caption stays the attachment's: only an address-only picture gets one from here.
    expect(images.map((image) => image.caption)).toEqual(['The mayor, left', '', '', 'Own words']);
    // The reader page's renderer is given both.
    expect(html).toContain(
      '<img data-id="1" data-caption="The mayor, left" data-href="https://story.example/more">',
    );
    expect(notes.get('link with an unsafe or unknown address (left out)')).toBe(1);
  });

  it('makes a gallery block one gallery under its caption, counting its pictures’ own captions and links', () => {
    const { doc, html, notes } = render(
      '<!-- wp:gallery --><figure class="wp-block-gallery has-nested-images">' +
        '<!-- wp:image --><figure class="wp-block-image"><a href="https://old.example/a.jpg"><img src="https://old.example/a-300x200.jpg" class="wp-image-5"></a><figcaption>First alone</figcaption></figure><!-- /wp:image -->' +
        '<!-- wp:image --><figure class="wp-block-image"><a href="https://elsewhere.example/"><img src="https://old.example/b.jpg" class="wp-image-6"></a></figure><!-- /wp:image -->' +
        '<figcaption class="blocks-gallery-caption">The night of the count</figcaption></figure><!-- /wp:gallery -->',
    );
    expect(doc.content).toEqual([
      {
        type: 'gallery',
        attrs: {
          photos: [
            { mediaId: 1, src: null },
            { mediaId: 2, src: null },
          ],
          caption: 'The night of the count',
        },
      },
    ]);
    expect(html).toContain(
      '<figcaption class="gallery-caption">The night of the count</figcaption>',
    );
    expect(Object.fromEntries(notes)).toEqual({
      'caption of one picture in a gallery (not kept: each shows its library caption)': 1,
      'link on one picture in a gallery (not kept)': 1,
    });
    const bound = bindImages(doc, [null, 42]);
    expect(bound.content[0]?.attrs?.photos).toEqual([{ mediaId: 42, src: null }]);
    expect(bindImages(doc, [null, null]).content).toEqual([]);
  });
});

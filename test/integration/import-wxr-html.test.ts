import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocNode } from '../../src/core/document.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { buildTestServer, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';
import { buildWxr, type TestPost } from '../wxr-builder.js';

// A WordPress post's HTML becomes Masthead's document without silent loss:
// what has a place is kept there, what has none is named in the report.

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const politics = { slug: 'politics', name: 'Politics' };

/** Imports a WordPress export built from `options`, through the real entry. */
function importWxr(options: Parameters<typeof buildWxr>[0]) {
  return importSource(newsroom, bytesSource('site.xml', Buffer.from(buildWxr(options))));
}

function attachment(id: number, file: string): TestPost {
  return {
    id,
    title: file,
    slug: file,
    link: `https://old.example/${file}/`,
    content: '',
    type: 'attachment',
    status: 'inherit',
    attachmentUrl: `https://old.example/wp-content/uploads/${file}.jpg`,
  };
}

const CONTENT = [
  '<!-- wp:paragraph --><p>Before <![CDATA[ hidden ]]> the rest survives.</p><!-- /wp:paragraph -->',
  '<!-- wp:core-embed/youtube {"url":"https://www.youtube.com/watch?v=abc","type":"video"} -->',
  '<figure class="wp-block-embed-youtube wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">',
  'https://www.youtube.com/watch?v=abc',
  '</div><figcaption>Watch the debate</figcaption></figure>',
  '<!-- /wp:core-embed/youtube -->',
  '<!-- wp:paragraph --><p>The count<sup data-fn="n-1" class="fn"><a href="#n-1" id="n-1-link">1</a></sup> ran late<sup data-fn="n-2" class="fn"><a href="#n-2" id="n-2-link">2</a></sup>.</p><!-- /wp:paragraph -->',
  '<!-- wp:file {"id":9} --><div class="wp-block-file"><a id="wp-block-file--media-9" href="https://old.example/wp-content/uploads/report.pdf">Annual report</a><a href="https://old.example/wp-content/uploads/report.pdf" class="wp-block-file__button wp-element-button" download aria-describedby="wp-block-file--media-9">Download</a></div><!-- /wp:file -->',
  '<!-- wp:list {"ordered":true,"reversed":true} --><ol reversed><li>Third place</li><li>Second place</li></ol><!-- /wp:list -->',
  '<!-- wp:table --><figure class="wp-block-table"><table><tbody><tr><td>Turnout</td><td>61%</td></tr></tbody></table><figcaption>Turnout by the commission’s count</figcaption></figure><!-- /wp:table -->',
  '<!-- wp:shortcode -->[contact_form]<!-- /wp:shortcode -->',
  '<!-- wp:paragraph --><p>Quoted as written [sic].</p><!-- /wp:paragraph -->',
  '<!-- wp:image {"id":3} --><figure class="wp-block-image"><a href="https://story.example/more"><img src="https://old.example/wp-content/uploads/mayor-300x200.jpg" alt="The mayor" class="wp-image-3"/></a><figcaption>The mayor, left, on Monday</figcaption></figure><!-- /wp:image -->',
  '<!-- wp:gallery --><figure class="wp-block-gallery has-nested-images">',
  '<!-- wp:image {"id":5} --><figure class="wp-block-image"><a href="https://old.example/wp-content/uploads/quay.jpg"><img src="https://old.example/wp-content/uploads/quay-1024x683.jpg" class="wp-image-5"/></a></figure><!-- /wp:image -->',
  '<!-- wp:image {"id":6} --><figure class="wp-block-image"><img src="https://old.example/wp-content/uploads/port.jpg" class="wp-image-6"/></figure><!-- /wp:image -->',
  '<figcaption class="blocks-gallery-caption">Two scenes from the count</figcaption></figure><!-- /wp:gallery -->',
  '<!-- wp:footnotes /-->',
].join('\n');

const FOOTNOTES = JSON.stringify([
  { id: 'n-1', content: 'By the <a href="https://commission.example/">commission</a>.' },
  { id: 'n-2', content: 'Until 3 a.m.' },
]);

function findNodes(nodes: DocNode[], type: string): DocNode[] {
  return nodes.flatMap((node) => [
    ...(node.type === type ? [node] : []),
    ...findNodes(node.content ?? [], type),
  ]);
}

describe('WordPress post HTML, without silent loss', () => {
  it('keeps what has a place in the document and names the rest in the report', async () => {
    const result = await importWxr({
      categories: [politics],
      posts: [
        attachment(3, 'mayor'),
        attachment(5, 'quay'),
        attachment(6, 'port'),
        {
          id: 10,
          title: 'Count',
          slug: 'count',
          link: 'https://old.example/count/',
          content: CONTENT,
          categories: [politics],
          meta: [{ key: 'footnotes', value: FOOTNOTES }],
        },
      ],
    });
    const notes = Object.fromEntries(result.notes);
    expect(notes).toMatchObject({
      '“<![CDATA[” in the HTML (read as a browser does: hidden up to the first “>”)': 1,
      'embed caption (kept as an italic paragraph after it)': 1,
      'footnote (its text in a numbered list, its reference in the text as “[n]”)': 2,
      'table caption (kept as an italic paragraph after it)': 1,
      'shortcode [contact_form] (not converted)': 1,
    });
    // The footnotes' field is in the body now, not a custom field left behind.
    expect(Object.keys(notes).filter((what) => what.includes('footnotes'))).toEqual([]);

    const page = await app.inject({ method: 'GET', url: '/politics/count' });
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('<p>Before the rest survives.</p>');
    expect(body).toContain('<p><em>Watch the debate</em></p>');
    expect(body).toContain('<p>The count[1] ran late[2].</p>');
    expect(body).toContain(
      '<ol><li><p>By the <a href="https://commission.example/">commission</a>.</p></li><li><p>Until 3 a.m.</p></li></ol>',
    );
    expect(body).toContain(
      '<p><a href="https://old.example/wp-content/uploads/report.pdf">Annual report</a></p>',
    );
    expect(body).not.toContain('Download');
    expect(body).toContain('<ol reversed=""><li><p>Third place</p></li>');
    expect(body).toMatch(/<\/table><\/div><p><em>Turnout by the commission’s count<\/em><\/p>/);
    expect(body).not.toContain('contact_form');
    expect(body).toContain('Quoted as written [sic].');
    expect(body).toContain('<span class="caption">The mayor, left, on Monday</span>');
    expect(body).toContain(
      '<figcaption class="gallery-caption">Two scenes from the count</figcaption>',
    );

    const article = await newsroom.store.db
      .selectFrom('article')
      .select('body_json')
      .executeTakeFirstOrThrow();
    const doc = JSON.parse(article.body_json) as { content: DocNode[] };
    const [image] = findNodes(doc.content, 'image');
    expect(image?.attrs).toMatchObject({
      storyCaption: 'The mayor, left, on Monday',
      href: 'https://story.example/more',
    });
    // This use's caption is the article's: the attachment's own stays in the library.
    const mayor = await newsroom.store.db
      .selectFrom('media')
      .select('caption')
      .where('id', '=', Number(image?.attrs?.mediaId))
      .executeTakeFirstOrThrow();
    expect(mayor.caption).toBe('');
    const [gallery] = findNodes(doc.content, 'gallery');
    expect(gallery?.attrs?.photos).toHaveLength(2);
    expect(gallery?.attrs?.caption).toBe('Two scenes from the count');
  });

  it('keeps a caption for one use only when it says something the library caption does not', async () => {
    const figure = (id: number, caption: string) =>
      `<!-- wp:image {"id":${id}} --><figure class="wp-block-image"><img src="https://old.example/wp-content/uploads/harbour.jpg" class="wp-image-${id}"/><figcaption>${caption}</figcaption></figure><!-- /wp:image -->`;
    await importWxr({
      categories: [politics],
      posts: [
        { ...attachment(50, 'harbour'), excerpt: 'The harbour at dawn' },
        {
          id: 51,
          title: 'Two views',
          slug: 'two-views',
          link: 'https://old.example/two-views/',
          categories: [politics],
          content: [
            figure(50, 'The harbour at dawn'),
            figure(50, 'The harbour, from the ferry'),
          ].join(''),
        },
      ],
    });
    const article = await newsroom.store.db
      .selectFrom('article')
      .select('body_json')
      .executeTakeFirstOrThrow();
    const images = findNodes(
      (JSON.parse(article.body_json) as { content: DocNode[] }).content,
      'image',
    );
    // The first repeats the library's caption (WordPress copies it into each post):
    // without a copy of its own, a correction in the library reaches the article.
    expect(images.map((image) => image.attrs?.storyCaption)).toEqual([
      '',
      'The harbour, from the ferry',
    ]);
  });

  it('shows a picture that leads somewhere as a link on the reader page', async () => {
    await newsroom.store.db
      .insertInto('section')
      .values({ parent_id: null, slug: 'news', path: 'news', name: 'News', position: 0 })
      .execute();
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const bytes = await sharp({
      create: { width: 700, height: 400, channels: 3, background: '#445566' },
    })
      .jpeg()
      .toBuffer();
    const ferry = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes,
      alt: 'The ferry at the quay',
      caption: 'Ferry at the quay',
      credit: 'Reuters',
    });
    const draft = await editor.send('POST', '/api/articles', {
      title: 'The ferry',
      section: 'news',
      language: 'en',
      body: {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'It sailed at dawn.' }] },
          {
            type: 'image',
            attrs: { mediaId: ferry.id, href: 'https://ferries.example/timetable' },
          },
          { type: 'image', attrs: { mediaId: ferry.id } },
        ],
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const published = await editor.send(
      'POST',
      `/api/articles/${draft.json().id}/transitions/publish`,
    );
    expect(published.statusCode, published.body).toBe(200);
    const page = (await app.inject(published.json().url)).body;
    expect(page).toMatch(
      /<figure class="image"><a href="https:\/\/ferries\.example\/timetable"><picture[^>]*>.*?<\/picture><\/a><figcaption>/,
    );
    // Only that picture: the same photo without a link is only a picture.
    expect(page.match(/<a href="https:\/\/ferries\.example\/timetable">/g)).toHaveLength(1);
  });
});

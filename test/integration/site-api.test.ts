import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { countRows, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

type SectionRow = { id: number; parentId: number | null; path: string; name: string };

function paragraphs(...texts: string[]) {
  return {
    type: 'doc',
    content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  };
}

const javascriptLinkBody = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        {
          type: 'text',
          text: 'Write to us',
          marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }],
        },
      ],
    },
  ],
};

async function sections(client: Client): Promise<SectionRow[]> {
  const response = await client.send('GET', '/api/sections');
  expect(response.statusCode).toBe(200);
  return response.json().sections;
}

/** Top-level sections in navigation order, as the API lists them. */
async function topLevelPaths(client: Client): Promise<string[]> {
  return (await sections(client))
    .filter((section) => section.parentId === null)
    .map((section) => section.path);
}

async function publicPage(path: string) {
  const response = await app.inject(path);
  expect(response.statusCode, `${path}: ${response.body.slice(0, 200)}`).toBe(200);
  return parse(response.body);
}

function texts(html: ReturnType<typeof parse>, selector: string): string[] {
  return html.querySelectorAll(selector).map((element) => element.text.trim());
}

async function auditActions(): Promise<{ action: string; subject: string }[]> {
  return await newsroom.store.db
    .selectFrom('audit_log')
    .select(['action', 'subject'])
    .where((eb) => eb.or([eb('action', 'like', 'section.%'), eb('action', 'like', 'page.%')]))
    .orderBy('id')
    .execute();
}

describe('sections', () => {
  it('lets an editor create a top-level section and a child, each last among its siblings and public at once', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const topBefore = await topLevelPaths(editor);

    const culture = await editor.send('POST', '/api/sections', { name: 'Culture' });
    expect(culture.statusCode, culture.body).toBe(201);
    expect(culture.json()).toMatchObject({
      parentId: null,
      slug: 'culture',
      path: 'culture',
      name: 'Culture',
    });
    const film = await editor.send('POST', '/api/sections', {
      name: 'Film & TV',
      parent: 'culture',
    });
    expect(film.statusCode, film.body).toBe(201);
    expect(film.json()).toMatchObject({
      parentId: culture.json().id,
      slug: 'film-tv',
      path: 'culture/film-tv',
      name: 'Film & TV',
    });
    const books = await editor.send('POST', '/api/sections', {
      name: 'Books',
      parent: '/culture/',
      slug: 'reading',
    });
    expect(books.json()).toMatchObject({ path: 'culture/reading', name: 'Books' });

    expect(await topLevelPaths(editor)).toEqual([...topBefore, 'culture']);
    expect(
      (await sections(editor)).filter((s) => s.parentId === culture.json().id).map((s) => s.path),
    ).toEqual(['culture/film-tv', 'culture/reading']);

    const page = await publicPage('/culture');
    expect(texts(page, 'h1')).toEqual(['Culture']);
    expect(texts(page, '.site-nav a')).toContain('Culture');
    expect(texts(page, '.subsections a')).toEqual(['Film & TV', 'Books']);
    expect(texts(await publicPage('/culture/film-tv'), '.breadcrumbs a')).toEqual([
      'Culture',
      'Film & TV',
    ]);

    expect(await auditActions()).toEqual([
      { action: 'section.create', subject: `section:${culture.json().id}` },
      { action: 'section.create', subject: `section:${film.json().id}` },
      { action: 'section.create', subject: `section:${books.json().id}` },
    ]);
  });

  it('renames a section without moving it: its path and its articles’ addresses stay, readers see the new name', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const articles = await editor.send(
      'GET',
      '/api/articles?section=news/politics&status=published&language=en',
    );
    const articleUrl: string = articles.json().articles[0].url;
    expect(articleUrl).toMatch(/^\/news\/politics\/[a-z0-9-]+$/);

    const renamed = await editor.send('PATCH', '/api/sections/news', { name: 'Headlines' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ path: 'news', slug: 'news', name: 'Headlines' });
    const child = await editor.send('PATCH', '/api/sections/news/politics', {
      name: 'Power and Politics',
    });
    expect(child.json()).toMatchObject({ path: 'news/politics', name: 'Power and Politics' });

    const sectionPage = await publicPage('/news/politics');
    expect(texts(sectionPage, '.breadcrumbs a')).toEqual(['Headlines', 'Power and Politics']);
    expect(texts(sectionPage, '.site-nav a')).toContain('Headlines');
    expect(texts(sectionPage, '.site-nav a')).not.toContain('News');
    expect(texts(await publicPage(articleUrl), '.breadcrumbs a')).toEqual([
      'Headlines',
      'Power and Politics',
    ]);
    expect((await app.inject('/headlines')).statusCode).toBe(404);

    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail_json', 'user_id'])
      .where('action', '=', 'section.rename')
      .orderBy('id')
      .execute();
    expect(
      audit.map((entry) => [entry.action, JSON.parse(entry.detail_json), entry.user_id]),
    ).toEqual([
      ['section.rename', { path: 'news', from: 'News', to: 'Headlines' }, editor.userId],
      [
        'section.rename',
        { path: 'news/politics', from: 'Politics', to: 'Power and Politics' },
        editor.userId,
      ],
    ]);
  });

  it('reorders sections among their siblings, in the API and in the site navigation', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    await editor.send('POST', '/api/sections', { name: 'Culture' });
    const before = await topLevelPaths(editor);
    expect(before.at(-1)).toBe('culture');

    const moved = await editor.send('PATCH', '/api/sections/culture', { position: 0 });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ path: 'culture', position: 0 });
    const after = await topLevelPaths(editor);
    expect(after).toEqual(['culture', ...before.slice(0, -1)]);
    expect(texts(await publicPage('/'), '.site-nav a')).toEqual(
      (await sections(editor)).filter((s) => s.parentId === null).map((s) => s.name),
    );

    // Down again, renaming in the same request: one transaction, two audit entries.
    const both = await editor.send('PATCH', '/api/sections/culture', {
      position: 1,
      name: 'Arts',
    });
    expect(both.json()).toMatchObject({ path: 'culture', name: 'Arts', position: 1 });
    expect((await topLevelPaths(editor))[1]).toBe('culture');
    expect((await auditActions()).map((entry) => entry.action)).toEqual([
      'section.create',
      'section.move',
      'section.rename',
      'section.move',
    ]);
  });

  it('refuses a position outside the siblings, an empty change and an unknown section, changing nothing', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const before = await sections(editor);
    const outside = await editor.send('PATCH', '/api/sections/news', { position: 99 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error).toMatchObject({ code: 'invalid_input', field: 'position' });
    const partial = await editor.send('PATCH', '/api/sections/news', {
      name: 'Headlines',
      position: -1,
    });
    expect(partial.json().error).toMatchObject({ code: 'invalid_input', field: 'position' });
    const empty = await editor.send('PATCH', '/api/sections/news', {});
    expect(empty.json().error.code).toBe('invalid_input');
    const blank = await editor.send('PATCH', '/api/sections/news', { name: '   ' });
    expect(blank.json().error).toMatchObject({ code: 'invalid_input', field: 'name' });
    const moveAway = await editor.send('PATCH', '/api/sections/news/politics', {
      name: 'Politics',
      parent: 'opinion',
    });
    expect(moveAway.json().error).toMatchObject({ code: 'invalid_input', field: 'parent' });
    const newSlug = await editor.send('PATCH', '/api/sections/news', { slug: 'headlines' });
    expect(newSlug.json().error).toMatchObject({ code: 'invalid_input', field: 'slug' });
    // Echoing the current address back (a client sending the whole section) is fine.
    const echoed = await editor.send('PATCH', '/api/sections/news/politics', {
      ...before.find((section) => section.path === 'news/politics'),
      parent: 'news',
    });
    expect(echoed.statusCode, echoed.body).toBe(200);
    const unknown = await editor.send('PATCH', '/api/sections/news/sport', { name: 'Sport' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    expect(await sections(editor)).toEqual(before);
    expect(await auditActions()).toEqual([]);
  });

  it('refuses a reserved address, a taken one, and one that would hide a page or an article', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const rowsBefore = await countRows(newsroom);

    const reserved = await editor.send('POST', '/api/sections', { name: 'Assets' });
    expect(reserved.statusCode).toBe(400);
    expect(reserved.json().error).toMatchObject({ code: 'invalid_input', field: 'slug' });
    expect(reserved.json().error.message).toContain('/assets');

    const duplicate = await editor.send('POST', '/api/sections', { name: 'News' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({ code: 'conflict', field: 'slug' });
    const duplicateChild = await editor.send('POST', '/api/sections', {
      name: 'World affairs',
      slug: 'world',
      parent: 'news',
    });
    expect(duplicateChild.json().error).toMatchObject({ code: 'conflict', field: 'slug' });

    const page = await editor.send('POST', '/api/sections', { name: 'Masthead' });
    expect(page.statusCode).toBe(409);
    expect(page.json().error.message).toContain('page');

    const articleUrl: string = (await editor.send('GET', '/api/articles?section=opinion')).json()
      .articles[0].url;
    const articleSlug = articleUrl.split('/').at(-1);
    const hiding = await editor.send('POST', '/api/sections', {
      name: 'Column',
      slug: articleSlug,
      parent: 'opinion',
    });
    expect(hiding.statusCode).toBe(409);
    expect(hiding.json().error.message).toContain('article');

    const noParent = await editor.send('POST', '/api/sections', { name: 'Film', parent: 'arts' });
    expect(noParent.statusCode).toBe(404);
    expect(noParent.json().error).toMatchObject({ code: 'not_found', field: 'parent' });
    const noLetters = await editor.send('POST', '/api/sections', { name: '!!!' });
    expect(noLetters.json().error).toMatchObject({ code: 'invalid_input', field: 'name' });
    const badSlug = await editor.send('POST', '/api/sections', { name: 'Sport', slug: 'Sport!' });
    expect(badSlug.json().error).toMatchObject({ code: 'invalid_input', field: 'slug' });

    expect(await countRows(newsroom)).toEqual(rowsBefore);
    expect(await auditActions()).toEqual([]);
  });
});

describe('pages', () => {
  it('lets an editor create a page that is then served at /<slug>, and edit it there', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const created = await editor.send('POST', '/api/pages', {
      title: 'About us',
      kind: 'page',
      language: 'en',
      body: paragraphs('The Lantern is run by its reporters.'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const page = created.json();
    expect(page).toMatchObject({
      slug: 'about-us',
      title: 'About us',
      kind: 'page',
      language: 'en',
      url: '/about-us',
      body: paragraphs('The Lantern is run by its reporters.'),
    });
    const served = await publicPage('/about-us');
    expect(texts(served, 'h1')).toEqual(['About us']);
    expect(served.querySelector('main')?.text).toContain('The Lantern is run by its reporters.');

    const edited = await editor.send('PATCH', '/api/pages/about-us', {
      title: 'About the newsroom',
      kind: 'legal',
      body: paragraphs('The Lantern is owned by nobody but its staff.'),
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      id: page.id,
      slug: 'about-us',
      title: 'About the newsroom',
      kind: 'legal',
      url: '/about-us',
    });
    const reread = await publicPage('/about-us');
    expect(texts(reread, 'h1')).toEqual(['About the newsroom']);
    expect(reread.querySelector('main')?.text).toContain('owned by nobody but its staff');
    expect(reread.querySelector('main')?.text).not.toContain('run by its reporters');
    // A legal page is linked from every page's footer.
    expect(texts(reread, '.site-footer a')).toContain('About the newsroom');

    const one = await editor.send('GET', '/api/pages/about-us');
    expect(one.json()).toEqual(edited.json());
    const list = await editor.send('GET', '/api/pages');
    expect(list.statusCode).toBe(200);
    const listed = list.json().pages as { slug: string; body?: unknown }[];
    expect(listed.map((p) => p.slug)).toEqual([
      'masthead',
      'terms-of-use',
      'privacy-policy',
      'about-us',
    ]);
    expect(listed[3]).not.toHaveProperty('body');

    expect(await auditActions()).toEqual([
      { action: 'page.create', subject: `page:${page.id}` },
      { action: 'page.update', subject: `page:${page.id}` },
    ]);
  });

  it('refuses a reserved slug, a taken one, a section’s address and an unknown page', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const rowsBefore = await countRows(newsroom);
    const base = { kind: 'page', language: 'en', body: paragraphs('Text.') };

    const reserved = await editor.send('POST', '/api/pages', { ...base, title: 'Assets' });
    expect(reserved.statusCode).toBe(400);
    expect(reserved.json().error).toMatchObject({ code: 'invalid_input', field: 'slug' });
    const reservedSlug = await editor.send('POST', '/api/pages', {
      ...base,
      title: 'Our corrections policy',
      slug: 'corrections',
    });
    expect(reservedSlug.json().error).toMatchObject({ code: 'invalid_input', field: 'slug' });

    const duplicate = await editor.send('POST', '/api/pages', { ...base, title: 'Terms of use' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({ code: 'conflict', field: 'slug' });
    const section = await editor.send('POST', '/api/pages', { ...base, title: 'Opinion' });
    expect(section.statusCode).toBe(409);
    expect(section.json().error.message).toContain('section');

    const badKind = await editor.send('POST', '/api/pages', { ...base, title: 'X', kind: 'blog' });
    expect(badKind.json().error).toMatchObject({ code: 'invalid_input', field: 'kind' });
    const badLanguage = await editor.send('POST', '/api/pages', {
      ...base,
      title: 'X',
      language: 'English',
    });
    expect(badLanguage.json().error).toMatchObject({ code: 'invalid_input', field: 'language' });
    const noTitle = await editor.send('POST', '/api/pages', { ...base, title: ' ' });
    expect(noTitle.json().error).toMatchObject({ code: 'invalid_input', field: 'title' });

    const moved = await editor.send('PATCH', '/api/pages/terms-of-use', { slug: 'terms' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error).toMatchObject({ code: 'invalid_input', field: 'slug' });
    const unknown = await editor.send('PATCH', '/api/pages/about-us', { title: 'About' });
    expect(unknown.statusCode).toBe(404);
    expect((await editor.send('GET', '/api/pages/about-us')).statusCode).toBe(404);

    expect(await countRows(newsroom)).toEqual(rowsBefore);
    expect(await auditActions()).toEqual([]);
  });

  it('refuses a page body with a javascript: link, on create and on edit, keeping the page as it was', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const created = await editor.send('POST', '/api/pages', {
      title: 'Write to us',
      kind: 'page',
      language: 'en',
      body: javascriptLinkBody,
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error).toMatchObject({ code: 'invalid_input', field: 'body' });
    expect((await app.inject('/write-to-us')).statusCode).toBe(404);

    const before = (await editor.send('GET', '/api/pages/terms-of-use')).json();
    const edited = await editor.send('PATCH', '/api/pages/terms-of-use', {
      title: 'Terms',
      body: javascriptLinkBody,
    });
    expect(edited.statusCode).toBe(400);
    expect(edited.json().error).toMatchObject({ code: 'invalid_input', field: 'body' });
    expect((await editor.send('GET', '/api/pages/terms-of-use')).json()).toEqual(before);
    expect((await app.inject('/terms-of-use')).body).not.toContain('javascript:');
  });
});

describe('who may manage the site', () => {
  it('answers an author with 403 not_allowed_for_role on every route, writing nothing', async () => {
    const author = await signIn(app, newsroom, 'author', 'Otto Author');
    const rowsBefore = await countRows(newsroom);
    const attempts = [
      await author.send('POST', '/api/sections', { name: 'Culture' }),
      await author.send('PATCH', '/api/sections/news', { name: 'Headlines' }),
      await author.send('PATCH', '/api/sections/news', { position: 1 }),
      await author.send('GET', '/api/pages'),
      await author.send('GET', '/api/pages/masthead'),
      await author.send('POST', '/api/pages', {
        title: 'About us',
        kind: 'page',
        language: 'en',
        body: paragraphs('Text.'),
      }),
      await author.send('PATCH', '/api/pages/masthead', { title: 'Who we are' }),
    ];
    for (const response of attempts) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.code).toBe('not_allowed_for_role');
    }
    // Reading the tree stays open to everyone: the article editor's section picker needs it.
    expect((await author.send('GET', '/api/sections')).statusCode).toBe(200);
    expect(await countRows(newsroom)).toEqual(rowsBefore);
  });

  it('lets the editor-in-chief manage sections and pages too', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    expect((await chief.send('POST', '/api/sections', { name: 'Culture' })).statusCode).toBe(201);
    const edited = await chief.send('PATCH', '/api/pages/masthead', { title: 'Who we are' });
    expect(edited.statusCode, edited.body).toBe(200);
  });

  it('answers 401 without a session and 403 csrf_invalid without the CSRF token, writing nothing', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const rowsBefore = await countRows(newsroom);
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/sections',
      payload: { name: 'Culture' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await app.inject('/api/pages')).statusCode).toBe(401);
    const noCsrf = [
      await editor.send('POST', '/api/sections', { name: 'Culture' }, { csrf: null }),
      await editor.send('PATCH', '/api/sections/news', { name: 'Headlines' }, { csrf: null }),
      await editor.send(
        'POST',
        '/api/pages',
        { title: 'About us', kind: 'page', language: 'en', body: paragraphs('Text.') },
        { csrf: null },
      ),
      await editor.send(
        'PATCH',
        '/api/pages/masthead',
        { title: 'Who we are' },
        { csrf: 'forged' },
      ),
    ];
    for (const response of noCsrf) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_invalid');
    }
    expect(await countRows(newsroom)).toEqual(rowsBefore);
    expect(texts(await publicPage('/news'), 'h1')).toEqual(['News']);
  });
});

describe('site settings', () => {
  it('lets the editor-in-chief rename the site and change its time zone, shown to readers at once', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const response = await chief.send('PUT', '/api/settings/site', {
      name: 'The Northern Lantern',
      timeZone: 'Asia/Tbilisi',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'The Northern Lantern',
      timeZone: 'Asia/Tbilisi',
    });
    expect((await app.inject('/')).body).toContain('<title>The Northern Lantern</title>');
  });

  it('refuses editors, an empty name, an unknown language and a made-up time zone', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    expect((await editor.send('PUT', '/api/settings/site', { name: 'Mine' })).statusCode).toBe(403);
    for (const [body, field] of [
      [{ name: '  ' }, 'name'],
      [{ language: 'fr' }, 'language'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    ] as const) {
      const refused = await chief.send('PUT', '/api/settings/site', body);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.field).toBe(field);
    }
  });
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMirror } from '../../src/mirror/build.js';
import { readSigningKey } from '../../src/mirror/keys.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import { buildTestServer, signIn } from '../admin.js';
import { openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';
import { buildWxr } from '../wxr-builder.js';

// Links that start like site-relative ones (or hide their scheme) but open
// another site in a browser, which strips tabs and newlines from addresses
// and reads `\` as `/`: a save refuses them, and neither an import, a reader's
// page nor a mirror keeps them. Pages are checked the way a browser follows
// their links, from an https page and from a plain-http one (a mirror).

const PAYLOADS = [
  '/\\evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '//evil.example/',
  'https:evil.example/',
  'java\tscript:alert(1)',
];
// The same, as an HTML attribute can write them.
const HTML_PAYLOADS = [
  ...PAYLOADS,
  '/&#9;/evil.example/',
  '/&#10;/evil.example/',
  '/&Tab;/evil.example/',
  '&#x2F;&#x5C;evil.example/',
  'java&#9;script:alert(1)',
];

let newsroom: TestNewsroom;
let app: FastifyInstance;
let workDir: string;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
  workDir = await mkdtemp(join(tmpdir(), 'masthead-links-'));
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
  await rm(workDir, { recursive: true, force: true });
});

/** Every address a page's links, pictures and forms lead to, as a browser on `pageUrl` reads them. */
function followed(html: string, pageUrl: string): string[] {
  const page = parse(html);
  return page.querySelectorAll('[href], [src], [action], [srcset]').flatMap((element) => {
    const values = [
      element.getAttribute('href'),
      element.getAttribute('src'),
      element.getAttribute('action'),
      ...(element.getAttribute('srcset') ?? '')
        .split(',')
        .map((candidate) => candidate.trim().split(/\s+/)[0]),
    ].filter((value): value is string => value !== undefined && value !== '');
    return values.map((value) => {
      try {
        return new URL(value, pageUrl).href;
      } catch {
        return value;
      }
    });
  });
}

function expectNoEvilLink(html: string, path: string, name: string) {
  for (const scheme of ['https', 'http']) {
    const targets = followed(html, `${scheme}://news.example${path}`);
    expect(targets.length, name).toBeGreaterThan(0);
    const evil = targets.filter((target) => /evil\.example|^javascript:/i.test(target));
    expect(evil, `${name}, read from ${scheme}`).toEqual([]);
  }
}

const linksParagraph = (hrefs: string[]) =>
  `<p>${hrefs.map((href, index) => `<a href="${href}">source ${index}</a>`).join(' · ')}</p>`;

async function importPost() {
  const content = [
    linksParagraph(HTML_PAYLOADS),
    '<p>The <a href="https://results.example/">full results</a> are online.</p>',
    // A custom-HTML block: kept as sanitized HTML.
    `<!-- wp:html --><table><tr><td>${linksParagraph(HTML_PAYLOADS)}</td></tr></table><!-- /wp:html -->`,
  ].join('\n');
  const xml = buildWxr({
    categories: [{ slug: 'politics', name: 'Politics' }],
    posts: [
      {
        id: 1,
        title: 'Turnout',
        slug: 'turnout',
        link: 'https://old.example/turnout/',
        content,
        categories: [{ slug: 'politics', name: 'Politics' }],
      },
    ],
  });
  await importSource(newsroom, bytesSource('site.xml', Buffer.from(xml)));
}

describe('links that open another site', () => {
  it('are refused by a save: in the text, in a quote and as a source', async () => {
    await importPost(); // for its section
    const editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
    for (const href of PAYLOADS) {
      const bodies = [
        {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href } }] }],
            },
          ],
        },
        {
          type: 'doc',
          content: [
            {
              type: 'quote',
              attrs: { speaker: 'A. B.', source: 'C', sourceUrl: href },
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Words.' }] }],
            },
          ],
        },
      ];
      for (const body of bodies) {
        const refused = await editor.send('POST', '/api/articles', {
          title: 'Hostile',
          section: 'politics',
          language: 'en',
          body,
        });
        expect(refused.statusCode, JSON.stringify(href)).toBe(400);
        expect(refused.json().error.message).toMatch(/http\(s\), mailto or site-relative/);
      }
      const source = await editor.send('POST', '/api/articles', {
        title: 'Hostile',
        section: 'politics',
        language: 'en',
        body: { type: 'doc', content: [{ type: 'paragraph' }] },
        sources: [{ name: 'Them', url: href }],
      });
      expect(source.statusCode, JSON.stringify(href)).toBe(400);
      expect(source.json().error.message).toMatch(/source link must be http\(s\)/);
    }
  });

  it('are kept as text by a WordPress import, and never reach a page, a feed or a mirror', async () => {
    await importPost();
    const stored = await newsroom.store.db
      .selectFrom('article')
      .select(['body_json'])
      .executeTakeFirstOrThrow();
    expect(stored.body_json).toContain('source 0');
    expect(stored.body_json).toContain('https://results.example/');
    expect(stored.body_json).not.toMatch(/evil\.example|javascript/i);

    // An editor's own kept HTML, which is stored as sent and sanitized when shown.
    const editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
    const created = await editor.send('POST', '/api/articles', {
      title: 'Figures',
      section: 'politics',
      language: 'en',
      body: {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'The figures:' }] },
          { type: 'html', attrs: { html: linksParagraph(HTML_PAYLOADS), label: 'links' } },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, url } = created.json() as { id: number; url: string };
    const published = await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    expect(published.statusCode, published.body).toBe(200);

    for (const path of ['/politics/turnout', url]) {
      const page = await app.inject(path);
      expect(page.statusCode, path).toBe(200);
      expect(page.body, path).toContain('source 0');
      expectNoEvilLink(page.body, path, path);
    }
    const feed = await app.inject('/feed.xml');
    expect(feed.body).toContain('source 0');
    expect(feed.body).not.toMatch(/evil\.example|javascript:/i);

    expect((await runCliOn(newsroom, ['keys', 'init'])).code).toBe(0);
    const mirror = join(workDir, 'mirror');
    await buildMirror(newsroom, {
      directory: mirror,
      baseUrl: 'http://mirror.example/lantern/',
      key: await readSigningKey(newsroom.dataDir),
    });
    const entries = await readdir(mirror, { recursive: true, withFileTypes: true });
    const pages = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.html'));
    let articles = 0;
    for (const entry of pages) {
      const file = relative(mirror, join(entry.parentPath, entry.name)).split(sep).join('/');
      const html = await readFile(join(mirror, file), 'utf8');
      if (html.includes('source 0')) articles++;
      expectNoEvilLink(html, `/lantern/${file}`, file);
    }
    expect(articles).toBeGreaterThanOrEqual(2);
  });
});

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import type { FastifyInstance } from 'fastify';
import Parser from 'rss-parser';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { createServer as createMastheadServer } from '../../src/main.js';
import { applyImportBundle } from '../../src/newsroom/import-items.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Every feed is read back by two independent parsers (rss-parser for RSS and
// Atom, @extractus/feed-extractor for all three) and the JSON Feed is checked
// against the shape published at https://www.jsonfeed.org/version/1.1/.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
type RssItem = { contentEncoded?: string; author?: string };
const rss = new Parser<Record<string, unknown>, RssItem>({
  customFields: { item: [['content:encoded', 'contentEncoded'], 'author'] },
});

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
  editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const body = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Dockworkers walked out at dawn. Read ' },
        {
          type: 'text',
          text: 'our earlier report',
          marks: [{ type: 'link', attrs: { href: '/news/world' } }],
        },
        { type: 'text', text: '.' },
      ],
    },
  ],
};

/** Publishes an article with a credited lead photo and two tags; returns its id and URL. */
async function publishPortStory(): Promise<{ id: number; url: string }> {
  const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
    bytes: await sharp({
      create: { width: 1600, height: 1000, channels: 3, background: '#335577' },
    })
      .jpeg()
      .toBuffer(),
    alt: 'Cranes idle over an empty quay',
    caption: 'The container quay on the first morning of the strike.',
    credit: 'EPA / Grigory Sysoev / Sputnik / Kremlin',
  });
  const created = await editor.send('POST', '/api/articles', {
    title: 'Dockworkers strike over night-shift pay',
    standfirst: 'The port is closed to container ships until further notice.',
    section: 'news/world',
    language: 'en',
    body,
    leadMediaId: photo.id,
    tags: ['Port', 'Labour'],
  });
  expect(created.statusCode, created.body).toBe(201);
  const { id, url } = created.json();
  const published = await editor.send('POST', `/api/articles/${id}/transitions/publish`);
  expect(published.statusCode, published.body).toBe(200);
  return { id, url };
}

async function get(url: string) {
  const response = await app.inject(url);
  expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
  return response;
}

// JSON Feed 1.1, as published: required `version`, `title`, `items`; each item an `id` and content.
const jsonFeedSchema = z.object({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string().min(1),
  home_page_url: z.url().optional(),
  feed_url: z.url().optional(),
  description: z.string().optional(),
  icon: z.url().optional(),
  language: z.string().optional(),
  authors: z.array(z.object({ name: z.string().optional(), url: z.url().optional() })).optional(),
  hubs: z.array(z.object({ type: z.string(), url: z.url() })).optional(),
  items: z.array(
    z
      .object({
        id: z.string().min(1),
        url: z.url().optional(),
        title: z.string().optional(),
        content_html: z.string().optional(),
        content_text: z.string().optional(),
        summary: z.string().optional(),
        image: z.url().optional(),
        date_published: z.iso.datetime({ offset: true }).optional(),
        date_modified: z.iso.datetime({ offset: true }).optional(),
        authors: z.array(z.object({ name: z.string(), url: z.url().optional() })).optional(),
        tags: z.array(z.string()).optional(),
        language: z.string().optional(),
        attachments: z
          .array(z.object({ url: z.url(), mime_type: z.string(), title: z.string().optional() }))
          .optional(),
      })
      .refine((item) => item.content_html !== undefined || item.content_text !== undefined, {
        message: 'an item has content_html or content_text',
      }),
  ),
});

describe('feeds', () => {
  it('serves the site, section, tag, author and language feeds in RSS, Atom and JSON Feed', async () => {
    await publishPortStory();
    const listings = ['', '/en', '/news', '/news/world', '/tags/port', '/authors/tomas-reyes'];
    for (const listing of listings) {
      const rssFeed = await get(`${listing}/feed.xml`);
      const atomFeed = await get(`${listing}/feed.atom`);
      const jsonFeed = await get(`${listing}/feed.json`);
      expect(rssFeed.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
      expect(atomFeed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(jsonFeed.headers['content-type']).toBe('application/feed+json; charset=utf-8');
      const fromRss = await rss.parseString(rssFeed.body);
      const fromAtom = await rss.parseString(atomFeed.body);
      const extracted = [
        extractFromXml(rssFeed.body),
        extractFromXml(atomFeed.body),
        extractFromJson(jsonFeedSchema.parse(JSON.parse(jsonFeed.body))),
      ];
      for (const feed of [fromRss, fromAtom]) {
        expect(feed.items[0]?.title, listing).toBe('Dockworkers strike over night-shift pay');
      }
      for (const feed of extracted) {
        expect(feed.entries?.[0]?.title, listing).toBe('Dockworkers strike over night-shift pay');
        expect(feed.entries?.[0]?.link).toBe(
          'https://news.example/news/world/dockworkers-strike-over-night-shift-pay',
        );
      }
    }
  });

  it('carries the full text with absolute links, the credited lead photo, categories and authors', async () => {
    await publishPortStory();
    const feed = await rss.parseString((await get('/news/world/feed.xml')).body);
    const item = feed.items[0] as Parser.Item & RssItem;
    expect(item.contentEncoded).toContain('Dockworkers walked out at dawn.');
    expect(item.contentEncoded).toContain('<a href="https://news.example/news/world">');
    expect(item.contentEncoded).toMatch(
      /<img src="https:\/\/news\.example\/media\/[a-f0-9]{32}-1280\.jpg" alt="Cranes idle over an empty quay" width="1280" height="800">/,
    );
    expect(item.contentEncoded).toContain(
      '<figcaption>The container quay on the first morning of the strike. Photo: EPA / Grigory Sysoev / Sputnik / Kremlin</figcaption>',
    );
    expect(item.enclosure).toMatchObject({
      url: expect.stringMatching(/^https:\/\/news\.example\/media\/[a-f0-9]{32}-1280\.jpg$/),
      type: 'image/jpeg',
    });
    // rss-parser gives a category with a domain as { _: name, $: { domain } }.
    const categories = (item.categories ?? []) as unknown as (string | { _: string })[];
    expect(categories.map((c) => (typeof c === 'string' ? c : c._))).toEqual([
      'World',
      'Port',
      'Labour',
    ]);
    expect(item.creator ?? item.author).toBe('Tomas Reyes');

    const atom = await rss.parseString((await get('/news/world/feed.atom')).body);
    expect(atom.items[0]?.author).toBe('Tomas Reyes');
    // Atom: the enclosure typed as the JPEG it is, the full text with the credited figure, categories.
    const atomXml = (await get('/news/world/feed.atom')).body;
    expect(/<link rel="enclosure"[^>]*>/.exec(atomXml)?.[0]).toContain('type="image/jpeg"');
    // (the content is CDATA, so the HTML reads as it is)
    expect(atomXml).toContain(
      'Photo: EPA / Grigory Sysoev / Sputnik / Kremlin</figcaption></figure><p>Dockworkers walked out',
    );
    expect(atomXml).toContain('term="port"');

    const json = jsonFeedSchema.parse(JSON.parse((await get('/news/world/feed.json')).body));
    expect(json.items[0]).toMatchObject({
      authors: [{ name: 'Tomas Reyes', url: 'https://news.example/authors/tomas-reyes' }],
      tags: ['World', 'Port', 'Labour'],
      language: 'en',
      attachments: [
        {
          mime_type: 'image/jpeg',
          title:
            'The container quay on the first morning of the strike. Photo: EPA / Grigory Sysoev / Sputnik / Kremlin',
        },
      ],
    });
  });

  it('stays valid for an article without a byline and a caption full of markup characters', async () => {
    const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes: await sharp({
        create: { width: 1300, height: 800, channels: 3, background: '#553311' },
      })
        .jpeg()
        .toBuffer(),
      alt: 'A sign reading "Smith & Sons <closed>"',
      caption: 'Smith & Sons <closed> "for good"',
      credit: 'AP / Jane Roe & Co',
    });
    // An imported wire story: no byline at all.
    await applyImportBundle(newsroom, {
      format: 'test',
      people: [],
      pages: [],
      media: [],
      articles: [
        {
          externalId: 'wire-1',
          sectionNames: ['News', 'World'],
          title: 'Wire: harbour <closed> & quiet',
          standfirst: '',
          language: 'en',
          body: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Wire copy.' }] }],
          },
          leadMediaKey: null,
          authors: [],
          sources: [],
          publishedAt: '2026-03-01T08:00:00.000Z',
        },
      ],
    });
    await publishPortStory();
    await newsroom.store.db.updateTable('article').set({ lead_media_id: photo.id }).execute();
    for (const format of ['xml', 'atom']) {
      const feed = await rss.parseString((await get(`/feed.${format}`)).body);
      expect(feed.items.map((item) => item.title)).toContain('Wire: harbour <closed> & quiet');
    }
    const json = jsonFeedSchema.parse(JSON.parse((await get('/feed.json')).body));
    const wire = json.items.find((item) => item.title === 'Wire: harbour <closed> & quiet');
    expect(wire?.authors).toEqual([]);
    expect(wire?.attachments?.[0]?.title).toBe(
      'Smith & Sons <closed> "for good" Photo: AP / Jane Roe & Co',
    );
  });

  it('moves an entry’s updated date when the article is corrected', async () => {
    const { id } = await publishPortStory();
    const before = extractFromXml((await get('/feed.atom')).body, {
      getExtraEntryFields: (entry) => ({ updated: entry.updated, issued: entry.published }),
    });
    const entryBefore = before.entries?.find((e) => e.title?.startsWith('Dockworkers'));
    // The correction is made a day later, by a newsroom whose clock has moved on.
    newsroom.now = () => new Date('2026-03-02T10:00:00.000Z');
    const corrected = await editor.send('POST', `/api/articles/${id}/transitions/correct`, {
      type: 'correction',
      text: 'The strike began on Monday, not Sunday.',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const after = extractFromXml((await get('/feed.atom')).body, {
      getExtraEntryFields: (entry) => ({ updated: entry.updated, issued: entry.published }),
    });
    const entryAfter = after.entries?.find((e) => e.title?.startsWith('Dockworkers'));
    expect(entryBefore?.updated).toBe('2026-03-01T09:00:00.000Z');
    expect(entryAfter?.updated).toBe('2026-03-02T10:00:00.000Z');
    expect(entryAfter?.issued).toBe('2026-03-01T09:00:00.000Z');
    expect(entryBefore?.issued).toBe('2026-03-01T09:00:00.000Z');
  });

  it('answers 404 for the feed of a page that does not exist', async () => {
    for (const url of ['/tags/none/feed.xml', '/authors/nobody/feed.json', '/nowhere/feed.atom']) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
  });

  it('links every page to the site feeds, and listing pages to their own', async () => {
    await publishPortStory();
    const alternates = async (url: string) =>
      [
        ...(await get(url)).body.matchAll(/<link rel="alternate" type="([^"]+)" href="([^"]+)"/g),
      ].map((match) => `${match[1]} ${match[2]}`);
    const site = [
      'application/rss+xml /feed.xml',
      'application/atom+xml /feed.atom',
      'application/feed+json /feed.json',
    ];
    expect(await alternates('/news/world/dockworkers-strike-over-night-shift-pay')).toEqual(site);
    expect(await alternates('/news/world')).toEqual([
      ...site,
      'application/rss+xml /news/world/feed.xml',
      'application/atom+xml /news/world/feed.atom',
      'application/feed+json /news/world/feed.json',
    ]);
    expect(await alternates('/tags/port')).toContain('application/rss+xml /tags/port/feed.xml');
    expect(await alternates('/authors/tomas-reyes')).toContain(
      'application/atom+xml /authors/tomas-reyes/feed.atom',
    );
  });
});

describe('WebSub', () => {
  it('names the hub in every format and pings it on publish and on correction', async () => {
    const received: URLSearchParams[] = [];
    const hub = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      request.on('end', () => {
        received.push(new URLSearchParams(text));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
    // The production wiring: MASTHEAD_WEBSUB_HUB read by config, hooked up by main.ts.
    await app.close();
    app = await createMastheadServer(
      newsroom,
      loadConfig({
        MASTHEAD_DATA: newsroom.dataDir,
        MASTHEAD_PUBLIC_URL: 'https://news.example',
        MASTHEAD_WEBSUB_HUB: hubUrl,
        LOG_LEVEL: 'silent',
      }),
    );
    editor = await signIn(app, newsroom, 'editor', 'Ulla Hub');
    try {
      const { id } = await publishPortStory();
      // The ping is sent after the answer, never holding it up: wait for it.
      await expect.poll(() => received.length).toBe(1);
      expect(received[0]?.get('hub.mode')).toBe('publish');
      const feeds = received[0]?.getAll('hub.url') ?? [];
      for (const feed of [
        'https://news.example/feed.xml',
        'https://news.example/en/feed.atom',
        'https://news.example/news/feed.json',
        'https://news.example/news/world/feed.xml',
        'https://news.example/tags/port/feed.xml',
        'https://news.example/authors/ulla-hub/feed.json',
      ])
        expect(feeds).toContain(feed);

      await editor.send('POST', `/api/articles/${id}/transitions/correct`, {
        type: 'clarification',
        text: 'The union represents night-shift crane operators only.',
      });
      await expect.poll(() => received.length).toBe(2);
      expect(received[1]?.get('hub.mode')).toBe('publish');
      expect(received[1]?.getAll('hub.url')).toEqual(feeds);

      expect((await get('/feed.xml')).body).toContain(`<atom:link href="${hubUrl}" rel="hub"/>`);
      expect((await get('/feed.atom')).body).toContain(`<link rel="hub" href="${hubUrl}"/>`);
      expect(JSON.parse((await get('/feed.json')).body).hubs).toEqual([
        { type: 'WebSub', url: hubUrl },
      ]);
    } finally {
      hub.close();
    }
  });
});

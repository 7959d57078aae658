import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Doc, heading, link, paragraph, quote, text } from '../../src/core/document.js';
import { fetchImportedMedia } from '../../src/newsroom/fetch-media.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import { applyImportBundle } from '../../src/newsroom/import-items.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { drawCouncilHall, drawFerryQuay } from '../../src/newsroom/sample-drawings.js';
import { addUser } from '../../src/newsroom/staff.js';
import { updatePersonProfile } from '../../src/store/people.js';
import { buildTestServer } from '../admin.js';
import { openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';

// A round trip through WordPress: site A (the sample newsroom and articles
// that use every kind of block) is exported as WXR with `masthead export wxr`
// and imported into an empty site B, whose photos are then fetched from A as
// `masthead media fetch --allow-private` does. Every public page of A must
// then be the same page on B, byte for byte. Both sites have one public
// address: A's own listener on 127.0.0.1, which serves the photos B fetches.

let siteA: TestNewsroom;
let siteB: TestNewsroom;
let appA: FastifyInstance;
let appB: FastifyInstance;
let listener: Server;
let workDir: string;

beforeEach(async () => {
  siteA = await openTestNewsroom();
  siteB = await openTestNewsroom();
  workDir = await mkdtemp(join(tmpdir(), 'masthead-round-trip-'));
  // A's files over a real socket, for B's photo fetch: the listener answers
  // through A's own routes (inject), so it can start before A's server exists.
  listener = createServer((request, response) => {
    appA
      .inject({ method: 'GET', url: request.url ?? '/' })
      .then((answer) => {
        response.writeHead(answer.statusCode, {
          'content-type': String(answer.headers['content-type'] ?? 'application/octet-stream'),
        });
        response.end(answer.rawPayload);
      })
      .catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  siteA.publicUrl = origin;
  siteB.publicUrl = origin;
  appA = await buildTestServer(siteA, { sample: true });
  appB = await buildTestServer(siteB, { sample: false });
});
afterEach(async () => {
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
  await appA.close();
  await appB.close();
  await siteA.dispose();
  await siteB.dispose();
  await rm(workDir, { recursive: true, force: true });
});

function doc(...content: Doc['content']): Doc {
  return { type: 'doc', content };
}

/** The ids of a newsroom's photos, in order. */
async function mediaIdsOf(newsroom: TestNewsroom): Promise<number[]> {
  const rows = await newsroom.store.db.selectFrom('media').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** Articles on A beyond the sample's: every block a body can hold, several bylines, a deeper section, a page. */
async function addArticles(newsroom: TestNewsroom): Promise<void> {
  const [council, ferry, desk] = await mediaIdsOf(newsroom);
  if (council === undefined || ferry === undefined || desk === undefined)
    throw new Error('the sample has three photos');
  const cell = (type: 'tableHeader' | 'tableCell', value: string) => ({
    type,
    attrs: { colspan: 1, rowspan: 1 },
    content: [paragraph(value)],
  });
  await applyImportBundle(newsroom, {
    format: 'round-trip',
    people: [
      { key: 'vass', name: 'Irena Vass', bio: '', mastheadTitle: null },
      { key: 'meri', name: 'Karl Meri', bio: '', mastheadTitle: null },
    ],
    pages: [
      {
        slug: 'about-the-archive',
        title: 'About the archive',
        kind: 'page',
        language: 'en',
        isPlaceholder: false,
        body: doc(paragraph('Our archive goes back to ', text('2019', [{ type: 'bold' }]), '.'), {
          type: 'image',
          attrs: { mediaId: desk, storyCaption: 'The desk, in 2019.' },
        }),
      },
    ],
    media: [
      {
        key: 'harbour',
        alt: 'The harbour seen from the ferry, a crane against the sky.',
        caption: 'Saaremund harbour from the deck.',
        credit: [{ role: 'photographer', name: 'Karl Meri' }],
        bytes: drawFerryQuay(),
      },
      {
        key: 'hall',
        alt: 'The council hall from the side street.',
        caption: 'The hall from Vana street.',
        credit: [
          { role: 'photographer', name: 'Irena Vass' },
          { role: 'agency', name: 'The Lantern' },
        ],
        bytes: drawCouncilHall(),
      },
    ],
    articles: [
      {
        externalId: 'island-budget',
        sectionNames: ['News', 'World', 'Islands'],
        title: 'What the islands spend, line by line',
        standfirst: 'A table of the three island budgets, and what their mayors say about them.',
        language: 'en',
        leadMediaKey: 'harbour',
        authors: [
          { personKey: 'vass', label: null },
          { personKey: 'meri', label: null },
        ],
        sources: [],
        publishedAt: '2026-02-27T08:30:00.000Z',
        tags: ['Islands', 'Budgets', 'Public money'],
        body: doc(
          paragraph(
            'The three islands publish their budgets ',
            text('on paper', [{ type: 'italic' }]),
            ' only; we typed them in.',
          ),
          {
            type: 'table',
            content: [
              {
                type: 'tableRow',
                content: [cell('tableHeader', 'Island'), cell('tableHeader', 'Budget, €')],
              },
              {
                type: 'tableRow',
                content: [cell('tableCell', 'Saaremund'), cell('tableCell', '1,200,000')],
              },
              {
                type: 'tableRow',
                content: [cell('tableCell', 'Kiel'), cell('tableCell', '640,000')],
              },
            ],
          },
          quote(['Every euro we spend is on that page.'], {
            speaker: 'Irena Vass, mayor of Kiel',
            source: 'an interview with The Lantern',
          }),
          quote(['Ask me again in a year.'], { speaker: 'Karl Meri' }),
          quote(['The ferry is the islands’ road.', 'Cut it, and you cut them off.'], {
            speaker: 'The regional transport plan',
            source: 'page 12',
            sourceUrl: 'https://transport.example/plan.pdf',
          }),
          heading(2, 'Where it goes'),
          heading(3, 'On the islands'),
          paragraph(
            'Compare our ',
            text('masthead', [link('/masthead')]),
            ' and the ',
            text('ferry story', [
              link(
                '/news/world/ferry-strike-leaves-three-island-villages-short-of-fuel-and-medicine',
              ),
            ]),
            '.',
            { type: 'hardBreak' },
            'A second line.',
          ),
          {
            type: 'gallery',
            attrs: {
              photos: [{ mediaId: council }, { mediaId: ferry }, { mediaId: desk }],
              caption: 'Where the money goes: the hall, the ferry, the desk.',
            },
          },
          { type: 'image', attrs: { mediaId: ferry } },
          {
            type: 'image',
            attrs: {
              mediaId: council,
              storyCaption: 'The hall, where the budgets are voted.',
              href: '/news/politics/velmora-council-agrees-to-publish-every-contract-it-signs',
            },
          },
          { type: 'horizontalRule' },
          {
            type: 'html',
            attrs: {
              html: '<pre>Saaremund  1,200,000\nKiel        640,000</pre>',
              label: 'preformatted text',
            },
          },
          {
            type: 'embed',
            attrs: {
              url: 'https://vimeo.com/76979871',
              title: 'The islands’ budget meeting, in full',
            },
          },
          {
            type: 'bulletList',
            content: [
              { type: 'listItem', content: [paragraph('Schools')] },
              { type: 'listItem', content: [paragraph('Ferries')] },
            ],
          },
          {
            type: 'orderedList',
            attrs: { start: 3, reversed: true },
            content: [
              { type: 'listItem', content: [paragraph('Kiel')] },
              { type: 'listItem', content: [paragraph('Väike')] },
            ],
          },
        ),
      },
    ],
  });
}

const MARA = { email: 'mara.lind@news.example', name: 'Mara Lind' };

/**
 * What A's people and photos hold beyond the sample's: contacts and a
 * portrait on an author page, an address not made from the name, a staff
 * account, a photo of the newsroom's own with its upload date.
 */
async function addProfiles(newsroom: TestNewsroom): Promise<void> {
  const db = newsroom.store.db;
  const [council, ferry] = await mediaIdsOf(newsroom);
  const meri = await db
    .selectFrom('person')
    .select('id')
    .where('name', '=', 'Karl Meri')
    .executeTakeFirstOrThrow();
  await updatePersonProfile(db, meri.id, {
    photoMediaId: ferry ?? null,
    contacts: {
      email: 'karl@news.example',
      signal: '+37255501234',
      pgpFingerprint: '',
      pgpKeyUrl: '',
      links: [{ label: 'Website', url: 'https://karl.example' }],
    },
  });
  await db.updateTable('person').set({ slug: 'ivass' }).where('name', '=', 'Irena Vass').execute();
  await db
    .updateTable('media')
    .set({ is_own_photo: 1, created_at: '2019-04-02T07:15:00.000Z' })
    .where('id', '=', council ?? 0)
    .execute();
  await addUser(newsroom, SYSTEM_ACTOR, {
    ...MARA,
    role: 'author',
    password: 'a long enough password 1',
  });
}

/** What the pages do not show of a site's people and photos, comparable across sites. */
async function profilesOf(newsroom: TestNewsroom) {
  const db = newsroom.store.db;
  const people = await db
    .selectFrom('person')
    .leftJoin('media', 'media.id', 'person.photo_media_id')
    .select(['person.name', 'person.slug', 'person.bio', 'person.contacts', 'media.caption'])
    .orderBy('person.slug')
    .execute();
  const media = await db
    .selectFrom('media')
    .select(['caption', 'created_at', 'is_own_photo'])
    .orderBy('caption')
    .execute();
  return { people, media };
}

/** An answer as compared: its status, its type and its bytes. */
type Answer = { status: number; type: string; body: string };

async function answerOf(app: FastifyInstance, path: string): Promise<Answer> {
  const answer = await app.inject(path);
  return {
    status: answer.statusCode,
    type: String(answer.headers['content-type'] ?? ''),
    body: answer.body,
  };
}

/** Where a crawl of the public site starts: every kind of page a link might not reach. */
const SEEDS = [
  '/',
  '/en',
  '/ru',
  '/search',
  '/corrections',
  '/mirrors',
  '/contact',
  '/robots.txt',
  '/news-sitemap.xml',
  '/feed.xml',
  '/feed.atom',
  '/feed.json',
];

/** Same-site links of an HTML page, without the files it loads. */
function linksOf(html: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/\shref="(\/[^"/][^"]*|\/)"/g)) {
    const href = (match[1] ?? '').replace(/&amp;/g, '&').replace(/#.*$/, '');
    if (/^\/(media|assets|api|admin)\//.test(href)) continue;
    links.push(href);
  }
  return links;
}

/** Every public page reachable from the seeds and the sitemaps of `app`, keyed by path. */
async function crawl(app: FastifyInstance, origin: string): Promise<Map<string, Answer>> {
  const pages = new Map<string, Answer>();
  const waiting = [...SEEDS];
  const sitemaps = ['/sitemap.xml'];
  while (sitemaps.length > 0) {
    const path = sitemaps.shift() as string;
    const answer = await answerOf(app, path);
    pages.set(path, answer);
    for (const match of answer.body.matchAll(/<loc>([^<]+)<\/loc>/g)) {
      const url = (match[1] ?? '').replace(/&amp;/g, '&').replace(origin, '');
      if (/\/sitemaps\/[^/]+\.xml$/.test(url)) sitemaps.push(url);
      else waiting.push(url);
    }
  }
  while (waiting.length > 0) {
    const path = waiting.shift() as string;
    if (pages.has(path)) continue;
    const answer = await answerOf(app, path);
    pages.set(path, answer);
    if (answer.type.startsWith('text/html')) waiting.push(...linksOf(answer.body));
  }
  return pages;
}

/** B's photo files' hashes, each with the hash of the file on A it was fetched from. */
async function photoNames(newsroom: TestNewsroom): Promise<Map<string, string>> {
  const rows = await newsroom.store.db
    .selectFrom('media')
    .select(['file', 'source_url'])
    .orderBy('id')
    .execute();
  const names = new Map<string, string>();
  for (const row of rows) {
    const own = /^([a-f0-9]{32})\.jpg$/.exec(row.file ?? '')?.[1];
    const from = /\/media\/([a-f0-9]{32})\.jpg$/.exec(row.source_url ?? '')?.[1];
    if (own && from) names.set(own, from);
  }
  return names;
}

/** Photos in a newsroom's library. */
async function countMedia(newsroom: TestNewsroom): Promise<number> {
  return (await mediaIdsOf(newsroom)).length;
}

/**
 * Gives B the one setting of A's pages a WordPress export has no place for,
 * as its editors would set it: the newsroom's contact address. (The name,
 * tagline, language and time zone come with the import.)
 */
async function configureLikeA(siteB: TestNewsroom, siteA: TestNewsroom): Promise<void> {
  const rows = await siteA.store.db
    .selectFrom('setting')
    .selectAll()
    .where('key', '=', 'contact.email')
    .execute();
  expect(rows).toHaveLength(1);
  await siteB.store.db.insertInto('setting').values(rows).execute();
}

/** Where two texts first part, with a little of each around it. */
function firstDifference(a: string, b: string): string {
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  const from = Math.max(0, at - 120);
  return `at ${at}:\n  A: …${a.slice(from, at + 200)}\n  B: …${b.slice(from, at + 200)}`;
}

describe('masthead export wxr, then masthead import into an empty site', () => {
  it('gives the new site the same public pages, byte for byte', async () => {
    await addArticles(siteA);
    await addProfiles(siteA);
    // B has an account for one of A's staff: she keeps it, and her byline.
    await addUser(siteB, SYSTEM_ACTOR, {
      ...MARA,
      role: 'editor',
      password: 'another long password 2',
    });
    const file = join(workDir, 'site.wxr');
    // The CLI reads the public address from its environment, as on a server.
    process.env.MASTHEAD_PUBLIC_URL = siteA.publicUrl;
    const exported = await runCliOn(siteA, ['export', 'wxr', file]).finally(() => {
      delete process.env.MASTHEAD_PUBLIC_URL;
    });
    expect(exported.code, exported.lines.join('\n')).toBe(0);

    const imported = await importSource(siteB, bytesSource('site.wxr', await readFile(file)));
    expect(imported.lines).toContainEqual(
      expect.objectContaining({ entity: 'person', target: MARA.name, action: 'unchanged' }),
    );
    // As `masthead media fetch --allow-private` does, from A's listener only.
    const fetched = await fetchImportedMedia(siteB, {
      maxBytes: 20_000_000,
      allowPrivate: true,
      allowAddress: (address) => address === '127.0.0.1',
    });
    expect(fetched.length).toBe(await countMedia(siteA));
    expect(fetched.filter((line) => !line.ok)).toEqual([]);
    await configureLikeA(siteB, siteA);

    const origin = siteA.publicUrl;
    const pagesA = await crawl(appA, origin);
    const pagesB = await crawl(appB, origin);
    // The one difference that is inherent: a photo's file is named by the hash
    // of the JPEG Masthead stores, and B stores its own encoding of the file
    // it fetched from A. Each of B's names is read as the A file it came from
    // (its source address); every rendition's name carries the same hash.
    const names = await photoNames(siteB);
    const asOnA = (body: string) =>
      [...names].reduce((text, [own, fetchedFrom]) => text.replaceAll(own, fetchedFrom), body);

    const differences: string[] = [];
    for (const [path, a] of pagesA) {
      const b = pagesB.get(path) ?? (await answerOf(appB, path));
      const bodyB = asOnA(b.body);
      if (a.status !== b.status) differences.push(`${path}: status ${a.status} → ${b.status}`);
      else if (a.body !== bodyB) differences.push(`${path}: ${firstDifference(a.body, bodyB)}`);
    }
    for (const path of pagesB.keys())
      if (!pagesA.has(path)) differences.push(`${path}: only on the new site`);
    // Every kind of page was compared: articles, sections, tags, authors, pages, feeds.
    for (const path of [
      '/news/world/islands/what-the-islands-spend-line-by-line',
      '/news/world/islands',
      '/tags/budgets',
      '/authors/karl-meri',
      '/authors/jonas-feld',
      '/masthead',
      '/about-the-archive',
      '/feed.xml',
      '/sitemap.xml',
    ])
      expect(pagesA.get(path)?.status, path).toBe(200);
    expect(differences).toEqual([]);
    // And what the pages do not show: photos' upload dates and whose they
    // are, people's addresses, contacts and portraits, one person per account.
    const profilesA = await profilesOf(siteA);
    expect(profilesA.people.find((person) => person.slug === 'karl-meri')?.caption).toBeTruthy();
    expect(profilesA.media.filter((photo) => photo.is_own_photo === 1)).toHaveLength(1);
    expect(await profilesOf(siteB)).toEqual(profilesA);

    // And the same file imported again changes nothing.
    const again = await importSource(siteB, bytesSource('site.wxr', await readFile(file)));
    expect(again.lines.filter((line) => line.action !== 'unchanged')).toEqual([]);
  }, 180_000);
});

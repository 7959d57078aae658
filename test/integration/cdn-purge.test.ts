import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServer } from '../../src/main.js';
import { installSampleContent } from '../../src/newsroom/sample-content.js';
import { openStore } from '../../src/store/database.js';
import { publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// A CDN in front of several Masthead processes keeps copies of the pages; it
// must drop them when Masthead drops its own. Here a local server stands in
// for the CDN's purge endpoint and records what it is told.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let purges: IncomingHttpHeaders[];
let answer: number;
let endpoint: ReturnType<typeof createHttpServer>;

beforeEach(async () => {
  purges = [];
  answer = 200;
  endpoint = createHttpServer((request, response) => {
    purges.push(request.headers);
    request.resume();
    response.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const port = (endpoint.address() as AddressInfo).port;

  newsroom = await openTestNewsroom();
  await installSampleContent(newsroom);
  const config = loadConfig({
    MASTHEAD_DATA: newsroom.dataDir,
    LOG_LEVEL: 'silent',
    MASTHEAD_CDN_PURGE_URL: `http://127.0.0.1:${port}/purge`,
    MASTHEAD_CDN_PURGE_HEADER: 'Fastly-Key: not-a-real-key',
    ...(newsroom.databaseUrl ? { DATABASE_URL: newsroom.databaseUrl } : {}),
  });
  // The server closes the store it is given: a handle of its own.
  const store = await openStore({
    databaseUrl: newsroom.databaseUrl,
    databaseFile: join(newsroom.dataDir, 'masthead.sqlite'),
  });
  app = await createServer({ ...newsroom, store }, config);
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
  await new Promise((resolve) => endpoint.close(resolve));
});

async function waitForPurges(count: number): Promise<void> {
  for (let i = 0; i < 100 && purges.length < count; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect(purges.length).toBe(count);
}

describe('CDN purging', () => {
  it('tells the CDN the same tags the edited article’s page carried in its Surrogate-Key header', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
    const { id, url, version } = await publishThroughApi(editor, {
      title: 'Ferry timetable changes for winter',
      section: 'news/world',
      tags: ['Ferries'],
    });
    await waitForPurges(1);

    const page = await app.inject(url);
    expect(page.statusCode).toBe(200);
    const pageTags = String(page.headers['surrogate-key']).split(' ');
    expect(pageTags).toContain(`a:${url}`);

    purges.length = 0;
    // An edit to a published article reaches readers with Update.
    const edited = await editor.send('POST', `/api/articles/${id}/transitions/update`, {
      version,
      changes: { title: 'Ferry timetable changes for the winter months' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    await waitForPurges(1);
    const [purge] = purges;
    expect(purge?.['fastly-key']).toBe('not-a-real-key');
    const purged = String(purge?.['surrogate-key']).split(' ');
    // The article, its section's listing, its tag's page, the home page and the feeds.
    for (const tag of [`a:${url}`, 'l:section:news/world', 'l:tag:ferries', 'l:home', 'feeds'])
      expect(purged).toContain(tag);
    // Whatever the CDN keyed the page by, one of those names reaches it.
    expect(purged.some((tag) => pageTags.includes(tag))).toBe(true);
    // The site's chrome did not change: pages without this article keep their copies.
    expect(purged).not.toContain('site');
  });

  it('purges every page by the tag all pages carry when the settings change, and a failing CDN never fails the change', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Holt');
    const home = await app.inject('/');
    expect(String(home.headers['surrogate-key']).split(' ')).toContain('site');

    answer = 503;
    const changed = await chief.send('PUT', '/api/settings/site', {
      tagline: 'Reporting from the islands, still.',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    await waitForPurges(1);
    expect(purges[0]?.['surrogate-key']).toBe('site');
    // Masthead's own cache was purged all the same.
    expect((await app.inject('/')).body).toContain('Reporting from the islands, still.');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchImportedMedia } from '../../src/newsroom/fetch-media.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import { openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';

// Imported photos keep their old address; `masthead media fetch` downloads
// them later. A local HTTP server stands in for the old site: tests never go
// to the network.

let newsroom: TestNewsroom;
let server: Server;
let origin: string;
let photo: Buffer;
const requests: string[] = [];

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  photo = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#4a7' } })
    .jpeg()
    .toBuffer();
  requests.length = 0;
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/photo.jpg') response.end(photo);
    else if (request.url === '/text.jpg') response.end('not a picture');
    else if (request.url === '/huge.jpg') {
      // No size announced: the client must stop reading at its limit.
      response.write(Buffer.alloc(300_000));
      response.end(Buffer.alloc(300_000));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await newsroom.dispose();
});

/** Imports a ninjs picture whose one rendition lives at `path` on the test server. */
async function importPicture(name: string, path: string) {
  const item = {
    uri: `urn:example:picture:${name}`,
    type: 'picture',
    headlines: [{ role: 'main', value: `Picture ${name}` }],
    renditions: [{ name: 'original', href: `${origin}${path}`, width: 640, height: 400 }],
  };
  await importSource(newsroom, bytesSource(`${name}.json`, Buffer.from(JSON.stringify(item))));
}

async function files() {
  return newsroom.store.db
    .selectFrom('media')
    .select(['id', 'file', 'source_url'])
    .orderBy('id')
    .execute();
}

describe('fetching imported photos', () => {
  it('downloads each file, checks it like an upload, and leaves failures for the next run', async () => {
    await importPicture('good', '/photo.jpg');
    await importPicture('missing', '/missing.jpg');
    await importPicture('text', '/text.jpg');
    await importPicture('huge', '/huge.jpg');
    expect(requests).toEqual([]); // the import itself fetched nothing
    const lines = await fetchImportedMedia(newsroom, { maxBytes: 500_000, allowPrivate: true });
    expect(
      lines.map((line) => [line.url.replace(origin, ''), line.ok, line.detail.split(':')[0]]),
    ).toEqual([
      ['/photo.jpg', true, '640×400'],
      ['/missing.jpg', false, 'the server answered 404'],
      [
        '/text.jpg',
        false,
        'the file is not a photo Masthead can read (it may be damaged, or in a format such as HEIC or PDF)',
      ],
      ['/huge.jpg', false, 'larger than 0.5 MB'],
    ]);
    const [good, ...rest] = await files();
    expect(good?.file).toMatch(/^[a-f0-9]{32}\.jpg$/);
    expect(rest.every((media) => media.file === null)).toBe(true);
    // A second run retries only the failures.
    requests.length = 0;
    await fetchImportedMedia(newsroom, { maxBytes: 500_000, allowPrivate: true });
    expect(requests.sort()).toEqual(['/huge.jpg', '/missing.jpg', '/text.jpg']);
  });

  it('runs from the CLI, exiting 1 while some photo could not be fetched', async () => {
    await importPicture('good', '/photo.jpg');
    const first = await runCliOn(newsroom, ['media', 'fetch', '--allow-private']);
    expect(first.code).toBe(0);
    expect(first.lines.at(-1)).toBe('fetched 1 photos, 0 failed (run again to retry them)');
    expect((await runCliOn(newsroom, ['media', 'fetch', '--allow-private'])).lines).toEqual([
      'no imported photo is waiting for its file',
    ]);
    await importPicture('missing', '/missing.jpg');
    const failed = await runCliOn(newsroom, ['media', 'fetch', '--allow-private']);
    expect(failed.code).toBe(1);
    expect(failed.lines[0]).toMatch(
      /^failed media #\d+ http:\/\/127\.0\.0\.1:\d+\/missing\.jpg: the server answered 404$/,
    );
  });

  it('refuses loopback and private addresses unless allowed, at every redirect hop', async () => {
    await importPicture('good', '/photo.jpg');
    const [refused] = await fetchImportedMedia(newsroom, { maxBytes: 500_000 });
    expect(refused?.detail).toBe(
      '127.0.0.1 is a private or local address: not fetched (pass --allow-private to allow it)',
    );
    expect(requests).toEqual([]);
    // A public address that redirects to the cloud metadata service.
    await newsroom.store.db
      .updateTable('media')
      .set({ source_url: 'http://203.0.113.7/p.jpg' })
      .execute();
    const hops: string[] = [];
    const redirecting: typeof fetch = async (input) => {
      hops.push(String(input));
      return new Response(null, {
        status: 302,
        headers: { location: 'http://169.254.169.254/latest/meta-data/' },
      });
    };
    const [metadata] = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      fetch: redirecting,
    });
    expect(hops).toEqual(['http://203.0.113.7/p.jpg']);
    expect(metadata?.detail).toBe(
      '169.254.169.254 is a private or local address: not fetched (pass --allow-private to allow it)',
    );
  });

  it('goes through every waiting photo, so failures at the front never starve the rest', async () => {
    for (const name of ['a', 'b', 'c']) await importPicture(name, '/missing.jpg');
    await importPicture('good', '/photo.jpg');
    const lines = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      allowPrivate: true,
      limit: 3,
    });
    expect(lines.map((line) => line.ok)).toEqual([false, false, false]);
    const all = await fetchImportedMedia(newsroom, { maxBytes: 500_000, allowPrivate: true });
    expect(all.map((line) => line.ok)).toEqual([false, false, false, true]);
  });
});

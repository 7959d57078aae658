import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchImportedMedia } from '../../src/newsroom/fetch-media.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import type { Resolve } from '../../src/newsroom/public-download.js';
import { openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';

// Imported photos keep their old address; `masthead media fetch` downloads
// them later. A local HTTP server on 127.0.0.1 stands in for the old site, and
// host names are resolved by the test's own resolver: tests never go to the
// network, and no address other than 127.0.0.1 is ever connected to (the
// address check itself is tested in src/core/public-address.test.ts).

let newsroom: TestNewsroom;
let server: Server;
let port: number;
let origin: string;
let photo: Buffer;
const requests: string[] = [];
// Requests being answered at once: in all, and by Host header.
let inFlight = 0;
let mostInFlight = 0;
const inFlightByHost = new Map<string, number>();
const mostInFlightByHost = new Map<string, number>();
const hostsSeen: string[] = [];

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  photo = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#4a7' } })
    .jpeg()
    .toBuffer();
  requests.length = 0;
  hostsSeen.length = 0;
  inFlight = 0;
  mostInFlight = 0;
  inFlightByHost.clear();
  mostInFlightByHost.clear();
  server = createServer((request, response) => {
    const url = request.url ?? '';
    const host = request.headers.host ?? '';
    requests.push(url);
    hostsSeen.push(host);
    if (/^\/photo(-\w+)?\.jpg$/.test(url)) response.end(photo);
    else if (url === '/text.jpg') response.end('not a picture');
    else if (url === '/huge.jpg') {
      // No size announced: the client must stop reading at its limit.
      response.write(Buffer.alloc(300_000));
      response.end(Buffer.alloc(300_000));
    } else if (url === '/error.jpg') response.writeHead(500).end('database down');
    else if (url === '/stall.jpg') {
      // Half the photo, then nothing more: the read must time out.
      response.writeHead(200, { 'content-length': String(photo.length) });
      response.write(photo.subarray(0, photo.length / 2));
    } else if (url === '/reset.jpg') {
      response.writeHead(200, { 'content-length': String(photo.length) });
      response.write(photo.subarray(0, photo.length / 2), () => response.socket?.destroy());
    } else if (url.startsWith('/slow/')) {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const now = (inFlightByHost.get(host) ?? 0) + 1;
      inFlightByHost.set(host, now);
      mostInFlightByHost.set(host, Math.max(mostInFlightByHost.get(host) ?? 0, now));
      setTimeout(() => {
        inFlight--;
        inFlightByHost.set(host, (inFlightByHost.get(host) ?? 1) - 1);
        response.end(photo);
      }, 300);
    } else if (url === '/to-metadata') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else if (url === '/to-inside') {
      response.writeHead(302, { location: `http://inside.test:${port}/photo.jpg` }).end();
    } else if (url === '/to-mapped') {
      response.writeHead(302, { location: `http://[::ffff:7f00:1]:${port}/photo.jpg` }).end();
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});
afterEach(async () => {
  // The stalled answers never end by themselves.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await newsroom.dispose();
});

/** Imports a ninjs picture whose one rendition lives at `path` on the test server (or at `path` if absolute). */
async function importPicture(name: string, path: string) {
  const href = path.startsWith('/') ? `${origin}${path}` : path;
  const item = {
    uri: `urn:example:picture:${name}`,
    type: 'picture',
    headlines: [{ role: 'main', value: `Picture ${name}` }],
    renditions: [{ name: 'original', href, width: 640, height: 400 }],
  };
  await importSource(newsroom, bytesSource(`${name}.json`, Buffer.from(JSON.stringify(item))));
}

/** Points every waiting photo at `path` on the test server, under the name `host`. */
async function pointAt(path: string, host = 'photos.test') {
  await newsroom.store.db
    .updateTable('media')
    .set({ source_url: `http://${host}:${port}${path}` })
    .execute();
}

/** A resolver that knows only the names it is given. */
function resolver(names: Record<string, string[]>, calls: string[] = []): Resolve {
  return async (host) => {
    calls.push(host);
    const addresses = names[host];
    if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return addresses;
  };
}

// The test's one exception to the address check: its own listener.
const isTestListener = (address: string) => address === '127.0.0.1';

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
    expect(first.lines.at(-1)).toBe('fetched 1 photos, 0 failed');
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
    // A public host (as the test's resolver has it) that redirects to the
    // cloud metadata service: refused before any connection is made.
    await pointAt('/to-metadata');
    const [metadata] = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      resolve: resolver({ 'photos.test': ['127.0.0.1'] }),
      allowAddress: isTestListener,
    });
    expect(requests).toEqual(['/to-metadata']);
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
  it('refuses a redirect to a name that resolves to a private address, or to loopback written as IPv6', async () => {
    await importPicture('inside', `http://photos.test:${port}/to-inside`);
    await importPicture('mapped', `http://photos.test:${port}/to-mapped`);
    const lines = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      resolve: resolver({ 'photos.test': ['127.0.0.1'], 'inside.test': ['192.168.1.10'] }),
      allowAddress: isTestListener,
    });
    expect(lines.map((line) => line.detail)).toEqual([
      'inside.test (192.168.1.10) is a private or local address: not fetched (pass --allow-private to allow it)',
      '::ffff:7f00:1 is a private or local address: not fetched (pass --allow-private to allow it)',
    ]);
    expect(requests.sort()).toEqual(['/to-inside', '/to-mapped']);
  });

  it('checks every address a name resolves to, not only the first', async () => {
    await importPicture('mixed', `http://mixed.test:${port}/photo.jpg`);
    const [line] = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      resolve: resolver({ 'mixed.test': ['127.0.0.1', '10.1.2.3'] }),
      allowAddress: isTestListener,
    });
    expect(line?.detail).toBe(
      'mixed.test (10.1.2.3) is a private or local address: not fetched (pass --allow-private to allow it)',
    );
    expect(requests).toEqual([]);
  });

  it('connects to the address it checked, naming the host: a second answer (DNS rebinding) is never asked for', async () => {
    await importPicture('rebind', `http://photos.test:${port}/photo.jpg`);
    const calls: string[] = [];
    // The first answer passes the check; any later one would point elsewhere
    // (127.0.0.2, where nothing listens, so a second lookup would fail the fetch).
    const rebinding: Resolve = async (host) => {
      calls.push(host);
      return calls.length === 1 ? ['127.0.0.1'] : ['127.0.0.2'];
    };
    const [line] = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      resolve: rebinding,
      allowAddress: isTestListener,
    });
    expect(line?.detail).toBe('640×400');
    expect(calls).toEqual(['photos.test']);
    expect(hostsSeen).toEqual([`photos.test:${port}`]);
  });

  it('reports a photo whose server stalls mid-file, resets or answers 500, and stores the rest', async () => {
    await importPicture('a', '/photo-a.jpg');
    await importPicture('stall', '/stall.jpg');
    await importPicture('b', '/photo-b.jpg');
    await importPicture('error', '/error.jpg');
    await importPicture('reset', '/reset.jpg');
    await importPicture('c', '/photo-c.jpg');
    const lines = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      allowPrivate: true,
      timeoutMs: 1000,
    });
    expect(lines.map((line) => [line.url.replace(origin, ''), line.ok, line.detail])).toEqual([
      ['/photo-a.jpg', true, '640×400'],
      ['/stall.jpg', false, 'could not be fetched: no complete answer within 1 s'],
      ['/photo-b.jpg', true, '640×400'],
      ['/error.jpg', false, 'the server answered 500'],
      ['/reset.jpg', false, 'could not be fetched: the connection was reset'],
      ['/photo-c.jpg', true, '640×400'],
    ]);
    const stored = await files();
    expect(stored.map((media) => media.file !== null)).toEqual([
      true,
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('lists what failed at the end of a CLI run, which goes on past a stalled server', async () => {
    await importPicture('stall', '/stall.jpg');
    await importPicture('error', '/error.jpg');
    await importPicture('good', '/photo.jpg');
    const run = await runCliOn(newsroom, ['media', 'fetch', '--allow-private', '--timeout', '1']);
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(6);
    expect(run.lines.slice(-3).join('\n')).toMatch(
      new RegExp(
        [
          '^fetched 1 photos, 2 failed \\(run again to retry them\\):',
          `  media #\\d+ ${origin}/stall\\.jpg: could not be fetched: no complete answer within 1 s`,
          `  media #\\d+ ${origin}/error\\.jpg: the server answered 500$`,
        ].join('\n'),
      ),
    );
    // The next run retries only the two.
    requests.length = 0;
    await runCliOn(newsroom, ['media', 'fetch', '--allow-private', '--timeout', '1']);
    expect(requests.sort()).toEqual(['/error.jpg', '/stall.jpg']);
  });

  it('fetches four photos at a time, never more than two from one host', async () => {
    const hosts = ['a.test', 'b.test', 'c.test'];
    for (const host of hosts) {
      for (const n of [1, 2, 3])
        await importPicture(`${host}-${n}`, `http://${host}:${port}/slow/${n}.jpg`);
    }
    const lines = await fetchImportedMedia(newsroom, {
      maxBytes: 500_000,
      resolve: resolver(Object.fromEntries(hosts.map((host) => [host, ['127.0.0.1']]))),
      allowAddress: isTestListener,
    });
    expect(lines.map((line) => line.detail)).toEqual(Array(9).fill('640×400'));
    expect(mostInFlight).toBe(4);
    expect([...mostInFlightByHost.values()]).toEqual([2, 2, 2]);
  });
});

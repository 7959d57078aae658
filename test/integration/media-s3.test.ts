import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { renditionName } from '../../src/core/renditions.js';
import { mediaBytesFor } from '../../src/main.js';
import { exportBackup, restoreBackup } from '../../src/newsroom/backup.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { openPostgresStore } from '../../src/store/database.js';
import { withLease } from '../../src/store/leases.js';
import type { MediaBytes } from '../../src/store/media-bytes.js';
import { mediaFilesOn } from '../../src/store/media-files.js';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Photos on S3-compatible object storage (MASTHEAD_MEDIA_URL), against a
// local S3 server (s3rver) started here on 127.0.0.1: masters and renditions
// in one bucket, originals in another, nothing in the data directory; a
// rendition made once however many servers ask; backups read from the
// buckets and restore into them.

const ACCESS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const BUCKETS = ['photos', 'originals', 'photos-restored', 'originals-restored'];

let s3: S3rver;
let s3Folder: string;
let endpoint: string;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  s3Folder = await mkdtemp(join(tmpdir(), 'masthead-s3-'));
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: s3Folder,
    configureBuckets: BUCKETS.map((name) => ({ name, configs: [] })),
  });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  // The AWS SDK's own credential chain reads them, as it would on a server.
  for (const [key, value] of Object.entries(ACCESS)) {
    savedEnv[key] = process.env[key];
    process.env[key] = value;
  }
});
afterAll(async () => {
  await s3.close();
  await rm(s3Folder, { recursive: true, force: true });
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** The photos' storage as the configuration names it. */
function storageFor(mediaBucket: string, originalsBucket: string): MediaBytes {
  return mediaBytesFor(
    loadConfig({
      MASTHEAD_MEDIA_URL: `s3://${mediaBucket}/site/media`,
      MASTHEAD_ORIGINALS_URL: `s3://${originalsBucket}/site`,
      MASTHEAD_S3_ENDPOINT: endpoint,
    }),
  );
}

let newsroom: TestNewsroom;
let bytes: MediaBytes;
const cleanup: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  const base = await openTestNewsroom();
  bytes = storageFor('photos', 'originals');
  newsroom = { ...base, mediaFiles: mediaFilesOn(bytes) };
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  for (const area of ['public', 'private'] as const) {
    for (const name of await bytes.list(area)) await bytes.remove(area, name);
  }
  await newsroom.dispose();
});

async function jpeg(width: number, colour: string): Promise<Buffer> {
  const height = Math.round(width / 2);
  return await sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
}

describe('photos on S3-compatible object storage', () => {
  it('keeps masters and renditions in the media bucket, originals in the private one, nothing on disk', async () => {
    const app: FastifyInstance = await buildTestServer(newsroom, { sample: false });
    cleanup.push(() => app.close());
    const editor: Client = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const upload = await jpeg(1000, '#335577');
    const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes: upload,
      alt: 'The harbour at dawn',
      caption: 'The harbour at dawn',
      credit: 'Harbour Desk',
    });
    const master = photo.file ?? '';
    expect(master).toMatch(/^[a-f0-9]{32}\.jpg$/);
    expect(await bytes.list('public')).toEqual([master]);
    const [original] = await bytes.list('private');
    expect(original).toBe(master);
    // Exactly the bytes that arrived, metadata and all.
    expect(await bytes.read('private', original ?? '')).toEqual(upload);
    // Under the prefixes the addresses name.
    expect(bytes.where).toEqual({
      public: 's3://photos/site/media/',
      private: 's3://originals/site/',
    });
    // Nothing under the data directory.
    for (const folder of ['media', 'originals']) {
      expect(await readdir(join(newsroom.dataDir, folder)).catch(() => [])).toEqual([]);
    }

    // Readers get the master and a rendition, made on first request and kept.
    const rendition = renditionName(master, 640, 'webp');
    const first = await app.inject(`/media/${rendition}`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/webp');
    expect((await sharp(first.rawPayload).metadata()).width).toBe(640);
    expect(await bytes.list('public')).toEqual([rendition, master].sort());
    expect((await app.inject(`/media/${master}`)).rawPayload).toEqual(
      await bytes.read('public', master),
    );
    // Editors download the original from the private bucket.
    const downloaded = await editor.send('GET', `/api/media/${photo.id}/original`);
    expect(downloaded.statusCode).toBe(200);
    expect(downloaded.rawPayload).toEqual(upload);

    // Deleting the photo deletes all of it.
    const removed = await editor.send('DELETE', `/api/media/${photo.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await bytes.list('public')).toEqual([]);
    expect(await bytes.list('private')).toEqual([]);
  });

  it('backs up the photos from the buckets and restores them into empty ones', async () => {
    const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes: await jpeg(800, '#774411'),
      alt: 'A ferry',
      caption: 'A ferry',
      credit: 'Harbour Desk',
    });
    const master = photo.file ?? '';
    // A rendition is derived, not backed up.
    expect((await newsroom.mediaFiles.read(renditionName(master, 320, 'jpg')))?.body).toBeTruthy();
    const file = join(newsroom.dataDir, 'site.tar.gz');
    const backup = await exportBackup(newsroom, file);
    expect(backup.mediaFiles).toBe(1);
    expect(backup.originals).toBe(1);

    const restoredInto = storageFor('photos-restored', 'originals-restored');
    cleanup.push(async () => {
      for (const area of ['public', 'private'] as const) {
        for (const name of await restoredInto.list(area)) await restoredInto.remove(area, name);
      }
    });
    const target = await mkdtemp(join(tmpdir(), 'masthead-restore-'));
    cleanup.push(() => rm(target, { recursive: true, force: true }));
    // Into a SQLite data directory, whichever database the backup came from.
    const config = loadConfig({ MASTHEAD_DATA: target });
    const restored = await restoreBackup(file, { ...config, media: restoredInto });
    expect(restored.mediaFiles).toBe(1);
    expect(await restoredInto.list('public')).toEqual([master]);
    expect(await restoredInto.read('public', master)).toEqual(await bytes.read('public', master));
    expect(await restoredInto.list('private')).toEqual(await bytes.list('private'));
    expect(await readdir(join(target, 'media')).catch(() => [])).toEqual([]);

    // Storage that holds photos already is refused, and nothing is written.
    const again = await mkdtemp(join(tmpdir(), 'masthead-restore-'));
    cleanup.push(() => rm(again, { recursive: true, force: true }));
    await expect(
      restoreBackup(file, { ...loadConfig({ MASTHEAD_DATA: again }), media: restoredInto }),
    ).rejects.toThrow('s3://photos-restored/site/media/ is not empty; restore into empty storage');
  });

  it.skipIf(!ON_POSTGRES)(
    'makes a rendition once however many servers sharing the storage ask at once (PostgreSQL)',
    async () => {
      const photo = await uploadImage(newsroom, SYSTEM_ACTOR, {
        bytes: await jpeg(1400, '#225522'),
        alt: 'A crane',
        caption: 'A crane',
        credit: 'Harbour Desk',
      });
      const rendition = renditionName(photo.file ?? '', 1280, 'avif');
      // Two servers, each with its own connection pool to the database and
      // its own handle on the storage, counting what they write.
      const writes: string[] = [];
      const counted: MediaBytes = {
        ...bytes,
        write: async (area, name, body, type) => {
          writes.push(name);
          await bytes.write(area, name, body, type);
        },
      };
      const servers = [];
      for (let n = 0; n < 2; n++) {
        const store = await openPostgresStore(newsroom.databaseUrl ?? '');
        cleanup.push(() => store.close());
        servers.push(
          mediaFilesOn(counted, { lease: (name, work) => withLease(store.db, name, work) }),
        );
      }
      const answers = await Promise.all(
        servers.flatMap((server) => Array.from({ length: 6 }, () => server.read(rendition))),
      );
      expect(writes.filter((name) => name === rendition)).toEqual([rendition]);
      const first = answers[0]?.body;
      expect(first).toBeTruthy();
      for (const answer of answers)
        expect(answer?.body.equals(first ?? Buffer.alloc(0))).toBe(true);
    },
  );
});

describe('the object storage settings', () => {
  it('needs both addresses, and keeps originals out of the photos’ bucket', () => {
    expect(() => loadConfig({ MASTHEAD_MEDIA_URL: 's3://photos/media' })).toThrow(
      /set both or neither/,
    );
    // Even under another prefix: a bucket made public would hand them out.
    expect(() =>
      loadConfig({
        MASTHEAD_MEDIA_URL: 's3://photos/site/media',
        MASTHEAD_ORIGINALS_URL: 's3://photos/kept',
      }),
    ).toThrow(/MASTHEAD_ORIGINALS_URL: s3:\/\/photos\/kept is in the bucket of MASTHEAD_MEDIA_URL/);
    expect(() =>
      loadConfig({ MASTHEAD_MEDIA_URL: 's3://photos', MASTHEAD_ORIGINALS_URL: 's3://photos' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig({
        MASTHEAD_MEDIA_URL: 'https://photos.example/',
        MASTHEAD_ORIGINALS_URL: 's3://o',
      }),
    ).toThrow(/MASTHEAD_MEDIA_URL: an s3:\/\/bucket\/prefix address/);
    expect(
      loadConfig({
        MASTHEAD_MEDIA_URL: 's3://photos',
        MASTHEAD_ORIGINALS_URL: 's3://photos-private/kept/',
        MASTHEAD_S3_ENDPOINT: 'http://127.0.0.1:9000',
      }).mediaStorage,
    ).toEqual({
      public: { bucket: 'photos', prefix: '' },
      private: { bucket: 'photos-private', prefix: 'kept/' },
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
    });
  });
});

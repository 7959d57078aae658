import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from 'kysely';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { STORAGE_FULL, uploadImage } from '../../src/newsroom/upload-media.js';
import { type FileWriter, mediaFilesAt } from '../../src/store/media-files.js';
import { buildTestServer, type Client, signIn } from '../admin.js';
import { ON_POSTGRES } from '../databases.js';
import { postUpload } from '../multipart.js';
import { countRows, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// A full disk, wherever it is met: writing the original or the master file
// (ENOSPC), or in the database (SQLITE_FULL, PostgreSQL 53100). The reporter is
// told so plainly (507 storage_full), and nothing of the upload is left: no
// file, no temporary file, no row.

let newsroom: TestNewsroom;
let app: FastifyInstance | undefined;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await newsroom.dispose();
});

const mediaDir = () => join(newsroom.dataDir, 'media');
const originalsDir = () => join(newsroom.dataDir, 'originals');

/** Every file under media/ and originals/, temporary files included. */
async function storedFiles(): Promise<string[]> {
  const list = async (directory: string) =>
    (await readdir(directory).catch(() => [] as string[])).map((name) => join(directory, name));
  return [...(await list(mediaDir())), ...(await list(originalsDir()))];
}

/**
 * Writes as a full disk does: the file is created, then the write fails with
 * ENOSPC, leaving an empty file behind. Writes before the `failing`th succeed.
 */
function fullDiskAt(failing: number): FileWriter {
  let writes = 0;
  return async (path, data) => {
    writes += 1;
    if (writes < failing) return await writeFile(path, data);
    await writeFile(path, '');
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), {
      code: 'ENOSPC',
      errno: -28,
      syscall: 'write',
    });
  };
}

async function startWithEditor(): Promise<Client> {
  app = await buildTestServer(newsroom, { sample: false });
  return await signIn(app, newsroom, 'editor', 'Ada Editor');
}

async function upload(editor: Client, caption = 'The council met behind closed doors.') {
  if (!app) throw new Error('no server');
  const bytes = await sharp({
    create: { width: 640, height: 400, channels: 3, background: '#884422' },
  })
    .jpeg()
    .toBuffer();
  return await postUpload(app, editor, [
    { name: 'alt', value: 'Protesters outside the city council' },
    { name: 'caption', value: caption },
    { name: 'credit', value: 'EPA / Grigory Sysoev / Sputnik' },
    { name: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', bytes },
  ]);
}

function expectStorageFull(response: { statusCode: number; json: () => unknown }) {
  expect(response.statusCode).toBe(507);
  expect(response.json()).toEqual({ error: { code: 'storage_full', message: STORAGE_FULL } });
  expect(STORAGE_FULL).toMatch(/^the server's disk is full: the photo was not saved/);
}

/** Lets the SQLite database grow by no page at all: the next write that needs one fails with SQLITE_FULL. */
async function freezeSqliteSize(): Promise<void> {
  const { db } = newsroom.store;
  await sql`vacuum`.execute(db);
  const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
  await sql.raw(`pragma max_page_count = ${Number(pages.rows[0]?.page_count)}`).execute(db);
}

describe('an upload to a full disk', () => {
  it('answers 507 when the original cannot be written, leaving no file and no row', async () => {
    newsroom.mediaFiles = mediaFilesAt(mediaDir(), originalsDir(), fullDiskAt(1));
    const editor = await startWithEditor();
    const before = await countRows(newsroom);
    expectStorageFull(await upload(editor));
    expect(await storedFiles()).toEqual([]);
    expect(await countRows(newsroom)).toEqual(before);
  });

  it('answers 507 when the master cannot be written, removing the original already written', async () => {
    newsroom.mediaFiles = mediaFilesAt(mediaDir(), originalsDir(), fullDiskAt(2));
    const editor = await startWithEditor();
    const before = await countRows(newsroom);
    expectStorageFull(await upload(editor));
    expect(await storedFiles()).toEqual([]);
    expect(await countRows(newsroom)).toEqual(before);
  });

  it('answers 507 when the database reports its disk full, removing the stored files', async () => {
    // The database fails the media row's insert, inside the upload's
    // transaction, with the code its driver gives a full disk.
    const code = ON_POSTGRES ? '53100' : 'SQLITE_FULL';
    const inserts = new WeakSet<object>();
    const fullDatabase: KyselyPlugin = {
      transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
        if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'media')
          inserts.add(queryId);
        return node;
      },
      async transformResult({
        queryId,
        result,
      }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        if (inserts.has(queryId))
          throw Object.assign(new Error('could not extend file: No space left on device'), {
            code,
          });
        return result;
      },
    };
    newsroom.store = { ...newsroom.store, db: newsroom.store.db.withPlugin(fullDatabase) };
    const editor = await startWithEditor();
    const before = await countRows(newsroom);
    expectStorageFull(await upload(editor));
    expect(await storedFiles()).toEqual([]);
    expect(await countRows(newsroom)).toEqual(before);
  });

  it('keeps what the disk or the database said, for the server log', async () => {
    const photo = {
      bytes: await sharp({ create: { width: 64, height: 48, channels: 3, background: '#123456' } })
        .png()
        .toBuffer(),
      alt: 'A photo',
      credit: 'AP',
    };
    newsroom.mediaFiles = mediaFilesAt(mediaDir(), originalsDir(), fullDiskAt(1));
    expect(await uploadImage(newsroom, SYSTEM_ACTOR, photo).catch((error) => error)).toMatchObject({
      code: 'storage_full',
      detail: { code: 'ENOSPC', syscall: 'write' },
    });
    if (ON_POSTGRES) return;
    newsroom.mediaFiles = mediaFilesAt(mediaDir(), originalsDir());
    await freezeSqliteSize();
    expect(
      await uploadImage(newsroom, SYSTEM_ACTOR, { ...photo, caption: 'Ж'.repeat(2000) }).catch(
        (error) => error,
      ),
    ).toMatchObject({ code: 'storage_full', detail: { code: 'SQLITE_FULL' } });
    expect(await storedFiles()).toEqual([]);
  });

  it.skipIf(ON_POSTGRES)(
    'answers 507 on a real SQLITE_FULL, leaving no file and no row',
    async () => {
      const editor = await startWithEditor();
      const before = await countRows(newsroom);
      await freezeSqliteSize();
      // A row larger than a page (a long caption in Cyrillic, two bytes a letter) needs a new one.
      expectStorageFull(await upload(editor, 'Ж'.repeat(2000)));
      expect(await storedFiles()).toEqual([]);
      expect(await countRows(newsroom)).toEqual(before);
    },
  );
});

describe('a transaction on a full SQLite disk', () => {
  it.skipIf(ON_POSTGRES)(
    'fails with SQLITE_FULL, not "cannot rollback", when SQLite ends the transaction itself',
    async () => {
      const { db } = newsroom.store;
      await sql`create table filler (text text)`.execute(db);
      await freezeSqliteSize();
      // On SQLITE_FULL in a statement without a statement journal, SQLite
      // rolls the whole transaction back; the rollback that follows must not
      // replace the error that says what happened.
      const failure = await db
        .transaction()
        .execute(async (trx) => {
          await sql`insert into filler (text) values (${'x'.repeat(6000)})`.execute(trx);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).toMatchObject({ code: 'SQLITE_FULL' });
      // The database goes on working: reads, and writes that fit.
      expect(await countRows(newsroom)).toMatchObject({ media: 0 });
      await sql`delete from filler`.execute(db);
    },
  );
});

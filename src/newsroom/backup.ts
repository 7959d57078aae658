import { createReadStream, createWriteStream } from 'node:fs';
import {
  access,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { parseRenditionName } from '../core/renditions.js';
import {
  type ArchiveEntry,
  type Digest,
  digestFile,
  digestOf,
  hashingStream,
  readArchive,
  writeArchive,
} from '../store/backup-archive.js';
import {
  BACKUP_TABLES,
  checkTablesClassified,
  dumpTables,
  EXCLUDED_TABLES,
  firstTableWithRows,
  firstTableWithRowsIn,
  knownSchemaLevels,
  linesOf,
  restoreTables,
  schemaLevel,
} from '../store/backup-rows.js';
import { databaseName, openPostgresStore, openSqliteStore, type Store } from '../store/database.js';
import type { MediaArea, MediaBytes } from '../store/media-bytes.js';
import { originalContentType } from '../store/media-files.js';
import type { Newsroom } from './newsroom.js';

// A backup is one self-describing file: a gzip-compressed tar holding
//   manifest.json          what it is (format, versions, schema level, date), its tables
//                          with their row counts, and the SHA-256 of every other entry;
//   tables/<table>.jsonl   one JSON object per row, columns as stored, primary-key order;
//   media/<file>           the public photo masters;
//   originals/<file>       the uploads as they arrived (never served).
// The manifest comes first, so a restore can refuse a wrong or too new archive
// before reading gigabytes of photos.

export const BACKUP_FORMAT = 'masthead-backup';
export const BACKUP_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
// A manifest lists every file; a million of them is about 150 MB of JSON.
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

// File names in media/ and originals/: content hashes and an extension, no
// path separators and no leading dot, so an entry can never land outside its folder.
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}$/;
const FOLDERS = ['media', 'originals'] as const;
type Folder = (typeof FOLDERS)[number];

// Renditions (<hash>-640.webp …) are not backed up: media-files.ts makes them
// again from the master on first request, byte for byte alike with the same
// image library, and they are most of the folder's size.
const SKIPPED_FILES = 'photo renditions (made again from the masters on first request)';

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  mastheadVersion: z.string().min(1),
  schemaLevel: z.string().min(1),
  createdAt: z.iso.datetime(),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative() })),
  excluded: z.object({ tables: z.record(z.string(), z.string()), files: z.string() }).optional(),
  entries: z.array(
    z.object({
      name: z.string(),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[a-f0-9]{64}$/),
    }),
  ),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export type BackupSummary = {
  file: string;
  schemaLevel: string;
  tables: { name: string; rows: number }[];
  mediaFiles: number;
  originals: number;
};

/**
 * Writes the whole newsroom — every backed-up table's rows, the photo masters
 * and the kept originals — as one backup archive at `file`, which is complete
 * or absent, never half-written. The database is read from one snapshot.
 */
export async function exportBackup(newsroom: Newsroom, file: string): Promise<BackupSummary> {
  const db = newsroom.store.db;
  await checkTablesClassified(db);
  const level = await schemaLevel(db);
  const createdAt = newsroom.now();
  const outputFolder = dirname(resolve(file));
  if (!(await exists(outputFolder)))
    throw new DomainError(
      'not_found',
      `cannot write ${file}: the folder ${outputFolder} does not exist`,
    );
  // Table dumps wait beside the target (same disk, usually roomier than /tmp)
  // until the manifest, which must come first, knows their checksums.
  const work = await mkdtemp(join(outputFolder, '.masthead-backup-'));
  try {
    const tables: { name: string; rows: number }[] = [];
    const entries: ArchiveEntry[] = [];
    await dumpTables(db, newsroom.store.dialect, async (table, lines) => {
      const path = join(work, `${table}.jsonl`);
      const hasher = hashingStream();
      let rows = 0;
      async function* withNewlines() {
        for await (const line of lines) {
          rows++;
          yield `${line}\n`;
        }
      }
      await pipeline(Readable.from(withNewlines()), hasher, createWriteStream(path));
      tables.push({ name: table, rows });
      entries.push({ name: `tables/${table}.jsonl`, path, mode: 0o600, ...hasher.digest() });
    });
    // Files are listed after the rows were read: a photo is stored before its
    // row is committed, so every row in the snapshot finds its file.
    const counts: Record<Folder, number> = { media: 0, originals: 0 };
    const areas: [Folder, MediaArea][] = [
      ['media', 'public'],
      ['originals', 'private'],
    ];
    const stored = newsroom.mediaFiles.bytes;
    for (const [folder, area] of areas) {
      for (const name of await stored.list(area)) {
        if (!isBackedUp(folder, name)) continue;
        const path = await localCopy(stored, area, name, join(work, folder));
        if (path === null) continue; // removed since it was listed
        entries.push({
          name: `${folder}/${name}`,
          path,
          mode: folder === 'originals' ? 0o600 : 0o644,
          ...(await digestFile(path)),
        });
        counts[folder]++;
      }
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      mastheadVersion: await mastheadVersion(),
      schemaLevel: level,
      createdAt: createdAt.toISOString(),
      tables,
      excluded: { tables: { ...EXCLUDED_TABLES }, files: SKIPPED_FILES },
      entries: entries.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
    };
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await writeArchive(
      file,
      [{ name: MANIFEST, bytes, mode: 0o644, ...digestOf(bytes) }, ...entries],
      createdAt,
    );
    return {
      file,
      schemaLevel: level,
      tables,
      mediaFiles: counts.media,
      originals: counts.originals,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A file holding the stored bytes: the file they are in, or, from object
 * storage, a copy downloaded into `folder` (beside the backup, removed with
 * the work folder). Null when they are gone.
 */
async function localCopy(
  bytes: MediaBytes,
  area: MediaArea,
  name: string,
  folder: string,
): Promise<string | null> {
  if (bytes.localPath) return bytes.localPath(area, name);
  const body = await bytes.read(area, name);
  if (!body) return null;
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, name);
  await writeFile(path, body, { mode: 0o600 });
  return path;
}

function isBackedUp(folder: Folder, name: string): boolean {
  // Half-written files are never listed (media-bytes.ts).
  if (!FILE_NAME.test(name)) return false;
  return folder !== 'media' || parseRenditionName(name) === null;
}

async function mastheadVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}

/** Where a site's data lives (config.ts's names): the restore's target. */
export type DataDirectory = {
  dataDir: string;
  databaseFile: string;
  mediaDir: string;
  originalsDir: string;
  /** A PostgreSQL database to restore into instead of the SQLite file (config's DATABASE_URL). */
  databaseUrl?: string | null;
  /** Object storage to restore the photos into instead of mediaDir and originalsDir. */
  media?: MediaBytes | null;
};

export type RestoreSummary = BackupSummary & { mastheadVersion: string; createdAt: string };

/**
 * Restores the backup at `file` into an empty data directory: refuses a
 * target that holds a site, checks the manifest and every checksum before
 * writing anything, inserts the rows (ids kept) in one transaction, rebuilds
 * the search index, and moves the database and files into place only when all
 * of it worked. On any failure the target is left as it was.
 */
export async function restoreBackup(file: string, target: DataDirectory): Promise<RestoreSummary> {
  // A PostgreSQL target is opened (and migrated, which an empty database
  // allows) before anything else, to ask whether it is empty.
  const server = target.databaseUrl ? await openPostgresStore(target.databaseUrl) : null;
  try {
    await checkTargetIsEmpty(target, server);
    const known = await knownSchemaLevels();
    // First pass: read everything, write nothing.
    const checked = await scanArchive(file, known, () => null);
    return await restoreChecked(file, target, server, known, checked.manifestSha256);
  } finally {
    await server?.close();
  }
}

async function restoreChecked(
  file: string,
  target: DataDirectory,
  server: Store | null,
  known: readonly string[],
  checkedSha256: string,
): Promise<RestoreSummary> {
  const createdDataDir = !(await exists(target.dataDir));
  await mkdir(target.dataDir, { recursive: true });
  // Inside the data directory: the final moves are renames on one file system.
  const work = await mkdtemp(join(target.dataDir, '.restore-'));
  let isRestored = false;
  try {
    await mkdir(join(work, 'tables'));
    await mkdir(join(work, 'media'));
    await mkdir(join(work, 'originals'), { mode: 0o700 });
    // Second pass: the same checks again (the file could have changed since),
    // now writing each entry under the work folder.
    const second = await scanArchive(file, known, (name) =>
      createWriteStream(join(work, name), { mode: name.startsWith('media/') ? 0o644 : 0o600 }),
    );
    if (second.manifestSha256 !== checkedSha256)
      throw new DomainError('conflict', `${file} changed while it was being restored`);
    const { manifest } = second;
    const inBackup = new Set(manifest.tables.map((table) => table.name));
    const linesFor = (table: string) =>
      inBackup.has(table)
        ? linesOf(createReadStream(join(work, 'tables', `${table}.jsonl`)))
        : null;
    const folders: [string, string][] = [
      [join(work, 'media'), target.mediaDir],
      [join(work, 'originals'), target.originalsDir],
    ];

    const media = target.media ?? null;
    const placeFiles = () =>
      media
        ? uploadInto(media, join(work, 'media'), join(work, 'originals'))
        : moveIntoPlace(folders);

    if (server) {
      // The photos go into place inside the database's transaction: if they
      // cannot, the rows go too; if the commit fails, they are taken back.
      let undo = async (): Promise<void> => {};
      try {
        await restoreTables(server.db, linesFor, async () => {
          undo = await placeFiles();
        });
      } catch (error) {
        await undo();
        throw error;
      }
    } else {
      const databaseFile = join(work, basename(target.databaseFile));
      const store = await openSqliteStore(databaseFile);
      try {
        await restoreTables(store.db, linesFor);
      } finally {
        // Closing checkpoints the WAL into the file, so the file alone is the database.
        await store.close();
      }
      // An existing empty database (`masthead migrate` run first) is replaced;
      // its write-ahead log goes first, or SQLite would replay it into the
      // restored file. The database moves last: its arrival is what makes the
      // data directory a site.
      for (const suffix of ['-wal', '-shm', '-journal'])
        await rm(`${target.databaseFile}${suffix}`, { force: true });
      if (media) {
        const undo = await placeFiles();
        await moveIntoPlace([[databaseFile, target.databaseFile]]).catch(async (error: unknown) => {
          await undo();
          throw error;
        });
      } else {
        await moveIntoPlace([...folders, [databaseFile, target.databaseFile]]);
      }
    }
    isRestored = true;
    const count = (folder: Folder) =>
      manifest.entries.filter((entry) => entry.name.startsWith(`${folder}/`)).length;
    return {
      file,
      schemaLevel: manifest.schemaLevel,
      mastheadVersion: manifest.mastheadVersion,
      createdAt: manifest.createdAt,
      tables: manifest.tables,
      mediaFiles: count('media'),
      originals: count('originals'),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
    if (!isRestored && createdDataDir) await rmdir(target.dataDir).catch(() => {});
  }
}

async function exists(path: string): Promise<boolean> {
  return await access(path).then(
    () => true,
    () => false,
  );
}

/** Refuses a data directory whose database holds rows or whose photo folders hold files. */
async function checkTargetIsEmpty(target: DataDirectory, server: Store | null): Promise<void> {
  if (server) {
    const table = await firstTableWithRowsIn(server.db);
    if (table !== null)
      throw new DomainError(
        'conflict',
        `${databaseName(target)} already holds a site (its database has ${table} rows); restore into an empty database`,
      );
  } else if (await exists(target.databaseFile)) {
    let table: string | null;
    try {
      table = firstTableWithRows(target.databaseFile);
    } catch (error) {
      throw new DomainError(
        'conflict',
        `${target.databaseFile} exists and cannot be read as a Masthead database (${(error as Error).message}); restore into an empty data directory`,
      );
    }
    if (table !== null)
      throw new DomainError(
        'conflict',
        `${target.dataDir} already holds a site (its database has ${table} rows); restore into an empty data directory`,
      );
  }
  if (target.media) {
    for (const area of ['public', 'private'] as const) {
      if ((await target.media.list(area)).length > 0)
        throw new DomainError(
          'conflict',
          `${target.media.where[area]} is not empty; restore into empty storage`,
        );
    }
    return;
  }
  for (const directory of [target.mediaDir, target.originalsDir]) {
    const names = await readdir(directory).catch(() => [] as string[]);
    if (names.length > 0)
      throw new DomainError(
        'conflict',
        `${directory} is not empty; restore into an empty data directory`,
      );
  }
}

/**
 * Stores the restored photos in object storage, masters from `publicFolder`
 * and originals from `privateFolder`, removing what it stored if one fails;
 * returns how to remove them later.
 */
async function uploadInto(
  media: MediaBytes,
  publicFolder: string,
  privateFolder: string,
): Promise<() => Promise<void>> {
  const stored: [MediaArea, string][] = [];
  const undo = async () => {
    for (const [area, name] of stored) await media.remove(area, name).catch(() => {});
  };
  try {
    for (const [area, folder] of [
      ['public', publicFolder],
      ['private', privateFolder],
    ] as const) {
      for (const name of (await readdir(folder)).sort()) {
        const type = area === 'public' ? 'image/jpeg' : originalContentType(name);
        await media.write(area, name, await readFile(join(folder, name)), type);
        stored.push([area, name]);
      }
    }
  } catch (error) {
    await undo();
    throw error;
  }
  return undo;
}

/**
 * Renames each prepared path over its target, putting back what was moved if
 * one fails, and returns how to put them back later.
 */
async function moveIntoPlace(moves: [string, string][]): Promise<() => Promise<void>> {
  const moved: [string, string][] = [];
  const undo = async () => {
    for (const [from, to] of moved.reverse()) await rename(to, from).catch(() => {});
  };
  try {
    for (const [from, to] of moves) {
      // rename() replaces an empty directory, and fails on a full one (filled meanwhile).
      await rename(from, to);
      moved.push([from, to]);
    }
  } catch (error) {
    await undo();
    throw error;
  }
  return undo;
}

/**
 * Reads the whole archive at `file`, checking it against its manifest: the
 * manifest first and valid, for a schema this Masthead knows; every entry
 * listed, none twice, its size, SHA-256 and (for tables) row count as listed;
 * no listed entry missing. `sinkFor` gives where an entry's bytes go (null:
 * nowhere). Fails with a DomainError naming the problem.
 */
async function scanArchive(
  file: string,
  known: readonly string[],
  sinkFor: (name: string) => Writable | null,
): Promise<{ manifest: BackupManifest; manifestSha256: string }> {
  const name = basename(file);
  const state: { manifest: BackupManifest | null; manifestSha256: string } = {
    manifest: null,
    manifestSha256: '',
  };
  const seen = new Set<string>();
  await readArchive(file, async (entry, body) => {
    const manifest = state.manifest;
    if (manifest === null) {
      if (entry.name !== MANIFEST)
        throw malformed(
          `${name} is not a Masthead backup: it begins with ${entry.name}, not ${MANIFEST}`,
        );
      const bytes = await readAtMost(body, MAX_MANIFEST_BYTES, `${name}: ${MANIFEST}`);
      state.manifest = parseManifest(bytes, name, known);
      state.manifestSha256 = digestOf(bytes).sha256;
      return;
    }
    const listed = manifest.entries.find((candidate) => candidate.name === entry.name);
    if (!listed) throw malformed(`${name}: ${entry.name} is not listed in the manifest`);
    if (entry.type !== 'file')
      throw malformed(`${name}: ${entry.name} is a ${entry.type}, not a file`);
    if (seen.has(entry.name)) throw malformed(`${name}: ${entry.name} appears twice`);
    seen.add(entry.name);
    const hasher = hashingStream();
    const lines = lineCounter();
    await pipeline(body, hasher, lines, sinkFor(entry.name) ?? discard());
    const digest: Digest = hasher.digest();
    if (digest.sha256 !== listed.sha256 || digest.size !== listed.size)
      throw malformed(
        `${name}: ${entry.name} does not match its checksum in the manifest (the archive is damaged or was altered)`,
      );
    const table = manifest.tables.find(
      (candidate) => `tables/${candidate.name}.jsonl` === entry.name,
    );
    if (table && lines.count() !== table.rows)
      throw malformed(
        `${name}: ${entry.name} holds ${lines.count()} rows, the manifest says ${table.rows}`,
      );
  });
  const manifest = state.manifest;
  if (manifest === null) throw malformed(`${name} is not a Masthead backup: it holds no entries`);
  const missing = manifest.entries.filter((entry) => !seen.has(entry.name));
  if (missing.length > 0)
    throw malformed(
      `${name} is incomplete: ${missing[0]?.name}${missing.length > 1 ? ` and ${missing.length - 1} more entries` : ''} listed in the manifest ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  return { manifest, manifestSha256: state.manifestSha256 };
}

function malformed(message: string): DomainError {
  return new DomainError('malformed_file', message);
}

/** Checks what the manifest says before anything it lists is trusted. */
function parseManifest(bytes: Buffer, name: string, known: readonly string[]): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw malformed(`${name}: ${MANIFEST} is not JSON (${(error as Error).message})`);
  }
  // Format and version first, by themselves: a newer format may differ in
  // every other field, and "upgrade Masthead" is the useful answer then.
  const head = z.object({ format: z.unknown(), formatVersion: z.unknown() }).safeParse(json);
  if (!head.success || head.data.format !== BACKUP_FORMAT)
    throw malformed(
      `${name} is not a Masthead backup: its ${MANIFEST} does not name the format "${BACKUP_FORMAT}"`,
    );
  const version = head.data.formatVersion;
  if (typeof version === 'number' && version > BACKUP_FORMAT_VERSION)
    throw malformed(
      `${name} is in backup format version ${version}; this Masthead reads version ${BACKUP_FORMAT_VERSION}: upgrade Masthead to restore it`,
    );
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
    throw malformed(`${name}: ${MANIFEST} is not valid: ${problems.join('; ')}`);
  }
  const manifest = parsed.data;

  const newest = known.at(-1) ?? '';
  if (!known.includes(manifest.schemaLevel)) {
    // Migration names sort in the order they apply (Kysely's rule).
    throw malformed(
      manifest.schemaLevel > newest
        ? `${name} was made by a newer Masthead (database schema ${manifest.schemaLevel}; this Masthead knows up to ${newest}): upgrade Masthead to restore it`
        : `${name} names a database schema this Masthead does not know (${manifest.schemaLevel})`,
    );
  }

  const carried = new Set<string>(BACKUP_TABLES.map((table) => table.name));
  const tableNames = new Set<string>();
  for (const table of manifest.tables) {
    if (!carried.has(table.name))
      throw malformed(`${name}: table ${table.name} is not one a Masthead backup holds`);
    if (tableNames.has(table.name)) throw malformed(`${name}: table ${table.name} is listed twice`);
    tableNames.add(table.name);
  }
  const entryNames = new Set<string>();
  for (const entry of manifest.entries) {
    if (entryNames.has(entry.name)) throw malformed(`${name}: entry ${entry.name} is listed twice`);
    entryNames.add(entry.name);
    if (!isValidEntryName(entry.name, tableNames))
      throw malformed(`${name}: entry ${entry.name} is not a table or photo file a backup holds`);
  }
  for (const table of tableNames) {
    if (!entryNames.has(`tables/${table}.jsonl`))
      throw malformed(`${name}: table ${table} has no entry tables/${table}.jsonl`);
  }
  return manifest;
}

function isValidEntryName(name: string, tables: Set<string>): boolean {
  const match = /^(tables|media|originals)\/(.+)$/.exec(name);
  if (!match) return false;
  const [, folder = '', rest = ''] = match;
  if (folder === 'tables') return rest.endsWith('.jsonl') && tables.has(rest.slice(0, -6));
  return FILE_NAME.test(rest) && !rest.endsWith('.tmp');
}

async function readAtMost(
  body: AsyncIterable<Buffer>,
  limit: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw malformed(`${what} is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A pass-through counting newline bytes: rows, in a .jsonl file that ends each with one. */
function lineCounter(): Transform & { count: () => number } {
  let count = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) count++;
      callback(null, chunk);
    },
  });
  return Object.assign(stream, { count: () => count });
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

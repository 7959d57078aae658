import { ALL_PAGES } from '../core/cache-tags.js';
import { DomainError } from '../core/errors.js';
import { can } from '../core/policy.js';
import {
  detectImportFormat,
  isWireFormat,
  parseImportFile,
  parseWireFile,
} from '../formats/detect.js';
import { parseGhostExport } from '../formats/ghost.js';
import { decodeUtf8 } from '../formats/utf8.js';
import { recordAudit } from '../store/audit.js';
import { undoAbandonedImports } from '../store/write-batches.js';
import { writeGhost } from './import-ghost.js';
import { applyImportBundle, type ImportOptions } from './import-items.js';
import type { ImportProgress, ImportResult, ImportSource } from './import-report.js';
import { checkWireItemBodies, importWireItems } from './import-wire.js';
import { checkWxr, writeWxr } from './import-wxr.js';
import type { Newsroom, StaffActor } from './newsroom.js';

// One entry for every import, whatever the format: the CLI and the admin API
// both come through here. Each format is checked in full before the database
// is touched, then written in one transaction.

const HEAD_BYTES = 256 * 1024;
/** Formats parsed whole (seed pages, wire items) are small; a larger file is refused before it is read. */
const MAX_WHOLE_FILE = 64 * 1024 * 1024;

/** The first `limit` bytes of a source (fewer when it is shorter). */
export async function readHead(source: ImportSource, limit = HEAD_BYTES): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source.open()) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= limit) break;
  }
  return Buffer.concat(parts).subarray(0, limit);
}

export async function readWhole(source: ImportSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source.open()) {
    length += chunk.length;
    if (length > MAX_WHOLE_FILE) {
      throw new DomainError(
        'file_too_large',
        `${source.name}: over ${MAX_WHOLE_FILE / 1024 / 1024} MB, too large for its format (only WordPress exports stream)`,
      );
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export type ImportFileOptions = ImportOptions & {
  format?: string;
  /** Where the old site was (https://old.example), for exports that leave it out (Ghost's). */
  oldSiteUrl?: string;
  /** Whether readers' addresses in the file (Ghost's members) are imported; the command line's are. */
  withSubscribers?: boolean;
  /** Whether people's public contacts and portraits in the file are imported; the command line's are. */
  withProfiles?: boolean;
  onProgress?: (progress: ImportProgress) => void;
};

/** A checked import, ready to write: nothing has touched the database yet. */
export type PreparedImport = { write: (newsroom: Newsroom) => Promise<ImportResult> };

/**
 * Recognises the source's format and checks all of it — parses a seed page or
 * wire item whole, reads a WordPress export through once — without opening
 * the database: a file that cannot be imported fails here, naming the file,
 * the position and the problem.
 */
export async function prepareImport(
  source: ImportSource,
  options: ImportFileOptions = {},
): Promise<PreparedImport> {
  const ready = await prepareWrite(source, options);
  return {
    // An import can touch any page: the whole page cache goes. A failed one
    // too: on SQLite, pages rendered between its batches may show part of it.
    write: async (newsroom) => {
      try {
        return await ready.write(newsroom);
      } finally {
        newsroom.changed?.(ALL_PAGES);
      }
    },
  };
}

async function prepareWrite(
  source: ImportSource,
  options: ImportFileOptions,
): Promise<PreparedImport> {
  const format = detectImportFormat(await readHead(source), source.name, options.format);
  if (format === 'ghost') {
    const site = parseGhostExport(decodeUtf8(await readWhole(source), source.name), source.name);
    return {
      write: (newsroom) =>
        writeGhost(newsroom, site, {
          ...(options.oldSiteUrl ? { oldSiteUrl: options.oldSiteUrl } : {}),
          ...(options.withSubscribers === undefined
            ? {}
            : { withSubscribers: options.withSubscribers }),
          ...(options.withProfiles === undefined ? {} : { withProfiles: options.withProfiles }),
        }),
    };
  }
  if (format === 'wxr') {
    const checked = await checkWxr(source, options.onProgress);
    return {
      write: (newsroom) =>
        writeWxr(newsroom, checked, options.onProgress, {
          ...(options.withProfiles === undefined ? {} : { withProfiles: options.withProfiles }),
        }),
    };
  }
  if (isWireFormat(format)) {
    const items = parseWireFile(await readWhole(source), source.name, format);
    checkWireItemBodies(items, source.name);
    return { write: (newsroom) => importWireItems(newsroom, items) };
  }
  const bundle = parseImportFile(await readWhole(source), source.name, options.format);
  return {
    write: async (newsroom) => ({
      lines: await applyImportBundle(
        newsroom,
        bundle,
        options.publishedAt ? { publishedAt: options.publishedAt } : {},
      ),
      notes: new Map(),
      redirects: 0,
    }),
  };
}

/** Checks and imports one source (see prepareImport). */
export async function importSource(
  newsroom: Newsroom,
  source: ImportSource,
  options: ImportFileOptions = {},
): Promise<ImportResult> {
  return (await prepareImport(source, options)).write(newsroom);
}

/** A source over bytes already in memory (an upload). */
export function bytesSource(name: string, bytes: Uint8Array): ImportSource {
  const chunk = 256 * 1024;
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let offset = 0; offset < bytes.length; offset += chunk) {
        yield bytes.subarray(offset, offset + chunk);
        // Let the server's other work (timers, static files, the scheduler's
        // clock) run between chunks, as a file stream does.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/**
 * Takes back out any import whose process died half-way (store/write-batches.ts),
 * and purges every page, which may have shown part of it.
 */
export async function takeOutAbandonedImports(newsroom: Newsroom): Promise<void> {
  if ((await undoAbandonedImports(newsroom.store.db)) > 0) newsroom.changed?.(ALL_PAGES);
}

/** Refuses anyone but editors and the editor-in-chief. */
export function checkImportRights(actor: StaffActor): void {
  if (!can(actor, 'content.import')) {
    throw new DomainError('not_allowed_for_role', 'only editors may import content');
  }
}

/**
 * An import uploaded by a staff member (POST /api/imports): editors only,
 * checked in full before anything is written, audited.
 */
export async function importUpload(
  newsroom: Newsroom,
  actor: StaffActor,
  upload: { name: string; bytes: Uint8Array; format?: string },
): Promise<ImportResult> {
  checkImportRights(actor);
  const prepared = await prepareImport(bytesSource(upload.name, upload.bytes), {
    ...(upload.format === undefined ? {} : { format: upload.format }),
    // Readers' addresses are the editor-in-chief's (newsroom/subscribers.ts),
    // and so are other people's public contacts (newsroom/profiles.ts).
    withSubscribers: can(actor, 'settings.manage'),
    withProfiles: can(actor, 'staff.manage'),
  });
  const result = await prepared.write(newsroom);
  const count = (action: string) => result.lines.filter((line) => line.action === action).length;
  await recordAudit(newsroom.store.db, {
    userId: actor.userId,
    action: 'content.import',
    subject: `file:${upload.name}`,
    detail: { created: count('created'), updated: count('updated'), skipped: count('skipped') },
    at: newsroom.now().toISOString(),
  });
  return result;
}

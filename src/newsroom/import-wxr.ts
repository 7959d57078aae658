import type { Kysely } from 'kysely';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../core/article-input.js';
import { hasContacts, parseStoredContacts } from '../core/contacts.js';
import { isTimeZone } from '../core/dates.js';
import { articleCaptions, articleMediaIds, type Doc, type DocNode } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { parseLocalized } from '../core/localized.js';
import {
  articleUrl,
  isFreeTopLevelSlug,
  pageUrl,
  sectionUrl,
  tagUrl,
} from '../core/section-path.js';
import { slugify } from '../core/slug.js';
import { decodeOrKeep, primaryLanguage } from '../core/text-codes.js';
import { LANGUAGES, type Person, type Section } from '../core/types.js';
import {
  bindImages,
  htmlToText,
  type ImageRef,
  withoutSizeSuffix,
} from '../formats/html-to-doc.js';
import {
  itemSlug,
  mapAttachment,
  mastheadPageKind,
  oldPaths,
  siteLanguage,
  type WxrAttachment,
  type WxrPost,
  wxrDate,
} from '../formats/wxr-map.js';
import {
  emptyWxrSite,
  type WxrAuthor,
  type WxrEvent,
  type WxrItem,
  WxrReader,
  type WxrSite,
  type WxrSkippedItem,
  type WxrTerm,
} from '../formats/wxr-reader.js';
import {
  getArticle,
  insertArticleAuthors,
  replaceArticleAuthors,
  replaceArticleSources,
  setTranslationGroup,
  updateArticleContent,
} from '../store/articles.js';
import {
  editedSinceImport,
  findImportRefsUnder,
  type ImportedEntity,
  type ImportRef,
  saveImportRefs,
} from '../store/import-refs.js';
import { findPageBySlug, getPageById, lastPagePosition, updatePage } from '../store/pages.js';
import { findPersonBySlug, insertPerson, updatePersonProfile } from '../store/people.js';
import {
  countRedirects,
  findRedirects,
  type RedirectTarget,
  saveRedirectsOf,
} from '../store/redirects.js';
import type { Database } from '../store/schema.js';
import { type KnownBody, reindexArticles } from '../store/search-index.js';
import { insertSection, listSections, updateSectionNames } from '../store/sections.js';
import { readSettings, writeSetting } from '../store/settings.js';
import {
  findOrCreateTagWithSlug,
  findTagById,
  insertArticleTags,
  replaceArticleTagIds,
} from '../store/tags.js';
import { findUserByEmail } from '../store/users.js';
import { type WriteBatches, writeInBatches } from '../store/write-batches.js';
import {
  type ArchiveMedia,
  freePageSlug,
  keptLine,
  pageEditedSinceImport,
  pageStamp,
  writeArchiveArticle,
  writeArchiveMedia,
  writeArchivePage,
} from './import-archive.js';
import {
  contentHashOf,
  type ImportProgress,
  type ImportResult,
  type ImportSource,
  NOTE_LONG_TAG,
  NOTE_MANY_TAGS,
  type ReportLine,
} from './import-report.js';
import type { Newsroom } from './newsroom.js';
import { SITE_NAMES_SETTING, SITE_TAGLINES_SETTING } from './read-site.js';

import {
  type AheadPlan,
  type ChunkRead,
  ConvertAhead,
  type Converted,
  convertWxrItem,
  isConvertible,
  itemPlace,
  ownSkipReason,
  photosAttached,
  ThreadStopped,
} from './wxr-convert.js';

// A WordPress export (WXR) in two passes over the file, so a 200 MB export
// imports in bounded memory:
// 1. read the whole file to check it is well-formed XML and collect what
//    posts refer to out of order (attachments, page parents, old addresses,
//    which of a repeated post id is the one to import) — small records;
// 2. write authors, categories, tags, attachments, posts and pages as they
//    stream past, in batches that let the servers write between them on
//    SQLite (store/write-batches.ts). A failure anywhere takes it all back out.
//    For a large file the worker thread of wxr-convert.ts parses this pass
//    and converts its posts a few chunks ahead, so that this thread only writes.
//    Links to the old site are rewritten to the new addresses as bodies are
//    written, and at the end for those that lead further on in the file.
// Identity for re-imports is the site's address plus the WordPress post id
// (import_ref), so running the same import again changes nothing.

const FORMAT = 'wxr';
/** Import refs, redirects and tag rows written in one statement each (see WxrWriter.flush). */
const FLUSH_STEP = 400;

type Scan = {
  site: WxrSite;
  attachments: Map<number, WxrAttachment>;
  /** Attachments by their original's address (see `urlKey`). */
  attachmentsByUrl: Map<string, number>;
  /** Attachments by their address without a size suffix (`sizeless`); null where several share it. */
  attachmentsBySizeless: Map<string, number | null>;
  childAttachments: Map<number, number[]>;
  pages: Map<number, { slug: string; parentId: number }>;
  /** Post ids the file holds more than once: how many times, and which one (0-based) is imported. */
  repeatedIds: Map<number, { count: number; chosen: number | null }>;
  /** The old addresses of the posts and pages to import, and whose they are (post id). */
  oldPathOwners: Map<string, number>;
};

/** An address as pictures are matched: without its query and scheme (a site that moved to https is the same site). */
function urlKey(url: string): string {
  return url.replace(/[?#].*$/, '').replace(/^https?:\/\//i, '//');
}

/** "twice", "3 times". */
function times(count: number): string {
  return count === 2 ? 'twice' : `${count} times`;
}

/**
 * Why a copy of a post id the file holds `count` times is not imported:
 * `own`, its own reason if it has one, and whether another copy was imported.
 */
function repeatNote(
  postId: number,
  count: number,
  own: string | null,
  isOtherImported: boolean,
): string {
  const held = `the file holds post id ${postId} ${times(count)}`;
  if (!isOtherImported) {
    const none = count === 2 ? 'neither was imported' : 'none was imported';
    return `${own ?? 'not imported'}; ${held}, and ${none}`;
  }
  const other = count === 2 ? 'the other one' : 'another one';
  return `${own ? `${own}; ` : ''}${held}; ${other} was imported`;
}

/** Where the blog lives on its host ("/demo" for http://example.com/demo), '' at the root. */
function siteBasePath(site: WxrSite): string {
  try {
    const url = new URL(site.baseBlogUrl || site.link || site.baseSiteUrl);
    return decodeOrKeep(url.pathname).replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/** A host as old-site links are recognised: "www.old.example" and "old.example" are one site. */
function hostKey(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}

/** Reads the file's events in order; `onEvent` also gets the events read with it that follow it. */
async function readEvents(
  source: ImportSource,
  onEvent: (event: WxrEvent, following: Following) => Promise<void> | void,
  onChunk: (bytes: number) => void,
): Promise<void> {
  const reader = new WxrReader(source.name);
  const each = async (events: WxrEvent[]) => {
    for (let at = 0; at < events.length; at++) {
      const event = events[at];
      if (event) await onEvent(event, { events, from: at + 1 });
    }
  };
  for await (const chunk of source.open()) {
    await each(reader.write(chunk));
    onChunk(reader.bytesRead);
  }
  await each(reader.close());
}

/** The events after the one being handled, among those read from the same chunk. */
type Following = { events: readonly WxrEvent[]; from: number };

/** How many chunks the worker thread reads ahead of the one whose events are written (see readEventsInThread). */
const READ_AHEAD = 3;

/**
 * readEvents with the file parsed in the worker thread, which also converts
 * the posts of each chunk (those `plan` picks; `onConverted` gets them), a
 * few chunks ahead of the one whose events are handled here: this thread
 * writes, the other reads and converts. Should the thread stop, the file is
 * read here from its start, the events already handled passed over.
 */
async function readEventsInThread(
  source: ImportSource,
  ahead: ConvertAhead,
  plan: AheadPlan,
  onEvent: (event: WxrEvent, following: Following) => Promise<void> | void,
  onChunk: (bytes: number) => void,
  onConverted: (item: WxrItem, converted: Converted) => void,
): Promise<void> {
  const reading = ahead.read(source.name, plan);
  let handled = 0;
  // Progress only goes forward: the file read again after the thread stopped
  // reports nothing until it is past what was reported.
  let reported = 0;
  const progress = (bytes: number) => {
    if (bytes <= reported) return;
    reported = bytes;
    onChunk(bytes);
  };
  const each = async (read: Promise<ChunkRead>, bytes: number) => {
    const { events, converted } = await read;
    for (const [item, result] of converted) onConverted(item, result);
    for (let at = 0; at < events.length; at++) {
      const event = events[at];
      if (event) await onEvent(event, { events, from: at + 1 });
      handled++;
    }
    progress(bytes);
  };
  try {
    const sent: { read: Promise<ChunkRead>; bytes: number }[] = [];
    let bytes = 0;
    for await (const chunk of source.open()) {
      bytes += chunk.length;
      sent.push({ read: reading.write(chunk), bytes });
      const next = sent.length > READ_AHEAD ? sent.shift() : undefined;
      if (next) await each(next.read, next.bytes);
    }
    sent.push({ read: reading.close(), bytes });
    for (const next of sent) await each(next.read, next.bytes);
  } catch (error) {
    if (!(error instanceof ThreadStopped)) throw error;
    let passed = 0;
    await readEvents(
      source,
      (event, following) => (passed++ < handled ? undefined : onEvent(event, following)),
      progress,
    );
  }
}

async function scan(
  source: ImportSource,
  progress: (bytes: number, items: number) => void,
): Promise<Scan> {
  const result: Scan = {
    site: emptyWxrSite(),
    attachments: new Map(),
    attachmentsByUrl: new Map(),
    attachmentsBySizeless: new Map(),
    childAttachments: new Map(),
    pages: new Map(),
    repeatedIds: new Map(),
    oldPathOwners: new Map(),
  };
  let items = 0;
  const ids = new Map<number, { count: number; chosen: number | null }>();
  await readEvents(
    source,
    (event) => {
      if (event.kind === 'site') result.site = event.site;
      if (event.kind !== 'item') return;
      items++;
      const item = event.item;
      // Of the items sharing an id, the first one that is imported is the one
      // the rest of the file means (a revision or a trashed copy may come first).
      const seen = ids.get(item.postId) ?? { count: 0, chosen: null };
      const isChosen = seen.chosen === null && ownSkipReason(item) === null;
      if (isChosen) seen.chosen = seen.count;
      seen.count++;
      ids.set(item.postId, seen);
      const isFirst = seen.count === 1;
      if (isChosen && item.postType !== 'attachment') {
        for (const path of oldPaths(item, result.site)) result.oldPathOwners.set(path, item.postId);
      }
      if (!isFirst && !isChosen) return;
      if (item.postType === 'attachment') {
        const attachment = mapAttachment(item);
        result.attachments.set(item.postId, attachment);
        const key = urlKey(attachment.url);
        if (!result.attachmentsByUrl.has(key)) result.attachmentsByUrl.set(key, item.postId);
        const base = withoutSizeSuffix(key);
        const other = result.attachmentsBySizeless.get(base);
        result.attachmentsBySizeless.set(
          base,
          other === undefined || other === item.postId ? item.postId : null,
        );
        if (item.parentId > 0 && isFirst) {
          const siblings = result.childAttachments.get(item.parentId) ?? [];
          siblings.push(item.postId);
          result.childAttachments.set(item.parentId, siblings);
        }
      } else if (item.postType === 'page') {
        result.pages.set(item.postId, {
          slug: itemSlug(item, htmlToText(item.title)),
          parentId: item.parentId,
        });
      }
    },
    (bytes) => progress(bytes, items),
  );
  for (const [id, seen] of ids) if (seen.count > 1) result.repeatedIds.set(id, seen);
  if (items === 0 && result.site.wxrVersion === '') {
    throw new DomainError(
      'malformed_file',
      `${source.name}: no WordPress export channel in the file (is it a WXR export?)`,
    );
  }
  return result;
}

/**
 * Imports a WordPress export. The report lists every item created, updated,
 * unchanged or skipped (with the reason), and `notes` counts every construct
 * of the posts' HTML that was not converted one to one.
 */
export async function importWxr(
  newsroom: Newsroom,
  source: ImportSource,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  return writeWxr(newsroom, await checkWxr(source, onProgress), onProgress);
}

/**
 * A WXR file read through once: well-formed, with what its posts refer to;
 * and for a large file, the worker thread that is to convert its posts,
 * started then (see takeAhead).
 */
export type CheckedWxr = { source: ImportSource; scan: Scan; ahead: ConvertAhead | null };

/**
 * Whether a file is large enough for its posts to be converted in a worker
 * thread (a small one is done before a thread has started). A thread started
 * only at the write, not with the check, is still loading (most of a second)
 * when the first chunk is sent: it pays from about six times that size (a
 * 9 MB file imported as fast with one as without, here).
 */
function isConvertedAhead(source: ImportSource, when: 'check' | 'write'): boolean {
  const from = when === 'check' ? convertAhead.fromBytes : 6 * convertAhead.fromBytes;
  return (source.size ?? Number.POSITIVE_INFINITY) >= from;
}

/**
 * The first pass: reads the whole file without touching the database; broken
 * XML fails here. Meanwhile the worker thread of the second pass starts (it
 * takes about as long to load as a few thousand posts take to read).
 */
export async function checkWxr(
  source: ImportSource,
  onProgress?: (progress: ImportProgress) => void,
): Promise<CheckedWxr> {
  let items = 0;
  // One thread at a time waits for its write: a directory's files are all
  // checked before the first is written, and the others start theirs then.
  for (const waiting of threadsWaiting) if (!waiting.isWorking) threadsWaiting.delete(waiting);
  const ahead =
    isConvertedAhead(source, 'check') && threadsWaiting.size === 0 ? convertAhead.start() : null;
  if (ahead) threadsWaiting.add(ahead);
  try {
    const scanned = await scan(source, (bytes, count) => {
      items = count;
      onProgress?.({ pass: 1, passes: 2, bytes, totalBytes: source.size, items });
    });
    ahead?.awaitFile();
    return { source, scan: scanned, ahead };
  } catch (error) {
    await ahead?.close();
    throw error;
  }
}

/** Threads started while their file was checked, not yet taken by its write. */
const threadsWaiting = new Set<ConvertAhead>();

/** The thread started with the check, once; a file written again gets a thread of its own. */
function takeAhead(checked: CheckedWxr): ConvertAhead | null {
  const { ahead } = checked;
  checked.ahead = null;
  if (ahead) threadsWaiting.delete(ahead);
  ahead?.claim();
  if (ahead?.isWorking) return ahead;
  return isConvertedAhead(checked.source, 'write') ? convertAhead.start() : null;
}

/**
 * What an import takes from the file besides content: `withProfiles`,
 * people's public contacts and portraits (Masthead's exports carry them),
 * which only the editor-in-chief changes for others (newsroom/profiles.ts).
 */
export type WxrWriteOptions = { withProfiles?: boolean };

/** The second pass: writes everything, all or nothing. */
export async function writeWxr(
  newsroom: Newsroom,
  checked: CheckedWxr,
  onProgress?: (progress: ImportProgress) => void,
  options: WxrWriteOptions = {},
): Promise<ImportResult> {
  const { source, scan: scanned } = checked;
  let items = 0;
  const report = (pass: 1 | 2) => (bytes: number) =>
    onProgress?.({ pass, passes: 2, bytes, totalBytes: source.size, items });
  const now = newsroom.now().toISOString();
  const ahead = takeAhead(checked);
  try {
    return await writeInBatches(newsroom.store.db, async (batches) => {
      const writer = new WxrWriter(batches, newsroom, scanned, now, {
        withProfiles: options.withProfiles ?? true,
      });
      await writer.start();
      const onEvent = async (event: WxrEvent, following: Following) => {
        if (event.kind === 'item') items++;
        await writer.handle(event);
        // Between two items the servers may write (on SQLite, see write-batches.ts).
        await writer.convertWhile(batches.between(), following);
      };
      if (ahead) {
        await readEventsInThread(
          source,
          ahead,
          writer.aheadPlan(),
          onEvent,
          report(2),
          (item, converted) => writer.convertedAhead(item, converted),
        );
      } else {
        await readEvents(source, onEvent, report(2));
      }
      return writer.finish();
    });
  } finally {
    await ahead?.close();
  }
}

/** From what size of file an import converts posts in a worker thread, and how it starts one (tests change both). */
export const convertAhead = {
  fromBytes: 2 * 1024 * 1024,
  start: () => new ConvertAhead(),
};

/** An imported article or page whose body links to the old site, to rewrite once everything is in. */
type LinkingEntity =
  | { entity: 'article'; id: number; externalId: string; contentHash: string; version: number }
  | { entity: 'page'; id: number };

const NOTE_REWRITTEN = 'link to the old site rewritten to its new address';
const NOTE_UNMATCHED = 'link to the old site with no imported page (left as it was)';
const NOTE_UNBOUND =
  'picture not among the file’s attachments (kept as a photo to fetch from its address)';
const NOTE_AMBIGUOUS =
  'picture whose address fits several of the file’s attachments (kept as a photo to fetch from its address)';

class WxrWriter {
  private readonly lines: ReportLine[] = [];
  private readonly notes = new Map<string, number>();
  private readonly siteKey: string;
  private readonly language: string;
  private readonly basePath: string;
  private readonly oldHosts: Set<string>;
  private readonly people = new Map<string, number>();
  private readonly categories: WxrTerm[] = [];
  private readonly termsSeen = new Set<string>();
  /** How many items of each repeated post id have gone past. */
  private readonly occurrences = new Map<number, number>();
  /** Repeated post ids whose copy to import could not be stored, with no other copy imported since. */
  private readonly unstoredRepeats = new Set<number>();
  /** The lines of the copies of repeated post ids that were not imported (see finish). */
  private readonly repeatLines: { postId: number; own: string | null; line: ReportLine }[] = [];
  private readonly sectionsBySlug = new Map<string, Section>();
  private sectionsReady = false;
  private sections: Section[] = [];
  /** Tags by their WordPress slug (as in the file); null for one left out. */
  private readonly tagsByTermSlug = new Map<string, { id: number; slug: string } | null>();
  /** Posts and pages mapped from their HTML ahead of their turn (by the worker thread, or see convertWhile), or why they could not be. */
  private readonly converted = new WeakMap<WxrItem, Converted>();
  private readonly mediaByAttachment = new Map<number, number>();
  private readonly mediaBySrc = new Map<string, number>();
  /** The library caption of each attachment's photo record, by its id. */
  private readonly libraryCaptions = new Map<number, string>();
  /** Media records that have a line in the report already. */
  private readonly reportedMedia = new Set<number>();
  private readonly articleIds: number[] = [];
  /** How many of `articleIds` are in the search index. */
  private indexed = 0;
  /** The bodies of the articles written since the last flush, for the search index. */
  private readonly knownBodies = new Map<number, KnownBody>();
  /** What earlier imports of this site wrote, read once (see findImportRefsUnder). */
  private refs = new Map<string, ImportedEntity>();
  /** The address of each article and page this import wrote or found, by the WordPress post id of its item. */
  private readonly postAddresses = new Map<number, string>();
  /** Addresses looked up for links ("tag:3" → "/tags/port"), kept for the next link there. */
  private readonly addresses = new Map<string, string>();
  private readonly linking: LinkingEntity[] = [];
  // Written a step at a time, not one statement per item: for 10 000 posts
  // that is thousands of statements fewer (see flush).
  private readonly pendingRefs = new Map<string, ImportRef>();
  private readonly pendingRedirects = new Map<string, RedirectTarget>();
  /**
   * The old archive addresses (tags, categories) this import recorded, so
   * links are matched without asking the database; those of posts and pages
   * are known by the scan's oldPathOwners.
   */
  private readonly archiveRedirects = new Map<string, RedirectTarget>();
  /** False when there were no old addresses before this import: then the database knows none this import does not. */
  private hasEarlierRedirects = true;
  private pendingTags: { articleId: number; tagId: number; position: number }[] = [];
  private pendingAuthors: {
    articleId: number;
    personId: number;
    position: number;
    label: string | null;
  }[] = [];
  private redirects = 0;
  private pagePosition: number | null = null;
  private readonly withProfiles: boolean;
  /** Account e-mails an author of the file was given the byline of (each account one author's). */
  private readonly boundEmails = new Set<string>();

  constructor(
    private readonly batches: WriteBatches,
    private readonly newsroom: Newsroom,
    private readonly scanned: Scan,
    private readonly now: string,
    options: { withProfiles: boolean } = { withProfiles: true },
  ) {
    this.withProfiles = options.withProfiles;
    // Without its scheme: a site that moved from http to https is the same site.
    this.siteKey = (scanned.site.baseBlogUrl || scanned.site.link || 'wordpress').replace(
      /^https?:\/\//i,
      '//',
    );
    this.language = siteLanguage(scanned.site);
    this.basePath = siteBasePath(scanned.site);
    this.oldHosts = new Set();
    for (const url of [scanned.site.baseSiteUrl, scanned.site.baseBlogUrl, scanned.site.link]) {
      try {
        if (url) this.oldHosts.add(hostKey(new URL(url).host));
      } catch {
        // Not an address: no host to recognise links by.
      }
    }
  }

  /** Reads what earlier imports of this site wrote; before the first event. */
  async start(): Promise<void> {
    this.refs = await findImportRefsUnder(this.db, FORMAT, `${this.siteKey}#`);
    this.hasEarlierRedirects = (await countRedirects(this.db)) > 0;
    await this.adoptSiteSettings();
  }

  /**
   * A site that has no name, tagline, language or time zone yet (a new one)
   * takes the old site's: the export's title, description and language, and
   * what Masthead's export adds (its time zone, its name and tagline in other
   * languages). A site that has its own keeps them.
   */
  private async adoptSiteSettings(): Promise<void> {
    const { site } = this.scanned;
    const stored = await readSettings(this.db);
    const language = primaryLanguage(site.language, '');
    const localized = (json: string | undefined) => {
      const values = parseLocalized(json ?? null);
      return Object.keys(values).length > 0 ? JSON.stringify(values) : '';
    };
    const timeZone = site.masthead?.timeZone;
    const adopted: [string, string][] = [
      ['site.name', htmlToText(site.title)],
      ['site.tagline', htmlToText(site.description)],
      ['site.language', (LANGUAGES as readonly string[]).includes(language) ? language : ''],
      ['site.time_zone', timeZone && isTimeZone(timeZone) ? timeZone : ''],
      [SITE_NAMES_SETTING, localized(site.masthead?.names)],
      [SITE_TAGLINES_SETTING, localized(site.masthead?.taglines)],
    ];
    for (const [key, value] of adopted) {
      if (value !== '' && !stored.has(key)) await writeSetting(this.db, key, value);
    }
  }

  private line(line: ReportLine): void {
    this.lines.push(line);
  }

  private note(what: string, count = 1): void {
    this.notes.set(what, (this.notes.get(what) ?? 0) + count);
  }

  private externalId(postId: number): string {
    return `${this.siteKey}#${postId}`;
  }

  private async saveRef(
    externalId: string,
    ref: ImportRef,
    article: ImportedEntity['article'] = null,
  ): Promise<void> {
    this.pendingRefs.set(externalId, ref);
    this.refs.set(externalId, { ...ref, isPresent: true, article });
    await this.flushWhenFull();
  }

  /**
   * Records old addresses of an entity. `isCounted`: false for an archive
   * whose tag or section was there before, so that a re-import reports no
   * new redirects (its addresses are recorded again all the same, unchanged).
   */
  private async saveRedirects(
    paths: readonly string[],
    target: RedirectTarget,
    isCounted = true,
  ): Promise<void> {
    for (const path of paths) {
      this.pendingRedirects.set(path, target);
      if (target.entity === 'tag' || target.entity === 'section') {
        this.archiveRedirects.set(path, target);
      }
    }
    if (isCounted) this.redirects += paths.length;
    await this.flushWhenFull();
  }

  private async flushWhenFull(): Promise<void> {
    const size = Math.max(
      this.pendingRefs.size,
      this.pendingRedirects.size,
      this.pendingTags.length,
      this.pendingAuthors.length,
    );
    if (size >= FLUSH_STEP) await this.flush();
  }

  /** Writes the refs, redirects, tag and byline rows noted since the last flush. */
  private async flush(): Promise<void> {
    await saveImportRefs(
      this.db,
      FORMAT,
      [...this.pendingRefs].map(([externalId, ref]) => ({ externalId, ref })),
    );
    this.pendingRefs.clear();
    await saveRedirectsOf(
      this.db,
      [...this.pendingRedirects].map(([path, target]) => ({ path, target })),
      this.now,
    );
    this.pendingRedirects.clear();
    await insertArticleTags(this.db, this.pendingTags);
    this.pendingTags = [];
    await insertArticleAuthors(this.db, this.pendingAuthors);
    this.pendingAuthors = [];
    // Their bylines and tags are in: the articles written since go into the
    // search index, from the bodies at hand (their links, rewritten at the
    // end, change no word).
    await reindexArticles(this.db, this.articleIds.slice(this.indexed), this.knownBodies);
    this.indexed = this.articleIds.length;
    this.knownBodies.clear();
  }

  async handle(event: WxrEvent): Promise<void> {
    switch (event.kind) {
      case 'site':
        return;
      case 'author':
        await this.author(event.author);
        return;
      case 'term':
        await this.term(event.term);
        return;
      case 'skipped':
        this.skippedByReader(event.skipped);
        return;
      case 'item':
        await this.ensureSections();
        await this.item(event.item);
        return;
    }
  }

  /** The transaction to write in now (it changes between batches). */
  private get db(): Kysely<Database> {
    return this.batches.db;
  }

  async finish(): Promise<ImportResult> {
    // A repeated post id none of whose copies could be stored: its other
    // copies' lines said one was imported, which was to be.
    for (const { postId, own, line } of this.repeatLines) {
      const repeated = this.scanned.repeatedIds.get(postId);
      if (!repeated || !this.unstoredRepeats.has(postId)) continue;
      line.note = repeatNote(postId, repeated.count, own, false);
    }
    await this.ensureSections();
    await this.flush();
    await this.rewriteOldLinks();
    await this.flush();
    return { lines: this.lines, notes: this.notes, redirects: this.redirects };
  }

  private skippedByReader(skipped: WxrSkippedItem): void {
    this.line({
      action: 'skipped',
      entity: 'item',
      target: `“${htmlToText(skipped.title)}” (line ${skipped.line})`,
      note: skipped.reason,
    });
  }

  private async author(author: WxrAuthor): Promise<void> {
    const name = author.displayName.trim() || author.login;
    // Someone who already has an active account here writes under its byline.
    // An account e-mail is not published, and an import makes no accounts.
    const email = author.email.trim().toLowerCase();
    if (email && this.boundEmails.has(email)) {
      this.note('author e-mail of another author in the file (not bound twice)');
    } else if (email) {
      const account = await findUserByEmail(this.db, email);
      if (account && account.disabledAt === null) {
        this.boundEmails.add(email);
        this.people.set(author.login, account.personId);
        this.line({
          action: 'unchanged',
          entity: 'person',
          target: name,
          note: `the byline of the account ${email} here`,
        });
        return;
      }
      this.note(
        account
          ? 'author e-mail of a disabled account here (its byline not given)'
          : 'author e-mail matching no account here (not kept: invite them as staff)',
      );
    }
    // Masthead's export says who is on the masthead, and where; the login is
    // the address of their author page.
    const created = await this.personFor(author.login, name, {
      bio: author.bio ?? '',
      mastheadRole: author.masthead?.role || null,
      mastheadTitle: author.masthead?.title ?? null,
      mastheadPosition: author.masthead?.position ?? 0,
      slug: this.scanned.site.masthead ? slugify(author.login) : '',
    });
    if (created) await this.profileOf(created, author);
  }

  /** What Masthead's export says of a new person's public profile: contacts and portrait. */
  private async profileOf(personId: number, author: WxrAuthor): Promise<void> {
    if (!this.withProfiles) {
      if (author.contacts || author.photoId !== undefined)
        this.note(
          'author contacts or portrait (left out: only the editor-in-chief imports people’s public profiles)',
        );
      return;
    }
    // Read as stored contacts are: what does not pass the check is left out.
    const contacts = author.contacts ? parseStoredContacts(author.contacts) : undefined;
    if (contacts && !hasContacts(contacts))
      this.note('author contacts that could not be read (left out)');
    const photoMediaId =
      author.photoId === undefined ? undefined : await this.attachmentMedia(author.photoId);
    if (author.photoId !== undefined && photoMediaId === null)
      this.note('author portrait whose attachment is not in the file (left out)');
    await updatePersonProfile(this.db, personId, {
      ...(contacts ? { contacts } : {}),
      ...(photoMediaId ? { photoMediaId } : {}),
    });
  }

  /**
   * The person for a login, found by their address or made; answers the id
   * of one made here, else null. `details.slug`: their address when the file
   * gives it, else one is made from the name.
   */
  private async personFor(
    login: string,
    name: string,
    details: Pick<Person, 'bio' | 'mastheadRole' | 'mastheadTitle' | 'mastheadPosition'> & {
      slug: string;
    } = { bio: '', mastheadRole: null, mastheadTitle: null, mastheadPosition: 0, slug: '' },
  ): Promise<number | null> {
    if (this.people.has(login)) return null;
    const slug = details.slug || slugify(name) || slugify(login) || 'author';
    const existing = await findPersonBySlug(this.db, slug);
    const id = existing?.id ?? (await insertPerson(this.db, { name, ...details, slug })).id;
    this.line({ action: existing ? 'unchanged' : 'created', entity: 'person', target: name });
    this.people.set(login, id);
    return existing ? null : id;
  }

  /** The person a login names, made under `name` when the file has no such author. */
  private async personOf(login: string, name: string): Promise<number> {
    await this.personFor(login, name);
    const id = this.people.get(login);
    if (id === undefined) throw new Error(`no person for the login ${login}`);
    return id;
  }

  /** The old archive addresses of a term ("/tag/slug/", "/category/parent/child/"), with and without the blog's base path. */
  private archivePaths(kind: 'tag' | 'category', path: string): string[] {
    const at = `/${kind}/${path}/`;
    return this.basePath ? [at, `${this.basePath}${at}`] : [at];
  }

  private async term(term: WxrTerm): Promise<void> {
    // Exports list categories and tags twice (wp:category/wp:tag and wp:term).
    const key = `${term.taxonomy}:${term.slug}`;
    if (this.termsSeen.has(key)) return;
    this.termsSeen.add(key);
    if (term.taxonomy === 'category') {
      this.categories.push(term);
      return;
    }
    if (term.taxonomy === 'post_tag') {
      await this.tagFor(term.slug, term.name, true);
      return;
    }
    this.line({
      action: 'skipped',
      entity: `term ${term.taxonomy}`,
      target: `“${htmlToText(term.name) || term.slug}”`,
      note:
        term.taxonomy === 'nav_menu'
          ? 'a menu (Masthead builds its navigation from sections)'
          : 'a taxonomy Masthead does not have (categories become sections, tags stay tags)',
    });
  }

  /**
   * The tag for a WordPress tag, by its slug in the file: it keeps that slug
   * (its archive's address) when the slug is free, and its old archive
   * redirects to it. `isListed`: the channel lists it (else a post names it).
   */
  private async tagFor(
    termSlug: string,
    termName: string,
    isListed: boolean,
  ): Promise<{ id: number; slug: string } | null> {
    const known = this.tagsByTermSlug.get(termSlug);
    if (known !== undefined) return known;
    const name = htmlToText(termName) || decodeOrKeep(termSlug);
    // Nicenames of non-Latin tags are percent-encoded UTF-8, as categories'.
    const slug = slugify(decodeOrKeep(termSlug)) || slugify(name);
    if (!slug) {
      this.note('tag with neither a usable slug nor a name (left out)');
      this.tagsByTermSlug.set(termSlug, null);
      return null;
    }
    const externalId = `${this.siteKey}#tag:${termSlug}`;
    const before = this.refs.get(externalId);
    const tag = await findOrCreateTagWithSlug(this.db, { name, slug });
    // The name kept: a tag already here keeps its own.
    if (tag.name.trim().length > MAX_TAG_LENGTH) this.note(NOTE_LONG_TAG);
    await this.saveRef(externalId, { entity: 'tag', entityId: tag.id, contentHash: '' });
    this.tagsByTermSlug.set(termSlug, tag);
    if (isListed || !before) {
      this.line({
        action: before ? 'unchanged' : 'created',
        entity: 'tag',
        target: tagUrl(tag.slug),
      });
    }
    const paths = this.archivePaths('tag', decodeOrKeep(termSlug));
    await this.saveRedirects(paths, { entity: 'tag', entityId: tag.id }, !before);
    return tag;
  }

  /** Sections for every category, parents first, once all terms are read. */
  private async ensureSections(): Promise<void> {
    if (this.sectionsReady) return;
    this.sectionsReady = true;
    this.sections = await listSections(this.db);
    const bySlug = new Map(this.categories.map((term) => [term.slug, term]));
    /** Each category's archive path in WordPress ("parent/child"), as sections are made. */
    const archives = new Map<string, string>();
    const visit = async (term: WxrTerm, seen: Set<string>): Promise<Section> => {
      const done = this.sectionsBySlug.get(term.slug);
      if (done) return done;
      if (seen.has(term.slug)) {
        throw new DomainError('malformed_file', `category “${term.slug}” is its own ancestor`);
      }
      seen.add(term.slug);
      const parentTerm = term.parentSlug ? bySlug.get(term.parentSlug) : undefined;
      if (term.parentSlug && !parentTerm) {
        this.note('category whose parent is not in the file (made a top-level section)');
      }
      const parent = parentTerm ? await visit(parentTerm, seen) : null;
      const parentArchive = parentTerm ? archives.get(parentTerm.slug) : undefined;
      const archive = `${parentArchive ? `${parentArchive}/` : ''}${decodeOrKeep(term.slug)}`;
      archives.set(term.slug, archive);
      const section = await this.section(term, parent, archive);
      this.sectionsBySlug.set(term.slug, section);
      return section;
    };
    for (const term of this.categories) await visit(term, new Set());
  }

  /** The section for a category (`archive`: its archive's path in WordPress, which redirects to it). */
  private async section(
    term: WxrTerm,
    parent: Section | null,
    archive: string | null,
  ): Promise<Section> {
    const name = htmlToText(term.name) || term.slug;
    const meta = (key: string) => term.meta?.find((entry) => entry.key === key)?.value ?? '';
    // Nicenames of non-Latin categories are percent-encoded UTF-8 ("%d0%bd…").
    // Masthead's export gives a section's own slug beside its nicename (its whole path).
    let slug =
      slugify(meta('_masthead_slug')) ||
      slugify(decodeOrKeep(term.slug)) ||
      slugify(name) ||
      `category-${term.id ?? 0}`;
    if (!parent && !(await this.topLevelFree(slug, 'section'))) {
      this.note(
        `category “${slug}”: its address is taken by the site or a page, so it is /${slug}-section`,
      );
      slug = `${slug}-section`;
    }
    const path = parent ? `${parent.path}/${slug}` : slug;
    const existing = this.sections.find((section) => section.path === path);
    if (existing) {
      this.line({ action: 'unchanged', entity: 'section', target: sectionUrl(existing) });
      if (archive !== null) {
        const target: RedirectTarget = { entity: 'section', entityId: existing.id };
        await this.saveRedirects(this.archivePaths('category', archive), target, false);
      }
      return existing;
    }
    const parentId = parent?.id ?? null;
    const section = await insertSection(this.db, {
      parentId,
      slug,
      path,
      name,
      position: this.sections.filter((candidate) => candidate.parentId === parentId).length,
    });
    // Its names in other languages, where Masthead's export gives them.
    const names = parseLocalized(meta('_masthead_names') || null);
    if (Object.keys(names).length > 0) {
      await updateSectionNames(this.db, section.id, names);
      section.names = names;
    }
    this.sections.push(section);
    this.line({ action: 'created', entity: 'section', target: sectionUrl(section) });
    if (archive !== null) {
      await this.saveRedirects(this.archivePaths('category', archive), {
        entity: 'section',
        entityId: section.id,
      });
    }
    return section;
  }

  private async topLevelFree(slug: string, kind: 'section' | 'page'): Promise<boolean> {
    if (!isFreeTopLevelSlug(slug)) return false;
    if (kind === 'section') return (await findPageBySlug(this.db, slug)) === null;
    return !this.sections.some((section) => section.path === slug);
  }

  /**
   * Why a copy of a post id the file holds more than once is not imported,
   * or null when it is the one to import: the one the scan chose, or the next
   * importable one when that one could not be stored.
   */
  private repeatReason(item: WxrItem): string | null {
    const repeated = this.scanned.repeatedIds.get(item.postId);
    if (!repeated) return null;
    const occurrence = this.occurrences.get(item.postId) ?? 0;
    this.occurrences.set(item.postId, occurrence + 1);
    if (occurrence === repeated.chosen) return null;
    const own = ownSkipReason(item);
    if (own === null && this.unstoredRepeats.delete(item.postId)) {
      // Links further on to this copy's old addresses lead to it too.
      for (const path of oldPaths(item, this.scanned.site)) {
        this.scanned.oldPathOwners.set(path, item.postId);
      }
      return null;
    }
    return repeatNote(item.postId, repeated.count, own, repeated.chosen !== null);
  }

  private async item(item: WxrItem): Promise<void> {
    const repeat = this.repeatReason(item);
    const reason = repeat ?? ownSkipReason(item);
    const label = `${item.postType} #${item.postId}`;
    if (reason) {
      const line: ReportLine = {
        action: 'skipped',
        entity: label,
        target: `“${htmlToText(item.title)}”`,
        note: reason,
      };
      this.line(line);
      // Not the item: a copy's body is not kept till the end.
      if (repeat) this.repeatLines.push({ postId: item.postId, own: ownSkipReason(item), line });
      return;
    }
    if (item.commentCount > 0)
      this.note('comments (not imported: Masthead has none)', item.commentCount);
    if (item.postType === 'attachment') await this.attachmentItem(item);
    else if (item.postType === 'page') await this.page(item);
    else await this.post(item);
  }

  private async attachmentItem(item: WxrItem): Promise<void> {
    // Every attachment gets one line: created or updated where that happened
    // (perhaps earlier, for a post that shows it), else unchanged here.
    const id = await this.attachmentMedia(item.postId);
    if (id !== null && !this.reportedMedia.has(id)) {
      this.reportedMedia.add(id);
      this.line({ action: 'unchanged', entity: 'media', target: `#${id}` });
    }
  }

  /** The media record for a WordPress attachment, created or updated the first time it is needed. */
  private async attachmentMedia(postId: number): Promise<number | null> {
    const known = this.mediaByAttachment.get(postId);
    if (known !== undefined) return known;
    const attachment = this.scanned.attachments.get(postId);
    if (!attachment) return null;
    const id = await this.saveMedia(this.externalId(postId), {
      url: attachment.url,
      alt: attachment.alt,
      caption: attachment.caption,
      credit: attachment.credit,
      copyright: attachment.copyright,
      width: attachment.width,
      height: attachment.height,
      createdAt: attachment.createdAt,
      isOwnPhoto: attachment.isOwnPhoto,
    });
    this.mediaByAttachment.set(postId, id);
    this.libraryCaptions.set(id, attachment.caption);
    return id;
  }

  /**
   * The body with its pictures bound to their records, without a caption for
   * this use that only repeats the library's (WordPress copies an attachment's
   * caption into each post): a later correction in the library then reaches it.
   */
  private bound(body: Doc, mediaIds: readonly (number | null)[]): Doc {
    const trim = (nodes: DocNode[]): DocNode[] =>
      nodes.map((node) => {
        if (node.type === 'image' && node.attrs) {
          const library = this.libraryCaptions.get(Number(node.attrs.mediaId));
          // '' is a stored image's "no caption of its own" (the document's default).
          if (library && node.attrs.storyCaption === library)
            return { ...node, attrs: { ...node.attrs, storyCaption: '' } };
        }
        return node.content ? { ...node, content: trim(node.content) } : node;
      });
    const doc = bindImages(body, mediaIds);
    return { ...doc, content: trim(doc.content) };
  }

  private async saveMedia(externalId: string, media: ArchiveMedia): Promise<number> {
    const ref = this.refs.get(externalId);
    const before =
      ref?.entity === 'media' && ref.isPresent
        ? { id: ref.entityId, contentHash: ref.contentHash }
        : null;
    const saved = await writeArchiveMedia(this.db, this.now, media, before);
    if (saved.line) {
      await this.saveRef(externalId, {
        entity: 'media',
        entityId: saved.id,
        contentHash: saved.contentHash,
      });
      this.line(saved.line);
      this.reportedMedia.add(saved.id);
    }
    return saved.id;
  }

  /**
   * The attachment a picture's address shows: the one with that very address,
   * else the one whose address without a size suffix is the same, when only
   * one is; 'ambiguous' when several are.
   */
  private attachmentAt(src: string): number | 'ambiguous' | null {
    const key = urlKey(src);
    const exact = this.scanned.attachmentsByUrl.get(key);
    if (exact !== undefined) return exact;
    const bySize = this.scanned.attachmentsBySizeless.get(withoutSizeSuffix(key));
    if (bySize === undefined) return null;
    return bySize ?? 'ambiguous';
  }

  /** The media record a picture in a post's body shows. */
  private async imageMedia(given: ImageRef): Promise<number | null> {
    const ref = { ...given, src: this.absolute(given.src) };
    const byId = ref.attachmentId !== null ? await this.attachmentMedia(ref.attachmentId) : null;
    if (byId !== null) return byId;
    if (!ref.src) {
      this.note('picture whose attachment is not in the file (left out)');
      return null;
    }
    const attachmentId = this.attachmentAt(ref.src);
    if (typeof attachmentId === 'number') return this.attachmentMedia(attachmentId);
    this.note(attachmentId === 'ambiguous' ? NOTE_AMBIGUOUS : NOTE_UNBOUND);
    const known = this.mediaBySrc.get(ref.src);
    if (known !== undefined) return known;
    const id = await this.saveMedia(`${this.siteKey}#src:${ref.src}`, {
      url: ref.src,
      alt: ref.alt,
      caption: ref.caption,
      credit: [],
      copyright: '',
      width: null,
      height: null,
    });
    this.mediaBySrc.set(ref.src, id);
    return id;
  }

  /** A picture's address made absolute against the old site ("/wp-content/…" → "https://old.example/wp-content/…"). */
  private absolute(src: string | null): string | null {
    if (!src) return src;
    try {
      return new URL(src, this.scanned.site.baseSiteUrl || this.scanned.site.link || undefined)
        .href;
    } catch {
      return src;
    }
  }

  /** The tags of a post, by the slugs its terms give (a tag the channel does not list is made here). */
  private async postTags(item: WxrItem): Promise<number[]> {
    const ids: number[] = [];
    for (const term of item.terms) {
      if (term.domain !== 'post_tag') continue;
      const tag = await this.tagFor(term.slug, term.name, false);
      if (tag) ids.push(tag.id);
    }
    return ids;
  }

  private async post(item: WxrItem): Promise<void> {
    const storable = await this.storable(item);
    if (!storable) return;
    const { mapped, body } = storable;
    const { post } = mapped;
    const leadMediaId =
      post.thumbnailId === null ? null : await this.attachmentMedia(post.thumbnailId);
    if (post.thumbnailId !== null && leadMediaId === null) {
      this.note('featured image whose attachment is not in the file (left out)');
    }
    // A scheduled post must be publishable when its time comes: a lead photo
    // without a credit would be refused then, so it waits as a draft instead.
    const leadCredit =
      post.thumbnailId === null ? null : this.scanned.attachments.get(post.thumbnailId)?.credit;
    if (post.status === 'scheduled' && leadCredit && leadCredit.length === 0) {
      post.status = 'draft';
      post.scheduledAt = null;
      post.remarks.push(
        'scheduled in WordPress, but its featured image has no credit: add one and schedule it again',
      );
    }
    if (post.status === 'published' && post.publishedAt === null) {
      post.publishedAt = this.now;
      post.remarks.push('published without a date in the file: dated by the import');
    }
    const section = await this.sectionFor(post.categories[0]);
    const personId = await this.personOf(
      post.authorLogin || 'wordpress',
      post.authorLogin || 'WordPress',
    );
    // Every byline where Masthead's export lists them; WordPress has one author.
    const bylines: { personId: number; label: string | null }[] = [];
    for (const byline of post.bylines ?? []) {
      const id = await this.personOf(byline.login, byline.login);
      bylines.push({ personId: id, label: byline.label });
    }
    if (bylines.length === 0) bylines.push({ personId, label: null });
    const tagIds = await this.postTags(item);
    if (new Set(tagIds).size > MAX_TAGS) this.note(NOTE_MANY_TAGS);
    // As earlier imports hashed it (the tags are in `post`, by name), so that
    // their articles read as unchanged.
    const hash = contentHashOf({
      post: { ...post, notes: [...post.notes], body },
      leadMediaId,
      section: section.id,
      personId,
    });
    const externalId = this.externalId(item.postId);
    const ref = this.refs.get(externalId) ?? null;
    const existing = ref?.entity === 'article' ? ref.article : null;
    const home = existing
      ? (this.sections.find((s) => s.id === existing.sectionId) ?? section)
      : section;
    if (ref && existing && (ref.contentHash === hash || editedSinceImport(ref, existing))) {
      const path = articleUrl(home, existing.slug);
      this.postAddresses.set(item.postId, path);
      this.line(keptLine('article', path, ref.contentHash !== hash));
      return;
    }
    // After the hash: a re-import compares the file's text, not where its links lead now.
    const isLinkingLater = await this.linkNow(body);
    const { articleId, version, slug, path } = await writeArchiveArticle(
      this.db,
      { newId: () => this.newsroom.newId(), now: this.now, report: (line) => this.line(line) },
      {
        ...post,
        body,
        leadMediaId,
        language: post.language ?? this.language,
        updatedAt: post.updatedAt ?? post.publishedAt ?? this.now,
      },
      {
        before: ref && existing ? { ...existing, id: ref.entityId } : null,
        section,
        home,
      },
    );
    this.postAddresses.set(item.postId, path);
    if (post.sources) await replaceArticleSources(this.db, articleId, post.sources);
    if (existing) {
      await replaceArticleAuthors(this.db, articleId, bylines);
      await replaceArticleTagIds(this.db, articleId, tagIds);
    } else {
      // A new article's byline and tags are written with the next flush, many in one statement.
      bylines.forEach((byline, position) => {
        this.pendingAuthors.push({ articleId, ...byline, position });
      });
      if (post.translationGroup) {
        await setTranslationGroup(this.db, [articleId], post.translationGroup);
      }
      [...new Set(tagIds)].forEach((tagId, position) => {
        this.pendingTags.push({ articleId, tagId, position });
      });
    }
    await this.saveRef(
      externalId,
      { entity: 'article', entityId: articleId, contentHash: hash, entityVersion: version },
      {
        version,
        sectionId: existing?.sectionId ?? section.id,
        slug,
        language: existing?.language ?? post.language ?? this.language,
      },
    );
    if (isLinkingLater) {
      this.linking.push({
        entity: 'article',
        id: articleId,
        externalId,
        contentHash: hash,
        version,
      });
    }
    const paths = oldPaths(item, this.scanned.site).filter(
      (old) => old !== path && old !== `${path}/`,
    );
    await this.saveRedirects(paths, { entity: 'article', entityId: articleId });
    this.articleIds.push(articleId);
    this.knownBodies.set(articleId, {
      stems: mapped.bodyStems,
      captions: articleCaptions(body),
      mediaIds: articleMediaIds({ leadMediaId, body }),
    });
  }

  /**
   * A post or page as it is stored: mapped, its notes counted, its pictures
   * bound to media records; or null once reported skipped (its HTML cannot
   * be converted, or its body cannot be held).
   */
  private async storable(
    item: WxrItem,
  ): Promise<{ mapped: Exclude<Converted, DomainError>; body: Doc } | null> {
    const mapped = this.mapped(item);
    if (!mapped) return null;
    const { post } = mapped;
    for (const [what, count] of post.notes) this.note(what, count);
    const mediaIds: (number | null)[] = [];
    for (const ref of post.images) mediaIds.push(await this.imageMedia(ref));
    const body = this.storableBody(item, post, mediaIds);
    return body ? { mapped, body } : null;
  }

  /** The item mapped, or null after reporting it skipped when its HTML cannot be converted. */
  private mapped(item: WxrItem): Exclude<Converted, DomainError> | null {
    const converted = this.converted.get(item) ?? this.convert(item);
    this.converted.delete(item);
    if (isDomainError(converted)) {
      this.skipUnstorable(item, converted.message);
      return null;
    }
    return converted;
  }

  /** A post or page mapped from its HTML, or the DomainError that says why it cannot be. */
  private convert(item: WxrItem): Converted {
    return convertWxrItem(item, photosAttached(item, this.scanned.childAttachments));
  }

  /** Whether an item is a post or page that will be mapped in its turn and is not yet. */
  private isToConvert(item: WxrItem): boolean {
    return !this.converted.has(item) && isConvertible(item);
  }

  /** What the worker thread needs from the first pass to pick and convert posts ahead. */
  aheadPlan(): AheadPlan {
    const chosen = new Map<number, number | null>();
    for (const [id, seen] of this.scanned.repeatedIds) chosen.set(id, seen.chosen);
    return { attached: this.scanned.childAttachments, chosen };
  }

  /** A post converted ahead by the thread that read it (see readEventsInThread). */
  convertedAhead(item: WxrItem, converted: Converted): void {
    this.converted.set(item, converted);
  }

  /** The next post of `following` to convert in this thread while it waits. */
  private nextToConvertHere(following: Following, at: { index: number }): WxrItem | null {
    while (at.index < following.events.length) {
      const event = following.events[at.index++];
      if (event?.kind === 'item' && this.isToConvert(event.item)) return event.item;
    }
    return null;
  }

  /**
   * Waits for `pausing` (the batch letting the servers write, on SQLite),
   * meanwhile converting the HTML of the posts that come next: work the import
   * needs anyway, done while the write lock is free rather than idling. When
   * there is no pause it returns at once.
   */
  async convertWhile(pausing: Promise<void>, following: Following): Promise<void> {
    let isOver = false;
    const over = pausing.finally(() => {
      isOver = true;
    });
    // Awaited below: a pause that fails must not count as unhandled meanwhile.
    over.catch(() => {});
    const at = { index: following.from };
    for (;;) {
      // Let the pause end (its timer, the next batch's begin) between two conversions.
      await new Promise((resolve) => setImmediate(resolve));
      if (isOver) break;
      const item = this.nextToConvertHere(following, at);
      if (!item) break;
      try {
        this.converted.set(item, this.convert(item));
      } catch {
        // Converted again in its turn, where the error counts (the item may yet be skipped).
      }
    }
    await over;
  }

  private skipUnstorable(item: WxrItem, problem: string): void {
    // A copy of its post id later in the file may be imported instead.
    if (this.scanned.repeatedIds.has(item.postId)) this.unstoredRepeats.add(item.postId);
    this.line({
      action: 'skipped',
      entity: `${item.postType} #${item.postId}`,
      target: `“${htmlToText(item.title)}”`,
      note: `its body cannot be stored: ${problem}`,
    });
  }

  /**
   * The body as it will be stored, or null after reporting the item skipped:
   * one post Masthead cannot hold (a body past the document's limits) must not
   * stop the rest of the archive. The mapped body was checked with its
   * pictures' placeholder ids (wxr-convert.ts): bound to records, it needs
   * checking again only where a picture was left out.
   */
  private storableBody(
    item: WxrItem,
    post: WxrPost,
    mediaIds: readonly (number | null)[],
  ): Doc | null {
    const body = this.bound(post.body, mediaIds);
    if (!mediaIds.includes(null)) return body;
    try {
      return validateDoc(body, `${itemPlace(item)}: body`);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.skipUnstorable(item, error.message);
      return null;
    }
  }

  /** The section of a post's first category; posts with none go to "Uncategorized", as in WordPress. */
  private async sectionFor(category: { slug: string; name: string } | undefined): Promise<Section> {
    const section = category ? this.sectionsBySlug.get(category.slug) : undefined;
    if (section) return section;
    if (category) {
      // A "Posts only" export lists no categories in its channel: a post's own
      // category element names it, and it becomes a top-level section.
      const created = await this.section(
        {
          taxonomy: 'category',
          id: null,
          slug: category.slug,
          name: category.name,
          parentSlug: null,
          description: '',
        },
        null,
        decodeOrKeep(category.slug),
      );
      this.sectionsBySlug.set(category.slug, created);
      this.note('category named only by its posts (made a top-level section)');
      return created;
    }
    const fallback: WxrTerm = {
      taxonomy: 'category',
      id: null,
      slug: 'uncategorized',
      name: 'Uncategorized',
      parentSlug: null,
      description: '',
    };
    const existing = this.sectionsBySlug.get(fallback.slug);
    if (existing) return existing;
    const created = await this.section(fallback, null, null);
    this.sectionsBySlug.set(fallback.slug, created);
    return created;
  }

  /** A page's slug: its own, after its parents' ("parent-child"), as pages have one level of address. */
  private pageSlug(item: WxrItem): string {
    const parts: string[] = [];
    const seen = new Set<number>();
    let current: number = item.postId;
    while (current > 0 && !seen.has(current)) {
      seen.add(current);
      const page = this.scanned.pages.get(current);
      if (!page) break;
      parts.unshift(page.slug);
      current = page.parentId;
    }
    return parts.join('-') || itemSlug(item, htmlToText(item.title));
  }

  private async page(item: WxrItem): Promise<void> {
    const storable = await this.storable(item);
    if (!storable) return;
    const { mapped, body } = storable;
    const { post } = mapped;
    const externalId = this.externalId(item.postId);
    const hash = contentHashOf({ title: post.title, body });
    const ref = this.refs.get(externalId);
    const existing =
      ref?.entity === 'page' && ref.isPresent ? await getPageById(this.db, ref.entityId) : null;
    const updatedAt = wxrDate(item.postModifiedGmt) ?? this.now;
    const page = { title: post.title, body, language: post.language ?? this.language, updatedAt };
    if (existing) this.postAddresses.set(item.postId, pageUrl(existing.slug));
    // The newsroom's own edits win over a re-import of the old archive.
    if (existing && (ref?.contentHash === hash || pageEditedSinceImport(ref ?? null, existing))) {
      this.line(keptLine('page', pageUrl(existing.slug), ref?.contentHash !== hash));
      return;
    }
    const isLinkingLater = await this.linkNow(body);
    let place: Parameters<typeof writeArchivePage>[3];
    if (existing) place = { before: existing };
    else {
      const wanted = this.pageSlug(item);
      this.pagePosition ??= await lastPagePosition(this.db);
      place = {
        before: null,
        slug: await freePageSlug(this.db, wanted, this.sections),
        wanted,
        position: ++this.pagePosition,
        // Masthead's export says which page is the masthead and which are legal ones.
        kind: mastheadPageKind(item),
      };
    }
    const { pageId, path } = await writeArchivePage(
      this.db,
      (line) => this.line(line),
      page,
      place,
    );
    this.postAddresses.set(item.postId, path);
    await this.saveRef(externalId, {
      entity: 'page',
      entityId: pageId,
      contentHash: hash,
      entityVersion: pageStamp(page.updatedAt),
    });
    if (isLinkingLater) this.linking.push({ entity: 'page', id: pageId });
    const paths = oldPaths(item, this.scanned.site).filter(
      (old) => old !== path && old !== `${path}/`,
    );
    await this.saveRedirects(paths, { entity: 'page', entityId: pageId });
  }

  // -------------------------------------------------------------------------
  // Links to the old site

  /**
   * The old-site address a link points to, as redirects are stored (decoded
   * path, with its query), or null when it points elsewhere or at one of the
   * old site's files (those stay where they are).
   */
  private oldSiteUrl(href: string): URL | null {
    let url: URL;
    try {
      url = new URL(href, 'http://not-the-old-site.invalid');
    } catch {
      return null;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!this.oldHosts.has(hostKey(url.host))) return null;
    if (url.pathname.includes('/wp-content/') || url.pathname.includes('/wp-includes/'))
      return null;
    return url;
  }

  /** The paths under which a saved redirect may hold an old-site address (as findOldAddress looks them up). */
  private redirectCandidates(url: URL): string[] {
    const path = decodeOrKeep(url.pathname);
    const trimmed = path.replace(/\/+$/, '');
    const candidates: string[] = [];
    for (const key of ['p', 'page_id']) {
      const value = url.searchParams.get(key);
      if (value && /^\d+$/.test(value)) candidates.push(`${trimmed}/?${key}=${value}`);
    }
    if (url.search) candidates.push(`${path}${url.search}`);
    if (trimmed !== '' && trimmed !== this.basePath) candidates.push(trimmed, `${trimmed}/`);
    return candidates;
  }

  /** Each link in a body: a link mark, or a picture that leads somewhere. */
  private hrefsOf(
    node: DocNode | Doc,
    visit: (link: { href: string; set: (href: string) => void }) => void,
  ): void {
    const attrs = node.type === 'image' ? node.attrs : undefined;
    if (attrs && typeof attrs.href === 'string') {
      visit({
        href: attrs.href,
        set: (href) => {
          attrs.href = href;
        },
      });
    }
    for (const mark of ('marks' in node ? node.marks : undefined) ?? []) {
      const attrs = mark.attrs;
      if (mark.type === 'link' && attrs && typeof attrs.href === 'string') {
        visit({
          href: attrs.href,
          set: (href) => {
            attrs.href = href;
          },
        });
      }
    }
    for (const child of node.content ?? []) this.hrefsOf(child, visit);
  }

  /**
   * Rewrites a body's links to the old site before it is stored, when where
   * each leads is known already (an item written earlier, an archive, an
   * earlier import); true when one leads to an item further on in the file,
   * and so the whole body waits for finish (rewriteOldLinks).
   */
  private async linkNow(body: Doc): Promise<boolean> {
    let isWaiting = false;
    this.hrefsOf(body, ({ href }) => {
      const url = isWaiting ? null : this.oldSiteUrl(href);
      if (!url) return;
      for (const path of this.redirectCandidates(url)) {
        const owner = this.scanned.oldPathOwners.get(path);
        if (owner !== undefined) {
          isWaiting = !this.postAddresses.has(owner);
          return;
        }
      }
    });
    if (isWaiting) return true;
    await this.withNewAddresses(body);
    return false;
  }

  /**
   * Rewrites the imported bodies' links to the old site's posts, pages and
   * archives to their Masthead addresses, once everything is in (a post may
   * link to one further on in the file). Links that match nothing stay.
   */
  private async rewriteOldLinks(): Promise<void> {
    for (const entity of this.linking) {
      if (entity.entity === 'article') {
        const article = await getArticle(this.db, entity.id);
        if (!article) continue;
        const body = await this.withNewAddresses(article.body);
        if (body === null) continue;
        await updateArticleContent(this.db, article.id, { ...article, body });
        // The import's own change: a later re-import must not take it for the newsroom's edit.
        await this.saveRef(entity.externalId, {
          entity: 'article',
          entityId: article.id,
          contentHash: entity.contentHash,
          entityVersion: article.version + 1,
        });
      } else {
        const page = await getPageById(this.db, entity.id);
        if (!page) continue;
        const body = await this.withNewAddresses(page.body);
        if (body !== null) await updatePage(this.db, page.id, { ...page, body });
      }
      await this.batches.between();
    }
  }

  /** The body with its links to the old site's pages rewritten, counted in the notes; null when none was. */
  private async withNewAddresses(body: Doc): Promise<Doc | null> {
    const links: { url: URL; set: (href: string) => void }[] = [];
    this.hrefsOf(body, ({ href, set }) => {
      const url = this.oldSiteUrl(href);
      if (url) links.push({ url, set });
    });
    if (links.length === 0) return null;
    // This import's own addresses first, then the database: earlier imports' ones.
    const known = (path: string): string | RedirectTarget | undefined => {
      const owner = this.scanned.oldPathOwners.get(path);
      const address = owner === undefined ? undefined : this.postAddresses.get(owner);
      return address ?? this.archiveRedirects.get(path);
    };
    const unknown = links.flatMap((link) =>
      this.redirectCandidates(link.url).filter((path) => known(path) === undefined),
    );
    const stored =
      unknown.length > 0 && this.hasEarlierRedirects
        ? await findRedirects(this.db, unknown)
        : new Map<string, RedirectTarget>();
    let rewritten = 0;
    for (const link of links) {
      const target = this.redirectCandidates(link.url)
        .map((path) => known(path) ?? stored.get(path))
        .find((found) => found !== undefined);
      const address =
        target === undefined
          ? null
          : typeof target === 'string'
            ? target
            : await this.addressOf(target);
      if (address === null) {
        this.note(NOTE_UNMATCHED);
        continue;
      }
      link.set(`${address}${link.url.hash}`);
      rewritten++;
    }
    if (rewritten === 0) return null;
    this.note(NOTE_REWRITTEN, rewritten);
    return body;
  }

  /** The current address of what an old address leads to, or null when it is gone. */
  private async addressOf(target: RedirectTarget): Promise<string | null> {
    const known = this.addresses.get(`${target.entity}:${target.entityId}`);
    if (known !== undefined) return known;
    let address: string | null = null;
    if (target.entity === 'article') {
      const article = await getArticle(this.db, target.entityId);
      const section = article && this.sections.find((s) => s.id === article.sectionId);
      address = article && section ? articleUrl(section, article.slug) : null;
    } else if (target.entity === 'page') {
      const page = await getPageById(this.db, target.entityId);
      address = page ? pageUrl(page.slug) : null;
    } else if (target.entity === 'tag') {
      const tag = await findTagById(this.db, target.entityId);
      address = tag ? tagUrl(tag.slug) : null;
    } else {
      const section = this.sections.find((s) => s.id === target.entityId);
      address = section ? sectionUrl(section) : null;
    }
    if (address !== null) this.addresses.set(`${target.entity}:${target.entityId}`, address);
    return address;
  }
}

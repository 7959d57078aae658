import type { Kysely } from 'kysely';
import type { Doc } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { articleUrl, isFreeTopLevelSlug, pageUrl, sectionUrl } from '../core/section-path.js';
import { slugify } from '../core/slug.js';
import { decodeOrKeep } from '../core/text-codes.js';
import type { Section } from '../core/types.js';
import { bindImages, htmlToText, type ImageRef } from '../formats/html-to-doc.js';
import {
  itemSlug,
  mapAttachment,
  mapPost,
  oldPaths,
  siteLanguage,
  skipReason,
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
  type WxrTerm,
} from '../formats/wxr-reader.js';
import {
  freeSlug,
  getArticle,
  insertArticle,
  replaceArticleAuthors,
  setArticleWorkflow,
  updateArticleContent,
} from '../store/articles.js';
import { editedSinceImport, findImportRef, saveImportRef } from '../store/import-refs.js';
import { getMediaByIds, insertMedia, setMediaSource, updateMediaText } from '../store/media.js';
import {
  findPageBySlug,
  getPageById,
  insertPage,
  lastPagePosition,
  updatePage,
} from '../store/pages.js';
import { findPersonBySlug, insertPerson } from '../store/people.js';
import { saveRedirects } from '../store/redirects.js';
import type { Database } from '../store/schema.js';
import { reindexArticles } from '../store/search-index.js';
import { insertSection, listSections } from '../store/sections.js';
import { findOrCreateTags, replaceArticleTags } from '../store/tags.js';
import { type WriteBatches, writeInBatches } from '../store/write-batches.js';
import {
  contentHashOf,
  type ImportProgress,
  type ImportResult,
  type ImportSource,
  type ReportLine,
} from './import-report.js';
import type { Newsroom } from './newsroom.js';

// A WordPress export (WXR) in two passes over the file, so a 200 MB export
// imports in bounded memory:
// 1. read the whole file to check it is well-formed XML and collect what
//    posts refer to out of order (attachments, page parents) — small records;
// 2. write authors, categories, tags, attachments, posts and pages as they
//    stream past, in batches that let the servers write between them on
//    SQLite (store/write-batches.ts). A failure anywhere takes it all back out.
// Identity for re-imports is the site's address plus the WordPress post id
// (import_ref), so running the same import again changes nothing.

const FORMAT = 'wxr';
/** Articles whose search rows are written between two pauses of a large import. */
const REINDEX_STEP = 100;

type Scan = {
  site: WxrSite;
  attachments: Map<number, WxrAttachment>;
  attachmentsByUrl: Map<string, number>;
  childAttachments: Map<number, number[]>;
  pages: Map<number, { slug: string; parentId: number }>;
};

/** An attachment's address without WordPress's size suffix or query ("photo-300x200.jpg" → "photo.jpg"). */
function baseImageUrl(url: string): string {
  return url
    .replace(/[?#].*$/, '')
    .replace(/-\d+x\d+(\.[a-z0-9]+)$/i, '$1')
    .replace(/^https?:\/\//i, '//');
}

async function readEvents(
  source: ImportSource,
  onEvent: (event: WxrEvent) => Promise<void> | void,
  onChunk: (bytes: number) => void,
): Promise<void> {
  const reader = new WxrReader(source.name);
  for await (const chunk of source.open()) {
    for (const event of reader.write(chunk)) await onEvent(event);
    onChunk(reader.bytesRead);
  }
  for (const event of reader.close()) await onEvent(event);
}

async function scan(
  source: ImportSource,
  progress: (bytes: number, items: number) => void,
): Promise<Scan> {
  const result: Scan = {
    site: emptyWxrSite(),
    attachments: new Map(),
    attachmentsByUrl: new Map(),
    childAttachments: new Map(),
    pages: new Map(),
  };
  let items = 0;
  await readEvents(
    source,
    (event) => {
      if (event.kind === 'site') result.site = event.site;
      if (event.kind !== 'item') return;
      items++;
      const item = event.item;
      if (item.postType === 'attachment') {
        const attachment = mapAttachment(item);
        result.attachments.set(item.postId, attachment);
        result.attachmentsByUrl.set(baseImageUrl(attachment.url), item.postId);
        if (item.parentId > 0) {
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

/** A WXR file read through once: well-formed, with what its posts refer to. */
export type CheckedWxr = { source: ImportSource; scan: Scan };

/** The first pass: reads the whole file without touching the database; broken XML fails here. */
export async function checkWxr(
  source: ImportSource,
  onProgress?: (progress: ImportProgress) => void,
): Promise<CheckedWxr> {
  let items = 0;
  const scanned = await scan(source, (bytes, count) => {
    items = count;
    onProgress?.({ pass: 1, passes: 2, bytes, totalBytes: source.size, items });
  });
  return { source, scan: scanned };
}

/** The second pass: writes everything, all or nothing. */
export async function writeWxr(
  newsroom: Newsroom,
  checked: CheckedWxr,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  const { source, scan: scanned } = checked;
  let items = 0;
  const report = (pass: 1 | 2) => (bytes: number) =>
    onProgress?.({ pass, passes: 2, bytes, totalBytes: source.size, items });
  const now = newsroom.now().toISOString();
  return writeInBatches(newsroom.store.db, async (batches) => {
    const writer = new WxrWriter(batches, newsroom, scanned, now);
    await readEvents(
      source,
      async (event) => {
        if (event.kind === 'item') items++;
        await writer.handle(event);
        // Between two items the servers may write (on SQLite, see write-batches.ts).
        await batches.between();
      },
      report(2),
    );
    return writer.finish();
  });
}

class WxrWriter {
  private readonly lines: ReportLine[] = [];
  private readonly notes = new Map<string, number>();
  private readonly siteKey: string;
  private readonly language: string;
  private readonly people = new Map<string, number>();
  private readonly categories: WxrTerm[] = [];
  private readonly termsSeen = new Set<string>();
  private readonly seenPostIds = new Set<number>();
  private readonly sectionsBySlug = new Map<string, Section>();
  private sectionsReady = false;
  private sections: Section[] = [];
  private readonly mediaByAttachment = new Map<number, number>();
  private readonly mediaBySrc = new Map<string, number>();
  /** Media records that have a line in the report already. */
  private readonly reportedMedia = new Set<number>();
  private readonly articleIds: number[] = [];
  private redirects = 0;
  private pagePosition: number | null = null;

  constructor(
    private readonly batches: WriteBatches,
    private readonly newsroom: Newsroom,
    private readonly scanned: Scan,
    private readonly now: string,
  ) {
    // Without its scheme: a site that moved from http to https is the same site.
    this.siteKey = (scanned.site.baseBlogUrl || scanned.site.link || 'wordpress').replace(
      /^https?:\/\//i,
      '//',
    );
    this.language = siteLanguage(scanned.site);
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
    await this.ensureSections();
    for (let start = 0; start < this.articleIds.length; start += REINDEX_STEP) {
      await reindexArticles(this.db, this.articleIds.slice(start, start + REINDEX_STEP));
      await this.batches.between();
    }
    return { lines: this.lines, notes: this.notes, redirects: this.redirects };
  }

  private async author(author: WxrAuthor): Promise<void> {
    await this.personFor(author.login, author.displayName.trim() || author.login);
  }

  private async personFor(login: string, name: string): Promise<number> {
    const known = this.people.get(login);
    if (known !== undefined) return known;
    const slug = slugify(name) || slugify(login) || 'author';
    const existing = await findPersonBySlug(this.db, slug);
    const id =
      existing?.id ??
      (
        await insertPerson(this.db, {
          name,
          slug,
          bio: '',
          mastheadRole: null,
          mastheadTitle: null,
          mastheadPosition: 0,
        })
      ).id;
    this.line({ action: existing ? 'unchanged' : 'created', entity: 'person', target: name });
    this.people.set(login, id);
    return id;
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
      const name = htmlToText(term.name) || term.slug;
      const before = await findImportRef(this.db, FORMAT, `${this.siteKey}#tag:${term.slug}`);
      const [tag] = await findOrCreateTags(this.db, [name]);
      if (!tag) return;
      await saveImportRef(this.db, FORMAT, `${this.siteKey}#tag:${term.slug}`, {
        entity: 'tag',
        entityId: tag.id,
        contentHash: '',
      });
      this.line({
        action: before ? 'unchanged' : 'created',
        entity: 'tag',
        target: `/tags/${tag.slug}`,
      });
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

  /** Sections for every category, parents first, once all terms are read. */
  private async ensureSections(): Promise<void> {
    if (this.sectionsReady) return;
    this.sectionsReady = true;
    this.sections = await listSections(this.db);
    const bySlug = new Map(this.categories.map((term) => [term.slug, term]));
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
      const section = await this.section(term, parent);
      this.sectionsBySlug.set(term.slug, section);
      return section;
    };
    for (const term of this.categories) await visit(term, new Set());
  }

  private async section(term: WxrTerm, parent: Section | null): Promise<Section> {
    const name = htmlToText(term.name) || term.slug;
    // Nicenames of non-Latin categories are percent-encoded UTF-8 ("%d0%bd…").
    let slug = slugify(decodeOrKeep(term.slug)) || slugify(name) || `category-${term.id ?? 0}`;
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
    this.sections.push(section);
    this.line({ action: 'created', entity: 'section', target: sectionUrl(section) });
    return section;
  }

  private async topLevelFree(slug: string, kind: 'section' | 'page'): Promise<boolean> {
    if (!isFreeTopLevelSlug(slug)) return false;
    if (kind === 'section') return (await findPageBySlug(this.db, slug)) === null;
    return !this.sections.some((section) => section.path === slug);
  }

  private async item(item: WxrItem): Promise<void> {
    const reason = this.seenPostIds.has(item.postId)
      ? `the file holds post id ${item.postId} twice; the first was imported`
      : skipReason(item);
    this.seenPostIds.add(item.postId);
    const label = `${item.postType} #${item.postId}`;
    if (reason) {
      this.line({
        action: 'skipped',
        entity: label,
        target: `“${htmlToText(item.title)}”`,
        note: reason,
      });
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
    });
    this.mediaByAttachment.set(postId, id);
    return id;
  }

  private async saveMedia(
    externalId: string,
    media: Pick<
      WxrAttachment,
      'url' | 'alt' | 'caption' | 'credit' | 'copyright' | 'width' | 'height'
    >,
  ): Promise<number> {
    const hash = contentHashOf(media);
    const ref = await findImportRef(this.db, FORMAT, externalId);
    const current = ref
      ? (await getMediaByIds(this.db, [ref.entityId])).get(ref.entityId)
      : undefined;
    if (current && ref) {
      if (ref.contentHash !== hash) {
        await updateMediaText(this.db, current.id, media);
        await setMediaSource(this.db, current.id, {
          sourceUrl: media.url,
          copyright: media.copyright,
        });
        await saveImportRef(this.db, FORMAT, externalId, {
          entity: 'media',
          entityId: current.id,
          contentHash: hash,
        });
        this.line({
          action: 'updated',
          entity: 'media',
          target: `#${current.id}`,
          note: media.url,
        });
        this.reportedMedia.add(current.id);
      }
      return current.id;
    }
    const created = await insertMedia(
      this.db,
      {
        kind: 'image',
        file: null,
        width: media.width,
        height: media.height,
        alt: media.alt,
        caption: media.caption,
        credit: media.credit,
        isOwnPhoto: false,
        copyright: media.copyright,
      },
      this.now,
    );
    await setMediaSource(this.db, created.id, { sourceUrl: media.url, copyright: media.copyright });
    await saveImportRef(this.db, FORMAT, externalId, {
      entity: 'media',
      entityId: created.id,
      contentHash: hash,
    });
    this.line({
      action: 'created',
      entity: 'media',
      target: `#${created.id}`,
      note: `file to fetch from ${media.url}`,
    });
    this.reportedMedia.add(created.id);
    return created.id;
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
    const attachmentId = this.scanned.attachmentsByUrl.get(baseImageUrl(ref.src));
    if (attachmentId !== undefined) return this.attachmentMedia(attachmentId);
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

  private async post(item: WxrItem): Promise<void> {
    const post = this.mapped(item, () =>
      mapPost(item, () =>
        (this.scanned.childAttachments.get(item.postId) ?? []).map((id) => ({
          src: null,
          attachmentId: id,
          alt: '',
          caption: '',
        })),
      ),
    );
    if (!post) return;
    for (const [what, count] of post.notes) this.note(what, count);
    const where = `${this.scannedName(item)}: body`;
    const mediaIds: (number | null)[] = [];
    for (const ref of post.images) mediaIds.push(await this.imageMedia(ref));
    const body = this.storableBody(item, bindImages(post.body, mediaIds), where);
    if (!body) return;
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
    const personId = await this.personFor(
      post.authorLogin || 'wordpress',
      post.authorLogin || 'WordPress',
    );
    const hash = contentHashOf({
      post: { ...post, notes: [...post.notes], body },
      leadMediaId,
      section: section.id,
      personId,
    });
    const externalId = this.externalId(item.postId);
    const ref = await findImportRef(this.db, FORMAT, externalId);
    const existing = ref?.entity === 'article' ? await getArticle(this.db, ref.entityId) : null;
    const home = existing
      ? (this.sections.find((s) => s.id === existing.sectionId) ?? section)
      : section;
    const remark = post.remarks.length > 0 ? post.remarks.join('; ') : undefined;
    if (existing && ref?.contentHash === hash) {
      this.line({
        action: 'unchanged',
        entity: 'article',
        target: articleUrl(home, existing.slug),
      });
      return;
    }
    if (existing && editedSinceImport(ref, existing)) {
      // The newsroom's own edits win over a re-import of the old archive.
      this.line({
        action: 'unchanged',
        entity: 'article',
        target: articleUrl(home, existing.slug),
        note: 'edited in Masthead since it was imported: the file’s version was not applied',
      });
      return;
    }
    let articleId: number;
    let path: string;
    const updatedAt = post.updatedAt ?? post.publishedAt ?? this.now;
    if (existing) {
      await updateArticleContent(this.db, existing.id, {
        title: post.title,
        standfirst: post.standfirst,
        body,
        language: existing.language,
        leadMediaId,
        updatedAt,
      });
      articleId = existing.id;
      path = articleUrl(home, existing.slug);
      // Text only: its address, section and workflow state are the newsroom's now.
      this.line({
        action: 'updated',
        entity: 'article',
        target: path,
        note: ['its text; address and state kept', ...(remark ? [remark] : [])].join('; '),
      });
    } else {
      const slug = await freeSlug(this.db, section.id, post.slug);
      const created = await insertArticle(this.db, {
        uuid: this.newsroom.newId(),
        slug,
        sectionId: section.id,
        language: this.language,
        status: post.status,
        title: post.title,
        standfirst: post.standfirst,
        body,
        leadMediaId,
        publishedAt: post.publishedAt,
        createdAt: post.createdAt ?? this.now,
        updatedAt,
      });
      if (post.status === 'scheduled') {
        await setArticleWorkflow(this.db, created.id, {
          status: 'scheduled',
          publishedAt: null,
          scheduledAt: post.scheduledAt ?? this.now,
          updatedAt,
        });
      }
      articleId = created.id;
      path = articleUrl(section, slug);
      const notes = [
        post.status === 'published' ? null : `${post.status.replace('_', ' ')}`,
        slug === post.slug ? null : `its slug “${post.slug}” was taken in /${section.path}`,
        remark ?? null,
      ].filter((note): note is string => note !== null);
      this.line({
        action: 'created',
        entity: 'article',
        target: path,
        ...(notes.length ? { note: notes.join('; ') } : {}),
      });
    }
    await replaceArticleAuthors(this.db, articleId, [{ personId, label: null }]);
    await replaceArticleTags(this.db, articleId, post.tagNames);
    await saveImportRef(this.db, FORMAT, externalId, {
      entity: 'article',
      entityId: articleId,
      contentHash: hash,
      entityVersion: (await getArticle(this.db, articleId))?.version ?? null,
    });
    const paths = oldPaths(item, this.scanned.site).filter(
      (old) => old !== path && old !== `${path}/`,
    );
    await saveRedirects(this.db, paths, { entity: 'article', entityId: articleId }, this.now);
    this.redirects += paths.length;
    this.articleIds.push(articleId);
  }

  /** The item mapped, or null after reporting it skipped when its HTML cannot be converted. */
  private mapped(item: WxrItem, map: () => WxrPost): WxrPost | null {
    try {
      return map();
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.skipUnstorable(item, error.message);
      return null;
    }
  }

  private skipUnstorable(item: WxrItem, problem: string): void {
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
   * stop the rest of the archive.
   */
  private storableBody(item: WxrItem, body: Doc, where: string): Doc | null {
    try {
      return validateDoc(body, where);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.skipUnstorable(item, error.message);
      return null;
    }
  }

  private scannedName(item: WxrItem): string {
    return `${item.postType} #${item.postId} (line ${item.line})`;
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
    const created = await this.section(fallback, null);
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
    if (item.status !== 'publish') {
      this.line({
        action: 'skipped',
        entity: `page #${item.postId}`,
        target: `“${htmlToText(item.title)}”`,
        note: `${item.status} in WordPress, and Masthead pages are public: add it when it is ready`,
      });
      return;
    }
    const post = this.mapped(item, () => mapPost(item, () => []));
    if (!post) return;
    for (const [what, count] of post.notes) this.note(what, count);
    const mediaIds: (number | null)[] = [];
    for (const ref of post.images) mediaIds.push(await this.imageMedia(ref));
    const body = this.storableBody(
      item,
      bindImages(post.body, mediaIds),
      `${this.scannedName(item)}: body`,
    );
    if (!body) return;
    const externalId = this.externalId(item.postId);
    const hash = contentHashOf({ title: post.title, body });
    const ref = await findImportRef(this.db, FORMAT, externalId);
    const existing = ref?.entity === 'page' ? await getPageById(this.db, ref.entityId) : null;
    const updatedAt = wxrDate(item.postModifiedGmt) ?? this.now;
    let pageId: number;
    let path: string;
    if (existing) {
      path = pageUrl(existing.slug);
      pageId = existing.id;
      if (ref?.contentHash === hash) {
        this.line({ action: 'unchanged', entity: 'page', target: path });
        return;
      }
      await updatePage(this.db, existing.id, {
        title: post.title,
        body,
        language: existing.language,
        kind: existing.kind,
        position: existing.position,
        updatedAt,
      });
      this.line({ action: 'updated', entity: 'page', target: path });
    } else {
      const wanted = this.pageSlug(item);
      const slug = await this.freePageSlug(wanted);
      this.pagePosition ??= await lastPagePosition(this.db);
      const created = await insertPage(this.db, {
        slug,
        title: post.title,
        body,
        language: this.language,
        kind: 'page',
        position: ++this.pagePosition,
        updatedAt,
      });
      pageId = created.id;
      path = pageUrl(slug);
      this.line({
        action: 'created',
        entity: 'page',
        target: path,
        ...(slug === wanted ? {} : { note: `the address /${wanted} was taken` }),
      });
    }
    await saveImportRef(this.db, FORMAT, externalId, {
      entity: 'page',
      entityId: pageId,
      contentHash: hash,
    });
    const paths = oldPaths(item, this.scanned.site).filter(
      (old) => old !== path && old !== `${path}/`,
    );
    await saveRedirects(this.db, paths, { entity: 'page', entityId: pageId }, this.now);
    this.redirects += paths.length;
  }

  private async freePageSlug(wanted: string): Promise<string> {
    for (let n = 1; ; n++) {
      const slug = n === 1 ? wanted : `${wanted}-${n}`;
      if ((await this.topLevelFree(slug, 'page')) && !(await findPageBySlug(this.db, slug)))
        return slug;
    }
  }
}

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../core/errors.js';
import {
  type ImportBundle,
  type ImportedArticle,
  type ImportedMedia,
  type ImportedPage,
  toIsoDate,
  validateBundle,
} from '../core/import-bundle.js';
import { articleUrl, isFreeTopLevelSlug, pageUrl, sectionUrl } from '../core/section-path.js';
import { slugify } from '../core/slug.js';
import type { Section } from '../core/types.js';
import { parseImportFile } from '../formats/detect.js';
import {
  freeSlug,
  getArticle,
  insertArticle,
  replaceArticleAuthors,
  replaceArticleSources,
  setTranslationGroup,
  updateArticleContent,
} from '../store/articles.js';
import { findImportRef, saveImportRef } from '../store/import-refs.js';
import {
  getMediaByIds,
  insertMedia,
  isMediaFileReferenced,
  updateMediaText,
} from '../store/media.js';
import type { StoredImage } from '../store/media-files.js';
import { findPageBySlug, insertPage, listPages, updatePage } from '../store/pages.js';
import {
  findPersonBySlug,
  insertPerson,
  lastMastheadPosition,
  updatePersonMasthead,
} from '../store/people.js';
import type { Database } from '../store/schema.js';
import { articlesShowing, reindexArticles } from '../store/search-index.js';
import { insertSection, listSections } from '../store/sections.js';
import { replaceArticleTags } from '../store/tags.js';
import { writeInBatches } from '../store/write-batches.js';
import { contentHashOf, type ReportLine } from './import-report.js';
import type { Newsroom } from './newsroom.js';

export { formatReportLine, type ReportLine } from './import-report.js';

export type ImportOptions = {
  /** Publication date for articles whose source carries none (ISO 8601). */
  publishedAt?: string;
};

/**
 * Imports a file: recognises its format, parses it and writes every item in one
 * transaction. A file that fails to parse or to store leaves the database as it was.
 */
export async function importFile(
  newsroom: Newsroom,
  file: { name: string; bytes: Uint8Array; format?: string },
  options: ImportOptions = {},
): Promise<ReportLine[]> {
  const bundle = parseImportFile(file.bytes, file.name, file.format);
  return applyImportBundle(newsroom, bundle, options);
}

/**
 * Writes a parsed bundle: sections, people, pages, media and articles are
 * created, updated or reported unchanged. Re-importing the same bundle changes
 * nothing. All or nothing: image files written for a failed import are removed.
 */
export async function applyImportBundle(
  newsroom: Newsroom,
  unchecked: ImportBundle,
  options: ImportOptions = {},
): Promise<ReportLine[]> {
  const bundle = validateBundle(unchecked);
  const defaultDate =
    options.publishedAt === undefined
      ? undefined
      : toIsoDate(options.publishedAt, '--published-at');
  const now = newsroom.now().toISOString();
  const images = new Map<string, StoredImage>();
  try {
    return await writeInBatches(newsroom.store.db, async (batches) => {
      // Files first, with no batch open: encoding photos must not hold the
      // database's write lock (a directory's files share one import).
      await batches.outside(async () => {
        for (const media of bundle.media) {
          if (media.bytes) images.set(media.key, await newsroom.mediaFiles.storeImage(media.bytes));
        }
      });
      // A seed page is small: the rest is one batch.
      const writer = new BundleWriter(batches.db, newsroom, bundle, images, now);
      await writer.people();
      await writer.pages();
      for (const article of bundle.articles) await writer.article(article, defaultDate);
      await writer.linkTranslations();
      await writer.reindex();
      return writer.report;
    });
  } catch (error) {
    // Remove what this import stored, unless a committed row uses the same
    // picture (files are shared by content): nothing is left half-written.
    for (const image of images.values()) {
      if (image.isNew && !(await isMediaFileReferenced(newsroom.store.db, image.file))) {
        await newsroom.mediaFiles.remove(image.file);
      }
    }
    throw error;
  }
}

/** One import's writes, inside its transaction. */
class BundleWriter {
  readonly report: ReportLine[] = [];
  private readonly articleIds = new Set<number>();
  private readonly idsByExternalId = new Map<string, number>();
  private readonly updatedMediaIds = new Set<number>();
  private sections: Section[] | null = null;
  private readonly personIds = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly newsroom: Newsroom,
    private readonly bundle: ImportBundle,
    private readonly images: Map<string, StoredImage>,
    private readonly now: string,
  ) {}

  /** Links each article to the one it translates, when both are in the bundle (unchanged ones too). */
  async linkTranslations(): Promise<void> {
    for (const item of this.bundle.articles) {
      if (!item.translationOf) continue;
      const ids = [item.externalId, item.translationOf].map((key) => this.idsByExternalId.get(key));
      if (ids.some((id) => id === undefined)) {
        throw new DomainError(
          'malformed_file',
          `article “${item.title}”: it translates “${item.translationOf}”, which the file does not hold`,
        );
      }
      const articles = await Promise.all(ids.map((id) => getArticle(this.db, Number(id))));
      const group =
        articles.find((article) => article?.translationGroup)?.translationGroup ??
        createHash('sha256').update(`translation:${item.translationOf}`).digest('hex').slice(0, 32);
      await setTranslationGroup(this.db, ids.map(Number), group);
    }
  }

  /**
   * Brings the search index up to date for every article this import wrote or
   * whose photo's caption or credit it rewrote (people's names never change).
   */
  async reindex(): Promise<void> {
    const byMedia = await Promise.all(
      [...this.updatedMediaIds].map((mediaId) => articlesShowing(this.db, { mediaId })),
    );
    await reindexArticles(this.db, [...this.articleIds, ...byMedia.flat()]);
  }

  async people(): Promise<void> {
    let position = await lastMastheadPosition(this.db);
    for (const person of this.bundle.people) {
      const slug = slugify(person.name);
      const role = person.mastheadTitle ? slugify(person.mastheadTitle) : null;
      const target = `${person.name}${person.mastheadTitle ? ` (${person.mastheadTitle})` : ''}`;
      const existing = await findPersonBySlug(this.db, slug);
      if (!existing) {
        const created = await insertPerson(this.db, {
          name: person.name,
          slug,
          bio: person.bio,
          mastheadRole: role,
          mastheadTitle: person.mastheadTitle,
          mastheadPosition: role ? ++position : 0,
        });
        this.personIds.set(person.key, created.id);
        this.report.push({ action: 'created', entity: 'person', target });
        continue;
      }
      this.personIds.set(person.key, existing.id);
      if (
        role &&
        (existing.mastheadRole !== role || existing.mastheadTitle !== person.mastheadTitle)
      ) {
        await updatePersonMasthead(this.db, existing.id, {
          mastheadRole: role,
          mastheadTitle: person.mastheadTitle,
          mastheadPosition: existing.mastheadRole ? existing.mastheadPosition : ++position,
        });
        this.report.push({ action: 'updated', entity: 'person', target });
      } else {
        this.report.push({ action: 'unchanged', entity: 'person', target });
      }
    }
  }

  async pages(): Promise<void> {
    let position = (await listPages(this.db)).length;
    for (const page of this.bundle.pages) {
      await this.checkTopLevelSlug(page.slug, 'page', `page “${page.title}”`);
      const existing = await findPageBySlug(this.db, page.slug);
      const target = pageUrl(page.slug);
      if (!existing) {
        await insertPage(this.db, {
          ...pageFields(page),
          position: position++,
          updatedAt: this.now,
        });
        this.report.push({
          action: 'created',
          entity: 'page',
          target,
          note: placeholderNote(page),
        });
      } else if (page.isPlaceholder || samePage(existing, page)) {
        // A page the file only links to never overwrites the newsroom's text.
        this.report.push({ action: 'unchanged', entity: 'page', target });
      } else {
        await updatePage(this.db, existing.id, {
          ...pageFields(page),
          position: existing.position,
          updatedAt: this.now,
        });
        this.report.push({ action: 'updated', entity: 'page', target });
      }
    }
  }

  async article(item: ImportedArticle, defaultDate: string | undefined): Promise<void> {
    const section = await this.ensureSection(item.sectionNames);
    const media =
      this.bundle.media.find((candidate) => candidate.key === item.leadMediaKey) ?? null;
    // The file's own date wins; --published-at dates only what carries none.
    const requestedDate = item.publishedAt ?? defaultDate ?? null;
    const hash = contentHash(item, media, this.images.get(media?.key ?? ''));
    const ref = await findImportRef(this.db, this.bundle.format, item.externalId);
    const existing = ref?.entity === 'article' ? await getArticle(this.db, ref.entityId) : null;
    const isRedated = requestedDate !== null && existing?.publishedAt !== requestedDate;
    // A published address never changes under readers: an article the file now
    // files elsewhere stays where it is (editors move articles, imports do not).
    const home = existing
      ? (this.sections?.find((s) => s.id === existing.sectionId) ?? section)
      : section;

    if (existing && ref?.contentHash === hash && !isRedated) {
      if (existing.leadMediaId !== null) {
        this.report.push({
          action: 'unchanged',
          entity: 'media',
          target: `#${existing.leadMediaId}`,
        });
      }
      this.report.push({
        action: 'unchanged',
        entity: 'article',
        target: articleUrl(home, existing.slug),
      });
      this.idsByExternalId.set(item.externalId, existing.id);
      return;
    }

    const leadMediaId = media ? await this.saveMedia(media, existing?.leadMediaId ?? null) : null;
    let articleId: number;
    let path: string;
    if (existing) {
      await updateArticleContent(this.db, existing.id, {
        title: item.title,
        standfirst: item.standfirst,
        body: item.body,
        language: item.language,
        leadMediaId,
        updatedAt: this.now,
        publishedAt: requestedDate,
      });
      articleId = existing.id;
      path = articleUrl(home, existing.slug);
      const notes = [
        ...(isRedated ? [`published at ${requestedDate}`] : []),
        ...(home.id !== section.id
          ? [`kept at its address; the file files it under /${section.path}`]
          : []),
      ];
      this.report.push({
        action: 'updated',
        entity: 'article',
        target: path,
        ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
      });
    } else {
      const slug = await freeSlug(this.db, section.id, slugify(item.title));
      const created = await insertArticle(this.db, {
        uuid: this.newsroom.newId(),
        slug,
        sectionId: section.id,
        language: item.language,
        status: 'published',
        title: item.title,
        standfirst: item.standfirst,
        body: item.body,
        leadMediaId,
        publishedAt: requestedDate ?? this.now,
        createdAt: this.now,
        updatedAt: this.now,
      });
      articleId = created.id;
      path = articleUrl(section, slug);
      this.report.push({
        action: 'created',
        entity: 'article',
        target: path,
        note: dateNote(item, defaultDate, this.now),
      });
    }
    await replaceArticleAuthors(
      this.db,
      articleId,
      item.authors.map((author) => ({
        personId: this.personId(author.personKey),
        label: author.label,
      })),
    );
    await replaceArticleSources(this.db, articleId, item.sources);
    if (item.tags) await replaceArticleTags(this.db, articleId, item.tags);
    this.articleIds.add(articleId);
    this.idsByExternalId.set(item.externalId, articleId);
    await saveImportRef(this.db, this.bundle.format, item.externalId, {
      entity: 'article',
      entityId: articleId,
      contentHash: hash,
    });
  }

  private personId(key: string): number {
    const id = this.personIds.get(key);
    if (id === undefined) throw new Error(`import bundle names an unknown byline "${key}"`);
    return id;
  }

  private async saveMedia(media: ImportedMedia, existingId: number | null): Promise<number> {
    const image = this.images.get(media.key);
    const current =
      existingId === null
        ? undefined
        : (await getMediaByIds(this.db, [existingId])).get(existingId);
    if (current && current.file === (image?.file ?? null)) {
      await updateMediaText(this.db, current.id, media);
      this.updatedMediaIds.add(current.id);
      this.report.push({ action: 'updated', entity: 'media', target: `#${current.id}` });
      return current.id;
    }
    const created = await insertMedia(
      this.db,
      {
        kind: 'image',
        file: image?.file ?? null,
        width: image?.width ?? null,
        height: image?.height ?? null,
        alt: media.alt,
        caption: media.caption,
        credit: media.credit,
        isOwnPhoto: false,
      },
      this.now,
    );
    const note = image
      ? `${image.width}×${image.height}`
      : 'photo named by the file, without its image';
    this.report.push({ action: 'created', entity: 'media', target: `#${created.id}`, note });
    return created.id;
  }

  /** The section at the end of `names`, creating any missing one on the way. */
  private async ensureSection(names: string[]): Promise<Section> {
    this.sections ??= await listSections(this.db);
    let parent: Section | null = null;
    for (const name of names) {
      const slug = slugify(name);
      if (slug === '') {
        throw new DomainError(
          'invalid_input',
          `section “${name}” has no letters or digits to put in a URL`,
        );
      }
      if (!parent) await this.checkTopLevelSlug(slug, 'section', `section “${name}”`);
      const path: string = parent ? `${parent.path}/${slug}` : slug;
      let section: Section | undefined = this.sections.find((candidate) => candidate.path === path);
      if (!section) {
        const parentId: number | null = parent?.id ?? null;
        const siblings = this.sections.filter(
          (candidate) => candidate.parentId === parentId,
        ).length;
        section = await insertSection(this.db, { parentId, slug, path, name, position: siblings });
        this.sections.push(section);
        this.report.push({ action: 'created', entity: 'section', target: sectionUrl(section) });
      }
      parent = section;
    }
    if (!parent) throw new Error('an imported article needs at least one section');
    return parent;
  }

  /**
   * Refuses a top-level address the site uses itself (/assets, /media…), or one
   * a section and a page would share.
   */
  private async checkTopLevelSlug(
    slug: string,
    kind: 'section' | 'page',
    what: string,
  ): Promise<void> {
    if (!isFreeTopLevelSlug(slug)) {
      throw new DomainError(
        'invalid_input',
        `${what}: the address /${slug} is reserved for the site itself`,
      );
    }
    this.sections ??= await listSections(this.db);
    const isTaken =
      kind === 'page'
        ? this.sections.some((section) => section.path === slug)
        : (await findPageBySlug(this.db, slug)) !== null;
    if (isTaken) {
      const other = kind === 'page' ? 'section' : 'page';
      throw new DomainError(
        'invalid_input',
        `${what}: the address /${slug} already belongs to a ${other}`,
      );
    }
  }

  /** `slug`, or `slug-2`, `slug-3`… when another article in the section has it. */
}

function pageFields(page: ImportedPage) {
  return {
    slug: page.slug,
    title: page.title,
    body: page.body,
    language: page.language,
    kind: page.kind,
  };
}

function samePage(
  existing: { title: string; body: unknown; kind: string },
  page: ImportedPage,
): boolean {
  return (
    existing.title === page.title &&
    existing.kind === page.kind &&
    JSON.stringify(existing.body) === JSON.stringify(page.body)
  );
}

function placeholderNote(page: ImportedPage): string | undefined {
  return page.isPlaceholder
    ? 'linked from the footer; placeholder text until an editor writes it'
    : undefined;
}

function dateNote(item: ImportedArticle, defaultDate: string | undefined, now: string): string {
  if (item.publishedAt) return `published at ${item.publishedAt}, as the file says`;
  if (defaultDate) return `published at ${defaultDate}, from --published-at`;
  return `published at ${now}, the import time: the file carries no date; pass --published-at to set one`;
}

/** A hash of what the source says about an article: equal hashes mean nothing to update. */
function contentHash(
  item: ImportedArticle,
  media: ImportedMedia | null,
  image: StoredImage | undefined,
): string {
  const payload = {
    article: item,
    media: media && {
      alt: media.alt,
      caption: media.caption,
      credit: media.credit,
      file: image?.file ?? null,
    },
  };
  return contentHashOf(payload);
}

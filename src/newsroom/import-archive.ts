import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Doc } from '../core/document.js';
import { articleUrl, isFreeTopLevelSlug, pageUrl } from '../core/section-path.js';
import type { Page, Section } from '../core/types.js';
import type { Status } from '../core/workflow.js';
import type { WxrAttachment } from '../formats/wxr-map.js';
import {
  freeSlug,
  insertArticleForId,
  setArticleWorkflow,
  updateArticleContent,
} from '../store/articles.js';
import { insertMedia, setMediaSource, updateMediaText } from '../store/media.js';
import { findPageBySlug, insertPage, updatePage } from '../store/pages.js';
import type { Database } from '../store/schema.js';
import { contentHashOf, type ReportLine } from './import-report.js';

// The writes a whole-site import (a WordPress or a Ghost export) makes for each
// article, page and photo, and the report line each one gets: one rule for
// both, so that a re-import keeps the newsroom's addresses, states and edits
// alike whichever system the archive came from. Each importer keeps its own
// bookkeeping (import refs, redirects, links) around these.

/** A post of the old site as an article: its text and the state it had there. */
export type ArchiveArticle = {
  title: string;
  standfirst: string;
  body: Doc;
  /** The slug it asks for; another article of the section holding it gets `-2`. */
  slug: string;
  status: Status;
  publishedAt: string | null;
  scheduledAt: string | null;
  createdAt: string | null;
  updatedAt: string;
  leadMediaId: number | null;
  language: string;
  /** Said about the mapping ("private in WordPress: imported as a draft"). */
  remarks: string[];
  /** The title and description the old site gave search engines, when it had its own. */
  metaTitle?: string;
  metaDescription?: string;
};

/** An article an earlier import of the same archive wrote. */
export type ImportedBefore = { id: number; slug: string; language: string; version: number };

export type WrittenArticle = {
  articleId: number;
  version: number;
  slug: string;
  path: string;
};

/**
 * What an import notes of a page it wrote (as the ref's entity version), to
 * tell later whether the newsroom has edited it since: pages have no version,
 * but an edit dates a page anew, where an import dates it by the file. A
 * number from the date's text (the column holds 32-bit integers; any date,
 * even one a file got wrong, fits).
 */
export function pageStamp(updatedAt: string): number {
  return Number.parseInt(createHash('sha256').update(updatedAt).digest('hex').slice(0, 7), 16);
}

/** True when an imported page has been edited since the import last wrote it (refs from before stamps say nothing). */
export function pageEditedSinceImport(
  ref: { entityVersion?: number | null } | null,
  page: { updatedAt: string },
): boolean {
  return ref?.entityVersion != null && pageStamp(page.updatedAt) !== ref.entityVersion;
}

/** The report line of an article or page an import leaves as it is: unchanged in the file, or edited here since. */
export function keptLine(
  entity: 'article' | 'page',
  path: string,
  isEditedHere: boolean,
): ReportLine {
  return {
    action: 'unchanged',
    entity,
    target: path,
    // The newsroom's own edits win over a re-import of the old archive.
    ...(isEditedHere
      ? { note: 'edited in Masthead since it was imported: the file’s version was not applied' }
      : {}),
  };
}

/**
 * Writes an imported article. One imported before gets its new text only: its
 * address, section and workflow state are the newsroom's now. A new one is
 * created in `section` in the state it had (scheduled ones scheduled).
 */
export async function writeArchiveArticle(
  db: Kysely<Database>,
  write: { newId: () => string; now: string; report: (line: ReportLine) => void },
  article: ArchiveArticle,
  place: { before: ImportedBefore | null; section: Section; home: Section },
): Promise<WrittenArticle> {
  const remark = article.remarks.length > 0 ? article.remarks.join('; ') : undefined;
  const { before, section, home } = place;
  if (before) {
    await updateArticleContent(db, before.id, {
      title: article.title,
      standfirst: article.standfirst,
      body: article.body,
      language: before.language,
      leadMediaId: article.leadMediaId,
      updatedAt: article.updatedAt,
    });
    const path = articleUrl(home, before.slug);
    write.report({
      action: 'updated',
      entity: 'article',
      target: path,
      note: ['its text; address and state kept', ...(remark ? [remark] : [])].join('; '),
    });
    return { articleId: before.id, version: before.version + 1, slug: before.slug, path };
  }
  const slug = await freeSlug(db, section.id, article.slug);
  // Only its id back: the body was just validated, and reading the row back would parse it again.
  const articleId = await insertArticleForId(db, {
    uuid: write.newId(),
    slug,
    sectionId: section.id,
    language: article.language,
    status: article.status,
    title: article.title,
    standfirst: article.standfirst,
    body: article.body,
    leadMediaId: article.leadMediaId,
    ...(article.metaTitle ? { metaTitle: article.metaTitle } : {}),
    ...(article.metaDescription ? { metaDescription: article.metaDescription } : {}),
    publishedAt: article.publishedAt,
    createdAt: article.createdAt ?? write.now,
    updatedAt: article.updatedAt,
  });
  if (article.status === 'scheduled') {
    await setArticleWorkflow(db, articleId, {
      status: 'scheduled',
      publishedAt: null,
      scheduledAt: article.scheduledAt ?? write.now,
      updatedAt: article.updatedAt,
    });
  }
  const path = articleUrl(section, slug);
  const notes = [
    article.status === 'published' ? null : article.status.replace('_', ' '),
    slug === article.slug ? null : `its slug “${article.slug}” was taken in /${section.path}`,
    remark ?? null,
  ].filter((note): note is string => note !== null);
  write.report({
    action: 'created',
    entity: 'article',
    target: path,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  });
  return { articleId, version: 1, slug, path };
}

/**
 * `wanted`, or `wanted-2`, `wanted-3`… : the first address no page, section
 * (`sections`, the site's top-level paths) or part of the site itself holds.
 */
export async function freePageSlug(
  db: Kysely<Database>,
  wanted: string,
  sections: readonly Pick<Section, 'path'>[],
): Promise<string> {
  for (let n = 1; ; n++) {
    const slug = n === 1 ? wanted : `${wanted}-${n}`;
    const isFree =
      isFreeTopLevelSlug(slug) &&
      !sections.some((section) => section.path === slug) &&
      !(await findPageBySlug(db, slug));
    if (isFree) return slug;
  }
}

/** A page of the old site (published there: Masthead pages are public). */
export type ArchivePage = { title: string; body: Doc; language: string; updatedAt: string };

/**
 * Writes an imported page: one imported before gets its new title and text
 * (its address and place in the menu stay), a new one is added at `slug`
 * after the others. `wanted` is the address it asked for, for the report.
 */
export async function writeArchivePage(
  db: Kysely<Database>,
  report: (line: ReportLine) => void,
  page: ArchivePage,
  place:
    | { before: Pick<Page, 'id' | 'slug' | 'language' | 'kind' | 'position'> }
    | { before: null; slug: string; wanted: string; position: number; kind?: Page['kind'] },
): Promise<{ pageId: number; path: string }> {
  if (place.before) {
    const before = place.before;
    await updatePage(db, before.id, {
      title: page.title,
      body: page.body,
      language: before.language,
      kind: before.kind,
      position: before.position,
      updatedAt: page.updatedAt,
    });
    const path = pageUrl(before.slug);
    report({ action: 'updated', entity: 'page', target: path });
    return { pageId: before.id, path };
  }
  const created = await insertPage(db, {
    slug: place.slug,
    title: page.title,
    body: page.body,
    language: page.language,
    kind: place.kind ?? 'page',
    position: place.position,
    updatedAt: page.updatedAt,
  });
  const path = pageUrl(place.slug);
  report({
    action: 'created',
    entity: 'page',
    target: path,
    ...(place.slug === place.wanted ? {} : { note: `the address /${place.wanted} was taken` }),
  });
  return { pageId: created.id, path };
}

/**
 * A picture of the old site as a photo record whose file is fetched later,
 * from `url`: what a WordPress attachment says, and what a Ghost export can.
 */
export type ArchiveMedia = Pick<
  WxrAttachment,
  'url' | 'alt' | 'caption' | 'credit' | 'copyright' | 'width' | 'height'
> &
  Partial<Pick<WxrAttachment, 'createdAt' | 'isOwnPhoto'>>;

/**
 * Writes an imported photo record: one imported before (`before`, with the
 * hash of what the file said then) gets the file's texts when they changed;
 * a new one keeps the old address to fetch its file from. Returns its id and
 * the hash to remember; `line` is null when nothing changed.
 */
export async function writeArchiveMedia(
  db: Kysely<Database>,
  now: string,
  media: ArchiveMedia,
  before: { id: number; contentHash: string } | null,
): Promise<{ id: number; contentHash: string; line: ReportLine | null }> {
  // The upload date and whose photo it is are the record's, set when it is
  // made: not part of what a re-import compares and updates (the texts are).
  const { createdAt, isOwnPhoto, ...text } = media;
  const contentHash = contentHashOf(text);
  if (before) {
    if (before.contentHash === contentHash) return { id: before.id, contentHash, line: null };
    await updateMediaText(db, before.id, media);
    await setMediaSource(db, before.id, { sourceUrl: media.url, copyright: media.copyright });
    return {
      id: before.id,
      contentHash,
      line: { action: 'updated', entity: 'media', target: `#${before.id}`, note: media.url },
    };
  }
  const created = await insertMedia(
    db,
    {
      kind: 'image',
      file: null,
      width: media.width,
      height: media.height,
      alt: media.alt,
      caption: media.caption,
      credit: media.credit,
      isOwnPhoto: isOwnPhoto === true,
      copyright: media.copyright,
    },
    createdAt ?? now,
  );
  await setMediaSource(db, created.id, { sourceUrl: media.url, copyright: media.copyright });
  return {
    id: created.id,
    contentHash,
    line: {
      action: 'created',
      entity: 'media',
      target: `#${created.id}`,
      note: `file to fetch from ${media.url}`,
    },
  };
}

import type { Kysely } from 'kysely';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../core/article-input.js';
import { parseCreditLine } from '../core/credit.js';
import { validateDoc } from '../core/document-extensions.js';
import { articleUrl } from '../core/section-path.js';
import { slugify } from '../core/slug.js';
import { primaryLanguage } from '../core/text-codes.js';
import type { Section } from '../core/types.js';
import { bindImages, htmlToDoc } from '../formats/html-to-doc.js';
import type { NinjsItem, NinjsRendition } from '../formats/ninjs.js';
import { agencyState, setAgencyState } from '../store/agency.js';
import {
  freeSlug,
  getArticle,
  insertArticle,
  replaceArticleSources,
  setArticleWorkflow,
  updateArticleContent,
} from '../store/articles.js';
import {
  editedSinceImport,
  findImportRef,
  importedVersion,
  saveImportRef,
  setImportedVersion,
} from '../store/import-refs.js';
import { getMediaByIds, insertMedia, setMediaSource, updateMediaText } from '../store/media.js';
import type { Database } from '../store/schema.js';
import { insertSection, listSections } from '../store/sections.js';
import { replaceArticleTags } from '../store/tags.js';
import { type WriteBatches, writeInBatches } from '../store/write-batches.js';
import { contentHashOf, type ImportResult, type ReportLine } from './import-report.js';
import type { Newsroom } from './newsroom.js';

// Wire copy (ninjs, NewsML) lands as drafts in the agency queue, never
// published by the import: an editor reads, rewrites, bylines and publishes
// it. An item is identified by its uri; its version decides whether a re-sent
// item updates the draft (newer), or is ignored (same or older). The agency's
// word is kept: a withheld or canceled story cannot be published, and an
// embargoed one not before its time (core/workflow.ts).

const FORMAT = 'wire';
/**
 * Every content an import wrote for an item without a version, one import_ref
 * row each ("{uri} {hash}"). Without a version nothing says which of two
 * copies of an item is newer: a directory holding both would otherwise update
 * the draft back and forth on every import. A copy already written once is
 * not written again, so importing the same files twice changes nothing.
 */
const SEEN_FORMAT = 'wire-seen';
/** Where agency drafts wait until an editor files them: the first top-level section. */
const FALLBACK_SECTION = 'News';

/** An article item's body as a document (images still placeholders), or a DomainError naming the item. */
function wireBody(item: NinjsItem, where: string) {
  const converted = item.bodyHtml
    ? htmlToDoc(item.bodyHtml, { autoParagraphs: false, shortcodes: false })
    : htmlToDoc(escapeText(item.bodyText ?? ''), { autoParagraphs: true, shortcodes: false });
  return { ...converted, doc: validateDoc(converted.doc, where) };
}

/**
 * Checks what the write would refuse, before anything is written: every
 * article item's body must convert into a document Masthead can store.
 */
export function checkWireItemBodies(items: NinjsItem[], fileName: string): void {
  for (const item of items) {
    if (item.kind === 'article') wireBody(item, `${fileName}: item ${item.uri}: body`);
  }
}

export async function importWireItems(
  newsroom: Newsroom,
  items: NinjsItem[],
): Promise<ImportResult> {
  const now = newsroom.now().toISOString();
  return writeInBatches(newsroom.store.db, async (batches) => {
    const writer = new WireWriter(batches, newsroom, now);
    for (const item of items) {
      await writer.item(item);
      await batches.between();
    }
    return { lines: writer.lines, notes: writer.notes, redirects: 0 };
  });
}

class WireWriter {
  readonly lines: ReportLine[] = [];
  readonly notes = new Map<string, number>();
  private section: Section | null = null;

  constructor(
    private readonly batches: WriteBatches,
    private readonly newsroom: Newsroom,
    private readonly now: string,
  ) {}

  /** The transaction to write in now (it changes between batches). */
  private get db(): Kysely<Database> {
    return this.batches.db;
  }

  async item(item: NinjsItem): Promise<void> {
    if (item.kind === 'skip') {
      this.lines.push({
        action: 'skipped',
        entity: item.type,
        target: item.uri,
        note: item.skipReason ?? 'not an article or a picture',
      });
      return;
    }
    if (item.kind === 'picture') {
      await this.picture(item);
      return;
    }
    await this.article(item);
  }

  /**
   * A picture as a library photo; null when the agency has withdrawn it. The
   * library has no embargo of its own, so an embargoed picture's report line says so.
   */
  private async picture(item: NinjsItem): Promise<number | null> {
    const warning =
      item.pubStatus !== 'usable'
        ? `${item.pubStatus} by the agency: do not use it`
        : item.embargoedUntil
          ? `embargoed until ${item.embargoedUntil}: do not use it before`
          : null;
    const withWarning = (note: string) => (warning ? `${note}; ${warning}` : note);
    const rendition = largest(item.renditions);
    const credit = parseCreditLine(item.byline || item.copyrightHolder);
    const media = {
      alt: item.headline || item.description,
      caption: item.description || item.headline,
      credit,
    };
    const hash = contentHashOf({ media, rendition, copyright: item.copyrightNotice });
    const ref = await findImportRef(this.db, FORMAT, item.uri);
    const current = ref
      ? (await getMediaByIds(this.db, [ref.entityId])).get(ref.entityId)
      : undefined;
    const source = {
      sourceUrl: rendition?.href ?? '',
      copyright: item.copyrightNotice || item.copyrightHolder,
    };
    if (item.pubStatus !== 'usable') {
      this.lines.push({
        action: current ? 'unchanged' : 'skipped',
        entity: current ? 'media' : 'picture',
        target: current ? `#${current.id}` : item.uri,
        note: current ? withWarning(item.uri) : `${item.pubStatus} by the agency`,
      });
      return null;
    }
    if (current && ref) {
      const isNewer = await this.isNewer(item);
      if (ref.contentHash !== hash && isNewer && !(await this.seenBefore(item, hash))) {
        await updateMediaText(this.db, current.id, media);
        await setMediaSource(this.db, current.id, source);
        await this.saveRef(item, 'media', current.id, hash);
        this.lines.push({
          action: 'updated',
          entity: 'media',
          target: `#${current.id}`,
          note: withWarning(item.uri),
        });
      } else {
        this.lines.push({
          action: 'unchanged',
          entity: 'media',
          target: `#${current.id}`,
          note: withWarning(item.uri),
        });
      }
      return current.id;
    }
    const created = await insertMedia(
      this.db,
      {
        kind: 'image',
        file: null,
        width: rendition?.width ?? null,
        height: rendition?.height ?? null,
        ...media,
        isOwnPhoto: false,
        creator: item.byline,
        copyright: source.copyright,
      },
      this.now,
    );
    await setMediaSource(this.db, created.id, source);
    await this.saveRef(item, 'media', created.id, hash);
    this.lines.push({
      action: 'created',
      entity: 'media',
      target: `#${created.id}`,
      note: withWarning(
        rendition?.href ? `${item.uri}; file to fetch from ${rendition.href}` : item.uri,
      ),
    });
    return created.id;
  }

  /** Records what this import wrote; an article's version is read back unless `keepVersion` gives it. */
  private async saveRef(
    item: NinjsItem,
    entity: string,
    entityId: number,
    hash: string,
    keepVersion?: number | null,
  ): Promise<void> {
    const entityVersion =
      keepVersion !== undefined
        ? keepVersion
        : entity === 'article'
          ? ((await getArticle(this.db, entityId))?.version ?? null)
          : null;
    await saveImportRef(this.db, FORMAT, item.uri, {
      entity,
      entityId,
      contentHash: hash,
      entityVersion,
    });
    await setImportedVersion(this.db, FORMAT, item.uri, item.version);
    if (item.version === null) {
      await saveImportRef(this.db, SEEN_FORMAT, `${item.uri} ${hash}`, {
        entity,
        entityId,
        contentHash: hash,
      });
    }
  }

  /** True when this very content of an unversioned item was written by an earlier import. */
  private async seenBefore(item: NinjsItem, hash: string): Promise<boolean> {
    if (item.version !== null) return false;
    return (await findImportRef(this.db, SEEN_FORMAT, `${item.uri} ${hash}`)) !== null;
  }

  /** True when the item is newer than what an earlier import stored (or either has no version). */
  private async isNewer(item: NinjsItem): Promise<boolean> {
    const stored = await importedVersion(this.db, FORMAT, item.uri);
    return stored === null || item.version === null || item.version > stored;
  }

  private async article(item: NinjsItem): Promise<void> {
    const ref = await findImportRef(this.db, FORMAT, item.uri);
    const existing = ref?.entity === 'article' ? await getArticle(this.db, ref.entityId) : null;
    const agencyStatus = item.pubStatus;
    if (!existing && agencyStatus !== 'usable') {
      this.lines.push({
        action: 'skipped',
        entity: 'article',
        target: item.uri,
        note: `${agencyStatus} by the agency`,
      });
      return;
    }
    if (existing && ref && !(await this.isNewer(item))) {
      const stored = await importedVersion(this.db, FORMAT, item.uri);
      this.lines.push({
        action: 'unchanged',
        entity: 'article',
        target: await this.pathOf(existing.sectionId, existing.slug),
        note:
          stored !== null && item.version !== null && item.version < stored
            ? `version ${item.version} is older than version ${stored}, already imported: ignored`
            : item.uri,
      });
      return;
    }
    const embargoUntil = item.embargoedUntil ? new Date(item.embargoedUntil).toISOString() : null;
    if (existing && agencyStatus !== 'usable') {
      // The agency takes the story back: the draft stays for the record, and cannot be published.
      const path = await this.pathOf(existing.sectionId, existing.slug);
      if ((await agencyState(this.db, existing.id))?.status === agencyStatus) {
        this.lines.push({
          action: 'unchanged',
          entity: 'article',
          target: path,
          note: `${agencyStatus} by the agency`,
        });
        return;
      }
      await setAgencyState(this.db, existing.id, { status: agencyStatus, embargoUntil });
      // Remembered as withdrawn, so that a later usable version with the same text reinstates it.
      // The version the import last wrote stays: edits made before the withdrawal still count as edits.
      await this.saveRef(
        item,
        'article',
        existing.id,
        contentHashOf({ withdrawn: agencyStatus }),
        ref?.entityVersion ?? null,
      );
      const unscheduled = await this.unscheduleBefore(existing, null);
      const live =
        existing.status === 'published'
          ? '; it is published: unpublish it now'
          : unscheduled
            ? '; its scheduled publication is cancelled'
            : '';
      this.lines.push({
        action: 'updated',
        entity: 'article',
        target: path,
        note: `${agencyStatus} by the agency: do not publish${live}`,
      });
      return;
    }
    const leadMediaId = await this.associatedPictures(item);
    const converted = wireBody(item, `${item.uri}: body`);
    for (const [what, count] of converted.notes)
      this.notes.set(what, (this.notes.get(what) ?? 0) + count);
    const imageIds: (number | null)[] = [];
    for (const image of converted.images)
      imageIds.push(await this.bodyImage(item, image.src, image.alt, image.caption));
    const body = validateDoc(bindImages(converted.doc, imageIds), `${item.uri}: body`);
    const title = item.headline || `Agency item ${item.uri}`;
    const fields = { title, standfirst: item.description, body, leadMediaId };
    // The embargo is part of what the agency says: a new embargo alone is a change.
    const hash = contentHashOf({ ...fields, embargoUntil, status: 'usable' });
    const provider = item.copyrightHolder || item.byline || providerOf(item.uri);
    const note = [
      `${item.ninjsVersion === '1' ? 'ninjs 1' : 'agency'} item ${item.uri}${item.version === null ? '' : ` v${item.version}`}`,
      item.byline ? `by ${item.byline}` : null,
      embargoUntil ? `embargoed until ${embargoUntil}` : null,
    ]
      .filter((part): part is string => part !== null)
      .join('; ');
    let articleId: number;
    let path: string;
    // A withdrawn story is still reinstated by a usable copy it had before:
    // the agency taking back its withdrawal is news, whatever the text.
    const withdrawn = ['withheld', 'canceled'].some(
      (status) => ref?.contentHash === contentHashOf({ withdrawn: status }),
    );
    if (
      existing &&
      ref &&
      !withdrawn &&
      ref.contentHash !== hash &&
      (await this.seenBefore(item, hash))
    ) {
      this.lines.push({
        action: 'unchanged',
        entity: 'article',
        target: await this.pathOf(existing.sectionId, existing.slug),
        note: `${item.uri}: this copy was imported before, and it has no version to say it is newer: ignored`,
      });
      return;
    }
    if (existing && ref?.contentHash === hash) {
      await setImportedVersion(this.db, FORMAT, item.uri, item.version);
      this.lines.push({
        action: 'unchanged',
        entity: 'article',
        target: await this.pathOf(existing.sectionId, existing.slug),
        note: item.uri,
      });
      return;
    }
    if (existing) {
      const edited = editedSinceImport(ref, existing);
      if (edited || (existing.status !== 'draft' && existing.status !== 'in_review')) {
        // The newsroom's text stands, but the agency's embargo always applies.
        await setAgencyState(this.db, existing.id, { status: 'usable', embargoUntil });
        const unscheduled = await this.unscheduleBefore(existing, embargoUntil);
        this.lines.push({
          action: unscheduled ? 'updated' : 'unchanged',
          entity: 'article',
          target: await this.pathOf(existing.sectionId, existing.slug),
          note: unscheduled
            ? `version ${item.version ?? '?'} embargoes it until ${embargoUntil}, after its scheduled time: back to draft`
            : `version ${item.version ?? '?'} arrived after the newsroom ${edited ? 'edited' : existing.status.replace('_', ' ')} it: not applied`,
        });
        await setImportedVersion(this.db, FORMAT, item.uri, item.version);
        return;
      }
      await updateArticleContent(this.db, existing.id, {
        ...fields,
        language: existing.language,
        updatedAt: this.now,
      });
      articleId = existing.id;
      path = await this.pathOf(existing.sectionId, existing.slug);
      this.lines.push({ action: 'updated', entity: 'article', target: path, note });
    } else {
      const section = await this.queueSection();
      const slug = await freeSlug(this.db, section.id, slugify(title) || 'agency-item');
      const created = await insertArticle(this.db, {
        uuid: this.newsroom.newId(),
        slug,
        sectionId: section.id,
        language: primaryLanguage(item.language),
        status: 'draft',
        ...fields,
        // Only a new draft takes the agency's genre: it is no part of the content hash,
        // so a file imported before labels existed still reads as unchanged.
        label: item.label,
        publishedAt: null,
        createdAt: this.now,
        updatedAt: this.now,
      });
      articleId = created.id;
      path = articleUrl(section, slug);
      this.lines.push({
        action: 'created',
        entity: 'article',
        target: path,
        note: `draft in the agency queue; ${note}`,
      });
    }
    await setAgencyState(this.db, articleId, { status: 'usable', embargoUntil });
    await replaceArticleTags(this.db, articleId, this.tagNames(item));
    await replaceArticleSources(this.db, articleId, [{ name: provider, url: null }]);
    await this.saveRef(item, 'article', articleId, hash);
  }

  /**
   * Takes a scheduled article back to draft when the agency withdrew it
   * (`embargoUntil` null) or embargoes it past its scheduled time: the
   * scheduler must not try to publish what the agency forbids. True when it did.
   */
  private async unscheduleBefore(
    article: { id: number; status: string; scheduledAt: string | null; publishedAt: string | null },
    embargoUntil: string | null,
  ): Promise<boolean> {
    if (article.status !== 'scheduled') return false;
    const conflicts =
      embargoUntil === null ||
      (article.scheduledAt !== null && Date.parse(article.scheduledAt) < Date.parse(embargoUntil));
    if (!conflicts) return false;
    await setArticleWorkflow(this.db, article.id, {
      status: 'draft',
      publishedAt: article.publishedAt,
      scheduledAt: null,
      updatedAt: this.now,
    });
    return true;
  }

  /**
   * Every picture the item associates goes to the library (each with its
   * report line); the lead photo is the first that is not a portrait of a
   * person named in the item (a byline or "portrait" association).
   */
  private async associatedPictures(item: NinjsItem): Promise<number | null> {
    let lead: number | null = null;
    for (const association of item.associations) {
      if (association.kind !== 'picture') continue;
      const id = await this.picture(association);
      if (lead === null && id !== null && !PORTRAIT.test(association.associationName ?? ''))
        lead = id;
    }
    return lead;
  }

  /**
   * The item's people, organisations, places and "located" as tag names, kept
   * to what an editor could save (core/article-input.ts: at most 30, each 1 to
   * 60 characters with a letter or digit to slug): a name beyond that is left
   * out and counted in the report's notes rather than failing the import.
   */
  private tagNames(item: NinjsItem): string[] {
    const kept: string[] = [];
    for (const name of item.tags) {
      if (name.length <= MAX_TAG_LENGTH && slugify(name) !== '' && kept.length < MAX_TAGS)
        kept.push(name);
      else this.notes.set(TAG_LEFT_OUT, (this.notes.get(TAG_LEFT_OUT) ?? 0) + 1);
    }
    return kept;
  }

  private async bodyImage(
    item: NinjsItem,
    src: string | null,
    alt: string,
    caption: string,
  ): Promise<number | null> {
    if (!src) return null;
    return this.picture({
      ...item,
      uri: `${item.uri}#image:${src}`,
      kind: 'picture',
      headline: alt,
      description: caption,
      renditions: [{ name: 'original', href: src, contentType: null, width: null, height: null }],
      associations: [],
    });
  }

  private async pathOf(sectionId: number, slug: string): Promise<string> {
    const section = (await listSections(this.db)).find((candidate) => candidate.id === sectionId);
    return section ? articleUrl(section, slug) : `/${slug}`;
  }

  /** Agency drafts wait in the first top-level section (created when the site has none). */
  private async queueSection(): Promise<Section> {
    if (this.section) return this.section;
    const sections = await listSections(this.db);
    const top = sections
      .filter((section) => section.parentId === null)
      .sort((a, b) => a.position - b.position)[0];
    this.section =
      top ??
      (await insertSection(this.db, {
        parentId: null,
        slug: slugify(FALLBACK_SECTION),
        path: slugify(FALLBACK_SECTION),
        name: FALLBACK_SECTION,
        position: 0,
      }));
    return this.section;
  }
}

/** Association names that mean a portrait of someone, not a photo of the story. */
const PORTRAIT = /portrait|byline|author/i;
const TAG_LEFT_OUT = `agency tag (person, organisation or place) left out: over ${MAX_TAG_LENGTH} characters, no letter or digit, or over ${MAX_TAGS} tags`;

function largest(renditions: NinjsRendition[]): NinjsRendition | null {
  const usable = renditions.filter((rendition) => rendition.href);
  return (
    usable.sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0))[0] ??
    null
  );
}

function providerOf(uri: string): string {
  const match = /^urn:newsml:([^:]+)/.exec(uri) ?? /^https?:\/\/([^/]+)/.exec(uri);
  return match?.[1] ?? 'news agency';
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

import type { Kysely } from 'kysely';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../core/article-input.js';
import { NO_CONTACTS } from '../core/contacts.js';
import type { Doc } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { isDomainError } from '../core/errors.js';
import { isSafeHref } from '../core/links.js';
import { normalizeEmail } from '../core/newsletters.js';
import {
  articleUrl,
  authorUrl,
  isFreeTopLevelSlug,
  pageUrl,
  sectionUrl,
  tagUrl,
} from '../core/section-path.js';
import { slugify } from '../core/slug.js';
import { decodeOrKeep } from '../core/text-codes.js';
import type { Section } from '../core/types.js';
import type { GhostExport, GhostTag, GhostUser } from '../formats/ghost.js';
import { ghostUrl } from '../formats/ghost-body.js';
import {
  type GhostItem,
  ghostKind,
  ghostSkipReason,
  isInternalTag,
  mapGhostItem,
} from '../formats/ghost-map.js';
import { bindImages, htmlToText, type ImageRef } from '../formats/html-to-doc.js';
import { getArticle, replaceArticleAuthors } from '../store/articles.js';
import { editedSinceImport, findImportRef, saveImportRef } from '../store/import-refs.js';
import { getMediaByIds } from '../store/media.js';
import {
  ensureSubscriber,
  insertNewsletterList,
  listNewsletterLists,
  setSubscription,
  subscriptionsOf,
} from '../store/newsletters.js';
import { findPageBySlug, getPageById, lastPagePosition } from '../store/pages.js';
import { findPersonBySlug, insertPerson, updatePersonProfile } from '../store/people.js';
import { findRedirects, type RedirectTarget, saveRedirects } from '../store/redirects.js';
import type { Database } from '../store/schema.js';
import { reindexArticles } from '../store/search-index.js';
import { insertSection, listSections } from '../store/sections.js';
import { findOrCreateTagWithSlug, findTagBySlug, replaceArticleTagIds } from '../store/tags.js';
import { type WriteBatches, writeInBatches } from '../store/write-batches.js';
import {
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
  type ImportResult,
  NOTE_LONG_TAG,
  NOTE_MANY_TAGS,
  type ReportLine,
} from './import-report.js';
import type { Newsroom } from './newsroom.js';

// A Ghost export written in one transaction (in batches the servers may write
// between, on SQLite): authors as people, primary tags as sections and the
// other public tags as tags, pictures as photos to fetch from the old site,
// posts as articles and pages as pages at their old slugs, the old addresses
// redirected, and members as newsletter subscribers with the consent they gave
// in Ghost. Identity for re-imports is Ghost's own id of each row (ids are
// unique across Ghost sites), so running the same import again changes nothing.

const FORMAT = 'ghost';
const REINDEX_STEP = 100;

export type GhostImportOptions = {
  /** The old site's address (https://old.example), which Ghost exports write as `__GHOST_URL__`. */
  oldSiteUrl?: string;
  /**
   * Whether members become newsletter subscribers. Readers' addresses are the
   * editor-in-chief's to add: an editor's upload leaves them out (counted).
   */
  withSubscribers?: boolean;
  /**
   * Whether authors' portraits and websites become their public profiles,
   * which only the editor-in-chief changes for others (newsroom/profiles.ts):
   * an editor's upload leaves them out (counted).
   */
  withProfiles?: boolean;
};

export async function writeGhost(
  newsroom: Newsroom,
  site: GhostExport,
  options: GhostImportOptions = {},
): Promise<ImportResult> {
  const now = newsroom.now().toISOString();
  return writeInBatches(newsroom.store.db, async (batches) => {
    const writer = new GhostWriter(batches, newsroom, site, options.oldSiteUrl ?? null, now);
    writer.withProfiles = options.withProfiles ?? true;
    await writer.people();
    await writer.tags();
    for (const post of site.posts) {
      await writer.post(post);
      await batches.between();
    }
    if (options.withSubscribers === false) writer.leaveOutMembers();
    else await writer.members();
    return writer.finish();
  });
}

class GhostWriter {
  /** Whether authors' portraits and websites are imported (see GhostImportOptions). */
  withProfiles = true;
  private readonly lines: ReportLine[] = [];
  private readonly notes = new Map<string, number>();
  private readonly personIds = new Map<string, number>();
  /** Masthead tag ids by Ghost tag id. */
  private readonly tagIds = new Map<string, number>();
  private readonly mediaByUrl = new Map<string, number>();
  private readonly articleIds: number[] = [];
  private sections: Section[] | null = null;
  private readonly sectionsByTag = new Map<string, Section>();
  private pagePosition: number | null = null;
  private redirects = 0;

  constructor(
    private readonly batches: WriteBatches,
    private readonly newsroom: Newsroom,
    private readonly site: GhostExport,
    private readonly siteUrl: string | null,
    private readonly now: string,
  ) {}

  private get db(): Kysely<Database> {
    return this.batches.db;
  }

  private line(line: ReportLine): void {
    this.lines.push(line);
  }

  private note(what: string, n = 1): void {
    this.notes.set(what, (this.notes.get(what) ?? 0) + n);
  }

  async finish(): Promise<ImportResult> {
    for (const [table, rows] of this.site.otherTables)
      this.note(`Ghost table “${table}” (not imported)`, rows);
    if (this.site.otherSettings > 0)
      this.note(
        'Ghost site setting (not imported: only the title and language are read)',
        this.site.otherSettings,
      );
    for (let start = 0; start < this.articleIds.length; start += REINDEX_STEP) {
      await reindexArticles(this.db, this.articleIds.slice(start, start + REINDEX_STEP));
      await this.batches.between();
    }
    return { lines: this.lines, notes: this.notes, redirects: this.redirects };
  }

  /** Every Ghost user becomes a person (a byline) at their Ghost slug; staff accounts are not made. */
  async people(): Promise<void> {
    for (const user of this.site.users.values()) await this.person(user);
    const withEmail = [...this.site.users.values()].filter((user) => user.email !== '').length;
    if (withEmail > 0)
      this.note(
        'Ghost staff e-mail address (not published; add staff accounts in Masthead)',
        withEmail,
      );
  }

  private async person(user: GhostUser): Promise<number> {
    const slug = slugify(user.slug) || slugify(user.name) || 'author';
    const existing = await findPersonBySlug(this.db, slug);
    const id =
      existing?.id ??
      (
        await insertPerson(this.db, {
          name: user.name,
          slug,
          bio: htmlToText(user.bio).trim(),
          mastheadRole: null,
          mastheadTitle: null,
          mastheadPosition: 0,
        })
      ).id;
    if (!existing && !this.withProfiles && (user.profile_image || user.website))
      this.note(
        'author portrait or website (left out: only the editor-in-chief imports people’s public profiles)',
      );
    else if (!existing && user.profile_image) {
      const photo = await this.media(ghostUrl(user.profile_image, this.siteUrl), {
        alt: `Portrait of ${user.name}`,
        caption: '',
      });
      await updatePersonProfile(this.db, id, { photoMediaId: photo });
    }
    if (!existing && this.withProfiles && user.website && isSafeHref(user.website)) {
      await updatePersonProfile(this.db, id, {
        contacts: { ...NO_CONTACTS, links: [{ label: 'Website', url: user.website }] },
      });
    }
    if (user.location) this.note('Ghost author location (not imported)');
    this.line({ action: existing ? 'unchanged' : 'created', entity: 'person', target: user.name });
    // Ghost's author archive.
    await this.redirect([`/author/${user.slug}/`], authorUrl(slug), {
      entity: 'person',
      entityId: id,
    });
    this.personIds.set(user.id, id);
    return id;
  }

  /**
   * Ghost's public tags: each post's first becomes its section (see
   * sectionFor), the others Masthead tags at the same slug. Internal tags
   * (`#name`) are Ghost's own filing and are skipped.
   */
  async tags(): Promise<void> {
    const primary = new Set<string>();
    const secondary = new Set<string>();
    for (const ids of this.site.postTags.values()) {
      const visible = ids.filter((id) => {
        const tag = this.site.tags.get(id);
        return tag !== undefined && !isInternalTag(tag);
      });
      for (const [index, id] of visible.entries()) (index === 0 ? primary : secondary).add(id);
    }
    for (const tag of this.site.tags.values()) {
      if (isInternalTag(tag)) {
        this.line({
          action: 'skipped',
          entity: 'tag',
          target: `“${tag.name}”`,
          note: 'an internal Ghost tag, never shown to readers',
        });
        continue;
      }
      // A tag only ever first on its posts is a section, and sectionFor reports it.
      if (primary.has(tag.id) && !secondary.has(tag.id)) continue;
      const slug = slugify(decodeOrKeep(tag.slug)) || slugify(tag.name);
      const before = await findTagBySlug(this.db, slug);
      const stored = await findOrCreateTagWithSlug(this.db, { name: tag.name, slug });
      // The name kept: a tag already here keeps its own.
      if (stored.name.trim().length > MAX_TAG_LENGTH) this.note(NOTE_LONG_TAG);
      this.tagIds.set(tag.id, stored.id);
      this.line({
        action: before ? 'unchanged' : 'created',
        entity: 'tag',
        target: tagUrl(stored.slug),
      });
      await this.redirect([`/tag/${tag.slug}/`], tagUrl(stored.slug), {
        entity: 'tag',
        entityId: stored.id,
      });
      if (tag.description) this.note('Ghost tag description (not imported)');
    }
  }

  /** The photo record for a picture at `url`, one per address in an import. */
  private async media(url: string, text: { alt: string; caption: string }): Promise<number> {
    const known = this.mediaByUrl.get(url);
    if (known !== undefined) return known;
    const externalId = `src:${url}`;
    const ref = await findImportRef(this.db, FORMAT, externalId);
    const isThere =
      ref !== null && (await getMediaByIds(this.db, [ref.entityId])).has(ref.entityId);
    const saved = await writeArchiveMedia(
      this.db,
      this.now,
      { url, ...text, credit: [], copyright: '', width: null, height: null },
      ref && isThere ? { id: ref.entityId, contentHash: ref.contentHash } : null,
    );
    if (saved.line) {
      await saveImportRef(this.db, FORMAT, externalId, {
        entity: 'media',
        entityId: saved.id,
        contentHash: saved.contentHash,
      });
      this.line(saved.line);
      if (!/^https?:\/\//i.test(url))
        this.note('picture on the old Ghost site whose address is not known (give --old-site)');
    } else this.line({ action: 'unchanged', entity: 'media', target: `#${saved.id}` });
    this.mediaByUrl.set(url, saved.id);
    return saved.id;
  }

  private async bodyImages(images: ImageRef[]): Promise<(number | null)[]> {
    const ids: (number | null)[] = [];
    for (const image of images) {
      if (!image.src) {
        this.note('picture without an address (left out)');
        ids.push(null);
        continue;
      }
      ids.push(await this.media(image.src, { alt: image.alt, caption: image.caption }));
    }
    return ids;
  }

  async post(post: GhostExport['posts'][number]): Promise<void> {
    const reason = ghostSkipReason(post);
    if (reason) {
      this.line({
        action: 'skipped',
        entity: `Ghost ${ghostKind(post)}`,
        target: `“${post.title}”`,
        note: reason,
      });
      return;
    }
    let item: GhostItem;
    try {
      item = mapGhostItem(post, this.site, this.siteUrl);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.skipUnstorable(post.slug, post.title, error.message);
      return;
    }
    for (const [what, n] of item.notes) this.note(what, n);
    const body = this.storable(item, bindImages(item.body, await this.bodyImages(item.images)));
    if (!body) return;
    if (item.kind === 'page') await this.page(item, body);
    else await this.article(item, body);
  }

  private storable(item: GhostItem, body: Doc): Doc | null {
    try {
      return validateDoc(body, `Ghost ${item.kind} “${item.slug}”: body`);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.skipUnstorable(item.slug, item.title, error.message);
      return null;
    }
  }

  private skipUnstorable(slug: string, title: string, problem: string): void {
    this.line({
      action: 'skipped',
      entity: 'Ghost post',
      target: `“${title || slug}”`,
      note: `its body cannot be stored: ${problem}`,
    });
  }

  /**
   * The section of a post's primary tag, at the tag's slug (made the first
   * time; a slug the site or a page holds gets "-section"); News for a post
   * with no public tag. The tag's old archive leads to it, unless the tag is
   * also a Masthead tag (then its archive leads there).
   */
  private async sectionFor(primary: GhostTag | null): Promise<Section> {
    if (primary === null) this.note('post without a public tag (filed under News)');
    const wanted = primary ?? { id: '', slug: 'news', name: 'News' };
    const known = this.sectionsByTag.get(wanted.slug);
    if (known) return known;
    this.sections ??= await listSections(this.db);
    let slug = slugify(decodeOrKeep(wanted.slug)) || slugify(wanted.name) || 'news';
    if (!isFreeTopLevelSlug(slug) || (await findPageBySlug(this.db, slug)) !== null) {
      this.note(
        `tag “${slug}”: its address is taken by the site or a page, so its section is /${slug}-section`,
      );
      slug = `${slug}-section`;
    }
    let section = this.sections.find((candidate) => candidate.path === slug);
    if (section) this.line({ action: 'unchanged', entity: 'section', target: sectionUrl(section) });
    else {
      section = await insertSection(this.db, {
        parentId: null,
        slug,
        path: slug,
        name: wanted.name,
        position: this.sections.filter((candidate) => candidate.parentId === null).length,
      });
      this.sections.push(section);
      this.line({ action: 'created', entity: 'section', target: sectionUrl(section) });
    }
    if (primary && !this.tagIds.has(primary.id))
      await this.redirect([`/tag/${primary.slug}/`], sectionUrl(section), {
        entity: 'section',
        entityId: section.id,
      });
    this.sectionsByTag.set(wanted.slug, section);
    return section;
  }

  private async article(item: GhostItem, body: Doc): Promise<void> {
    const section = await this.sectionFor(item.section);
    const leadMediaId = item.feature
      ? await this.media(item.feature.url, { alt: item.feature.alt, caption: item.feature.caption })
      : null;
    const authorIds = item.authorIds
      .map((authorId) => this.personIds.get(authorId))
      .filter((id): id is number => id !== undefined);
    if (authorIds.length < item.authorIds.length)
      this.note('post author not among the file’s users (left off the byline)');
    const tagIds = item.tags
      .map((tag) => this.tagIds.get(tag.id))
      .filter((id): id is number => id !== undefined);
    if (new Set(tagIds).size > MAX_TAGS) this.note(NOTE_MANY_TAGS);
    const hash = contentHashOf({
      item: { ...item, notes: [...item.notes], body },
      leadMediaId,
      section: section.id,
      authorIds,
    });
    const externalId = `post:${item.id}`;
    const ref = await findImportRef(this.db, FORMAT, externalId);
    const existing = ref?.entity === 'article' ? await getArticle(this.db, ref.entityId) : null;
    const home = existing
      ? (this.sections?.find((s) => s.id === existing.sectionId) ?? section)
      : section;
    if (existing && ref && (ref.contentHash === hash || editedSinceImport(ref, existing))) {
      this.line(keptLine('article', articleUrl(home, existing.slug), ref.contentHash !== hash));
      return;
    }
    const { articleId, path } = await writeArchiveArticle(
      this.db,
      { newId: () => this.newsroom.newId(), now: this.now, report: (line) => this.line(line) },
      {
        ...item,
        body,
        leadMediaId,
        language: this.site.language,
        publishedAt: item.status === 'published' ? (item.publishedAt ?? this.now) : null,
        updatedAt: item.updatedAt ?? item.publishedAt ?? this.now,
      },
      { before: existing, section, home },
    );
    await replaceArticleAuthors(
      this.db,
      articleId,
      authorIds.map((personId) => ({ personId, label: null })),
    );
    await replaceArticleTagIds(this.db, articleId, tagIds);
    await saveImportRef(this.db, FORMAT, externalId, {
      entity: 'article',
      entityId: articleId,
      contentHash: hash,
      entityVersion: (await getArticle(this.db, articleId))?.version ?? null,
    });
    await this.redirect(item.oldPaths, path, { entity: 'article', entityId: articleId });
    this.articleIds.push(articleId);
  }

  /** Records old addresses of `target` (now at `path`); the report counts those that are new. */
  private async redirect(paths: string[], path: string, target: RedirectTarget): Promise<void> {
    const old = paths.filter((candidate) => candidate !== path && candidate !== `${path}/`);
    const known = await findRedirects(this.db, old);
    this.redirects += old.filter((candidate) => {
      const before = known.get(candidate);
      return before?.entity !== target.entity || before.entityId !== target.entityId;
    }).length;
    await saveRedirects(this.db, old, target, this.now);
  }

  private async page(item: GhostItem, body: Doc): Promise<void> {
    if (item.status !== 'published') {
      this.line({
        action: 'skipped',
        entity: 'Ghost page',
        target: `“${item.title}”`,
        note: `${item.pageState}, and Masthead pages are public: add it when it is ready`,
      });
      return;
    }
    const externalId = `page:${item.id}`;
    const hash = contentHashOf({ title: item.title, body });
    const ref = await findImportRef(this.db, FORMAT, externalId);
    const existing = ref?.entity === 'page' ? await getPageById(this.db, ref.entityId) : null;
    // The newsroom's own edits win over a re-import of the old archive.
    if (existing && (ref?.contentHash === hash || pageEditedSinceImport(ref, existing))) {
      this.line(keptLine('page', pageUrl(existing.slug), ref?.contentHash !== hash));
      return;
    }
    const page = {
      title: item.title,
      body,
      language: this.site.language,
      updatedAt: item.updatedAt ?? this.now,
    };
    this.pagePosition ??= await lastPagePosition(this.db);
    this.sections ??= await listSections(this.db);
    const sections = this.sections;
    const { pageId, path } = await writeArchivePage(
      this.db,
      (line) => this.line(line),
      page,
      existing
        ? { before: existing }
        : {
            before: null,
            slug: await freePageSlug(this.db, item.slug, sections),
            wanted: item.slug,
            position: ++this.pagePosition,
          },
    );
    await saveImportRef(this.db, FORMAT, externalId, {
      entity: 'page',
      entityId: pageId,
      contentHash: hash,
      entityVersion: pageStamp(page.updatedAt),
    });
    await this.redirect(item.oldPaths, path, { entity: 'page', entityId: pageId });
  }

  leaveOutMembers(): void {
    if (this.site.members.length > 0)
      this.note(
        'Ghost member (not imported: only the editor-in-chief adds readers’ addresses)',
        this.site.members.length,
      );
  }

  /**
   * Members as newsletter subscribers: each Ghost newsletter is the Masthead
   * list of the same name (made when missing); a member subscribed to it in
   * Ghost is subscribed here, confirmed (they opted in there). A member who
   * subscribed to nothing is counted, not added; an address that unsubscribed
   * here stays off its list.
   */
  async members(): Promise<void> {
    if (this.site.members.length === 0) return;
    const lists = await listNewsletterLists(this.db);
    const listIds = new Map<string, number>();
    const listFor = async (name: string): Promise<number> => {
      const known = listIds.get(name);
      if (known !== undefined) return known;
      const existing = lists.find((list) => list.name === name);
      const id =
        existing?.id ??
        (await insertNewsletterList(
          this.db,
          {
            name,
            slug: slugify(name) || 'newsletter',
            language: this.site.language,
            senderName: this.site.title || name,
            description: '',
          },
          this.now,
        ));
      this.line({
        action: existing ? 'unchanged' : 'created',
        entity: 'newsletter list',
        target: name,
      });
      listIds.set(name, id);
      return id;
    };
    const newsletterNames = new Map(
      this.site.newsletters.map((newsletter) => [newsletter.id, newsletter.name]),
    );
    // Ghost 3 and 4 had one newsletter, the site's own.
    const single = this.site.title || 'Newsletter';
    let added = 0;
    let kept = 0;
    for (const member of this.site.members) {
      const names =
        this.site.newsletters.length > 0
          ? (this.site.memberNewsletters.get(member.id) ?? [])
              .map((id) => newsletterNames.get(id))
              .filter((name): name is string => name !== undefined)
          : member.subscribed === true || member.subscribed === 1
            ? [single]
            : [];
      if (member.email_disabled || names.length === 0) {
        this.note(
          member.email_disabled
            ? 'Ghost member whose e-mail bounced or complained (not subscribed)'
            : 'Ghost member subscribed to no newsletter (not added)',
        );
        continue;
      }
      const email = normalizeEmail(member.email);
      if (email === null) {
        this.line({
          action: 'skipped',
          entity: 'Ghost member',
          target: member.email,
          note: 'not an e-mail address',
        });
        continue;
      }
      const subscriberId = await ensureSubscriber(this.db, email, this.now);
      const standing = await subscriptionsOf(this.db, subscriberId);
      for (const name of names) {
        const listId = await listFor(name);
        const state = standing.get(listId);
        if (state === 'active') kept++;
        else if (state === 'unsubscribed')
          this.note('Ghost member who unsubscribed here (not put back)');
        else {
          await setSubscription(this.db, { listId, subscriberId, state: 'active' }, this.now);
          added++;
        }
      }
      await this.batches.between();
    }
    if (added > 0)
      this.line({
        action: 'created',
        entity: 'subscriptions',
        target: `${added} from Ghost members`,
      });
    if (kept > 0)
      this.line({ action: 'unchanged', entity: 'subscriptions', target: `${kept} already here` });
  }
}

import type { Kysely } from 'kysely';
import { ALL_PAGES } from '../core/cache-tags.js';
import type { Doc } from '../core/document.js';
import { validateDoc } from '../core/document-extensions.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { localizedSchema } from '../core/localized.js';
import { can } from '../core/policy.js';
import { isFreeTopLevelSlug } from '../core/section-path.js';
import { isSlug, slugify } from '../core/slug.js';
import type { Localized, Page, Section } from '../core/types.js';
import { findArticleBySlug } from '../store/articles.js';
import { recordAudit } from '../store/audit.js';
import {
  findPageBySlug,
  insertPage,
  lastPagePosition,
  listPages,
  updatePage as updatePageRow,
} from '../store/pages.js';
import type { Database } from '../store/schema.js';
import {
  findSectionByPath,
  insertSection,
  listChildSections,
  updateSectionName,
  updateSectionNames,
  updateSectionPosition,
} from '../store/sections.js';
import type { Newsroom, StaffActor } from './newsroom.js';

// Editors shape the site itself: the section tree and the static pages. Every
// address created here is permanent: article URLs are built from section paths,
// and terms or privacy pages are linked from elsewhere, so neither a section's
// path nor a page's slug ever changes once created.

/** What a page is: 'legal' pages are linked from the footer, the 'masthead' page lists the staff. */
export const PAGE_KINDS = ['page', 'legal', 'masthead'] as const satisfies readonly Page['kind'][];
export type PageKind = Page['kind'];

export type NewSectionInput = {
  name: string;
  /** Path of the parent section ("news"); absent or empty for the top level. */
  parent?: string | null;
  /** By default made from the name. */
  slug?: string;
};

export type SectionChange = {
  name?: string;
  /** Its names on pages in other languages ({"ru": "Новости"}); an empty one falls back to `name`. */
  names?: unknown;
  position?: number;
  /** Accepted only when unchanged: a section's address is permanent. */
  slug?: string;
  /** Accepted only when unchanged (path of the parent, null or "" for the top level). */
  parent?: string | null;
};

export type NewPageInput = {
  title: string;
  /** By default made from the title. */
  slug?: string;
  kind: PageKind;
  language: string;
  body: unknown;
};

export type PageChange = {
  /** Accepted only when unchanged: a page's address is permanent. */
  slug?: string;
  title?: string;
  body?: unknown;
  kind?: PageKind;
  language?: string;
};

const MAX_SECTION_NAME = 100;
const MAX_PAGE_TITLE = 300;
const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

function mayManageSections(actor: StaffActor): void {
  if (!can(actor, 'taxonomy.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors manage sections');
}

function mayManagePages(actor: StaffActor): void {
  if (!can(actor, 'page.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors manage pages');
}

/** Trimmed text that must not be blank nor longer than `max`, or a refusal naming `field`. */
function requiredText(value: string, field: string, max: number, blank: string): string {
  const text = value.trim();
  if (text === '') throw new DomainError('invalid_input', `${field}: ${blank}`, field);
  if (text.length > max)
    throw new DomainError('invalid_input', `${field}: keep it to ${max} characters`, field);
  return text;
}

function checkLanguage(language: string): string {
  if (!LANGUAGE_CODE.test(language))
    throw new DomainError(
      'invalid_input',
      'language: a language code such as "en" or "ru"',
      'language',
    );
  return language;
}

/** The slug asked for, or one made from `text`; refused when neither gives a usable one. */
function chooseSlug(wanted: string | undefined, text: string, textField: string): string {
  if (wanted !== undefined) {
    if (!isSlug(wanted))
      throw new DomainError(
        'invalid_input',
        'slug: lower-case letters, digits and hyphens, at most 120',
        'slug',
      );
    return wanted;
  }
  const slug = slugify(text);
  if (slug === '')
    throw new DomainError(
      'invalid_input',
      `${textField}: has no letters or digits to put in an address; give a slug`,
      textField,
    );
  return slug;
}

/**
 * Refuses a top-level address the site uses itself (/assets, /api…) or one that
 * a section or a page already has: the two share the first path segment.
 */
async function checkTopLevelAddress(db: Kysely<Database>, slug: string): Promise<void> {
  if (!isFreeTopLevelSlug(slug))
    throw new DomainError(
      'invalid_input',
      `slug: the address /${slug} is reserved for the site itself`,
      'slug',
    );
  if (await findSectionByPath(db, slug))
    throw new DomainError('conflict', `slug: the address /${slug} belongs to a section`, 'slug');
  if (await findPageBySlug(db, slug))
    throw new DomainError('conflict', `slug: the address /${slug} belongs to a page`, 'slug');
}

function normalisePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

async function sectionAt(db: Kysely<Database>, path: string, field?: string): Promise<Section> {
  const section = await findSectionByPath(db, normalisePath(path));
  if (!section) throw new DomainError('not_found', `there is no section "${path}"`, field);
  return section;
}

/**
 * Creates a section, last among its siblings, at `parent/slug` (slug from the
 * name unless given). Refuses a reserved or taken address. Audited.
 */
async function writeCreateSection(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewSectionInput,
): Promise<Section> {
  mayManageSections(actor);
  const name = requiredText(input.name, 'name', MAX_SECTION_NAME, 'a section needs a name');
  const slug = chooseSlug(input.slug, name, 'name');
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const parentPath = normalisePath(input.parent ?? '');
    const parent = parentPath === '' ? null : await sectionAt(trx, parentPath, 'parent');
    const path = parent ? `${parent.path}/${slug}` : slug;
    if (parent) {
      if (await findSectionByPath(trx, path))
        throw new DomainError('conflict', `slug: there is already a section /${path}`, 'slug');
      // The public router tries sections before articles: a section here would hide the article.
      if (await findArticleBySlug(trx, parent.id, slug))
        throw new DomainError(
          'conflict',
          `slug: the address /${path} belongs to an article`,
          'slug',
        );
    } else {
      await checkTopLevelAddress(trx, slug);
    }
    const siblings = await listChildSections(trx, parent?.id ?? null);
    const position = Math.max(-1, ...siblings.map((sibling) => sibling.position)) + 1;
    const section = await insertSection(trx, {
      parentId: parent?.id ?? null,
      slug,
      path,
      name,
      position,
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'section.create',
      subject: `section:${section.id}`,
      detail: { path, name },
      at: now,
    });
    return section;
  });
}

/**
 * Renames and/or reorders a section in one transaction; its path never changes.
 * `position` is its 0-based place among its siblings. Audited when anything changed.
 */
async function writeUpdateSection(
  newsroom: Newsroom,
  actor: StaffActor,
  path: string,
  change: SectionChange,
): Promise<Section> {
  mayManageSections(actor);
  const name =
    change.name === undefined
      ? undefined
      : requiredText(change.name, 'name', MAX_SECTION_NAME, 'a section needs a name');
  const names = change.names === undefined ? undefined : checkedNames(change.names);
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const section = await sectionAt(trx, path);
    await refuseAddressChange(trx, section, change);
    if (name === undefined && change.position === undefined && names === undefined)
      throw new DomainError(
        'invalid_input',
        'send a new name, names in other languages, or a position',
      );
    if (names !== undefined && JSON.stringify(names) !== JSON.stringify(section.names)) {
      await updateSectionNames(trx, section.id, names);
      await recordAudit(trx, {
        userId: actor.userId,
        action: 'section.rename',
        subject: `section:${section.id}`,
        detail: { path: section.path, names },
        at: now,
      });
    }
    if (name !== undefined && name !== section.name) {
      await updateSectionName(trx, section.id, name);
      await recordAudit(trx, {
        userId: actor.userId,
        action: 'section.rename',
        subject: `section:${section.id}`,
        detail: { path: section.path, from: section.name, to: name },
        at: now,
      });
    }
    if (change.position !== undefined) await reorder(trx, actor, section, change.position, now);
    return await sectionAt(trx, section.path);
  });
}

/** Names per language, as sent: only interface languages, each at most 200 characters. */
function checkedNames(input: unknown): Localized {
  const parsed = localizedSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ['names', ...(issue?.path ?? []).map(String)].join('.');
  throw new DomainError('invalid_input', `${field}: ${issue?.message ?? 'not names'}`, field);
}

/**
 * Refuses a change of slug or parent, which would move every article under the
 * section to a new URL; echoing the current ones back is fine.
 */
async function refuseAddressChange(
  db: Kysely<Database>,
  section: Section,
  change: SectionChange,
): Promise<void> {
  const permanent = `a section keeps its address /${section.path} for good; create a new section instead`;
  if (change.slug !== undefined && change.slug !== section.slug)
    throw new DomainError('invalid_input', `slug: ${permanent}`, 'slug');
  if (change.parent === undefined) return;
  const parentPath = normalisePath(change.parent ?? '');
  const parent = parentPath === '' ? null : await findSectionByPath(db, parentPath);
  if ((parent?.id ?? null) !== section.parentId || (parentPath !== '' && !parent))
    throw new DomainError('invalid_input', `parent: ${permanent}`, 'parent');
}

/** Puts `section` at `position` among its siblings and renumbers them 0…n-1. */
async function reorder(
  db: Kysely<Database>,
  actor: StaffActor,
  section: Section,
  position: number,
  now: string,
): Promise<void> {
  const siblings = await listChildSections(db, section.parentId);
  if (!Number.isInteger(position) || position < 0 || position >= siblings.length)
    throw new DomainError(
      'invalid_input',
      `position: between 0 and ${siblings.length - 1} (its place among ${siblings.length} sections)`,
      'position',
    );
  const from = siblings.findIndex((sibling) => sibling.id === section.id);
  if (from === position) return;
  const order = siblings.filter((sibling) => sibling.id !== section.id);
  order.splice(position, 0, section);
  // Renumbering every sibling also repairs gaps and ties left by imports.
  for (const [index, sibling] of order.entries()) {
    if (sibling.position !== index) await updateSectionPosition(db, sibling.id, index);
  }
  await recordAudit(db, {
    userId: actor.userId,
    action: 'section.move',
    subject: `section:${section.id}`,
    detail: { path: section.path, from, to: position },
    at: now,
  });
}

/** Every static page, in footer order, for editors. */
export async function listPagesForStaff(newsroom: Newsroom, actor: StaffActor): Promise<Page[]> {
  mayManagePages(actor);
  return await listPages(newsroom.store.db);
}

/** One static page by slug, for editors; `not_found` when there is none. */
export async function getPageForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
  slug: string,
): Promise<Page> {
  mayManagePages(actor);
  return await pageAt(newsroom.store.db, slug);
}

async function pageAt(db: Kysely<Database>, slug: string): Promise<Page> {
  const page = await findPageBySlug(db, slug);
  if (!page) throw new DomainError('not_found', `there is no page "${slug}"`);
  return page;
}

/** The body as a checked document, with refusals pointing at the `body` field. */
function checkBody(body: unknown): Doc {
  try {
    return validateDoc(body, 'body');
  } catch (error) {
    if (isDomainError(error)) throw new DomainError(error.code, error.message, 'body');
    throw error;
  }
}

/**
 * Creates a static page at /slug (slug from the title unless given), last in
 * order. Refuses a reserved or taken address and an unsafe body. Audited.
 */
async function writeCreatePage(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewPageInput,
): Promise<Page> {
  mayManagePages(actor);
  const title = requiredText(input.title, 'title', MAX_PAGE_TITLE, 'a page needs a title');
  const slug = chooseSlug(input.slug, title, 'title');
  const language = checkLanguage(input.language);
  const body = checkBody(input.body);
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    await checkTopLevelAddress(trx, slug);
    const page = await insertPage(trx, {
      slug,
      title,
      body,
      language,
      kind: input.kind,
      position: (await lastPagePosition(trx)) + 1,
      updatedAt: now,
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'page.create',
      subject: `page:${page.id}`,
      detail: { slug, title, kind: input.kind },
      at: now,
    });
    return page;
  });
}

/**
 * Changes a page's title, body, kind or language; its slug never changes.
 * Refuses an unsafe body. Audited with the names of the fields changed.
 */
async function writeUpdatePage(
  newsroom: Newsroom,
  actor: StaffActor,
  slug: string,
  change: PageChange,
): Promise<Page> {
  mayManagePages(actor);
  const title =
    change.title === undefined
      ? undefined
      : requiredText(change.title, 'title', MAX_PAGE_TITLE, 'a page needs a title');
  const language = change.language === undefined ? undefined : checkLanguage(change.language);
  const body = change.body === undefined ? undefined : checkBody(change.body);
  const now = newsroom.now().toISOString();
  return await newsroom.store.db.transaction().execute(async (trx) => {
    const page = await pageAt(trx, slug);
    if (change.slug !== undefined && change.slug !== page.slug)
      throw new DomainError(
        'invalid_input',
        `slug: a page keeps its address /${page.slug} for good; create a new page instead`,
        'slug',
      );
    const next = {
      title: title ?? page.title,
      body: body ?? page.body,
      kind: change.kind ?? page.kind,
      language: language ?? page.language,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
      (key) => JSON.stringify(next[key]) !== JSON.stringify(page[key]),
    );
    if (changed.length === 0) return page;
    await updatePageRow(trx, page.id, { ...next, position: page.position, updatedAt: now });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'page.update',
      subject: `page:${page.id}`,
      detail: { slug: page.slug, changed },
      at: now,
    });
    return await pageAt(trx, page.slug);
  });
}

/** A new section appears in the navigation of every page. */
export async function createSection(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewSectionInput,
): Promise<Section> {
  const result = await writeCreateSection(newsroom, actor, input);
  newsroom.changed?.(ALL_PAGES);
  return result;
}

/** A renamed or moved section changes the navigation of every page. */
export async function updateSection(
  newsroom: Newsroom,
  actor: StaffActor,
  path: string,
  change: SectionChange,
): Promise<Section> {
  const result = await writeUpdateSection(newsroom, actor, path, change);
  newsroom.changed?.(ALL_PAGES);
  return result;
}

/** A page may be linked from every page’s footer. */
export async function createPage(
  newsroom: Newsroom,
  actor: StaffActor,
  input: NewPageInput,
): Promise<Page> {
  const result = await writeCreatePage(newsroom, actor, input);
  newsroom.changed?.(ALL_PAGES);
  return result;
}

/** A page may be linked from every page’s footer. */
export async function updatePage(
  newsroom: Newsroom,
  actor: StaffActor,
  slug: string,
  change: PageChange,
): Promise<Page> {
  const result = await writeUpdatePage(newsroom, actor, slug, change);
  newsroom.changed?.(ALL_PAGES);
  return result;
}

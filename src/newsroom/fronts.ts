import type { Kysely } from 'kysely';
import { hourOf } from '../core/audience.js';
import { frontTag } from '../core/cache-tags.js';
import { DomainError } from '../core/errors.js';
import {
  defaultFrontLayout,
  type FilledBlock,
  type FrontLayout,
  type FrontStory,
  fillFront,
  frontLayoutSchema,
  parseStoredFrontLayout,
  pinnedArticleIds,
  storiesNeeded,
} from '../core/fronts.js';
import { plainIssueMessage } from '../core/plain-errors.js';
import { can } from '../core/policy.js';
import { sectionAndDescendantIds, sectionUrl } from '../core/section-path.js';
import { LANGUAGES, type Language, type Section } from '../core/types.js';
import {
  type ArticleSummary,
  getPublishedSummariesByIds,
  listPublishedArticles,
} from '../store/articles.js';
import { mostReadArticleIds } from '../store/audience.js';
import { recordAudit } from '../store/audit.js';
import { getFront, listFronts, saveFront } from '../store/fronts.js';
import type { Database } from '../store/schema.js';
import { listSections } from '../store/sections.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { readSiteSettings } from './read-site.js';
import { toTeasers } from './teasers.js';

// Fronts: the home page and each section's page as editors arrange them, one
// per language (core/fronts.ts holds the arrangement and how it fills).

/** How far back "most read" looks: the last two days, by the hour. */
const MOST_READ_HOURS = 48;

/** A front: its language and the listing it arranges ("" the home page, else a section's path). */
export type FrontKey = { language: Language; path: string };

function topSectionIds(sections: Section[]): number[] {
  return sections.filter((section) => section.parentId === null).map((section) => section.id);
}

/** The arrangement before editors touched it: see `defaultFrontLayout`. */
function defaultLayoutFor(path: string, sections: Section[]): FrontLayout {
  return path === ''
    ? defaultFrontLayout('home', topSectionIds(sections))
    : defaultFrontLayout('section', []);
}

/** The stored arrangement, or the default one. */
async function layoutOf(
  db: Kysely<Database>,
  key: FrontKey,
  sections: Section[],
): Promise<{ layout: FrontLayout; version: number; updatedAt: string | null }> {
  const stored = await getFront(db, key.language, key.path);
  const layout = stored ? parseStoredFrontLayout(stored.layout) : null;
  return {
    layout: layout ?? defaultLayoutFor(key.path, sections),
    version: stored?.version ?? 0,
    updatedAt: stored?.updatedAt ?? null,
  };
}

async function toStories(
  db: Kysely<Database>,
  articles: readonly ArticleSummary[],
  byId: Map<number, Section>,
): Promise<FrontStory[]> {
  // toTeasers keeps one teaser per article whose section exists: filter first so they line up.
  const placed = articles.filter((article) => byId.has(article.sectionId));
  const teasers = await toTeasers(db, placed, byId);
  return teasers.flatMap((teaser, index) => {
    const article = placed[index];
    return article ? [{ ...teaser, articleId: article.id, isPinned: false }] : [];
  });
}

/**
 * Fills a front for readers. `scope` is the language of the articles that
 * fill it (null: every language, the site's own address "/"); pinned
 * articles show whatever their language, as long as they are published.
 */
export async function fillFrontFor(
  db: Kysely<Database>,
  now: Date,
  front: { path: string; layout: FrontLayout; scope: Language | null },
  sections: Section[],
): Promise<FilledBlock[]> {
  const byId = new Map(sections.map((section) => [section.id, section]));
  const section = front.path === '' ? null : sections.find((s) => s.path === front.path);
  const language = front.scope ? { language: front.scope } : {};
  const sectionIds = section ? { sectionIds: sectionAndDescendantIds(section, sections) } : {};
  const { layout } = front;
  const needed = storiesNeeded(layout);
  const sectionBlocks = layout.blocks.flatMap((block) =>
    block.kind === 'section' && byId.has(block.sectionId) ? [block] : [],
  );
  const mostRead = layout.blocks.reduce(
    (count, block) => (block.kind === 'most-read' ? Math.max(count, block.count) : count),
    0,
  );
  const [pinned, latest, readIds, bySection] = await Promise.all([
    getPublishedSummariesByIds(db, pinnedArticleIds(layout)).then((articles) =>
      toStories(db, articles, byId),
    ),
    needed > 0
      ? listPublishedArticles(db, { ...language, ...sectionIds, limit: needed }).then((found) =>
          toStories(db, found, byId),
        )
      : Promise.resolve([]),
    mostRead > 0
      ? mostReadArticleIds(
          db,
          hourOf(new Date(now.getTime() - (MOST_READ_HOURS - 1) * 3_600_000)),
          {
            limit: mostRead,
            ...language,
            ...sectionIds,
          },
        )
      : Promise.resolve([]),
    Promise.all(
      sectionBlocks.map(async (block) => {
        const top = byId.get(block.sectionId) as Section;
        const found = await listPublishedArticles(db, {
          ...language,
          sectionIds: sectionAndDescendantIds(top, sections),
          // Enough to fill it after the stories already shown above are skipped.
          limit: block.count + needed,
        });
        return [block.sectionId, await toStories(db, found, byId)] as const;
      }),
    ),
  ]);
  const readStories = await toStories(db, await getPublishedSummariesByIds(db, readIds), byId);
  return fillFront(layout, {
    pinned: new Map(pinned.map((story) => [story.articleId, story])),
    latest,
    mostRead: readStories,
    bySection: new Map(bySection),
  });
}

/**
 * A front as readers see it at `path` ("" home), in `language` or, for "/",
 * the site's; with the articles it pins, shown or not (cache tags).
 */
export async function readFrontBlocks(
  db: Kysely<Database>,
  now: Date,
  key: FrontKey,
  scope: Language | null,
  sections: Section[],
): Promise<{ blocks: FilledBlock[]; pinnedIds: number[] }> {
  const { layout } = await layoutOf(db, key, sections);
  return {
    blocks: await fillFrontFor(db, now, { path: key.path, layout, scope }, sections),
    pinnedIds: pinnedArticleIds(layout),
  };
}

// --- Staff -----------------------------------------------------------------

export type FrontState = {
  language: Language;
  path: string;
  title: string;
  /** Where readers see it. */
  url: string;
  /** 0 until the front is first saved. */
  version: number;
  updatedAt: string | null;
  isArranged: boolean;
  layout: FrontLayout;
  defaultLayout: FrontLayout;
  filled: FilledBlock[];
};

function mayArrange(actor: StaffActor): void {
  if (!can(actor, 'front.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors arrange the front pages');
}

/**
 * Checks a front's language and path (an interface language; home or an
 * existing section) and says where readers see it and what fills it. The
 * front of the site's own language is the one at "/" and "/news", filled
 * from every language; another language's is at "/ru", filled from its own.
 */
async function frontOf(
  db: Kysely<Database>,
  language: string,
  path: string,
  sections: Section[],
): Promise<{ key: FrontKey; title: string; url: string; scope: Language | null }> {
  if (!(LANGUAGES as readonly string[]).includes(language))
    throw new DomainError(
      'not_found',
      `there are fronts in ${LANGUAGES.join(' and ')}, not "${language}"`,
    );
  const key = { language: language as Language, path };
  const isSiteLanguage = (await readSiteSettings(db)).language === language;
  const scope = isSiteLanguage ? null : key.language;
  const prefix = isSiteLanguage ? '' : `/${language}`;
  if (path === '') return { key, title: 'Home', url: prefix || '/', scope };
  const section = sections.find((candidate) => candidate.path === path);
  if (!section) throw new DomainError('not_found', `there is no section "${path}"`);
  return { key, title: section.name, url: `${prefix}${sectionUrl(section)}`, scope };
}

/** Checks an arrangement sent by staff: its shape, and that its sections exist. */
function checkedLayout(input: unknown, sections: Section[]): FrontLayout {
  const parsed = frontLayoutSchema.safeParse(input, { error: plainIssueMessage });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['layout', ...(issue?.path ?? []).map(String)].join('.');
    throw new DomainError(
      'invalid_input',
      `${field}: ${issue?.message ?? 'is not a front'}`,
      field,
    );
  }
  const ids = new Set(sections.map((section) => section.id));
  parsed.data.blocks.forEach((block, index) => {
    if (block.kind === 'section' && !ids.has(block.sectionId))
      throw new DomainError(
        'invalid_input',
        `block ${index + 1} shows section ${block.sectionId}, which does not exist`,
        `layout.blocks.${index}.sectionId`,
      );
  });
  return parsed.data;
}

/** Every front staff may arrange: the home page and each section, in each language. */
export async function listFrontsForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<
  {
    language: Language;
    path: string;
    title: string;
    isArranged: boolean;
    updatedAt: string | null;
  }[]
> {
  mayArrange(actor);
  const db = newsroom.store.db;
  const [sections, saved] = await Promise.all([listSections(db), listFronts(db)]);
  const savedAt = new Map(
    saved.map((front) => [`${front.language}/${front.path}`, front.updatedAt]),
  );
  return LANGUAGES.flatMap((language) =>
    [{ path: '', name: 'Home' }, ...sections].map((entry) => {
      const updatedAt = savedAt.get(`${language}/${entry.path}`) ?? null;
      return {
        language,
        path: entry.path,
        title: entry.name,
        isArranged: updatedAt !== null,
        updatedAt,
      };
    }),
  );
}

/** A front as staff arrange it: the arrangement, and what fills it now. */
export async function getFrontForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
  language: string,
  path: string,
): Promise<FrontState> {
  mayArrange(actor);
  const db = newsroom.store.db;
  const sections = await listSections(db);
  const { key, title, url, scope } = await frontOf(db, language, path, sections);
  const { layout, version, updatedAt } = await layoutOf(db, key, sections);
  return {
    ...key,
    title,
    url,
    version,
    updatedAt,
    isArranged: version > 0,
    layout,
    defaultLayout: defaultLayoutFor(path, sections),
    filled: await fillFrontFor(db, newsroom.now(), { path, layout, scope }, sections),
  };
}

/** What an arrangement not yet saved would show (the admin's live view of automatic slots). */
export async function fillFrontForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
  input: { language: string; path: string; layout: unknown },
): Promise<{ key: FrontKey; url: string; layout: FrontLayout; filled: FilledBlock[] }> {
  mayArrange(actor);
  const db = newsroom.store.db;
  const sections = await listSections(db);
  const { key, url, scope } = await frontOf(db, input.language, input.path, sections);
  const layout = checkedLayout(input.layout, sections);
  const filled = await fillFrontFor(
    db,
    newsroom.now(),
    { path: key.path, layout, scope },
    sections,
  );
  return { key, url, layout, filled };
}

/**
 * Saves a front against the version it was arranged on: a save naming an
 * older version is refused (`version_conflict`), so two editors never undo
 * each other's work unknowingly. Live at once: the pages showing it are purged.
 */
export async function saveFrontForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
  input: { language: string; path: string; layout: unknown; version: number },
): Promise<FrontState> {
  mayArrange(actor);
  const db = newsroom.store.db;
  const sections = await listSections(db);
  const { key } = await frontOf(db, input.language, input.path, sections);
  const layout = checkedLayout(input.layout, sections);
  const at = newsroom.now().toISOString();
  await db.transaction().execute(async (trx) => {
    const saved = await saveFront(
      trx,
      { ...key, layout: JSON.stringify(layout), version: input.version },
      at,
      actor.userId,
    );
    if (!saved)
      throw new DomainError(
        'version_conflict',
        'another editor saved this front since you opened it: load their version and arrange it again',
        'version',
      );
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'front.update',
      subject: `front:${key.language}/${key.path}`,
      detail: { language: key.language, path: key.path, blocks: layout.blocks.length },
      at,
    });
  });
  newsroom.changed?.([frontTag(key.language, key.path)]);
  return await getFrontForStaff(newsroom, actor, key.language, key.path);
}

import type { Kysely } from 'kysely';
import type { Page } from '../core/types.js';
import { toPage } from './rows.js';
import type { Database } from './schema.js';

export async function findPageBySlug(db: Kysely<Database>, slug: string): Promise<Page | null> {
  const row = await db.selectFrom('page').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toPage(row) : null;
}

export async function getPageById(db: Kysely<Database>, id: number): Promise<Page | null> {
  const row = await db.selectFrom('page').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPage(row) : null;
}

export async function listPages(db: Kysely<Database>): Promise<Page[]> {
  const rows = await db
    .selectFrom('page')
    .selectAll()
    .orderBy('position')
    .orderBy('title')
    .execute();
  return rows.map(toPage);
}

function pageColumns(page: Omit<Page, 'id' | 'slug'>) {
  return {
    title: page.title,
    body_json: JSON.stringify(page.body),
    language: page.language,
    kind: page.kind,
    position: page.position,
    updated_at: page.updatedAt,
  };
}

export async function insertPage(db: Kysely<Database>, page: Omit<Page, 'id'>): Promise<Page> {
  const row = await db
    .insertInto('page')
    .values({ slug: page.slug, ...pageColumns(page) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPage(row);
}

export async function updatePage(
  db: Kysely<Database>,
  id: number,
  page: Omit<Page, 'id' | 'slug'>,
): Promise<void> {
  await db.updateTable('page').set(pageColumns(page)).where('id', '=', id).execute();
}

/** The highest page position, or -1 when there is no page yet. */
export async function lastPagePosition(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('page')
    .select((eb) => eb.fn.max('position').as('last'))
    .executeTakeFirst();
  return row?.last ?? -1;
}

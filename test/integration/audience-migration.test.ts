import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { mostReadArticleIds } from '../../src/store/audience.js';
import type { Dialect } from '../../src/store/dialect.js';
import { migrateToLatest, migrateUpTo } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';
import { ON_POSTGRES, TEST_DATABASE_URL } from '../databases.js';

// A newsroom that counted "most read" before the audience numbers existed
// (migration 021's `article_read`) keeps its ranking after upgrading.

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** An empty database on the suite's dialect, migrated by hand. */
async function emptyDatabase(): Promise<{ db: Kysely<Database>; dialect: Dialect }> {
  if (!ON_POSTGRES) {
    const dir = await mkdtemp(join(tmpdir(), 'masthead-migration-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(join(dir, 'old.sqlite')) }),
    });
    cleanup.push(() => db.destroy());
    return { db, dialect: 'sqlite' };
  }
  if (!TEST_DATABASE_URL) throw new Error('the PostgreSQL suite needs TEST_DATABASE_URL');
  const name = `masthead_migration_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const adminUrl = TEST_DATABASE_URL;
  cleanup.push(async () => {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name}`).catch(() => {});
    await dropper.end();
  });
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString() }) }),
  });
  cleanup.push(() => db.destroy());
  return { db, dialect: 'postgres' };
}

describe('migration 029 (audience numbers)', () => {
  it('moves the counted reads into the audience numbers, which rank "most read" as before', async () => {
    const { db, dialect } = await emptyDatabase();
    await migrateUpTo(db, dialect, '028-desk');
    // As an older Masthead wrote them: one section, two articles, their reads per day.
    await sql`insert into section (id, parent_id, slug, path, name, position)
      values (1, null, 'news', 'news', 'News', 0)`.execute(db);
    for (const id of [1, 2]) {
      await sql`insert into article (id, uuid, slug, section_id, language, status, title, standfirst,
          body_json, published_at, created_at, updated_at, version)
        values (${id}, ${`00000000-0000-4000-8000-00000000000${id}`}, ${`story-${id}`}, 1, 'en',
          'published', ${`Story ${id}`}, '', '{"type":"doc","content":[]}',
          '2026-02-27T09:00:00.000Z', '2026-02-27T09:00:00.000Z', '2026-02-27T09:00:00.000Z', 1)`.execute(
        db,
      );
    }
    await sql`insert into article_read (article_id, day, count)
      values (1, '2026-02-28', 3), (2, '2026-02-28', 5), (2, '2026-03-01', 1)`.execute(db);

    await migrateToLatest(db, dialect);

    const rows = await db
      .selectFrom('audience_view')
      .select(['hour', 'article_id', 'channel', 'views'])
      .orderBy('article_id')
      .orderBy('hour')
      .execute();
    expect(rows).toEqual([
      { hour: '2026-02-28T00', article_id: 1, channel: 'unknown', views: 3 },
      { hour: '2026-02-28T00', article_id: 2, channel: 'unknown', views: 5 },
      { hour: '2026-03-01T00', article_id: 2, channel: 'unknown', views: 1 },
    ]);
    const tables =
      dialect === 'postgres'
        ? await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema()`.execute(db)
        : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
            db,
          );
    expect(tables.rows.map((row) => row.name)).not.toContain('article_read');
    // "Most read" ranks them as it did.
    expect(await mostReadArticleIds(db, '2026-02-28T00', { limit: 2 })).toEqual([2, 1]);
  });
});

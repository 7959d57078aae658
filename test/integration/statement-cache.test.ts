import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StatementCache } from '../../src/store/database.js';

// Kysely's SQLite driver prepares every query anew; the store's connection
// keeps the prepared statements by SQL text, a bounded number of them
// (store/database.ts).

const opened: SqliteDatabase.Database[] = [];
afterEach(() => {
  for (const sqlite of opened.splice(0)) if (sqlite.open) sqlite.close();
});

function cacheOf(size: number): StatementCache {
  const sqlite = new SqliteDatabase(':memory:');
  opened.push(sqlite);
  sqlite.exec('create table t (n integer)');
  sqlite.exec('insert into t values (1), (2), (3)');
  return new StatementCache(sqlite, size);
}

describe('the prepared statements of a SQLite connection', () => {
  it('prepares a SQL text once, and runs it again with other parameters', () => {
    const cache = cacheOf(4);
    const first = cache.prepare('select n from t where n > ?');
    expect(cache.prepare('select n from t where n > ?')).toBe(first);
    expect(first.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(cache.prepare('select n from t where n > ?').all([2])).toEqual([{ n: 3 }]);
  });

  it('keeps a bounded number, dropping the least recently used', () => {
    const cache = cacheOf(2);
    const a = cache.prepare('select 1');
    const b = cache.prepare('select 2');
    // "select 1" used again: "select 2" is now the oldest.
    expect(cache.prepare('select 1')).toBe(a);
    cache.prepare('select 3');
    expect(cache.cached).toBe(2);
    expect(cache.prepare('select 1')).toBe(a);
    expect(cache.prepare('select 2')).not.toBe(b);
  });

  it('prepares afresh a text whose statement is still being iterated', () => {
    const cache = cacheOf(4);
    const streaming = cache.prepare('select n from t order by n');
    const rows = streaming.iterate([]);
    expect(rows.next().value).toEqual({ n: 1 });
    const again = cache.prepare('select n from t order by n');
    expect(again).not.toBe(streaming);
    expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(cache.prepare('select n from t order by n')).toBe(streaming);
  });
});

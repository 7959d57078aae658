import { describe, expect, it } from 'vitest';
import { ariaSortOf, compareText, nextSort, sortRows } from './sorting.js';

describe('nextSort', () => {
  it('turns the current column round, and starts another in its first direction', () => {
    expect(nextSort({ key: 'name', direction: 'asc' }, 'name')).toEqual({
      key: 'name',
      direction: 'desc',
    });
    expect(nextSort({ key: 'name', direction: 'desc' }, 'name')).toEqual({
      key: 'name',
      direction: 'asc',
    });
    expect(nextSort({ key: 'name', direction: 'desc' }, 'role')).toEqual({
      key: 'role',
      direction: 'asc',
    });
    expect(nextSort(null, 'changed', 'desc')).toEqual({ key: 'changed', direction: 'desc' });
  });
});

describe('ariaSortOf', () => {
  it('marks only the sorted column', () => {
    const sort = { key: 'name', direction: 'desc' } as const;
    expect(ariaSortOf(sort, 'name')).toBe('descending');
    expect(ariaSortOf({ ...sort, direction: 'asc' }, 'name')).toBe('ascending');
    expect(ariaSortOf(sort, 'role')).toBeUndefined();
    expect(ariaSortOf(null, 'name')).toBeUndefined();
  });
});

describe('sortRows', () => {
  const rows = [
    { name: 'beta', rank: 1 },
    { name: 'Alpha', rank: 2 },
    { name: 'gamma', rank: 1 },
    { name: 'Page 10', rank: 3 },
    { name: 'Page 2', rank: 3 },
  ];

  it('sorts text as people read it: case aside, numbers by value', () => {
    const byName = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      compareText(a.name, b.name);
    expect(sortRows(rows, byName, 'asc').map((row) => row.name)).toEqual([
      'Alpha',
      'beta',
      'gamma',
      'Page 2',
      'Page 10',
    ]);
    expect(sortRows(rows, byName, 'desc').map((row) => row.name)).toEqual([
      'Page 10',
      'Page 2',
      'gamma',
      'beta',
      'Alpha',
    ]);
  });

  it('keeps rows that compare equal in the order they came, either way', () => {
    const byRank = (a: (typeof rows)[number], b: (typeof rows)[number]) => a.rank - b.rank;
    expect(sortRows(rows, byRank, 'asc').map((row) => row.name)).toEqual([
      'beta',
      'gamma',
      'Alpha',
      'Page 10',
      'Page 2',
    ]);
    expect(sortRows(rows, byRank, 'desc').map((row) => row.name)).toEqual([
      'Page 10',
      'Page 2',
      'Alpha',
      'beta',
      'gamma',
    ]);
  });

  it('leaves the list it was given as it was', () => {
    const copy = [...rows];
    sortRows(rows, (a, b) => a.rank - b.rank, 'desc');
    expect(rows).toEqual(copy);
  });
});

import { describe, expect, it } from 'vitest';
import { formatTagList, parseTagList } from './tag-list.js';

describe('parseTagList', () => {
  it('splits on commas, trims, and drops empty pieces', () => {
    expect(parseTagList(' Budget, , Local elections ,')).toEqual(['Budget', 'Local elections']);
  });

  it('reads an empty field as no tags', () => {
    expect(parseTagList('   ')).toEqual([]);
  });

  it('reads back what formatTagList writes', () => {
    const tags = ['Budget', 'Local elections', 'Выборы'];
    expect(parseTagList(formatTagList(tags))).toEqual(tags);
  });
});

import { describe, expect, it } from 'vitest';
import {
  type FrontLayout,
  frontLayoutSchema,
  MAX_BLOCKS,
  MODULE_MAX,
  STORY_BLOCKS,
} from '../core/fronts.js';
import {
  addBlock,
  addSlot,
  BLOCK_KINDS,
  blockIndexOfField,
  blockLabel,
  frontOfRoute,
  frontPath,
  isDraftAsSent,
  isSameLayout,
  moveBlock,
  moveItem,
  moveSlot,
  newBlock,
  pinArticle,
  removeBlock,
  removeSlot,
  swapSlots,
  unpinSlot,
} from './front-layout-edit.js';

const front = (): FrontLayout => ({
  blocks: [
    { kind: 'lead', heading: '', slots: [11] },
    { kind: 'secondary', heading: 'More', slots: [null, 12, null] },
    { kind: 'latest', heading: '', count: 6 },
    { kind: 'banner', tone: 'breaking', text: 'Polls close at 8', url: '' },
  ],
});

const kinds = (layout: FrontLayout) => layout.blocks.map((block) => block.kind);
const slotsOf = (layout: FrontLayout, index: number) => {
  const block = layout.blocks[index];
  return block && 'slots' in block ? block.slots : undefined;
};

describe('moving items', () => {
  it('takes one out and puts it back at the new place', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 1)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('changes nothing for a move off either end', () => {
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(moveItem(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });
});

describe('blocks', () => {
  it('reorder without touching the layout given', () => {
    const layout = front();
    const moved = moveBlock(layout, 3, 0);
    expect(kinds(moved)).toEqual(['banner', 'lead', 'secondary', 'latest']);
    expect(kinds(layout)).toEqual(['lead', 'secondary', 'latest', 'banner']);
  });

  it('are added at the bottom and removed by place', () => {
    const block = newBlock('row', null);
    if (!block) throw new Error('a row needs no section');
    const added = addBlock(front(), block);
    expect(kinds(added)).toEqual(['lead', 'secondary', 'latest', 'banner', 'row']);
    expect(kinds(removeBlock(added, 1))).toEqual(['lead', 'latest', 'banner', 'row']);
  });

  it('stop at the most a front holds', () => {
    const full: FrontLayout = {
      blocks: Array.from({ length: MAX_BLOCKS }, () => ({
        kind: 'latest' as const,
        heading: '',
        count: 3,
      })),
    };
    const block = newBlock('latest', null);
    if (!block) throw new Error('latest needs no section');
    expect(addBlock(full, block).blocks).toHaveLength(MAX_BLOCKS);
  });

  it('start in a shape the server accepts, except a banner, which waits for its text', () => {
    for (const kind of BLOCK_KINDS) {
      const block = newBlock(kind, 7);
      if (!block) throw new Error(`no new ${kind} block`);
      const parsed = frontLayoutSchema.safeParse({ blocks: [block] });
      expect(parsed.success).toBe(kind !== 'banner');
    }
    const banner = newBlock('banner', null);
    expect(
      frontLayoutSchema.safeParse({ blocks: [{ ...banner, text: 'Road closed' }] }).success,
    ).toBe(true);
  });

  it('gives no section block when the site has no section', () => {
    expect(newBlock('section', null)).toBeNull();
    expect(newBlock('section', 4)).toEqual({
      kind: 'section',
      heading: '',
      sectionId: 4,
      count: 4,
    });
  });

  it('counts of new modules stay within the limit', () => {
    for (const kind of ['latest', 'most-read', 'section'] as const) {
      const block = newBlock(kind, 1);
      expect(block && 'count' in block ? block.count : 0).toBeLessThanOrEqual(MODULE_MAX);
    }
  });

  it('are named by kind, and a section block by its section', () => {
    const names = new Map([[4, 'Sport']]);
    const name = (id: number) => names.get(id);
    expect(blockLabel({ kind: 'lead', heading: '', slots: [null] }, name)).toBe('Lead story');
    expect(blockLabel({ kind: 'section', heading: '', sectionId: 4, count: 4 }, name)).toBe(
      'Section: Sport',
    );
    expect(blockLabel({ kind: 'section', heading: '', sectionId: 9, count: 4 }, name)).toBe(
      'Section: a section that no longer exists',
    );
  });
});

describe('slots', () => {
  it('are added and removed within the block kind’s limits', () => {
    const { min, max } = STORY_BLOCKS.secondary;
    let layout = front();
    for (let i = 0; i < 10; i++) layout = addSlot(layout, 1);
    expect(slotsOf(layout, 1)).toHaveLength(max);
    for (let i = 0; i < 10; i++) layout = removeSlot(layout, { block: 1, slot: 0 });
    expect(slotsOf(layout, 1)).toHaveLength(min);
    // The lead holds exactly one.
    expect(slotsOf(addSlot(front(), 0), 0)).toEqual([11]);
    expect(slotsOf(removeSlot(front(), { block: 0, slot: 0 }), 0)).toEqual([11]);
  });

  it('removes the slot named, pinned or not', () => {
    expect(slotsOf(removeSlot(front(), { block: 1, slot: 1 }), 1)).toEqual([null, null]);
  });

  it('leave blocks without slots alone', () => {
    const layout = front();
    expect(addSlot(layout, 2)).toBe(layout);
    expect(swapSlots(layout, { block: 0, slot: 0 }, { block: 2, slot: 0 })).toBe(layout);
  });

  it('move within their block', () => {
    expect(slotsOf(moveSlot(front(), 1, 1, 0), 1)).toEqual([12, null, null]);
    expect(slotsOf(moveSlot(front(), 1, 0, 2), 1)).toEqual([12, null, null]);
  });

  it('swap across blocks, pinned for automatic', () => {
    const swapped = swapSlots(front(), { block: 0, slot: 0 }, { block: 1, slot: 2 });
    expect(slotsOf(swapped, 0)).toEqual([null]);
    expect(slotsOf(swapped, 1)).toEqual([null, 12, 11]);
  });

  it('swap two pinned stories in one block', () => {
    const layout = pinArticle(front(), { block: 1, slot: 0 }, 30).layout;
    expect(slotsOf(swapSlots(layout, { block: 1, slot: 0 }, { block: 1, slot: 1 }), 1)).toEqual([
      12,
      30,
      null,
    ]);
  });

  it('pin an article, and an article pinned elsewhere moves rather than shows twice', () => {
    const first = pinArticle(front(), { block: 1, slot: 0 }, 40);
    expect(slotsOf(first.layout, 1)).toEqual([40, 12, null]);
    expect(first.movedFrom).toBeNull();

    const moved = pinArticle(front(), { block: 1, slot: 2 }, 11);
    expect(slotsOf(moved.layout, 0)).toEqual([null]);
    expect(slotsOf(moved.layout, 1)).toEqual([null, 12, 11]);
    expect(moved.movedFrom).toEqual({ block: 0, slot: 0 });
  });

  it('unpin back to automatic', () => {
    expect(slotsOf(unpinSlot(front(), { block: 1, slot: 1 }), 1)).toEqual([null, null, null]);
  });
});

describe('comparing layouts', () => {
  it('tells an edit from none', () => {
    expect(isSameLayout(front(), front())).toBe(true);
    expect(isSameLayout(front(), moveBlock(front(), 0, 1))).toBe(false);
    // A move to where it already is changes nothing.
    expect(isSameLayout(front(), moveBlock(front(), 2, 2))).toBe(true);
  });

  it('let a save replace the draft only when the draft is still the one sent', () => {
    const sent = front();
    expect(isDraftAsSent(sent, sent)).toBe(true);
    // Changed and changed back while the save was on its way: the same arrangement.
    expect(isDraftAsSent(sent, moveBlock(moveBlock(sent, 0, 1), 1, 0))).toBe(true);
    // Changed while the save was on its way: the draft on screen stays.
    expect(isDraftAsSent(sent, moveBlock(sent, 0, 1))).toBe(false);
    expect(isDraftAsSent(sent, null)).toBe(false);
  });
});

describe('addresses', () => {
  it('name the home page by language and a section by its path', () => {
    expect(frontPath('en', '')).toBe('/fronts/en');
    expect(frontPath('ru', 'news/politics')).toBe('/fronts/ru/news/politics');
  });

  it('read a front back from the route', () => {
    expect(frontOfRoute([])).toBeNull();
    expect(frontOfRoute(['en'])).toEqual({ language: 'en', path: '' });
    expect(frontOfRoute(['en', 'news', 'politics'])).toEqual({
      language: 'en',
      path: 'news/politics',
    });
  });

  it('find the block a refused field belongs to', () => {
    expect(blockIndexOfField('layout.blocks.3.text')).toBe(3);
    expect(blockIndexOfField('blocks[12].url')).toBe(12);
    expect(blockIndexOfField('version')).toBeNull();
    expect(blockIndexOfField(undefined)).toBeNull();
  });
});

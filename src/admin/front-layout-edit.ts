import {
  type FrontBlock,
  type FrontLayout,
  isStoryBlock,
  MAX_BLOCKS,
  STORY_BLOCKS,
  type StoryBlock,
  type StoryBlockKind,
} from '../core/fronts.js';

// The Front pages screen's edits, as pure functions over a FrontLayout: the
// screen keeps no arrangement logic of its own, so what a drag, a button or a
// pin does is the same everywhere and tested here. Every function returns a
// new layout (React compares by reference) and leaves the one given alone; an
// edit the limits do not allow returns the layout unchanged.

export type BlockKind = FrontBlock['kind'];

/** The kinds in the order the "Add block" list offers them. */
export const BLOCK_KINDS: readonly BlockKind[] = [
  'lead',
  'secondary',
  'row',
  'latest',
  'most-read',
  'section',
  'banner',
];

export const BLOCK_KIND_LABELS: Record<BlockKind, string> = {
  lead: 'Lead story',
  secondary: 'Secondary stories',
  row: 'Row',
  latest: 'Latest',
  'most-read': 'Most read',
  section: 'Section',
  banner: 'Banner',
};

/** How many slots a new story block starts with: what the default front gives secondary stories. */
const NEW_SLOTS: Record<StoryBlockKind, number> = { lead: 1, secondary: 4, row: 4 };
const NEW_COUNT = { latest: 6, 'most-read': 5, section: 4 } as const;

/** A slot on the front: the block's place in the column, the slot's place in the block. */
export type SlotAddress = { block: number; slot: number };

/** A block's name on its card: its kind, and for a section block which section. */
export function blockLabel(block: FrontBlock, sectionName: (id: number) => string | undefined) {
  if (block.kind !== 'section') return BLOCK_KIND_LABELS[block.kind];
  return `Section: ${sectionName(block.sectionId) ?? 'a section that no longer exists'}`;
}

/** `items` with the one at `from` taken out and put back at `to`; out-of-range moves change nothing. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  if (from === to || !inRange(items, from) || !inRange(items, to)) return copy;
  const [moved] = copy.splice(from, 1) as [T];
  copy.splice(to, 0, moved);
  return copy;
}

/** `items` without the one at `index`. */
export function removeAt<T>(items: readonly T[], index: number): T[] {
  return items.filter((_item, at) => at !== index);
}

function inRange(items: readonly unknown[], index: number): boolean {
  return Number.isInteger(index) && index >= 0 && index < items.length;
}

/**
 * A new block of a kind, empty: story slots fill automatically until an editor
 * pins something. A section block needs a section to show (null when the site
 * has none), and a banner starts without text, which the editor then writes.
 */
export function newBlock(kind: BlockKind, sectionId: number | null): FrontBlock | null {
  switch (kind) {
    case 'lead':
    case 'secondary':
    case 'row':
      return { kind, heading: '', slots: Array.from({ length: NEW_SLOTS[kind] }, () => null) };
    case 'latest':
    case 'most-read':
      return { kind, heading: '', count: NEW_COUNT[kind] };
    case 'section':
      return sectionId === null ? null : { kind, heading: '', sectionId, count: NEW_COUNT.section };
    case 'banner':
      return { kind, tone: 'notice', text: '', url: '' };
  }
}

/** Whether the front has room for another block. */
export function canAddBlock(layout: FrontLayout): boolean {
  return layout.blocks.length < MAX_BLOCKS;
}

/** The layout with `block` at the bottom (unchanged when the front is full). */
export function addBlock(layout: FrontLayout, block: FrontBlock): FrontLayout {
  return canAddBlock(layout) ? { blocks: [...layout.blocks, block] } : layout;
}

export function removeBlock(layout: FrontLayout, index: number): FrontLayout {
  return { blocks: removeAt(layout.blocks, index) };
}

export function moveBlock(layout: FrontLayout, from: number, to: number): FrontLayout {
  return { blocks: moveItem(layout.blocks, from, to) };
}

/** The layout with the block at `index` replaced (its heading, count, section, banner text…). */
export function replaceBlock(layout: FrontLayout, index: number, block: FrontBlock): FrontLayout {
  if (!inRange(layout.blocks, index)) return layout;
  return { blocks: layout.blocks.map((old, at) => (at === index ? block : old)) };
}

export function canAddSlot(block: StoryBlock): boolean {
  return block.slots.length < STORY_BLOCKS[block.kind].max;
}

export function canRemoveSlot(block: StoryBlock): boolean {
  return block.slots.length > STORY_BLOCKS[block.kind].min;
}

/** The story block at `index`, or undefined when there is none there. */
function storyBlockAt(layout: FrontLayout, index: number): StoryBlock | undefined {
  const block = layout.blocks[index];
  return block && isStoryBlock(block) ? block : undefined;
}

function withSlots(layout: FrontLayout, index: number, slots: (number | null)[]): FrontLayout {
  const block = storyBlockAt(layout, index);
  return block ? replaceBlock(layout, index, { ...block, slots }) : layout;
}

/** The layout with one more automatic slot at the end of a story block (up to its maximum). */
export function addSlot(layout: FrontLayout, blockIndex: number): FrontLayout {
  const block = storyBlockAt(layout, blockIndex);
  if (!block || !canAddSlot(block)) return layout;
  return withSlots(layout, blockIndex, [...block.slots, null]);
}

/** The layout without one slot (down to the block's minimum). */
export function removeSlot(layout: FrontLayout, at: SlotAddress): FrontLayout {
  const block = storyBlockAt(layout, at.block);
  if (!block || !canRemoveSlot(block) || !inRange(block.slots, at.slot)) return layout;
  return withSlots(layout, at.block, removeAt(block.slots, at.slot));
}

/** The layout with a slot moved within its block (the slots between shift by one). */
export function moveSlot(
  layout: FrontLayout,
  blockIndex: number,
  from: number,
  to: number,
): FrontLayout {
  const block = storyBlockAt(layout, blockIndex);
  if (!block) return layout;
  return withSlots(layout, blockIndex, moveItem(block.slots, from, to));
}

/** What a slot holds: an article id, null for automatic, undefined for no such slot. */
export function slotAt(layout: FrontLayout, at: SlotAddress): number | null | undefined {
  const block = storyBlockAt(layout, at.block);
  return block && inRange(block.slots, at.slot) ? block.slots[at.slot] : undefined;
}

/**
 * The layout with what two slots hold exchanged, in one block or in two (a
 * story dragged onto another): pinned or automatic, each takes the other's place.
 */
export function swapSlots(layout: FrontLayout, a: SlotAddress, b: SlotAddress): FrontLayout {
  const first = slotAt(layout, a);
  const second = slotAt(layout, b);
  if (first === undefined || second === undefined) return layout;
  return setSlot(setSlot(layout, a, second), b, first);
}

function setSlot(layout: FrontLayout, at: SlotAddress, value: number | null): FrontLayout {
  const block = storyBlockAt(layout, at.block);
  if (!block || !inRange(block.slots, at.slot)) return layout;
  return withSlots(
    layout,
    at.block,
    block.slots.map((old, index) => (index === at.slot ? value : old)),
  );
}

/**
 * The layout with an article pinned into a slot. An article shows once on a
 * front, so pinning one that is already pinned elsewhere moves it: its old
 * slot becomes automatic. `movedFrom` says where it was, for the screen to tell.
 */
export function pinArticle(
  layout: FrontLayout,
  at: SlotAddress,
  articleId: number,
): { layout: FrontLayout; movedFrom: SlotAddress | null } {
  if (slotAt(layout, at) === undefined) return { layout, movedFrom: null };
  let movedFrom: SlotAddress | null = null;
  let result = layout;
  layout.blocks.forEach((block, blockIndex) => {
    if (!isStoryBlock(block)) return;
    block.slots.forEach((id, slot) => {
      if (id !== articleId || (blockIndex === at.block && slot === at.slot)) return;
      movedFrom ??= { block: blockIndex, slot };
      result = setSlot(result, { block: blockIndex, slot }, null);
    });
  });
  return { layout: setSlot(result, at, articleId), movedFrom };
}

/** The layout with a slot made automatic again. */
export function unpinSlot(layout: FrontLayout, at: SlotAddress): FrontLayout {
  return setSlot(layout, at, null);
}

/** Whether two arrangements are the same (nothing to save). */
export function isSameLayout(a: FrontLayout, b: FrontLayout): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether a save's answer may replace the draft on screen: only when the editor
 * has not changed the arrangement since it was sent (a change and its undo
 * count as none). Otherwise the draft stays, still unsaved, and the screen
 * takes only the saved front's version from the answer.
 */
export function isDraftAsSent(sent: FrontLayout, onScreen: FrontLayout | null): boolean {
  return onScreen !== null && (onScreen === sent || isSameLayout(onScreen, sent));
}

/**
 * A front's address, the same in the admin API and in the screen's hash route:
 * "/fronts/en" for the home page, "/fronts/en/news/politics" for a section.
 */
export function frontPath(language: string, path: string): string {
  const parts = [language, ...path.split('/').filter(Boolean)];
  return `/fronts/${parts.map(encodeURIComponent).join('/')}`;
}

/** Which front a route names (the parts after "fronts"), or null when it names none. */
export function frontOfRoute(parts: readonly string[]): { language: string; path: string } | null {
  const [language, ...rest] = parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  if (!language) return null;
  return { language, path: rest.join('/') };
}

/**
 * Which block a 400's field path points at ("layout.blocks.2.text",
 * "blocks[2].url"), so the screen can show the error on that block's card.
 */
export function blockIndexOfField(field: string | undefined): number | null {
  const match = field?.match(/blocks(?:\.|\[)(\d+)/);
  return match?.[1] === undefined ? null : Number(match[1]);
}

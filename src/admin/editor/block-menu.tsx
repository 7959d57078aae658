import { type ReactNode, useEffect, useRef } from 'react';
import { countOf } from '../plural.js';

/** A block the `/` menu and the `+` button insert; the toolbar shows the same ones. */
export type Block = { name: string; keywords: string; run: () => void };

/** The blocks whose name or keywords start with what was typed after the `/`. */
export function matchingBlocks(blocks: Block[], query: string): Block[] {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') return blocks;
  return blocks.filter((block) =>
    `${block.name} ${block.keywords}`
      .toLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(wanted)),
  );
}

/** The id of the menu's option at `index`, for `aria-activedescendant`. */
export function blockOptionId(menuId: string, index: number): string {
  return `${menuId}-option-${index}`;
}

/** What the menu's live region says: how many blocks match, and how to pick one. */
export function blockCountText(count: number): string {
  if (count === 0) return 'No block by that name.';
  return `${countOf(count, { one: 'block matches', other: 'blocks match' })}: up and down arrows to choose, Enter to insert.`;
}

/**
 * The list of blocks under the cursor, a listbox (the ARIA combobox pattern).
 * Opened by typing `/`, the focus stays in the text: the editor reads the
 * arrows and Enter and points at the active block with aria-activedescendant.
 * Opened by the `+` button, the list takes the focus and reads the keys itself.
 */
export function BlockMenu({
  id,
  blocks,
  activeIndex,
  position,
  takesFocus,
  onActiveChange,
  onChoose,
  onClose,
  onLeave = onClose,
}: {
  /** The listbox's id, named by the text's aria-controls. */
  id: string;
  blocks: Block[];
  activeIndex: number;
  position: { top: number; left: number };
  takesFocus: boolean;
  onActiveChange: (index: number) => void;
  onChoose: (block: Block) => void;
  /** Escape. */
  onClose: () => void;
  /** The focus went elsewhere (Tab) from a menu that had it. */
  onLeave?: () => void;
}): ReactNode {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takesFocus) list.current?.focus();
  }, [takesFocus]);
  // The active block stays in sight in a list that scrolls.
  useEffect(() => {
    document.getElementById(blockOptionId(id, activeIndex))?.scrollIntoView({ block: 'nearest' });
  }, [id, activeIndex]);
  const move = (to: number) => {
    if (blocks.length > 0) onActiveChange((to + blocks.length) % blocks.length);
  };
  const hasActive = activeIndex >= 0 && activeIndex < blocks.length;
  return (
    <div className="block-menu" style={{ top: position.top, left: position.left }}>
      <div
        ref={list}
        id={id}
        role="listbox"
        aria-label="Insert a block"
        // Focused only when the `+` opened it; with `/` the text keeps the focus.
        tabIndex={takesFocus ? 0 : -1}
        aria-activedescendant={takesFocus && hasActive ? blockOptionId(id, activeIndex) : undefined}
        onKeyDown={(event) => {
          const block = blocks[activeIndex];
          if (event.key === 'ArrowDown') move(activeIndex + 1);
          else if (event.key === 'ArrowUp') move(activeIndex - 1);
          else if (event.key === 'Home') move(0);
          else if (event.key === 'End') move(blocks.length - 1);
          else if ((event.key === 'Enter' || event.key === ' ') && block) onChoose(block);
          else if (event.key === 'Escape') onClose();
          else return;
          event.preventDefault();
        }}
        onBlur={(event) => {
          // Tabbing away from the `+` menu closes it, as a click elsewhere does.
          if (takesFocus && !event.currentTarget.contains(event.relatedTarget)) onLeave();
        }}
        // The text keeps its cursor: a click here must not take it away first.
        onMouseDown={(event) => event.preventDefault()}
        onClick={(event) => {
          const option = (event.target as Element).closest('[role="option"]');
          const block = blocks[Number(option?.getAttribute('data-index'))];
          if (option && block) onChoose(block);
        }}
      >
        {blocks.map((block, index) => (
          <div
            key={block.name}
            id={blockOptionId(id, index)}
            role="option"
            aria-selected={index === activeIndex}
            data-index={index}
            className="block-choice"
            // Pointed at, not focused: the focus stays in the text or on the list.
            tabIndex={-1}
          >
            {block.name}
          </div>
        ))}
      </div>
      {blocks.length === 0 ? <p className="hint">No block by that name</p> : null}
    </div>
  );
}

import { type ReactNode, useEffect, useRef } from 'react';

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

/**
 * The list of blocks under the cursor. Opened by typing `/`, the focus stays
 * in the text (arrows and Enter are read by the editor); opened by the `+`
 * button, the focus moves to the first block and Escape closes it.
 */
export function BlockMenu({
  blocks,
  activeIndex,
  position,
  takesFocus,
  onChoose,
  onClose,
}: {
  blocks: Block[];
  activeIndex: number;
  position: { top: number; left: number };
  takesFocus: boolean;
  onChoose: (block: Block) => void;
  onClose: () => void;
}): ReactNode {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (takesFocus) list.current?.querySelector('button')?.focus();
  }, [takesFocus]);
  return (
    <ul
      ref={list}
      className="block-menu"
      aria-label="Insert a block"
      style={{ top: position.top, left: position.left }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      {blocks.length === 0 ? <li className="hint">No block by that name</li> : null}
      {blocks.map((block, index) => (
        <li key={block.name}>
          <button
            type="button"
            className="block-choice"
            aria-current={index === activeIndex ? 'true' : undefined}
            // The text keeps its cursor: a click here must not take it away first.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onChoose(block)}
          >
            {block.name}
          </button>
        </li>
      ))}
    </ul>
  );
}

import { Extension } from '@tiptap/core';
import { yCursorPlugin } from '@tiptap/y-tiptap';
import type { Awareness } from 'y-protocols/awareness';

// The others' carets and selections in the shared text, each in the person's
// colour with their name. By class rather than inline style: the admin's CSP
// allows no style attributes (the colours are in admin.css).

type CaretUser = { name?: unknown; colour?: unknown };

function colourClass(user: CaretUser): string {
  return `person-colour-${Number(user.colour) || 0}`;
}

export const SharedCarets = Extension.create<{ awareness: Awareness | null }>({
  name: 'sharedCarets',
  addOptions() {
    return { awareness: null };
  },
  addProseMirrorPlugins() {
    const awareness = this.options.awareness;
    if (!awareness) return [];
    return [
      yCursorPlugin(
        awareness,
        {
          cursorBuilder: (user: CaretUser) => {
            const caret = document.createElement('span');
            caret.className = `shared-caret ${colourClass(user)}`;
            const name = document.createElement('span');
            name.className = 'shared-caret-name';
            name.textContent = String(user.name ?? '');
            // Word joiners keep the caret from breaking the line it sits in.
            caret.append('\u2060', name, '\u2060');
            return caret;
          },
          selectionBuilder: (user: CaretUser) => ({
            class: `shared-selection ${colourClass(user)}`,
          }),
        },
        // The awareness field the caret's position travels in (beside `user` and `field`).
        'cursor',
      ),
    ];
  },
});

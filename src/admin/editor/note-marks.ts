import { type Editor, Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { TextAnchor } from '../../core/notes.js';

// Notes' passages in the shared text: each open thread's words are marked
// (they move with the text: the anchors are Yjs relative positions), and a
// click on them opens the thread. A selection becomes a new note's anchor.

export type MarkedNote = { id: number; anchor: TextAnchor };

const key = new PluginKey('noteMarks');

/** The Yjs side of the editor, when it edits a shared text. */
function syncState(state: Editor['state']) {
  const sync = ySyncPluginKey.getState(state) as
    | {
        doc: Y.Doc;
        type: Y.XmlFragment;
        binding: { mapping: Parameters<typeof relativePositionToAbsolutePosition>[3] } | null;
      }
    | undefined;
  return sync?.binding ? { doc: sync.doc, type: sync.type, mapping: sync.binding.mapping } : null;
}

export const NoteMarks = Extension.create<{
  notes: () => MarkedNote[];
  onOpen: (id: number) => void;
}>({
  name: 'noteMarks',
  addOptions() {
    return { notes: () => [], onOpen: () => {} };
  },
  addProseMirrorPlugins() {
    const { notes, onOpen } = this.options;
    return [
      new Plugin({
        key,
        props: {
          decorations: (state) => {
            const sync = syncState(state);
            if (!sync) return null;
            const at = (json: unknown) => {
              try {
                return relativePositionToAbsolutePosition(
                  sync.doc,
                  sync.type,
                  Y.createRelativePositionFromJSON(json),
                  sync.mapping,
                );
              } catch {
                return null;
              }
            };
            const marks: Decoration[] = [];
            for (const note of notes()) {
              const from = at(note.anchor.start);
              const to = at(note.anchor.end);
              if (from !== null && to !== null && to > from)
                marks.push(
                  Decoration.inline(from, to, { class: 'note-mark', 'data-note': String(note.id) }),
                );
            }
            return DecorationSet.create(state.doc, marks);
          },
          handleClick: (_view, _pos, event) => {
            const mark =
              event.target instanceof Element ? event.target.closest('[data-note]') : null;
            if (mark) onOpen(Number(mark.getAttribute('data-note')));
            return false;
          },
        },
      }),
    ];
  },
});

/** Draws the marks again: the notes (named by `which`, their ids) changed. */
export function redrawNoteMarks(editor: Editor, which: string): void {
  if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(key, which));
}

/** The words selected in the shared text as a note's anchor and quote, or null (nothing selected). */
export function selectedPassage(editor: Editor): { anchor: TextAnchor; quote: string } | null {
  const { from, to, empty } = editor.state.selection;
  const sync = syncState(editor.state);
  if (empty || !sync) return null;
  const relative = (pos: number) =>
    Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, sync.type, sync.mapping));
  return {
    anchor: { start: relative(from), end: relative(to) },
    quote: editor.state.doc.textBetween(from, to, ' ', ' ').slice(0, 2000),
  };
}

import { type DOMOutputSpec, DOMSerializer, type Schema } from '@tiptap/pm/model';

// A photo or gallery copied out of the editor carries its library id and its
// caption for this article as data-* attributes, so a cut and paste keeps it.
// Any web page can write such attributes too, and one hidden in a copied
// paragraph would put a library photo, with a caption of the page's choosing,
// into the article. So the editor marks the photos it copies with a secret of
// this browser, and a paste keeps only photos that carry it.

const STORAGE_KEY = 'masthead.clipboard-mark';
/** The attribute a copied photo or gallery carries its mark in. */
export const CLIPBOARD_MARK_ATTRIBUTE = 'data-masthead-clip';
const MARKED_NODES = ['image', 'gallery'];

let unsaved: string | null = null;

/**
 * This browser's mark: random, kept in localStorage so that copying from one
 * of the newsroom's tabs into another works, and unknown to other sites
 * (another origin cannot read this origin's storage).
 */
export function clipboardMark(): string {
  try {
    const kept = localStorage.getItem(STORAGE_KEY);
    if (kept) return kept;
    const made = newMark();
    localStorage.setItem(STORAGE_KEY, made);
    return made;
  } catch {
    // Storage refused (a private window's policy): a mark for this page alone.
    unsaved ??= newMark();
    return unsaved;
  }
}

function newMark(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The schema's own clipboard HTML, with `mark` on every photo and gallery. */
export function markingClipboardSerializer(schema: Schema, mark: string): DOMSerializer {
  const base = DOMSerializer.fromSchema(schema);
  const nodes = { ...base.nodes };
  for (const name of MARKED_NODES) {
    const render = base.nodes[name];
    if (!render) continue;
    nodes[name] = (node) => withMark(render(node), mark);
  }
  return new DOMSerializer(nodes, base.marks);
}

function withMark(spec: DOMOutputSpec, mark: string): DOMOutputSpec {
  if (!Array.isArray(spec)) return spec;
  const [tag, attrs, ...children] = spec as [string, unknown, ...unknown[]];
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) return spec;
  return [tag, { ...attrs, [CLIPBOARD_MARK_ATTRIBUTE]: mark }, ...children] as DOMOutputSpec;
}

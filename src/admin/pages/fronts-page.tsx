import {
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
  type SyntheticEvent,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import {
  type FilledBlock,
  type FrontBlock,
  type FrontLayout,
  type FrontStory,
  isStoryBlock,
  MAX_BLOCKS,
  MODULE_MAX,
  type StoryBlock,
} from '../../core/fronts.js';
import {
  ApiFailure,
  type Article,
  api,
  apiText,
  messageOf,
  type Section,
  sectionLabel,
} from '../api.js';
import { navigate, setLeaveWarning } from '../app.js';
import { formatDateTime, formatDay } from '../dates.js';
import { focusFirst } from '../focus-first.js';
import {
  addBlock,
  addSlot,
  BLOCK_KIND_LABELS,
  BLOCK_KINDS,
  type BlockKind,
  blockIndexOfField,
  blockLabel,
  canAddBlock,
  canAddSlot,
  canRemoveSlot,
  frontOfRoute,
  frontPath,
  isDraftAsSent,
  isSameLayout,
  moveBlock,
  moveItem,
  moveSlot,
  newBlock,
  pinArticle,
  removeAt,
  removeBlock,
  removeSlot,
  replaceBlock,
  type SlotAddress,
  swapSlots,
  unpinSlot,
} from '../front-layout-edit.js';
import { languageName } from '../languages.js';
import { countOf } from '../plural.js';
import { PREVIEW_WIDTHS, type PreviewWidth, PreviewWidths } from '../preview-widths.js';
import { useLoad } from '../use-load.js';
import { useModal } from '../use-modal.js';

// The home page and each section's page, one per language, as editors arrange
// them (policy: front.manage). Nothing reaches readers until Save, and then at
// once. The arrangement's edits are the pure functions of front-layout-edit.ts;
// this screen shows them, asks the server what fills the automatic slots
// (POST /api/front-fill) and previews the reader page (POST /api/front-preview).

type FrontSummary = {
  language: string;
  path: string;
  title: string;
  isArranged: boolean;
  updatedAt: string | null;
};

type FrontState = {
  language: string;
  path: string;
  title: string;
  url: string;
  version: number;
  updatedAt: string | null;
  isArranged: boolean;
  layout: FrontLayout;
  defaultLayout: FrontLayout;
  filled: FilledBlock[];
};

type ArticleHit = Pick<Article, 'id' | 'title' | 'language' | 'section' | 'publishedAt'>;

/** The layout on screen, with a key for each block that follows it through moves (React keys, focus). */
type Draft = { layout: FrontLayout; keys: number[] };

/** What the server said fills the blocks, for the layout (and its keys) it was asked about. */
type Fill = Draft & { blocks: FilledBlock[] };

/** What is being dragged: a block (by key) or a slot (by its block's key and its place). */
type Dragging = { type: 'block'; key: number } | { type: 'slot'; key: number; slot: number };

/** Pauses after an edit before asking what fills the slots, so a run of clicks asks once. */
const FILL_DELAY_MS = 300;
/** Pauses after typing in a pin field before searching. */
const SEARCH_DELAY_MS = 250;
const LEAVE_WARNING = 'This front has changes that are not saved. Leave without saving them?';

/** The Front pages screen: the picker of fronts, and the chosen front's arrangement. */
export function FrontsPage({ route }: { route: string[] }): ReactNode {
  const fronts = useLoad(() => api<{ fronts: FrontSummary[] }>('GET', '/fronts'), 'fronts');
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const [isDirty, setIsDirty] = useState(false);
  const list = fronts.data?.fronts ?? [];
  const first = list[0];
  // "#/fronts" alone shows the first front the server lists (the home page).
  const chosen =
    frontOfRoute(route) ?? (first ? { language: first.language, path: first.path } : null);
  const allSections = sections.data?.sections ?? [];

  const go = (language: string, path: string) => {
    if (isDirty && !window.confirm(LEAVE_WARNING)) return;
    navigate(frontPath(language, path));
  };
  const nameOfPath = (path: string) =>
    path === '' ? 'Home' : allSections.length > 0 ? sectionLabel(path, allSections) : path;
  // One entry per front, whatever its languages; a front named by the route but not
  // listed (yet) is offered too, so the pickers always show what is on screen.
  const paths = [
    ...new Set([...list.map((front) => front.path), ...(chosen ? [chosen.path] : [])]),
  ];
  const languages = chosen
    ? [
        ...new Set([
          ...list.filter((front) => front.path === chosen.path).map((front) => front.language),
          chosen.language,
        ]),
      ]
    : [];

  return (
    <>
      <h1 tabIndex={-1}>Front pages</h1>
      <p className="hint">
        Arrange the home page and each section’s page, one per language: pin stories into slots,
        order the blocks, add lists and banners. Empty slots fill themselves with the newest
        articles. Nothing changes on the site until you save, and then it changes at once.
      </p>
      {fronts.error ? <p role="alert">{fronts.error}</p> : null}
      {sections.error ? <p role="alert">{sections.error}</p> : null}
      {chosen ? (
        <>
          <div className="front-picker">
            <label className="front-picker-field">
              Front
              <select
                value={chosen.path}
                onChange={(event) => {
                  const path = event.target.value;
                  const has = list.some(
                    (front) => front.path === path && front.language === chosen.language,
                  );
                  const language = has
                    ? chosen.language
                    : (list.find((front) => front.path === path)?.language ?? chosen.language);
                  go(language, path);
                }}
              >
                {paths.map((path) => (
                  <option key={path} value={path}>
                    {nameOfPath(path)}
                  </option>
                ))}
              </select>
            </label>
            <label className="front-picker-field">
              Language
              <select
                value={chosen.language}
                onChange={(event) => go(event.target.value, chosen.path)}
              >
                {languages.map((language) => {
                  const summary = list.find(
                    (front) => front.path === chosen.path && front.language === language,
                  );
                  return (
                    <option key={language} value={language}>
                      {`${languageName(language)}${summary && !summary.isArranged ? ' (automatic)' : ''}`}
                    </option>
                  );
                })}
              </select>
            </label>
          </div>
          <FrontEditor
            key={`${chosen.language}/${chosen.path}`}
            language={chosen.language}
            path={chosen.path}
            sections={allSections}
            onSaved={fronts.reload}
            onDirtyChange={setIsDirty}
          />
        </>
      ) : fronts.data ? (
        <p className="list-empty">There is no front to arrange yet.</p>
      ) : fronts.error ? null : (
        <p className="loading">Loading…</p>
      )}
    </>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** What went wrong, and which block it is about when the server named a field of one (a 400). */
type Problem = { message: string; block: number | null; detail: string };

function problemOf(failure: unknown): Problem {
  const message = messageOf(failure);
  const field = failure instanceof ApiFailure ? failure.error.field : undefined;
  const block =
    failure instanceof ApiFailure && failure.status === 400 ? blockIndexOfField(field) : null;
  // A field's path ("layout.blocks.2.text: …") means nothing to an editor: on the block's
  // own card the words alone, elsewhere the block's number as the card shows it.
  if (!field || !message.startsWith(`${field}: `)) return { message, block, detail: message };
  const detail = message.slice(field.length + 2);
  return { message: block === null ? detail : `block ${block + 1}: ${detail}`, block, detail };
}

/** Who saved the front meanwhile and when, from a version_conflict's `current`, when it says. */
function conflictOf(failure: ApiFailure): { by: string | null; at: string | null } {
  const current = failure.error.current;
  const text = (key: string) =>
    isRecord(current) && typeof current[key] === 'string' ? (current[key] as string) : null;
  return {
    by: text('updatedBy') ?? text('updatedByName') ?? text('userName'),
    at: text('updatedAt'),
  };
}

/** A story block's filled slots, when `filled` is one for `block` (a kind that moved away is not). */
function filledSlots(block: FrontBlock, filled: FilledBlock | undefined) {
  return filled && 'slots' in filled && filled.kind === block.kind ? filled.slots : undefined;
}

function filledStories(block: FrontBlock, filled: FilledBlock | undefined) {
  return filled && 'stories' in filled && filled.kind === block.kind ? filled.stories : undefined;
}

function FrontEditor({
  language,
  path,
  sections,
  onSaved,
  onDirtyChange,
}: {
  language: string;
  path: string;
  sections: Section[];
  onSaved: () => void;
  onDirtyChange: (isDirty: boolean) => void;
}): ReactNode {
  const [front, setFront] = useState<FrontState | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [fill, setFill] = useState<Fill | null>(null);
  const [fillProblem, setFillProblem] = useState<Problem | null>(null);
  const [loadProblem, setLoadProblem] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [conflict, setConflict] = useState<ReturnType<typeof conflictOf> | null>(null);
  const [status, setStatus] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [isSaving, setIsSaving] = useState(false);
  const [isPreviewOpen, setIsPreviewOpen] = useState(false);
  const [addKind, setAddKind] = useState<BlockKind>('row');
  // Headlines of articles an editor pinned here, which the next fill may not name yet.
  const [picked, setPicked] = useState<ReadonlyMap<number, string>>(new Map());
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const dragging = useRef<Dragging | null>(null);
  const lastKey = useRef(0);
  const fillRequest = useRef(0);
  // After a move or a removal the cards re-render: the keyboard goes to the first of these that is there.
  const pendingFocus = useRef<string[]>([]);
  const baseId = useId();
  const headingId = `${baseId}-heading`;
  const addSelectId = `${baseId}-add`;

  const freshKeys = useCallback(
    (count: number) => Array.from({ length: count }, () => ++lastKey.current),
    [],
  );

  const adopt = useCallback(
    (state: FrontState, keepKeys?: number[]) => {
      const keys =
        keepKeys && keepKeys.length === state.layout.blocks.length
          ? keepKeys
          : freshKeys(state.layout.blocks.length);
      fillRequest.current++;
      setFront(state);
      setDraft({ layout: state.layout, keys });
      setFill({ layout: state.layout, keys, blocks: state.filled });
      setFillProblem(null);
    },
    [freshKeys],
  );

  const load = useCallback(async () => {
    try {
      adopt(await api<FrontState>('GET', frontPath(language, path)));
      setLoadProblem('');
      setConflict(null);
      setProblem(null);
    } catch (failure) {
      setLoadProblem(messageOf(failure));
    }
  }, [adopt, language, path]);
  useEffect(() => void load(), [load]);

  // A moment after each edit, ask what the automatic slots now get; an answer
  // to an older layout than the latest asked about is dropped.
  useEffect(() => {
    if (!draft || !fill || draft.layout === fill.layout) return;
    const asked = draft;
    const request = ++fillRequest.current;
    const timer = window.setTimeout(() => {
      api<{ filled: FilledBlock[] }>('POST', '/front-fill', {
        language,
        path,
        layout: asked.layout,
      }).then(
        (answer) => {
          if (request !== fillRequest.current) return;
          setFill({ ...asked, blocks: answer.filled });
          setFillProblem(null);
        },
        (failure: unknown) => {
          if (request === fillRequest.current) setFillProblem(problemOf(failure));
        },
      );
    }, FILL_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draft, fill, language, path]);

  const isDirty = front !== null && draft !== null && !isSameLayout(draft.layout, front.layout);
  // The draft on screen now, for a save's answer that arrives after further edits.
  const draftOnScreen = useRef(draft);
  draftOnScreen.current = draft;

  // Leaving with changes that are not saved asks first: links in the app, and closing the tab.
  useEffect(() => {
    onDirtyChange(isDirty);
    setLeaveWarning(isDirty ? LEAVE_WARNING : null);
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (isDirty) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      setLeaveWarning(null);
      onDirtyChange(false);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [isDirty, onDirtyChange]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the draft on screen changed, so the cards did
  useLayoutEffect(() => {
    const ids = pendingFocus.current;
    if (ids.length === 0) return;
    pendingFocus.current = [];
    focusFirst(ids);
  }, [draft]);

  if (!front || !draft || !fill) {
    return loadProblem ? (
      <p className="form-error" role="alert">
        {loadProblem}
      </p>
    ) : (
      <p className="loading">Loading…</p>
    );
  }

  const { layout, keys } = draft;
  const sectionName = (id: number) => {
    const section = sections.find((candidate) => candidate.id === id);
    return section ? sectionLabel(section.path, sections) : undefined;
  };
  const labelOf = (index: number) => {
    const block = layout.blocks[index];
    return block ? blockLabel(block, sectionName) : '';
  };
  const slotName = (at: SlotAddress) => `slot ${at.slot + 1} of ${labelOf(at.block)}`;
  const slotTitle = (at: SlotAddress) => `Slot ${at.slot + 1} of ${labelOf(at.block)}`;
  const blockButtonId = (key: number, what: string) => `${baseId}-block-${key}-${what}`;
  const slotButtonId = (key: number, slot: number, what: string) =>
    `${baseId}-slot-${key}-${slot}-${what}`;
  const isFillCurrent = fill.layout === layout;
  const filledFor = (index: number): FilledBlock | undefined => {
    const at = fill.keys.indexOf(keys[index] ?? -1);
    return at < 0 ? undefined : fill.blocks[at];
  };
  const titles = new Map<number, string>(picked);
  for (const blocks of [front.filled, fill.blocks]) {
    for (const filled of blocks) {
      const stories = 'slots' in filled ? filled.slots : 'stories' in filled ? filled.stories : [];
      for (const story of stories) if (story) titles.set(story.articleId, story.title);
    }
  }

  const change = (next: FrontLayout, nextKeys: number[], said: string, focus: string[] = []) => {
    setDraft({ layout: next, keys: nextKeys });
    setStatus('');
    // The same words twice in a row would not be read again: a trailing space makes them new.
    setAnnouncement((old) => (old === said ? `${said}\u00a0` : said));
    pendingFocus.current = focus;
  };
  const edit = (index: number, block: FrontBlock) => {
    setDraft({ layout: replaceBlock(layout, index, block), keys });
    setStatus('');
  };

  const moveBlockTo = (from: number, to: number, byKeyboard: boolean) => {
    const key = keys[from];
    if (key === undefined || to < 0 || to >= layout.blocks.length || from === to) return;
    const direction = to < from ? 'up' : 'down';
    const other = to < from ? 'down' : 'up';
    change(
      moveBlock(layout, from, to),
      moveItem(keys, from, to),
      `${labelOf(from)} moved ${direction}, to place ${to + 1} of ${layout.blocks.length}.`,
      byKeyboard ? [blockButtonId(key, direction), blockButtonId(key, other)] : [],
    );
  };
  const remove = (index: number) => {
    const after = keys[index + 1] ?? keys[index - 1];
    change(
      removeBlock(layout, index),
      removeAt(keys, index),
      `${labelOf(index)} removed. Nothing changes on the site until you save.`,
      [...(after === undefined ? [] : [`${baseId}-card-${after}`]), addSelectId],
    );
  };
  const add = () => {
    const firstSection = sections[0]?.id ?? null;
    const block = newBlock(addKind, firstSection);
    if (!block || !canAddBlock(layout)) return;
    const key = freshKeys(1)[0] ?? 0;
    change(
      addBlock(layout, block),
      [...keys, key],
      `${blockLabel(block, sectionName)} added at the bottom, place ${layout.blocks.length + 1}.`,
      [`${baseId}-card-${key}`],
    );
  };
  const moveSlotTo = (blockIndex: number, from: number, to: number) => {
    const key = keys[blockIndex];
    if (key === undefined || from === to) return;
    const direction = to < from ? 'up' : 'down';
    const other = to < from ? 'down' : 'up';
    change(
      moveSlot(layout, blockIndex, from, to),
      keys,
      `Slot ${from + 1} of ${labelOf(blockIndex)} moved ${direction}, to slot ${to + 1}.`,
      [slotButtonId(key, to, direction), slotButtonId(key, to, other)],
    );
  };
  const swap = (a: SlotAddress, b: SlotAddress) => {
    if (a.block === b.block && a.slot === b.slot) return;
    change(swapSlots(layout, a, b), keys, `Swapped ${slotName(a)} with ${slotName(b)}.`);
  };
  const pin = (at: SlotAddress, hit: ArticleHit) => {
    const { layout: next, movedFrom } = pinArticle(layout, at, hit.id);
    setPicked((old) => new Map(old).set(hit.id, hit.title));
    change(
      next,
      keys,
      movedFrom
        ? `“${hit.title}” moved from ${slotName(movedFrom)} to ${slotName(at)}.`
        : `“${hit.title}” pinned in ${slotName(at)}.`,
    );
  };
  const unpin = (at: SlotAddress) => {
    const key = keys[at.block] ?? 0;
    change(unpinSlot(layout, at), keys, `${slotTitle(at)} unpinned: it fills automatically.`, [
      slotButtonId(key, at.slot, 'search'),
    ]);
  };
  const addSlotTo = (blockIndex: number) => {
    const block = layout.blocks[blockIndex];
    const key = keys[blockIndex] ?? 0;
    if (!block || !isStoryBlock(block)) return;
    change(
      addSlot(layout, blockIndex),
      keys,
      `Slot ${block.slots.length + 1} added to ${labelOf(blockIndex)}; it fills automatically.`,
      [slotButtonId(key, block.slots.length, 'search')],
    );
  };
  const removeSlotAt = (at: SlotAddress) => {
    const key = keys[at.block] ?? 0;
    change(removeSlot(layout, at), keys, `${slotTitle(at)} removed.`, [
      `${baseId}-add-slot-${key}`,
      `${baseId}-card-${key}`,
    ]);
  };

  const save = async () => {
    if (isSaving) return;
    if (!isDirty) {
      setStatus('Nothing to save: the front is as it was last saved.');
      return;
    }
    setIsSaving(true);
    setProblem(null);
    setStatus('');
    try {
      const saved = await api<FrontState>('PUT', frontPath(language, path), {
        layout,
        version: front.version,
      });
      setConflict(null);
      if (isDraftAsSent(layout, draftOnScreen.current?.layout ?? null)) {
        adopt(saved, keys);
        setStatus('Saved — live on the site now.');
      } else {
        // Changed while the save was on its way: the site has what was sent, the
        // screen keeps the newer draft (still unsaved) against the new version.
        setFront(saved);
        setStatus(
          'Saved what you had when you pressed Save; your later changes are not saved yet.',
        );
      }
      onSaved();
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.error.code === 'version_conflict') {
        setConflict(conflictOf(failure));
        // When the error does not say when they saved, the front as it is now does.
        api<FrontState>('GET', frontPath(language, path)).then(
          (theirs) => setConflict((old) => old && { ...old, at: old.at ?? theirs.updatedAt }),
          () => undefined,
        );
      } else {
        setProblem(problemOf(failure));
      }
    } finally {
      setIsSaving(false);
    }
  };
  const resetToAutomatic = () =>
    change(
      front.defaultLayout,
      freshKeys(front.defaultLayout.blocks.length),
      'The automatic arrangement is back on screen. Save to put it on the site.',
      // The button is disabled now: the keyboard goes to the front's heading, not to nowhere.
      [headingId],
    );
  const discard = () =>
    change(
      front.layout,
      freshKeys(front.layout.blocks.length),
      'Your changes are undone: the front is as it was last saved.',
      [headingId],
    );

  // Native drag and drop; the buttons on each card and slot do the same from the keyboard.
  const startDrag = (event: DragEvent, what: Dragging, image: string) => {
    dragging.current = what;
    event.dataTransfer.effectAllowed = 'move';
    // Firefox starts a drag only with some data set.
    event.dataTransfer.setData('text/plain', what.type);
    const card = document.getElementById(image);
    if (card) event.dataTransfer.setDragImage(card, 16, 16);
  };
  const endDrag = () => {
    dragging.current = null;
    setDropTarget(null);
  };
  const overBlock = (event: DragEvent, key: number) => {
    if (dragging.current?.type !== 'block') return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setDropTarget(`block-${key}`);
  };
  const dropOnBlock = (event: DragEvent, index: number) => {
    const source = dragging.current;
    if (source?.type !== 'block') return;
    event.preventDefault();
    endDrag();
    moveBlockTo(keys.indexOf(source.key), index, false);
  };
  const overSlot = (event: DragEvent, key: number, slot: number) => {
    if (dragging.current?.type !== 'slot') return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'move';
    setDropTarget(`slot-${key}-${slot}`);
  };
  const dropOnSlot = (event: DragEvent, at: SlotAddress) => {
    const source = dragging.current;
    if (source?.type !== 'slot') return;
    event.preventDefault();
    event.stopPropagation();
    endDrag();
    swap({ block: keys.indexOf(source.key), slot: source.slot }, at);
  };
  const leave = (event: DragEvent) => {
    // Only leaving the target itself, not moving onto one of its children.
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropTarget(null);
  };

  const renderSlots = (block: StoryBlock, index: number, key: number): ReactNode => {
    const filled = filledSlots(block, filledFor(index));
    return (
      <>
        <ol className="front-slots">
          {block.slots.map((id, slot) => {
            const at = { block: index, slot };
            const story: FrontStory | null | undefined = filled?.[slot];
            const isShown = story?.isPinned === true && story.articleId === id;
            const cardId = `${baseId}-slot-${key}-${slot}`;
            const name = slotName(at);
            return (
              <li
                // biome-ignore lint/suspicious/noArrayIndexKey: a slot is its place in the block
                key={slot}
                id={cardId}
                className={`front-slot${id === null ? ' front-slot-automatic' : ''}${
                  dropTarget === `slot-${key}-${slot}` ? ' front-drop-target' : ''
                }`}
                onDragOver={(event) => overSlot(event, key, slot)}
                onDragLeave={leave}
                onDrop={(event) => dropOnSlot(event, at)}
              >
                <span
                  className="front-handle"
                  draggable
                  role="img"
                  aria-label={`Drag handle: drag to swap ${name} with another slot`}
                  title="Drag onto another slot to swap them"
                  onDragStart={(event) => startDrag(event, { type: 'slot', key, slot }, cardId)}
                  onDragEnd={endDrag}
                >
                  ⠿
                </span>
                <div className="front-slot-body">
                  <p className="front-slot-story">
                    <span className="front-slot-number">{slot + 1}.</span>{' '}
                    {id !== null ? (
                      <>
                        <span className="status front-pinned">Pinned</span>{' '}
                        <strong>{titles.get(id) ?? `Article number ${id}`}</strong>
                      </>
                    ) : (
                      <span className="front-automatic">
                        Automatic:{' '}
                        {story === undefined
                          ? 'working it out…'
                          : story === null
                            ? 'nothing left to fill it'
                            : story.title}
                      </span>
                    )}
                  </p>
                  {id !== null && isFillCurrent && story !== undefined && !isShown ? (
                    <p className="warning front-slot-warning">
                      Readers do not see this article here: it is not published, not in this front’s
                      language or section, or pinned higher up. The slot fills automatically
                      {story ? ` with “${story.title}”` : ', and nothing is left to fill it'}.
                    </p>
                  ) : null}
                  <PinSearch
                    inputId={slotButtonId(key, slot, 'search')}
                    slotName={name}
                    language={language}
                    sections={sections}
                    onPick={(hit) => pin(at, hit)}
                  />
                  <div className="button-row">
                    {block.slots.length > 1 ? (
                      <>
                        <button
                          type="button"
                          id={slotButtonId(key, slot, 'up')}
                          disabled={slot === 0}
                          onClick={() => moveSlotTo(index, slot, slot - 1)}
                        >
                          Move up<span className="visually-hidden"> {name}</span>
                        </button>
                        <button
                          type="button"
                          id={slotButtonId(key, slot, 'down')}
                          disabled={slot === block.slots.length - 1}
                          onClick={() => moveSlotTo(index, slot, slot + 1)}
                        >
                          Move down<span className="visually-hidden"> {name}</span>
                        </button>
                      </>
                    ) : null}
                    {id !== null ? (
                      <button type="button" onClick={() => unpin(at)}>
                        Unpin<span className="visually-hidden"> {name}</span>
                      </button>
                    ) : null}
                    {canRemoveSlot(block) ? (
                      <button
                        type="button"
                        className="destructive"
                        onClick={() => removeSlotAt(at)}
                      >
                        Remove slot
                        <span className="visually-hidden">
                          {' '}
                          {slot + 1} of {labelOf(index)}
                        </span>
                      </button>
                    ) : null}
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
        {block.kind !== 'lead' ? (
          <p>
            <button
              type="button"
              id={`${baseId}-add-slot-${key}`}
              disabled={!canAddSlot(block)}
              onClick={() => addSlotTo(index)}
            >
              Add a slot<span className="visually-hidden"> to {labelOf(index)}</span>
            </button>
          </p>
        ) : null}
      </>
    );
  };

  const renderFields = (block: FrontBlock, index: number, key: number): ReactNode => {
    if (block.kind === 'banner') {
      return (
        <div className="field-row">
          <label>
            Tone
            <select
              value={block.tone}
              onChange={(event) =>
                edit(index, {
                  ...block,
                  tone: event.target.value === 'breaking' ? 'breaking' : 'notice',
                })
              }
            >
              <option value="breaking">Breaking</option>
              <option value="notice">Notice</option>
            </select>
          </label>
          <label className="front-wide-field">
            Text
            <input
              required
              maxLength={200}
              value={block.text}
              onChange={(event) => edit(index, { ...block, text: event.target.value })}
            />
          </label>
          <label className="front-wide-field">
            Link (optional)
            <input
              maxLength={500}
              value={block.url}
              placeholder="/news/… or https://…"
              onChange={(event) => edit(index, { ...block, url: event.target.value })}
            />
          </label>
        </div>
      );
    }
    const heading = (
      <label>
        Heading (optional)
        <input
          maxLength={80}
          value={block.heading}
          onChange={(event) => edit(index, { ...block, heading: event.target.value })}
        />
      </label>
    );
    if (isStoryBlock(block)) {
      return (
        <>
          {heading}
          {renderSlots(block, index, key)}
        </>
      );
    }
    const stories = filledStories(block, filledFor(index));
    return (
      <>
        <div className="field-row">
          {heading}
          {block.kind === 'section' ? (
            <label>
              Section
              <select
                value={block.sectionId}
                onChange={(event) =>
                  edit(index, { ...block, sectionId: Number(event.target.value) })
                }
              >
                {sections.some((section) => section.id === block.sectionId) ? null : (
                  <option value={block.sectionId}>A section that no longer exists</option>
                )}
                {sections.map((section) => (
                  <option key={section.id} value={section.id}>
                    {sectionLabel(section.path, sections)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            How many stories
            <select
              value={block.count}
              onChange={(event) => edit(index, { ...block, count: Number(event.target.value) })}
            >
              {Array.from({ length: MODULE_MAX }, (_, at) => at + 1).map((count) => (
                <option key={count} value={count}>
                  {count}
                </option>
              ))}
            </select>
          </label>
        </div>
        {stories ? (
          stories.length > 0 ? (
            <div className="front-module-stories">
              <p className="hint">Showing now:</p>
              <ol>
                {stories.map((story) => (
                  <li key={story.articleId}>{story.title}</li>
                ))}
              </ol>
            </div>
          ) : (
            <p className="hint">Nothing to show here yet.</p>
          )
        ) : null}
      </>
    );
  };

  return (
    <section aria-labelledby={headingId} className="front-editor">
      <h2 id={headingId} className="front-title" tabIndex={-1}>
        {front.title} <span className="front-language">({languageName(language)})</span>
      </h2>
      <p className="hint">
        {front.isArranged && front.updatedAt
          ? `Arranged by an editor; last saved ${formatDateTime(front.updatedAt)}.`
          : 'Nobody has arranged this front yet: the site shows the automatic arrangement below.'}{' '}
        <a href={front.url}>Open it on the site</a>
      </p>
      <div className="button-row front-whole-actions">
        <button
          type="button"
          disabled={isSameLayout(layout, front.defaultLayout)}
          onClick={resetToAutomatic}
        >
          Reset to automatic
        </button>
        <button type="button" disabled={!isDirty} onClick={discard}>
          Undo changes
        </button>
      </div>
      {conflict ? (
        <div className="conflict" role="alert">
          <p>
            <strong>Not saved: another editor saved this front while you were arranging it</strong>
            {conflict.by || conflict.at
              ? ` (${[conflict.by, conflict.at ? formatDateTime(conflict.at) : null]
                  .filter(Boolean)
                  .join(', ')})`
              : ''}
            .
          </p>
          <p>
            Load their version to go on from it; your changes here will be replaced.{' '}
            <button type="button" className="primary" onClick={() => void load()}>
              Load their version
            </button>
          </p>
        </div>
      ) : null}
      <p className="hint front-fill-state">
        {fillProblem
          ? `The automatic stories shown are not up to date: ${fillProblem.message}`
          : isFillCurrent
            ? ''
            : 'Working out the automatic stories…'}
      </p>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      {layout.blocks.length === 0 ? (
        <p className="list-empty">
          This front has no blocks. Add one below, or reset it to the automatic arrangement.
        </p>
      ) : null}
      <ol className="front-blocks">
        {layout.blocks.map((block, index) => {
          const key = keys[index] ?? index;
          const label = blockLabel(block, sectionName);
          const cardId = `${baseId}-block-${key}`;
          return (
            <li
              key={key}
              id={cardId}
              className={`front-block front-block-${block.kind}${
                dropTarget === `block-${key}` ? ' front-drop-target' : ''
              }`}
              onDragOver={(event) => overBlock(event, key)}
              onDragLeave={leave}
              onDrop={(event) => dropOnBlock(event, index)}
            >
              <div className="front-block-head">
                <span
                  className="front-handle"
                  draggable
                  role="img"
                  aria-label={`Drag handle: drag to move ${label}`}
                  title="Drag to move this block"
                  onDragStart={(event) => startDrag(event, { type: 'block', key }, cardId)}
                  onDragEnd={endDrag}
                >
                  ⠿
                </span>
                <h3 id={`${baseId}-card-${key}`} tabIndex={-1}>
                  <span className="front-block-number">{index + 1}.</span> {label}
                </h3>
                <div className="button-row">
                  <button
                    type="button"
                    id={blockButtonId(key, 'up')}
                    disabled={index === 0}
                    onClick={() => moveBlockTo(index, index - 1, true)}
                  >
                    Move up<span className="visually-hidden"> {label}</span>
                  </button>
                  <button
                    type="button"
                    id={blockButtonId(key, 'down')}
                    disabled={index === layout.blocks.length - 1}
                    onClick={() => moveBlockTo(index, index + 1, true)}
                  >
                    Move down<span className="visually-hidden"> {label}</span>
                  </button>
                  <button type="button" className="destructive" onClick={() => remove(index)}>
                    Remove<span className="visually-hidden"> {label}</span>
                  </button>
                </div>
              </div>
              {[problem, fillProblem].map((issue) =>
                issue?.block === index ? (
                  <p key={issue === problem ? 'save' : 'fill'} className="form-error">
                    {issue.detail}
                  </p>
                ) : null,
              )}
              {renderFields(block, index, key)}
            </li>
          );
        })}
      </ol>
      <div className="front-add">
        <label htmlFor={addSelectId} className="front-add-label">
          Add block
        </label>
        <div className="button-row">
          <select
            id={addSelectId}
            className="front-add-select"
            value={addKind}
            onChange={(event) => {
              const kind = BLOCK_KINDS.find((candidate) => candidate === event.target.value);
              if (kind) setAddKind(kind);
            }}
          >
            {BLOCK_KINDS.map((kind) => (
              <option
                key={kind}
                value={kind}
                disabled={kind === 'section' && sections.length === 0}
              >
                {BLOCK_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
          <button type="button" onClick={add} disabled={!canAddBlock(layout)}>
            Add
          </button>
        </div>
        {canAddBlock(layout) ? null : (
          <p className="hint">
            A front holds at most {countOf(MAX_BLOCKS, { one: 'block', other: 'blocks' })}.
          </p>
        )}
      </div>
      <div className="save-bar front-save-bar">
        {/* Never disabled, so the keyboard stays on it after a save; with nothing to save it says so. */}
        <button
          type="button"
          className="primary"
          aria-disabled={!isDirty || isSaving}
          onClick={() => void save()}
        >
          {isSaving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={() => setIsPreviewOpen(true)}>
          Preview
        </button>
        <span role="status">
          {status}
          {status && !isDirty ? (
            <>
              {' '}
              <a href={front.url}>See it</a>
            </>
          ) : isDirty ? (
            'Changes not saved yet.'
          ) : (
            ''
          )}
        </span>
        <p className="form-error" role="alert">
          {problem ? `Not saved: ${problem.message}` : ''}
        </p>
      </div>
      {isPreviewOpen ? (
        <FrontPreview
          language={language}
          path={path}
          layout={layout}
          title={front.title}
          onClose={() => setIsPreviewOpen(false)}
        />
      ) : null}
    </section>
  );
}

/**
 * The "Pin an article…" field of a slot: a combobox that searches published
 * headlines in the front's language as one types, the list below it read by
 * the arrows (ARIA combobox pattern: the focus stays in the field).
 */
function PinSearch({
  inputId,
  slotName,
  language,
  sections,
  onPick,
}: {
  inputId: string;
  slotName: string;
  language: string;
  sections: Section[];
  onPick: (hit: ArticleHit) => void;
}): ReactNode {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<ArticleHit[] | null>(null);
  const [active, setActive] = useState(-1);
  const [isOpen, setIsOpen] = useState(false);
  const [problem, setProblem] = useState('');
  const listId = useId();
  const words = query.trim();

  useEffect(() => {
    setHits(null);
    setActive(-1);
    if (words === '') return;
    let isCurrent = true;
    const timer = window.setTimeout(() => {
      const search = new URLSearchParams({
        status: 'published',
        q: words,
        pageSize: '8',
        language,
        sort: 'published',
      });
      api<{ articles: ArticleHit[]; total: number }>('GET', `/articles?${search}`).then(
        (answer) => {
          if (!isCurrent) return;
          setHits(answer.articles);
          setProblem('');
        },
        (failure: unknown) => {
          if (isCurrent) setProblem(messageOf(failure));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      isCurrent = false;
      window.clearTimeout(timer);
    };
  }, [words, language]);

  const shown = isOpen && words !== '' ? hits : null;
  const isExpanded = shown !== null && shown.length > 0;
  const optionId = (index: number) => `${listId}-${index}`;
  // The answers and the active one stay in sight: below the field on a phone, the save bar would cover them.
  useEffect(() => {
    if (!isExpanded) return;
    const target = document.getElementById(active >= 0 ? `${listId}-${active}` : listId);
    target?.scrollIntoView({ block: 'nearest' });
  }, [isExpanded, active, listId]);
  const pick = (hit: ArticleHit) => {
    onPick(hit);
    setQuery('');
    setIsOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = shown?.length ?? 0;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      setIsOpen(true);
      if (count > 0) {
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((old) => (old < 0 && step < 0 ? count - 1 : (old + step + count) % count));
      }
    } else if (event.key === 'Enter') {
      const hit = shown?.[active];
      if (!hit) return;
      pick(hit);
    } else if (event.key === 'Escape') {
      if (isExpanded) setIsOpen(false);
      else setQuery('');
    } else return;
    event.preventDefault();
  };

  return (
    <div className="front-pin">
      <label htmlFor={inputId} className="front-pin-label">
        Pin an article<span className="visually-hidden"> in {slotName}</span>
        <span aria-hidden="true">…</span>
      </label>
      <input
        id={inputId}
        type="search"
        role="combobox"
        autoComplete="off"
        placeholder="Search published headlines"
        aria-autocomplete="list"
        aria-expanded={isExpanded}
        aria-controls={listId}
        aria-activedescendant={isExpanded && active >= 0 ? optionId(active) : undefined}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setIsOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setIsOpen(false)}
        onFocus={() => setIsOpen(true)}
      />
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the field's (the combobox pattern keeps the focus there) */}
      <div
        id={listId}
        role="listbox"
        aria-label={`Published articles to pin in ${slotName}`}
        className="front-pin-results"
        hidden={!isExpanded}
        // The field keeps the focus (and the arrows): a click picks without taking it first.
        onMouseDown={(event) => event.preventDefault()}
        onClick={(event) => {
          const option = (event.target as Element).closest('[role="option"]');
          const hit = shown?.[Number(option?.getAttribute('data-index'))];
          if (option && hit) pick(hit);
        }}
      >
        {(shown ?? []).map((hit, index) => (
          <div
            key={hit.id}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            data-index={index}
            className="front-pin-option"
            // Pointed at with aria-activedescendant, never focused itself.
            tabIndex={-1}
          >
            <span className="front-pin-title">{hit.title}</span>
            <span className="hint">
              {sectionLabel(hit.section, sections)}
              {hit.publishedAt ? ` · ${formatDay(hit.publishedAt)}` : ''}
            </span>
          </div>
        ))}
      </div>
      <p className="visually-hidden" role="status">
        {shown === null
          ? ''
          : shown.length === 0
            ? 'No published article has these words in its headline.'
            : `${countOf(shown.length, { one: 'article', other: 'articles' })} found: up and down arrows to choose, Enter to pin.`}
      </p>
      {shown && shown.length === 0 ? (
        <p className="hint front-pin-none">No published article has these words in its headline.</p>
      ) : null}
      {problem ? <p className="form-error">{problem}</p> : null}
    </div>
  );
}

/**
 * The front as readers will see it, with the arrangement on screen (saved or
 * not): the reader page's HTML from the server, in a frame that runs no
 * scripts and whose links go nowhere, at phone or desktop width.
 */
function FrontPreview({
  language,
  path,
  layout,
  title,
  onClose,
}: {
  language: string;
  path: string;
  layout: FrontLayout;
  title: string;
  onClose: () => void;
}): ReactNode {
  const dialog = useModal();
  const [width, setWidth] = useState<PreviewWidth>('phone');
  const [html, setHtml] = useState<string | null>(null);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    let isCurrent = true;
    apiText('POST', '/front-preview', { language, path, layout }).then(
      (page) => {
        if (isCurrent) setHtml(page);
      },
      (failure: unknown) => {
        if (isCurrent) setProblem(messageOf(failure));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [language, path, layout]);

  // The sandbox already keeps the frame from navigating the admin; a click on
  // a link would still open the real page inside the frame, so clicks on links
  // do nothing. The frame shares the admin's origin, so its document is reachable.
  const keepLinksStill = (event: SyntheticEvent<HTMLIFrameElement>) => {
    event.currentTarget.contentDocument?.addEventListener('click', (click) => {
      const target = click.target as { closest?: (selector: string) => unknown } | null;
      if (target?.closest?.('a[href], area[href]')) click.preventDefault();
    });
  };

  return (
    <dialog
      ref={dialog}
      className="modal preview-dialog"
      aria-labelledby="front-preview-heading"
      onClose={onClose}
    >
      <div className="preview-toolbar">
        <h2 id="front-preview-heading">Preview: {title}</h2>
        <PreviewWidths width={width} onChange={setWidth} />
        <button type="button" className="primary" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      <p className="hint front-preview-note">
        The arrangement on screen, saved or not. Links do nothing here.
      </p>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="preview-frame-box">
        {html === null ? (
          problem ? null : (
            <p className="loading">Loading…</p>
          )
        ) : (
          <iframe
            title={`${title} as readers will see it`}
            className={`preview-frame preview-${width}`}
            srcDoc={html}
            sandbox="allow-same-origin"
            width={PREVIEW_WIDTHS[width]}
            onLoad={keepLinksStill}
          />
        )}
      </div>
    </dialog>
  );
}

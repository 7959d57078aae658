import { getSchema } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { NodeSelection, type Transaction } from '@tiptap/pm/state';
import { type Editor, EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { documentExtensions, sharedDocumentExtensions } from '../../core/document-extensions.js';
import { embedProvider, embedProviderNames } from '../../core/embeds.js';
import { isSafeHref } from '../../core/links.js';
import { SHARED_BODY_FIELD } from '../../core/shared-doc.js';
import { api, type Doc, type MediaItem, messageOf } from '../api.js';
import { PhotoPicker } from '../photo-picker.js';
import { photoFiles } from '../photo-upload.js';
import {
  type Block,
  BlockMenu,
  blockCountText,
  blockOptionId,
  matchingBlocks,
} from './block-menu.js';
import { clipboardMark, markingClipboardSerializer } from './clipboard-mark.js';
import { withLibraryPhotos } from './library-photos.js';
import { type MarkedNote, NoteMarks, redrawNoteMarks } from './note-marks.js';
import { cleanPastedHtml } from './paste-html.js';
import { SharedCarets } from './shared-carets.js';
import type { SharedText } from './shared-text.js';

const NO_NOTES: MarkedNote[] = [];

/** What the photo picker was opened for, and where in the text its photos go. */
type PhotoRequest = { kind: 'photo' | 'gallery' | 'files'; position: number; files: File[] };

/** The node a library photo becomes in the body; shown in the editor with the record's words. */
function imageNode(item: MediaItem) {
  return {
    type: 'image',
    attrs: {
      mediaId: item.id,
      src: item.url,
      alt: item.alt,
      caption: item.caption,
      credit: item.creditLine,
    },
  };
}

/** What the server answers for an embed's thumbnail (POST /api/embeds/thumbnail). */
type EmbedThumbnailAnswer = { thumbnail: MediaItem | null; problem: string | null };

/**
 * The article body editor: Tiptap with the very schema the server renders
 * with (core/document-extensions.ts), so what the editor allows is what readers
 * get. Every control is a real button, usable from the keyboard.
 */
export function BodyEditor({
  value,
  onChange,
  label,
  isReadOnly = false,
  shared = null,
  notes = NO_NOTES,
  onOpenNote,
  onEditor,
}: {
  /** The text to start from; ignored with `shared`, whose document holds it. */
  value: Doc;
  onChange: (doc: Doc) => void;
  label: string;
  /** Shown, not changed: the text cannot be typed in (the toolbar sits in the form's disabled fieldset). */
  isReadOnly?: boolean;
  /** The shared text to edit with the others (co-editing), or null to edit `value` alone. */
  shared?: SharedText | null;
  /** Open notes whose passages are marked in the shared text. */
  notes?: MarkedNote[];
  /** A marked passage was clicked: its thread is wanted. */
  onOpenNote?: (id: number) => void;
  /** The Tiptap editor once made (for the notes' selection), and null when it goes. */
  onEditor?: (editor: Editor | null) => void;
}): ReactNode {
  // The marks' plugin reads the latest notes and handler through refs (it is made once per editor).
  const notesRef = useRef(notes);
  notesRef.current = notes;
  const openNote = useRef(onOpenNote);
  openNote.current = onOpenNote;
  const labelId = useId();
  const menuId = useId();
  // Photos dropped or pasted into the text are described and uploaded first
  // (alt text, credit), then placed where they were dropped. The editor's
  // handlers are fixed when it is made, so they reach this state by a ref.
  const [photoRequest, setPhotoRequest] = useState<PhotoRequest | null>(null);
  const askForPhotos = useRef(setPhotoRequest);
  // Keys the editor hands to the `/` menu and to Ctrl/Cmd+K (set on each render).
  const keys = useRef<(event: KeyboardEvent) => boolean>(() => false);
  const field = useRef<HTMLDivElement>(null);
  // The `/` menu makes the text a combobox's input while it is open
  // (aria-controls, aria-activedescendant): worked out on each render, read by
  // ProseMirror whenever it draws the editor's own element.
  const menuAttributes = useRef<Record<string, string>>({});
  const shownMenuAttributes = useRef('{}');
  const editor = useEditor(
    {
      extensions: shared
        ? [
            ...withLibraryPhotos(sharedDocumentExtensions),
            Collaboration.configure({ document: shared.doc, field: SHARED_BODY_FIELD }),
            SharedCarets.configure({ awareness: shared.provider.awareness }),
            NoteMarks.configure({
              notes: () => notesRef.current,
              onOpen: (id) => openNote.current?.(id),
            }),
          ]
        : withLibraryPhotos(documentExtensions),
      ...(shared ? {} : { content: value }),
      editable: !isReadOnly,
      // The admin's CSP forbids inline <style>: the editor's styles live in admin.css.
      injectCSS: false,
      editorProps: {
        // Clipboard HTML from Docs, Word, LibreOffice or a web page, reduced to
        // what the schema holds before ProseMirror reads it (see paste-html.ts).
        // Photos copied from this browser's editor carry its mark and are kept whole;
        // a figure from anywhere else is not a library photo (clipboard-mark.ts).
        transformPastedHTML: (html) => cleanPastedHtml(html, clipboardMark()),
        clipboardSerializer: markingClipboardSerializer(
          getSchema(documentExtensions),
          clipboardMark(),
        ),
        handlePaste: (view, event) => {
          // Word, Excel and LibreOffice put a picture of the copied text beside
          // the text itself: a paste with text is text.
          if (event.clipboardData?.getData('text/plain').trim()) return false;
          const files = photoFiles(event.clipboardData?.files);
          if (files.length === 0 || !view.editable) return false;
          askForPhotos.current({ kind: 'files', position: view.state.selection.from, files });
          return true;
        },
        handleDrop: (view, event, _slice, isMove) => {
          const files = isMove ? [] : photoFiles(event.dataTransfer?.files);
          if (files.length === 0 || !view.editable) return false;
          const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
          askForPhotos.current({
            kind: 'files',
            position: at?.pos ?? view.state.selection.from,
            files,
          });
          event.preventDefault();
          return true;
        },
        handleKeyDown: (_view, event) => keys.current(event),
        attributes: () => ({
          'aria-labelledby': labelId,
          'aria-multiline': 'true',
          role: 'textbox',
          class: 'body-editor',
          ...menuAttributes.current,
        }),
      },
      onUpdate: ({ editor: current }) => onChange(current.getJSON() as Doc),
    },
    [shared],
  );
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      isBold: current?.isActive('bold') ?? false,
      isItalic: current?.isActive('italic') ?? false,
      isLink: current?.isActive('link') ?? false,
      isH2: current?.isActive('heading', { level: 2 }) ?? false,
      isH3: current?.isActive('heading', { level: 3 }) ?? false,
      isBulletList: current?.isActive('bulletList') ?? false,
      isOrderedList: current?.isActive('orderedList') ?? false,
      isQuote: current?.isActive('quote') ?? false,
      isPullQuote: current?.isActive('blockquote') ?? false,
      isTable: current?.isActive('table') ?? false,
      // A photo or gallery selected in the text: its caption for this article.
      image: current?.isActive('image')
        ? {
            storyCaption: String(current.getAttributes('image').storyCaption ?? ''),
            caption: String(current.getAttributes('image').caption ?? ''),
            href: String(current.getAttributes('image').href ?? ''),
          }
        : null,
      galleryCaption: current?.isActive('gallery')
        ? String(current.getAttributes('gallery').caption ?? '')
        : null,
      // An embed selected in the text: its address and title, to change them.
      embed: current?.isActive('embed')
        ? {
            url: String(current.getAttributes('embed').url ?? ''),
            title: String(current.getAttributes('embed').title ?? ''),
          }
        : null,
      ...lineState(current),
    }),
  });
  // The page reaches the editor (a note's selection); the marks follow the notes.
  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);
  const notesKey = notes.map((note) => note.id).join(',');
  useEffect(() => {
    if (editor && shared) redrawNoteMarks(editor, notesKey);
  }, [editor, shared, notesKey]);
  // Rights change with the article's state (submitted, trashed, restored): follow them.
  useEffect(() => {
    // Without emitting an update: a change of rights is not an edit to save.
    if (editor && editor.isEditable === isReadOnly) editor.setEditable(!isReadOnly, false);
  }, [editor, isReadOnly]);
  const [panel, setPanel] = useState<'none' | 'link' | 'quote' | 'embed'>('none');
  const [embedUrl, setEmbedUrl] = useState('');
  const [embedTitle, setEmbedTitle] = useState('');
  // The address typed over a selected embed's, until the reporter applies it.
  const [editedEmbedUrl, setEditedEmbedUrl] = useState('');
  // What became of the last thumbnail asked for ("Picture from YouTube added").
  const [embedNote, setEmbedNote] = useState('');
  const [href, setHref] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [source, setSource] = useState('');
  const [sourceUrl, setSourceUrl] = useState('');
  const [problem, setProblem] = useState('');
  const [menuIndex, setMenuIndex] = useState(0);
  // Escape closes the `/` menu for that `/` only: typing on opens it again.
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [plusMenuAt, setPlusMenuAt] = useState<number | null>(null);
  const [plusIndex, setPlusIndex] = useState(0);
  const linkInput = useRef<HTMLInputElement>(null);
  const [linkAsked, setLinkAsked] = useState(0);
  // Where the photos being chosen or uploaded go, kept in step with every
  // change to the text meanwhile (the reporter goes on typing).
  const photoPosition = useRef(0);
  useEffect(() => {
    if (!editor) return;
    const follow = ({ transaction }: { transaction: Transaction }) => {
      photoPosition.current = transaction.mapping.map(photoPosition.current);
      // The + menu belongs to one empty line: a change to the text closes it.
      if (transaction.docChanged) setPlusMenuAt(null);
    };
    editor.on('transaction', follow);
    return () => {
      editor.off('transaction', follow);
    };
  }, [editor]);
  useEffect(() => {
    if (photoRequest) photoPosition.current = photoRequest.position;
  }, [photoRequest]);
  // After each render: when the menu opened, closed or moved, the editor's
  // element is drawn again with its new attributes (a props update does that).
  useEffect(() => {
    const wanted = JSON.stringify(menuAttributes.current);
    if (!editor || editor.isDestroyed || wanted === shownMenuAttributes.current) return;
    shownMenuAttributes.current = wanted;
    editor.view.setProps({});
  });
  const selectedEmbedUrl = state?.embed?.url;
  useEffect(() => setEditedEmbedUrl(selectedEmbedUrl ?? ''), [selectedEmbedUrl]);
  const slashQuery = state?.slash?.query;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query starts the list at its top
  useEffect(() => setMenuIndex(0), [slashQuery]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each Ctrl/Cmd+K asks again, even with the field open
  useEffect(() => {
    if (panel === 'link') linkInput.current?.focus();
  }, [panel, linkAsked]);
  if (!editor) return null;

  const tool = (name: string, isActive: boolean, run: () => void) => (
    <button type="button" aria-pressed={isActive} onClick={run}>
      {name}
    </button>
  );
  // The address as it is in the field now (Enter may come before a re-render).
  const applyLink = (address = href) => {
    if (address === '') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
    } else if (!isSafeHref(address)) {
      setProblem('A link must start with https://, http://, mailto: or /');
      return;
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href: address }).run();
    }
    setProblem('');
    setPanel('none');
  };
  const applyQuote = () => {
    if (speaker.trim() === '') {
      setProblem('A quote needs the name of its speaker.');
      return;
    }
    if (sourceUrl !== '' && !isSafeHref(sourceUrl)) {
      setProblem('The source link must start with https://, http:// or /');
      return;
    }
    const attrs = {
      speaker: speaker.trim(),
      source: source.trim() || null,
      sourceUrl: sourceUrl.trim() || null,
    };
    const chain = editor.chain().focus();
    if (editor.isActive('quote')) chain.updateAttributes('quote', attrs).run();
    else chain.wrapIn('quote', attrs).run();
    setProblem('');
    setPanel('none');
  };

  const openLinkPanel = () => {
    setHref(String(editor.getAttributes('link').href ?? ''));
    setPanel('link');
    setLinkAsked((n) => n + 1);
  };
  const openQuotePanel = () => {
    const attrs = editor.getAttributes('quote');
    setSpeaker(String(attrs.speaker ?? ''));
    setSource(String(attrs.source ?? ''));
    setSourceUrl(String(attrs.sourceUrl ?? ''));
    setPanel(panel === 'quote' ? 'none' : 'quote');
  };
  const openPhotos = (kind: 'photo' | 'gallery') =>
    setPhotoRequest({ kind, position: editor.state.selection.from, files: [] });
  const placePhotos = (request: PhotoRequest, items: MediaItem[]) => {
    setPhotoRequest(null);
    const usable = items.filter((item) => item.url !== null);
    if (usable.length === 0) return;
    const content =
      request.kind === 'gallery'
        ? [
            {
              type: 'gallery',
              attrs: {
                photos: usable.map((item) => ({ mediaId: item.id, src: item.url })),
                caption: '',
              },
            },
          ]
        : usable.map(imageNode);
    // Where the reporter was (or dropped them), moved along with the text since.
    const position = Math.min(photoPosition.current, editor.state.doc.content.size);
    editor.chain().focus().insertContentAt(position, content).run();
    // With nothing after them the new photos end up selected, and the next
    // keystroke would replace them: the cursor goes to a new line below.
    if (editor.state.selection instanceof NodeSelection) editor.commands.createParagraphNear();
    setProblem('');
  };
  // The server fetches the thumbnail from the provider and keeps it as a
  // photo; readers (and this editor) only ever load it from /media. The embed
  // is in the text at once, and saved with or without a picture: the answer,
  // however late, goes to every embed of that address still without one.
  const attachThumbnail = async (url: string, title: string) => {
    const name = embedProvider(url)?.name ?? 'the service';
    setEmbedNote(`Asking ${name} for a picture…`);
    let answer: EmbedThumbnailAnswer;
    try {
      answer = await api<EmbedThumbnailAnswer>('POST', '/embeds/thumbnail', { url, title });
    } catch (failure) {
      setEmbedNote(`No picture (${messageOf(failure)}): readers see the title and the link.`);
      return;
    }
    const { thumbnail } = answer;
    if (!thumbnail || editor.isDestroyed) {
      setEmbedNote(
        `No picture (${answer.problem ?? 'none given'}): readers see the title and the link.`,
      );
      return;
    }
    const { tr } = editor.state;
    editor.state.doc.descendants((node, position) => {
      if (node.type.name === 'embed' && node.attrs.url === url && !node.attrs.thumbnailMediaId)
        tr.setNodeMarkup(position, undefined, {
          ...node.attrs,
          thumbnailMediaId: thumbnail.id,
          thumbnailSrc: thumbnail.url,
        });
    });
    if (tr.docChanged) editor.view.dispatch(tr);
    setEmbedNote(`Picture from ${name} added.`);
  };
  const insertEmbed = () => {
    if (!embedProvider(embedUrl)) {
      setProblem(
        `Embeds come only from ${embedProviderNames().join(', ')}, with an https:// address.`,
      );
      return;
    }
    editor
      .chain()
      .focus()
      .insertContent({ type: 'embed', attrs: { url: embedUrl, title: embedTitle } })
      .run();
    void attachThumbnail(embedUrl, embedTitle);
    setEmbedUrl('');
    setEmbedTitle('');
    setProblem('');
    setPanel('none');
  };
  const changeEmbedUrl = () => {
    if (!embedProvider(editedEmbedUrl)) {
      setProblem(
        `Embeds come only from ${embedProviderNames().join(', ')}, with an https:// address.`,
      );
      return;
    }
    if (editedEmbedUrl === state?.embed?.url) return;
    // Another item: the old picture no longer belongs to it.
    editor.commands.updateAttributes('embed', {
      url: editedEmbedUrl,
      thumbnailMediaId: null,
      thumbnailSrc: null,
    });
    setProblem('');
    void attachThumbnail(editedEmbedUrl, state?.embed?.title ?? '');
  };

  // The blocks of the toolbar, the `/` menu and the `+` button, in one list.
  const blocks: (Block & { isActive: boolean })[] = [
    {
      name: 'Heading',
      keywords: 'h2 title section',
      isActive: state?.isH2 ?? false,
      run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(),
    },
    {
      name: 'Subheading',
      keywords: 'h3',
      isActive: state?.isH3 ?? false,
      run: () => editor.chain().focus().toggleHeading({ level: 3 }).run(),
    },
    {
      name: 'Bulleted list',
      keywords: 'ul points',
      isActive: state?.isBulletList ?? false,
      run: () => editor.chain().focus().toggleBulletList().run(),
    },
    {
      name: 'Numbered list',
      keywords: 'ol ordered',
      isActive: state?.isOrderedList ?? false,
      run: () => editor.chain().focus().toggleOrderedList().run(),
    },
    {
      name: 'Quote with speaker',
      keywords: 'citation said',
      isActive: state?.isQuote ?? false,
      run: openQuotePanel,
    },
    {
      name: 'Pull quote',
      keywords: 'blockquote',
      isActive: state?.isPullQuote ?? false,
      run: () => editor.chain().focus().toggleBlockquote().run(),
    },
    {
      name: 'Divider',
      keywords: 'rule line hr',
      isActive: false,
      run: () => editor.chain().focus().setHorizontalRule().run(),
    },
    {
      name: 'Table',
      keywords: 'grid figures',
      isActive: state?.isTable ?? false,
      run: () =>
        editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    },
    { name: 'Photo', keywords: 'image picture', isActive: false, run: () => openPhotos('photo') },
    {
      name: 'Gallery',
      keywords: 'photos images slideshow',
      isActive: false,
      run: () => openPhotos('gallery'),
    },
    {
      name: 'Embed',
      keywords: 'video post youtube',
      isActive: false,
      run: () => setPanel(panel === 'embed' ? 'none' : 'embed'),
    },
  ];
  const slash = state?.slash && state.slash.from !== dismissed ? state.slash : null;
  const matches = slash ? matchingBlocks(blocks, slash.query) : [];
  const activeIndex = Math.min(menuIndex, Math.max(0, matches.length - 1));
  menuAttributes.current = slash
    ? {
        'aria-controls': menuId,
        'aria-autocomplete': 'list',
        ...(matches.length > 0
          ? { 'aria-activedescendant': blockOptionId(menuId, activeIndex) }
          : {}),
      }
    : {};
  const chooseFromSlash = (block: Block) => {
    if (!slash) return;
    // The typed "/query" goes; the block takes its line.
    editor
      .chain()
      .focus()
      .deleteRange({ from: slash.from, to: slash.from + 1 + slash.query.length })
      .run();
    block.run();
  };
  // The `+` menu goes away with the focus in it: the text takes the focus back
  // at once (Tiptap's focus command waits a frame), so no keystroke is lost.
  const leavePlusMenu = () => {
    if (plusMenuAt !== null) editor.commands.setTextSelection(plusMenuAt);
    editor.view.focus();
    setPlusMenuAt(null);
  };
  const chooseFromPlus = (block: Block) => {
    leavePlusMenu();
    block.run();
  };
  keys.current = (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      openLinkPanel();
      return true;
    }
    if (!slash) return false;
    const step = (by: number) =>
      setMenuIndex((activeIndex + by + matches.length) % Math.max(1, matches.length));
    if (event.key === 'ArrowDown') step(1);
    else if (event.key === 'ArrowUp') step(-1);
    else if (event.key === 'Escape') setDismissed(slash.from);
    else if (event.key === 'Enter' && matches[activeIndex]) chooseFromSlash(matches[activeIndex]);
    else return false;
    return true;
  };
  /** Where a menu or the `+` goes: under (or beside) a place in the text, in the field's box. */
  const placeAt = (position: number, below: boolean) => {
    const box = field.current?.getBoundingClientRect();
    const coords = editor.view.coordsAtPos(Math.min(position, editor.state.doc.content.size));
    return box
      ? {
          top: (below ? coords.bottom + 4 : coords.top - 2) - box.top,
          left: coords.left - box.left,
        }
      : { top: 0, left: 0 };
  };
  const plusAt =
    !isReadOnly && !slash && plusMenuAt === null && state?.emptyLineAt != null
      ? state.emptyLineAt
      : null;

  return (
    <div className="body-field" ref={field}>
      <span id={labelId} className="field-label">
        {label}
      </span>
      <div className="toolbar" role="toolbar" aria-label="Formatting">
        {tool('Paragraph', false, () => editor.chain().focus().setParagraph().run())}
        {tool('Bold', state?.isBold ?? false, () => editor.chain().focus().toggleBold().run())}
        {tool('Italic', state?.isItalic ?? false, () =>
          editor.chain().focus().toggleItalic().run(),
        )}
        {tool('Link', state?.isLink ?? false, () =>
          panel === 'link' ? setPanel('none') : openLinkPanel(),
        )}
        {blocks.map((block) => tool(block.name, block.isActive, block.run))}
      </div>
      {state?.isTable ? (
        <div className="toolbar" role="toolbar" aria-label="Table">
          {tool('Add row', false, () => editor.chain().focus().addRowAfter().run())}
          {tool('Add column', false, () => editor.chain().focus().addColumnAfter().run())}
          {tool('Delete row', false, () => editor.chain().focus().deleteRow().run())}
          {tool('Delete column', false, () => editor.chain().focus().deleteColumn().run())}
          {tool('Header row', false, () => editor.chain().focus().toggleHeaderRow().run())}
          {tool('Delete table', false, () => editor.chain().focus().deleteTable().run())}
        </div>
      ) : null}
      {panel === 'link' ? (
        <div className="tool-panel">
          <label>
            Link address (empty to remove the link)
            <input
              ref={linkInput}
              type="url"
              value={href}
              onChange={(e) => setHref(e.target.value)}
              onKeyDown={(e) => {
                // Enter applies the link (rather than saving the article) and goes back to the text.
                if (e.key === 'Enter') {
                  e.preventDefault();
                  applyLink(e.currentTarget.value);
                }
              }}
            />
          </label>
          <button type="button" onClick={() => applyLink()}>
            Apply link
          </button>
        </div>
      ) : null}
      {panel === 'quote' ? (
        <div className="tool-panel">
          <label>
            Speaker
            <input value={speaker} onChange={(e) => setSpeaker(e.target.value)} />
          </label>
          <label>
            Source (optional)
            <input value={source} onChange={(e) => setSource(e.target.value)} />
          </label>
          <label>
            Source link (optional)
            <input type="url" value={sourceUrl} onChange={(e) => setSourceUrl(e.target.value)} />
          </label>
          <button type="button" onClick={applyQuote}>
            {state?.isQuote ? 'Update quote' : 'Make a quote'}
          </button>
        </div>
      ) : null}
      {state?.image ? (
        <div className="tool-panel">
          <label>
            Caption in this article (left empty: the library’s caption
            {state.image.caption ? `, “${state.image.caption}”` : ''})
            <input
              value={state.image.storyCaption}
              maxLength={2000}
              onChange={(e) =>
                editor.commands.updateAttributes('image', { storyCaption: e.target.value })
              }
            />
          </label>
          {/* A link around the photo (an import's) is invisible in the text: said here, to keep or remove. */}
          {state.image.href ? (
            <p>
              Readers who press the photo go to{' '}
              <a href={state.image.href} target="_blank" rel="noopener noreferrer">
                {state.image.href}
              </a>{' '}
              {isReadOnly ? null : (
                <button
                  type="button"
                  onClick={() => editor.commands.updateAttributes('image', { href: null })}
                >
                  Remove the link
                </button>
              )}
            </p>
          ) : null}
        </div>
      ) : null}
      {state?.galleryCaption !== null && state?.galleryCaption !== undefined ? (
        <div className="tool-panel">
          <label>
            Gallery caption
            <input
              value={state.galleryCaption}
              maxLength={2000}
              onChange={(e) =>
                editor.commands.updateAttributes('gallery', { caption: e.target.value })
              }
            />
          </label>
        </div>
      ) : null}
      {state?.embed && !isReadOnly ? (
        <div className="tool-panel">
          <label>
            Embed address
            <input
              type="url"
              value={editedEmbedUrl}
              onChange={(e) => setEditedEmbedUrl(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  changeEmbedUrl();
                }
              }}
            />
          </label>
          <button type="button" onClick={changeEmbedUrl}>
            Change address
          </button>
          <label>
            What it is (shown to readers)
            <input
              value={state.embed.title}
              maxLength={300}
              onChange={(e) => editor.commands.updateAttributes('embed', { title: e.target.value })}
            />
          </label>
        </div>
      ) : null}
      {panel === 'embed' ? (
        <div className="tool-panel">
          <label>
            Address of the post or video ({embedProviderNames().join(', ')})
            <input type="url" value={embedUrl} onChange={(e) => setEmbedUrl(e.target.value)} />
          </label>
          <label>
            What it is (shown in the link readers see)
            <input value={embedTitle} onChange={(e) => setEmbedTitle(e.target.value)} />
          </label>
          <button type="button" onClick={insertEmbed}>
            Insert embed
          </button>
        </div>
      ) : null}
      <p className="form-error" role="alert">
        {problem}
      </p>
      <p className="embed-status" role="status">
        {embedNote}
      </p>
      <EditorContent editor={editor} />
      {/* Said as the `/` menu opens and narrows, while the focus stays in the text. */}
      <p className="visually-hidden" role="status">
        {slash ? blockCountText(matches.length) : ''}
      </p>
      {plusAt !== null ? (
        <button
          type="button"
          className="plus-button"
          aria-label="Insert a block here"
          title="Insert a block (or type / at the start of a line)"
          style={{ top: placeAt(plusAt, false).top, left: placeAt(plusAt, false).left - 40 }}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            setPlusIndex(0);
            setPlusMenuAt(plusAt);
          }}
        >
          +
        </button>
      ) : null}
      {slash ? (
        <BlockMenu
          id={menuId}
          blocks={matches}
          activeIndex={activeIndex}
          position={placeAt(slash.from, true)}
          takesFocus={false}
          onActiveChange={setMenuIndex}
          onChoose={chooseFromSlash}
          onClose={() => setDismissed(slash.from)}
        />
      ) : null}
      {plusMenuAt !== null ? (
        <BlockMenu
          id={menuId}
          blocks={blocks}
          activeIndex={plusIndex}
          position={placeAt(plusMenuAt, true)}
          takesFocus={true}
          onActiveChange={setPlusIndex}
          onChoose={chooseFromPlus}
          onClose={leavePlusMenu}
          onLeave={() => setPlusMenuAt(null)}
        />
      ) : null}
      {photoRequest ? (
        <PhotoPicker
          mode={photoRequest.kind === 'photo' ? 'one' : 'many'}
          title={
            photoRequest.kind === 'gallery'
              ? 'Photos for a gallery'
              : photoRequest.kind === 'files'
                ? 'Describe the photos before they go in'
                : 'Photo in the text'
          }
          chooseLabel={photoRequest.kind === 'gallery' ? 'Insert gallery' : 'Insert photo'}
          initialFiles={photoRequest.files}
          onChoose={(items) => placePhotos(photoRequest, items)}
          onClose={() => setPhotoRequest(null)}
        />
      ) : null}
    </div>
  );
}

/**
 * The line the cursor is on, as the `/` menu and the `+` button see it: a
 * paragraph holding only "/" and a word is a menu being typed; an empty
 * paragraph takes the `+`.
 */
function lineState(editor: Editor | null): {
  slash: { from: number; query: string } | null;
  emptyLineAt: number | null;
} {
  const selection = editor?.state.selection;
  if (!selection?.empty || selection.$from.parent.type.name !== 'paragraph')
    return { slash: null, emptyLineAt: null };
  const { $from } = selection;
  const text = $from.parent.textContent;
  const isSlash = /^\/[\p{L}\p{N}]*$/u.test(text) && $from.parentOffset === text.length;
  return {
    slash: isSlash ? { from: $from.start(), query: text.slice(1) } : null,
    emptyLineAt: text === '' ? $from.pos : null,
  };
}

import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { isSafeHref } from '../../core/document.js';
import { documentExtensions } from '../../core/document-extensions.js';
import { embedProvider, embedProviderNames } from '../../core/embeds.js';
import { api, type Doc, type MediaItem } from '../api.js';
import { useLoad } from '../use-load.js';
import { cleanPastedHtml } from './paste-html.js';

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
}: {
  value: Doc;
  onChange: (doc: Doc) => void;
  label: string;
  /** Shown, not changed: the text cannot be typed in (the toolbar sits in the form's disabled fieldset). */
  isReadOnly?: boolean;
}): ReactNode {
  const labelId = useId();
  const editor = useEditor({
    extensions: documentExtensions,
    content: value,
    editable: !isReadOnly,
    // The admin's CSP forbids inline <style>: the editor's styles live in admin.css.
    injectCSS: false,
    editorProps: {
      // Clipboard HTML from Docs, Word, LibreOffice or a web page, reduced to
      // what the schema holds before ProseMirror reads it (see paste-html.ts).
      transformPastedHTML: cleanPastedHtml,
      attributes: {
        'aria-labelledby': labelId,
        'aria-multiline': 'true',
        role: 'textbox',
        class: 'body-editor',
      },
    },
    onUpdate: ({ editor: current }) => onChange(current.getJSON() as Doc),
  });
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
    }),
  });
  // Rights change with the article's state (submitted, trashed, restored): follow them.
  useEffect(() => {
    // Without emitting an update: a change of rights is not an edit to save.
    if (editor && editor.isEditable === isReadOnly) editor.setEditable(!isReadOnly, false);
  }, [editor, isReadOnly]);
  const [panel, setPanel] = useState<'none' | 'link' | 'quote' | 'image' | 'embed'>('none');
  const media = useLoad(
    () => api<{ media: MediaItem[] }>('GET', '/media'),
    panel === 'image' ? 'open' : 'closed',
  );
  const [mediaId, setMediaId] = useState('');
  const [embedUrl, setEmbedUrl] = useState('');
  const [embedTitle, setEmbedTitle] = useState('');
  const [href, setHref] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [source, setSource] = useState('');
  const [sourceUrl, setSourceUrl] = useState('');
  const [problem, setProblem] = useState('');
  if (!editor) return null;

  const tool = (name: string, isActive: boolean, run: () => void) => (
    <button type="button" aria-pressed={isActive} onClick={run}>
      {name}
    </button>
  );
  const applyLink = () => {
    if (href === '') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
    } else if (!isSafeHref(href)) {
      setProblem('A link must start with https://, http://, mailto: or /');
      return;
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
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

  const insertImage = () => {
    const item = media.data?.media.find((candidate) => String(candidate.id) === mediaId);
    if (!item) {
      setProblem('Choose a photo from the library (upload one under Lead photo first).');
      return;
    }
    // Shown in the editor only: readers get the record's current alt, caption and credit.
    const attrs = {
      mediaId: item.id,
      src: item.url,
      alt: item.alt,
      caption: item.caption,
      credit: item.creditLine,
    };
    editor.chain().focus().insertContent({ type: 'image', attrs }).run();
    setProblem('');
    setPanel('none');
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
    setEmbedUrl('');
    setEmbedTitle('');
    setProblem('');
    setPanel('none');
  };

  return (
    <div className="body-field">
      <span id={labelId} className="field-label">
        {label}
      </span>
      <div className="toolbar" role="toolbar" aria-label="Formatting">
        {tool('Paragraph', false, () => editor.chain().focus().setParagraph().run())}
        {tool('Heading', state?.isH2 ?? false, () =>
          editor.chain().focus().toggleHeading({ level: 2 }).run(),
        )}
        {tool('Subheading', state?.isH3 ?? false, () =>
          editor.chain().focus().toggleHeading({ level: 3 }).run(),
        )}
        {tool('Bold', state?.isBold ?? false, () => editor.chain().focus().toggleBold().run())}
        {tool('Italic', state?.isItalic ?? false, () =>
          editor.chain().focus().toggleItalic().run(),
        )}
        {tool('Link', state?.isLink ?? false, () => {
          setHref(String(editor.getAttributes('link').href ?? ''));
          setPanel(panel === 'link' ? 'none' : 'link');
        })}
        {tool('Bulleted list', state?.isBulletList ?? false, () =>
          editor.chain().focus().toggleBulletList().run(),
        )}
        {tool('Numbered list', state?.isOrderedList ?? false, () =>
          editor.chain().focus().toggleOrderedList().run(),
        )}
        {tool('Quote with speaker', state?.isQuote ?? false, () => {
          const attrs = editor.getAttributes('quote');
          setSpeaker(String(attrs.speaker ?? ''));
          setSource(String(attrs.source ?? ''));
          setSourceUrl(String(attrs.sourceUrl ?? ''));
          setPanel(panel === 'quote' ? 'none' : 'quote');
        })}
        {tool('Pull quote', state?.isPullQuote ?? false, () =>
          editor.chain().focus().toggleBlockquote().run(),
        )}
        {tool('Divider', false, () => editor.chain().focus().setHorizontalRule().run())}
        {tool('Table', state?.isTable ?? false, () =>
          editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
        )}
        {tool('Photo', false, () => setPanel(panel === 'image' ? 'none' : 'image'))}
        {tool('Embed', false, () => setPanel(panel === 'embed' ? 'none' : 'embed'))}
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
            <input type="url" value={href} onChange={(e) => setHref(e.target.value)} />
          </label>
          <button type="button" onClick={applyLink}>
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
      {panel === 'image' ? (
        <div className="tool-panel">
          <label>
            Photo from the library
            <select value={mediaId} onChange={(e) => setMediaId(e.target.value)}>
              <option value="">Choose a photo</option>
              {media.data?.media.map((item) => (
                <option key={item.id} value={String(item.id)}>
                  {item.caption || item.alt}{' '}
                  {item.creditLine ? `(${item.creditLine})` : '(no credit)'}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={insertImage}>
            Insert photo
          </button>
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
      <EditorContent editor={editor} />
    </div>
  );
}

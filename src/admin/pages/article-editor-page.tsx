import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import type { ArticleSnapshot } from '../../core/article-detail.js';
import {
  ApiFailure,
  type Article,
  api,
  type Doc,
  type MediaItem,
  messageOf,
  type Person,
  type Section,
  type Session,
  STATUS_LABELS,
} from '../api.js';
import { navigate } from '../app.js';
import { BodyEditor } from '../editor/body-editor.js';
import { LeadImagePicker } from '../editor/lead-image-picker.js';
import { RevisionsPanel } from '../editor/revisions-panel.js';
import { readableArticle, TextDiff } from '../editor/text-diff.js';
import { TransitionsPanel } from '../editor/transitions-panel.js';
import { TranslationsPanel } from '../editor/translations-panel.js';
import { SectionOptions } from '../section-options.js';
import { formatTagList, parseTagList } from '../tag-list.js';
import { useLoad } from '../use-load.js';

/** The editable content: core's revision snapshot, with a Tiptap body. */
type Draft = Omit<ArticleSnapshot, 'body'> & { body: Doc };

const EMPTY_BODY: Doc = { type: 'doc', content: [{ type: 'paragraph' }] };
const AUTOSAVE_MS = 4000;

function draftOf(article: Article): Draft {
  const { title, standfirst, section, language, slug, body, authors, sources, tags, leadMediaId } =
    article;
  return { title, standfirst, section, language, slug, body, authors, sources, tags, leadMediaId };
}

/**
 * Writes and edits one article. Saves name the version they were made on; a
 * conflict shows what the other person saved instead of overwriting it. Drafts
 * save themselves a few seconds after the last change.
 */
export function ArticleEditorPage({
  id,
  session,
}: {
  id: number | null;
  session: Session;
}): ReactNode {
  const [article, setArticle] = useState<Article | null>(null);
  const [draft, setDraft] = useState<Draft>({
    title: '',
    standfirst: '',
    section: '',
    language: 'en',
    slug: '',
    body: EMPTY_BODY,
    authors: [],
    sources: [],
    tags: [],
    leadMediaId: null,
  });
  const [isDirty, setDirty] = useState(false);
  const [status, setStatus] = useState('');
  const [conflict, setConflict] = useState<Article | null>(null);
  const [loadError, setLoadError] = useState('');
  // Bumped whenever the body is replaced from outside (load, conflict, restore): remounts the editor.
  const [bodyKey, setBodyKey] = useState(0);
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const people = useLoad(() => api<{ people: Person[] }>('GET', '/people'), 'people');
  const media = useLoad(() => api<{ media: MediaItem[] }>('GET', '/media'), 'media');
  const savingRef = useRef(false);

  useEffect(() => {
    if (id === null) return;
    api<Article>('GET', `/articles/${id}`).then(
      (loaded) => {
        setArticle(loaded);
        setDraft(draftOf(loaded));
        setBodyKey((n) => n + 1);
      },
      (failure: unknown) => setLoadError(messageOf(failure)),
    );
  }, [id]);

  const change = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setDirty(true);
  };

  const save = useCallback(async () => {
    if (savingRef.current) return;
    savingRef.current = true;
    setStatus('Saving…');
    try {
      const body = {
        title: draft.title,
        standfirst: draft.standfirst,
        section: draft.section,
        language: draft.language,
        body: draft.body,
        authors: draft.authors.map(({ personId, label }) => ({ personId, label })),
        sources: draft.sources.filter((source) => source.name.trim() !== ''),
        tags: draft.tags,
        leadMediaId: draft.leadMediaId,
      };
      if (article === null) {
        const created = await api<Article>('POST', '/articles', {
          ...body,
          ...(body.authors.length === 0 ? { authors: undefined } : {}),
        });
        setArticle(created);
        setDraft(draftOf(created));
        navigate(`/articles/${created.id}`);
      } else {
        const saved = await api<Article>('PATCH', `/articles/${article.id}`, {
          version: article.version,
          ...body,
          ...(article.isSlugEditable && draft.slug ? { slug: draft.slug } : {}),
        });
        setArticle(saved);
      }
      setDirty(false);
      setStatus(`Saved at ${new Date().toLocaleTimeString()}`);
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.error.code === 'version_conflict') {
        setConflict((failure.error.current as Article | undefined) ?? null);
        setStatus('Not saved: someone else changed this article.');
      } else {
        setStatus(`Not saved: ${messageOf(failure)}`);
      }
    } finally {
      savingRef.current = false;
    }
  }, [article, draft]);

  // Autosave drafts (never a published article: publishing changes go out deliberately).
  useEffect(() => {
    const isDraftLike = article?.status === 'draft';
    if (!isDirty || !isDraftLike || conflict) return;
    const timer = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [isDirty, article, conflict, save]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };

  if (loadError) return <p role="alert">{loadError}</p>;
  if (id !== null && article === null) return <p>Loading…</p>;

  return (
    <>
      <h1 tabIndex={-1}>{article ? draft.title || 'Untitled article' : 'New article'}</h1>
      {article ? (
        <p className="article-state">
          <span className={`status status-${article.status}`}>{STATUS_LABELS[article.status]}</span>{' '}
          · version {article.version} · address <code>{article.url}</code>
          {article.status === 'published' ? (
            <>
              {' '}
              · <a href={article.url}>view on the site</a>
            </>
          ) : null}
        </p>
      ) : null}
      {article?.agency ? <AgencyNotice agency={article.agency} /> : null}
      {conflict ? (
        <div className="conflict" role="alert">
          <h2>Someone else saved this article while you were editing</h2>
          <p>
            Their version {conflict.version} has the headline “{conflict.title}”. Your changes are
            still here and have not been saved. Copy what you need, then load their version to
            continue from it.
          </p>
          <h3>What differs: their version (struck through) against yours (underlined)</h3>
          <TextDiff before={readableArticle(conflict)} after={readableArticle(draft)} />
          <button
            type="button"
            onClick={() => {
              setArticle(conflict);
              setDraft(draftOf(conflict));
              setConflict(null);
              setDirty(false);
              setBodyKey((n) => n + 1);
              setStatus('Loaded the latest version.');
            }}
          >
            Load their version
          </button>
        </div>
      ) : null}
      <div className="editor-layout">
        <form className="article-form" onSubmit={submit}>
          <label>
            Headline
            <input required value={draft.title} onChange={(e) => change('title', e.target.value)} />
          </label>
          <label>
            Standfirst
            <textarea
              rows={2}
              value={draft.standfirst}
              onChange={(e) => change('standfirst', e.target.value)}
            />
          </label>
          <div className="field-row">
            <label>
              Section
              <select
                required
                value={draft.section}
                disabled={article !== null && !article.isSlugEditable}
                onChange={(e) => change('section', e.target.value)}
              >
                <option value="">Choose a section</option>
                <SectionOptions sections={sections.data?.sections ?? []} />
              </select>
            </label>
            <label>
              Language
              <select value={draft.language} onChange={(e) => change('language', e.target.value)}>
                <option value="en">English</option>
                <option value="ru">Russian</option>
              </select>
            </label>
            {article?.isSlugEditable ? (
              <label>
                Address (slug)
                <input
                  value={draft.slug}
                  pattern="[a-z0-9]+(-[a-z0-9]+)*"
                  onChange={(e) => change('slug', e.target.value)}
                />
              </label>
            ) : null}
          </div>
          <AuthorsField
            people={people.data?.people ?? []}
            authors={draft.authors}
            onChange={(authors) => change('authors', authors)}
            defaultNote={
              article === null ? `Leave empty to sign it yourself (${session.user.name}).` : ''
            }
          />
          <LeadImagePicker
            media={media.data?.media ?? []}
            value={draft.leadMediaId}
            onChange={(leadMediaId) => change('leadMediaId', leadMediaId)}
            onUploaded={media.reload}
          />
          <BodyEditor
            key={bodyKey}
            label="Article text"
            value={draft.body}
            onChange={(body) => change('body', body)}
          />
          <SourcesField
            sources={draft.sources}
            onChange={(sources) => change('sources', sources)}
          />
          <TagsField tags={draft.tags} onChange={(tags) => change('tags', tags)} />
          <p className="save-bar">
            <button type="submit">{article ? 'Save' : 'Create draft'}</button>{' '}
            <span role="status" aria-live="polite">
              {status || (isDirty ? 'Unsaved changes' : '')}
            </span>
          </p>
        </form>
        {article ? (
          <aside className="editor-side" aria-label="Workflow and history">
            <TransitionsPanel article={article} onChanged={setArticle} isDirty={isDirty} />
            <TranslationsPanel article={article} onChanged={setArticle} />
            <RevisionsPanel
              article={article}
              onRestored={(restored) => {
                setArticle(restored);
                setDraft(draftOf(restored));
                setDirty(false);
                setBodyKey((n) => n + 1);
              }}
            />
          </aside>
        ) : null}
      </div>
    </>
  );
}

function AuthorsField({
  people,
  authors,
  onChange,
  defaultNote,
}: {
  people: Person[];
  authors: Draft['authors'];
  onChange: (authors: Draft['authors']) => void;
  defaultNote: string;
}): ReactNode {
  const [pick, setPick] = useState('');
  const add = () => {
    const person = people.find((candidate) => String(candidate.id) === pick);
    if (!person || authors.some((author) => author.personId === person.id)) return;
    onChange([...authors, { personId: person.id, name: person.name, label: null }]);
    setPick('');
  };
  return (
    <fieldset>
      <legend>Bylines</legend>
      {defaultNote ? <p className="hint">{defaultNote}</p> : null}
      <ul className="byline-list">
        {authors.map((author, index) => (
          <li key={author.personId}>
            <label>
              Credit for {author.name} (e.g. “Translated by”; empty for a plain byline)
              <input
                value={author.label ?? ''}
                onChange={(e) =>
                  onChange(
                    authors.map((a, i) =>
                      i === index ? { ...a, label: e.target.value || null } : a,
                    ),
                  )
                }
              />
            </label>
            <button type="button" onClick={() => onChange(authors.filter((_, i) => i !== index))}>
              Remove {author.name}
            </button>
          </li>
        ))}
      </ul>
      <label>
        Add a byline
        <select value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">Choose a person</option>
          {people.map((person) => (
            <option key={person.id} value={String(person.id)}>
              {person.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={add}>
        Add
      </button>
    </fieldset>
  );
}

function SourcesField({
  sources,
  onChange,
}: {
  sources: Draft['sources'];
  onChange: (sources: Draft['sources']) => void;
}): ReactNode {
  return (
    <fieldset>
      <legend>Sources cited</legend>
      <ul className="source-list">
        {sources.map((source, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: sources have no identity before they are saved
          <li key={index}>
            <label>
              Source name
              <input
                value={source.name}
                onChange={(e) =>
                  onChange(
                    sources.map((s, i) => (i === index ? { ...s, name: e.target.value } : s)),
                  )
                }
              />
            </label>
            <label>
              Link (optional)
              <input
                type="url"
                value={source.url ?? ''}
                onChange={(e) =>
                  onChange(
                    sources.map((s, i) =>
                      i === index ? { ...s, url: e.target.value || null } : s,
                    ),
                  )
                }
              />
            </label>
            <button type="button" onClick={() => onChange(sources.filter((_, i) => i !== index))}>
              Remove source
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onChange([...sources, { name: '', url: null }])}>
        Add a source
      </button>
    </fieldset>
  );
}

function TagsField({
  tags,
  onChange,
}: {
  tags: string[];
  onChange: (tags: string[]) => void;
}): ReactNode {
  // The text is kept as typed ("Budget, " while a second tag is on its way);
  // deriving it from `tags` on every keystroke would eat the trailing comma.
  const [text, setText] = useState(() => formatTagList(tags));
  useEffect(() => {
    // Tags replaced from outside (loaded, restored, cleaned up by the server):
    // show them instead of what was typed.
    const typed = parseTagList(text);
    const isSame = typed.length === tags.length && typed.every((tag, i) => tag === tags[i]);
    if (!isSame) setText(formatTagList(tags));
  }, [tags, text]);
  return (
    <label>
      Tags (separated by commas)
      <input
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseTagList(e.target.value));
        }}
      />
    </label>
  );
}

/** What the agency says about wire copy: a withdrawn story must not run, an embargoed one not early. */
function AgencyNotice({
  agency,
}: {
  agency: { status: string; embargoUntil: string | null };
}): ReactNode {
  const withdrawn = agency.status === 'withheld' || agency.status === 'canceled';
  const embargo = agency.embargoUntil ? new Date(agency.embargoUntil).toLocaleString() : null;
  return (
    <div
      className={withdrawn ? 'agency-notice withdrawn' : 'agency-notice'}
      role={withdrawn ? 'alert' : undefined}
    >
      <p>
        <strong>Agency copy.</strong>{' '}
        {withdrawn
          ? `The agency has ${agency.status} this story: it cannot be published.`
          : 'Rewrite it in the newsroom’s voice, add a byline, then publish.'}
        {embargo && !withdrawn
          ? ` Embargoed until ${embargo}: it cannot be published or scheduled earlier.`
          : ''}
      </p>
    </div>
  );
}

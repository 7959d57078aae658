import {
  type FormEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { LANGUAGES, type Language, type Localized } from '../../core/types.js';
import {
  ApiFailure,
  api,
  type Doc,
  messageOf,
  type Section,
  type SiteSettings,
  sectionLabel,
} from '../api.js';
import { BodyEditor } from '../editor/body-editor.js';
import { languageName } from '../languages.js';
import { SortHeader } from '../sort-header.js';
import { compareText, nextSort, type SortState, sortRows } from '../sorting.js';
import { TableScroll } from '../table-scroll.js';
import { useLoad } from '../use-load.js';
import { MenusPanel } from './menus-panel.js';
import { TagsPanel } from './tags-panel.js';

// The section tree and the static pages (editors and the editor-in-chief).
// Addresses are permanent: a section's path and a page's slug are chosen once,
// at creation, because article URLs and footer links are built from them.

type ManagedSection = Section & {
  slug: string;
  position: number;
  /** Its names on pages in other languages; `name` is the site language's. */
  names: Localized;
};

type SectionChange = { name?: string; names?: Localized; position?: number };

type Sections = ReturnType<typeof useSections>;

function useSections() {
  return useLoad(() => api<{ sections: ManagedSection[] }>('GET', '/sections'), 'sections');
}

/** The site's own language, or null until it is known (the API's answer is a plain string). */
function useSiteLanguage(): { language: Language | null; error: string } {
  const settings = useLoad(() => api<SiteSettings>('GET', '/settings/site'), 'site-settings');
  const code = settings.data?.language;
  const language = LANGUAGES.find((candidate) => candidate === code) ?? null;
  return { language, error: settings.error };
}

type PageKind = 'page' | 'legal' | 'masthead';

type PageSummary = {
  id: number;
  slug: string;
  title: string;
  kind: PageKind;
  language: string;
  url: string;
};

type PageDetail = PageSummary & { body: Doc };

const KIND_LABELS: Record<PageKind, string> = {
  page: 'Page',
  legal: 'Legal (linked from the footer)',
  masthead: 'Masthead (also lists the staff)',
};

const EMPTY_BODY: Doc = { type: 'doc', content: [{ type: 'paragraph' }] };

function apiPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Sections and pages: add, rename (in every language) and reorder sections;
 * the menus of each language; tags; write and edit static pages.
 */
export function SitePage(): ReactNode {
  const sections = useSections();
  const site = useSiteLanguage();
  return (
    <>
      <h1 tabIndex={-1}>Sections and pages</h1>
      {site.error ? <p role="alert">{site.error}</p> : null}
      <SectionsPanel sections={sections} siteLanguage={site.language} />
      {site.language ? (
        <MenusPanel siteLanguage={site.language} sections={sections.data?.sections ?? []} />
      ) : null}
      <TagsPanel />
      <PagesPanel />
    </>
  );
}

function SectionsPanel({
  sections,
  siteLanguage,
}: {
  sections: Sections;
  /** Null until known: the fields for other languages wait for it. */
  siteLanguage: Language | null;
}): ReactNode {
  const otherLanguages = LANGUAGES.filter((code) => siteLanguage && code !== siteLanguage);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  // After a move the list re-renders in the new order: once the reloaded list is
  // shown, the keyboard goes back to the moved section's first enabled move button.
  const pendingFocus = useRef<{ ids: string[]; staleData: unknown } | null>(null);
  const all = sections.data?.sections ?? [];

  useLayoutEffect(() => {
    const pending = pendingFocus.current;
    if (!pending || sections.data === pending.staleData) return;
    pendingFocus.current = null;
    for (const id of pending.ids) {
      const target = document.getElementById(id);
      if (target instanceof HTMLButtonElement && !target.disabled) {
        target.focus();
        break;
      }
    }
  }, [sections.data]);

  const change = async (
    section: ManagedSection,
    body: SectionChange,
    done: string,
  ): Promise<true | ApiFailure | null> => {
    try {
      await api('PATCH', `/sections/${apiPath(section.path)}`, body);
      setProblem('');
      setStatus(done);
      sections.reload();
      return true;
    } catch (failure) {
      setStatus('');
      setProblem(messageOf(failure));
      return failure instanceof ApiFailure ? failure : null;
    }
  };

  const move = async (section: ManagedSection, siblings: ManagedSection[], step: -1 | 1) => {
    const position = siblings.findIndex((sibling) => sibling.id === section.id) + step;
    const same = step < 0 ? 'up' : 'down';
    const other = step < 0 ? 'down' : 'up';
    pendingFocus.current = {
      ids: [`move-${same}-${section.id}`, `move-${other}-${section.id}`],
      staleData: sections.data,
    };
    const isMoved = await change(
      section,
      { position },
      `${section.name} moved ${same}, to place ${position + 1} of ${siblings.length}.`,
    );
    if (isMoved !== true) pendingFocus.current = null;
  };

  const renderLevel = (parentId: number | null): ReactNode => {
    const siblings = all.filter((section) => section.parentId === parentId);
    if (siblings.length === 0) return null;
    return (
      <ul>
        {siblings.map((section, index) => (
          <li key={section.id}>
            <SectionRow
              section={section}
              label={sectionLabel(section.path, all)}
              isFirst={index === 0}
              isLast={index === siblings.length - 1}
              otherLanguages={otherLanguages}
              onSave={(body) => change(section, body, savedSentence(section, body))}
              onUnchanged={() => {
                setProblem('');
                setStatus(`Nothing to save: the names of ${section.name} are as they were.`);
              }}
              onMove={(step) => void move(section, siblings, step)}
            />
            {renderLevel(section.id)}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <section aria-labelledby="sections-heading">
      <h2 id="sections-heading">Sections</h2>
      <p className="hint">
        A section keeps its address for good, so links to its articles never break; renaming changes
        only the name readers see.
        {otherLanguages.length > 0
          ? ` Its name in ${otherLanguages.map(languageName).join(' and ')} is what pages in that language show; left empty, they show the main name.`
          : ''}
      </p>
      {sections.error ? <p role="alert">{sections.error}</p> : null}
      <p className="form-error" role="alert">
        {problem}
      </p>
      <p role="status">{status}</p>
      {renderLevel(null)}
      <AddSectionForm
        sections={all}
        onAdded={(section) => {
          setProblem('');
          setStatus(`Section ${section.name} added at /${section.path}.`);
          sections.reload();
        }}
      />
    </section>
  );
}

/** What the status line says after a section's names or place changed. */
function savedSentence(section: ManagedSection, body: SectionChange): string {
  const parts: string[] = [];
  if (body.name !== undefined) parts.push(`Renamed to ${body.name}.`);
  if (body.names !== undefined)
    parts.push(`Names of ${body.name ?? section.name} in other languages saved.`);
  return parts.join(' ');
}

/** The names shown in a row's fields: every other language, empty where it has none. */
function namesOnScreen(names: Localized, languages: readonly Language[]): Record<string, string> {
  return Object.fromEntries(languages.map((code) => [code, names[code] ?? '']));
}

function SectionRow({
  section,
  label,
  isFirst,
  isLast,
  otherLanguages,
  onSave,
  onUnchanged,
  onMove,
}: {
  section: ManagedSection;
  label: string;
  isFirst: boolean;
  isLast: boolean;
  /** The languages besides the site's, each with a field for the section's name in it. */
  otherLanguages: readonly Language[];
  onSave: (body: SectionChange) => Promise<true | ApiFailure | null>;
  onUnchanged: () => void;
  onMove: (step: -1 | 1) => void;
}): ReactNode {
  const [name, setName] = useState(section.name);
  const stored = section.names ?? {};
  const storedKey = JSON.stringify(stored);
  const [names, setNames] = useState(() => namesOnScreen(stored, otherLanguages));
  // The server's refusal of one of the names, shown at its field ("names.ru").
  const [nameError, setNameError] = useState<{ field: string; message: string } | null>(null);
  const errorId = useId();
  // A rename elsewhere (or a reload) brings new names: show them.
  useEffect(() => setName(section.name), [section.name]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the stored names, compared by their JSON
  useEffect(
    () => setNames(namesOnScreen(JSON.parse(storedKey) as Localized, otherLanguages)),
    [storedKey, otherLanguages.join()],
  );
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const body: SectionChange = {};
    if (name.trim() !== section.name) body.name = name.trim();
    const changed = otherLanguages.some(
      (code) => (names[code] ?? '').trim() !== (stored[code] ?? ''),
    );
    // Names in languages without a field here (none today) are sent back as they are.
    if (changed) body.names = { ...stored, ...names };
    if (body.name === undefined && body.names === undefined) {
      onUnchanged();
      return;
    }
    const result = await onSave(body);
    const field = result instanceof ApiFailure ? result.error.field : undefined;
    setNameError(
      result instanceof ApiFailure && field?.startsWith('names.')
        ? { field, message: result.error.message.replace(`${field}: `, '') }
        : null,
    );
  };
  return (
    <form className="inline-form" onSubmit={(event) => void save(event)}>
      <label>
        Name of {label} <code>/{section.path}</code>
        <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      {otherLanguages.map((code) => {
        const isWrong = nameError?.field === `names.${code}`;
        return (
          <label key={code}>
            Name in {languageName(code)}
            <span className="visually-hidden"> of {label}</span>
            <input
              maxLength={200}
              value={names[code] ?? ''}
              placeholder={section.name}
              aria-invalid={isWrong || undefined}
              aria-describedby={isWrong ? errorId : undefined}
              onChange={(e) => setNames((current) => ({ ...current, [code]: e.target.value }))}
            />
            {isWrong ? (
              <span id={errorId} className="form-error section-name-error">
                {nameError.message}
              </span>
            ) : null}
          </label>
        );
      })}
      <p>
        <button type="submit">
          {otherLanguages.length > 0 ? 'Save names' : 'Rename'}
          <span className="visually-hidden">
            {otherLanguages.length > 0 ? ' of ' : ' '}
            {label}
          </span>
        </button>{' '}
        <button
          type="button"
          id={`move-up-${section.id}`}
          disabled={isFirst}
          onClick={() => onMove(-1)}
        >
          Move up<span className="visually-hidden"> {label}</span>
        </button>{' '}
        <button
          type="button"
          id={`move-down-${section.id}`}
          disabled={isLast}
          onClick={() => onMove(1)}
        >
          Move down<span className="visually-hidden"> {label}</span>
        </button>
      </p>
    </form>
  );
}

function AddSectionForm({
  sections,
  onAdded,
}: {
  sections: ManagedSection[];
  onAdded: (section: ManagedSection) => void;
}): ReactNode {
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const [slug, setSlug] = useState('');
  const [problem, setProblem] = useState('');
  const slugHintId = useId();
  const headingId = useId();
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const created = await api<ManagedSection>('POST', '/sections', {
        name,
        parent: parent === '' ? null : parent,
        ...(slug.trim() === '' ? {} : { slug: slug.trim() }),
      });
      setName('');
      setSlug('');
      setProblem('');
      onAdded(created);
    } catch (failure) {
      setProblem(messageOf(failure));
    }
  };
  return (
    <form aria-labelledby={headingId} onSubmit={(event) => void add(event)}>
      <h3 id={headingId}>Add a section</h3>
      <div className="field-row">
        <label>
          Name
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Inside
          <select value={parent} onChange={(e) => setParent(e.target.value)}>
            <option value="">Top level</option>
            {sections.map((section) => (
              <option key={section.id} value={section.path}>
                {sectionLabel(section.path, sections)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Address (optional)
          <input
            value={slug}
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            aria-describedby={slugHintId}
            onChange={(e) => setSlug(e.target.value)}
          />
          <span id={slugHintId} className="hint">
            Lower-case letters, digits and hyphens; made from the name when empty. It cannot be
            changed later.
          </span>
        </label>
      </div>
      <p>
        <button type="submit">Add section</button>
      </p>
      <p className="form-error" role="alert">
        {problem}
      </p>
    </form>
  );
}

type PageColumn = 'title' | 'url' | 'kind' | 'language';

const PAGE_COLUMNS: Record<
  PageColumn,
  { label: string; compare: (a: PageSummary, b: PageSummary) => number }
> = {
  title: { label: 'Title', compare: (a, b) => compareText(a.title, b.title) },
  url: { label: 'Address', compare: (a, b) => compareText(a.url, b.url) },
  kind: { label: 'Kind', compare: (a, b) => compareText(KIND_LABELS[a.kind], KIND_LABELS[b.kind]) },
  language: { label: 'Language', compare: (a, b) => compareText(a.language, b.language) },
};

function PagesPanel(): ReactNode {
  const pages = useLoad(() => api<{ pages: PageSummary[] }>('GET', '/pages'), 'pages');
  // Until a header is pressed, pages stay in the order they were added (their position);
  // sorting keeps that order among pages that compare equal.
  const [sort, setSort] = useState<SortState<PageColumn>>(null);
  const shownPages = sort
    ? sortRows(pages.data?.pages ?? [], PAGE_COLUMNS[sort.key].compare, sort.direction)
    : (pages.data?.pages ?? []);
  const header = (column: PageColumn) => (
    <SortHeader
      label={PAGE_COLUMNS[column].label}
      column={column}
      sort={sort}
      onSort={(key) => setSort(nextSort(sort, key))}
    />
  );
  // The open form, if any: the page it edits (null for a new one), and a number
  // that is new on every opening, so "New page" twice gives a fresh form.
  const [editing, setEditing] = useState<{ slug: string | null; opening: number } | null>(null);
  const open = (slug: string | null) =>
    setEditing((current) => ({ slug, opening: (current?.opening ?? 0) + 1 }));
  const headingRef = useRef<HTMLHeadingElement>(null);
  const close = () => {
    setEditing(null);
    headingRef.current?.focus();
  };
  return (
    <section aria-labelledby="pages-heading">
      <h2 id="pages-heading" ref={headingRef} tabIndex={-1}>
        Pages
      </h2>
      {pages.error ? <p role="alert">{pages.error}</p> : null}
      <TableScroll label="Table of pages">
        <table>
          <caption className="visually-hidden">
            {sort
              ? `Static pages, sorted by ${PAGE_COLUMNS[sort.key].label.toLowerCase()} (${sort.direction === 'asc' ? 'ascending' : 'descending'}).`
              : 'Static pages, in the order they were added.'}{' '}
            The column headers are buttons that sort the table.
          </caption>
          <thead>
            <tr>
              {header('title')}
              {header('url')}
              {header('kind')}
              {header('language')}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shownPages.map((page) => (
              <tr key={page.id}>
                <td>{page.title}</td>
                <td>
                  <a href={page.url}>{page.url}</a>
                </td>
                <td>{KIND_LABELS[page.kind]}</td>
                <td>{page.language}</td>
                <td>
                  <button type="button" onClick={() => open(page.slug)}>
                    Edit<span className="visually-hidden"> {page.title}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p>
        <button type="button" onClick={() => open(null)}>
          New page
        </button>
      </p>
      {editing !== null ? (
        <PageForm
          key={editing.opening}
          initialSlug={editing.slug}
          onSaved={pages.reload}
          onClose={close}
        />
      ) : null}
    </section>
  );
}

type PageDraft = { title: string; slug: string; kind: PageKind; language: string; body: Doc };

function PageForm({
  initialSlug,
  onSaved,
  onClose,
}: {
  /** The page to edit, or null to write a new one. */
  initialSlug: string | null;
  onSaved: () => void;
  onClose: () => void;
}): ReactNode {
  // Null until the page is created: the first save creates it, later ones change it.
  const [slug, setSlug] = useState(initialSlug);
  const [draft, setDraft] = useState<PageDraft | null>(
    initialSlug === null
      ? { title: '', slug: '', kind: 'page', language: 'en', body: EMPTY_BODY }
      : null,
  );
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const slugHintId = useId();

  useEffect(() => {
    if (initialSlug === null) return;
    api<PageDetail>('GET', `/pages/${encodeURIComponent(initialSlug)}`).then(
      ({ title, kind, language, body }) =>
        setDraft({ title, slug: initialSlug, kind, language, body }),
      (failure: unknown) => setProblem(messageOf(failure)),
    );
  }, [initialSlug]);

  // Opening the form takes the keyboard to it, below the list. A layout effect moves focus before
  // the form can be used, so it never takes focus out of a field already being typed in.
  const isLoaded = draft !== null;
  useLayoutEffect(() => {
    if (isLoaded) headingRef.current?.focus();
  }, [isLoaded]);

  const set = <K extends keyof PageDraft>(key: K, value: PageDraft[K]) => {
    setDraft((current) => (current ? { ...current, [key]: value } : current));
    setStatus('');
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    const fields = {
      title: draft.title,
      kind: draft.kind,
      language: draft.language,
      body: draft.body,
    };
    try {
      const saved =
        slug === null
          ? await api<PageDetail>('POST', '/pages', {
              ...fields,
              ...(draft.slug.trim() === '' ? {} : { slug: draft.slug.trim() }),
            })
          : await api<PageDetail>('PATCH', `/pages/${encodeURIComponent(slug)}`, fields);
      setSlug(saved.slug);
      setDraft({ ...draft, slug: saved.slug, title: saved.title });
      setProblem('');
      setStatus(slug === null ? `Created; readers find it at ${saved.url}.` : 'Saved.');
      onSaved();
    } catch (failure) {
      setStatus('');
      setProblem(messageOf(failure));
    }
  };

  return (
    <form className="page-form" onSubmit={(event) => void save(event)}>
      <h3 ref={headingRef} tabIndex={-1}>
        {slug === null ? 'New page' : `Edit the page /${slug}`}
      </h3>
      {draft ? (
        <>
          <label>
            Title
            <input
              required
              maxLength={300}
              value={draft.title}
              onChange={(e) => set('title', e.target.value)}
            />
          </label>
          <div className="field-row">
            {slug === null ? (
              <label>
                Address (optional)
                <input
                  value={draft.slug}
                  pattern="[a-z0-9]+(-[a-z0-9]+)*"
                  aria-describedby={slugHintId}
                  onChange={(e) => set('slug', e.target.value)}
                />
                <span id={slugHintId} className="hint">
                  Made from the title when empty. It cannot be changed later.
                </span>
              </label>
            ) : null}
            <label>
              Kind
              <select value={draft.kind} onChange={(e) => set('kind', e.target.value as PageKind)}>
                {(Object.keys(KIND_LABELS) as PageKind[]).map((kind) => (
                  <option key={kind} value={kind}>
                    {KIND_LABELS[kind]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Language code
              <input
                required
                value={draft.language}
                pattern="[a-z]{2,3}(-[A-Za-z0-9]{2,8})?"
                onChange={(e) => set('language', e.target.value)}
              />
            </label>
          </div>
          <BodyEditor label="Page text" value={draft.body} onChange={(body) => set('body', body)} />
          <p className="save-bar">
            <button type="submit">{slug === null ? 'Create page' : 'Save page'}</button>{' '}
            <button type="button" onClick={onClose}>
              Close
            </button>{' '}
            <span role="status" aria-live="polite">
              {status}
            </span>
          </p>
        </>
      ) : (
        <p className="loading">Loading…</p>
      )}
      <p className="form-error" role="alert">
        {problem}
      </p>
    </form>
  );
}

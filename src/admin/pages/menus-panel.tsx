import {
  type FormEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type { Menu } from '../../core/localized.js';
import { LANGUAGES, type Language, type Localized } from '../../core/types.js';
import { ApiFailure, api, messageOf, type Section } from '../api.js';
import { focusFirst } from '../focus-first.js';
import { languageName } from '../languages.js';
import {
  addLink,
  canAddLink,
  changeLink,
  draftOf,
  inTreeOrder,
  isSameMenu,
  MAX_LABEL,
  MAX_URL,
  MENU_LIMITS,
  MENU_LIST_LABELS,
  MENU_LISTS,
  type MenuDraft,
  type MenuField,
  type MenuListName,
  type MenuRow,
  menuFieldOf,
  menuToSave,
  moveLink,
  removeLink,
  sectionLink,
  sectionTrail,
  withoutFieldPrefix,
} from '../menu-edit.js';

// The main navigation and the footer's own links, one pair per language
// (editors, `page.manage`). Each language is saved on its own; edits to the
// others wait on screen meanwhile.

/** A section with its names in other languages, as GET /api/sections answers. */
export type NamedSection = Section & { names: Localized };

type Menus = Record<Language, Menu>;
type Drafts = Record<Language, MenuDraft>;
/**
 * The server's refusal, kept with the row it names (by the row's key, so it
 * stays with that row when rows move) and where that was, in words.
 */
type Problem = {
  message: string;
  list: MenuListName | null;
  rowKey: number | null;
  key: 'label' | 'url' | null;
  place: string;
};

function byLanguage<T>(make: (language: Language) => T): Record<Language, T> {
  return Object.fromEntries(LANGUAGES.map((language) => [language, make(language)])) as Record<
    Language,
    T
  >;
}

/** "Main navigation, link 2, address": where a server error points, in words. */
function placeOf(at: MenuField): string {
  const list = MENU_LIST_LABELS[at.list];
  if (at.row < 0) return list;
  const field = at.key === 'label' ? ', label' : at.key === 'url' ? ', address' : '';
  return `${list}, link ${at.row + 1}${field}`;
}

export function MenusPanel({
  siteLanguage,
  sections,
}: {
  siteLanguage: Language;
  sections: NamedSection[];
}): ReactNode {
  const [saved, setSaved] = useState<Menus | null>(null);
  const [drafts, setDrafts] = useState<Drafts | null>(null);
  const [loadProblem, setLoadProblem] = useState('');
  const [language, setLanguage] = useState<Language>(siteLanguage);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const isSaving = useRef(false);
  // The element ids to try, in order, once the next render is on screen.
  const pendingFocus = useRef<string[]>([]);
  const base = useId();

  useEffect(() => {
    api<{ menus: Menus }>('GET', '/menus').then(
      ({ menus }) => {
        setSaved(menus);
        setDrafts(byLanguage((code) => draftOf(menus[code])));
      },
      (failure: unknown) => setLoadProblem(messageOf(failure)),
    );
  }, []);

  useLayoutEffect(() => {
    const ids = pendingFocus.current;
    if (ids.length === 0) return;
    pendingFocus.current = [];
    focusFirst(ids);
  });

  if (!saved || !drafts) {
    return (
      <section aria-labelledby="menus-heading">
        <h2 id="menus-heading">Menus</h2>
        {loadProblem ? <p role="alert">{loadProblem}</p> : <p>Loading…</p>}
      </section>
    );
  }

  const draft = drafts[language];
  const idOf = (list: MenuListName, row: MenuRow | undefined, part: string) =>
    row ? `${base}-${list}-${row.key}-${part}` : `${base}-${list}-${part}`;

  const edit = (next: MenuDraft, focus: string[] = []) => {
    setDrafts((current) => (current ? { ...current, [language]: next } : current));
    setStatus('');
    pendingFocus.current = focus;
  };

  const switchTo = (code: Language) => {
    setLanguage(code);
    setProblem(null);
    setStatus('');
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const { menu, rowOf } = menuToSave(draft);
    const savedLanguage = language;
    if (isSaving.current) return;
    isSaving.current = true;
    try {
      const answer = await api<Menu>('PUT', `/menus/${savedLanguage}`, menu);
      setSaved((current) => (current ? { ...current, [savedLanguage]: answer } : current));
      setDrafts((current) =>
        current ? { ...current, [savedLanguage]: draftOf(answer) } : current,
      );
      setProblem(null);
      setStatus(
        `Menus in ${languageName(savedLanguage)} saved: ${answer.main.length} in the main navigation${
          answer.main.length === 0 ? ' (the sections are shown)' : ''
        }, ${answer.footer.length} in the footer.`,
      );
    } catch (failure) {
      const field = failure instanceof ApiFailure ? failure.error.field : undefined;
      const at = menuFieldOf(field, rowOf);
      const row = at && at.row >= 0 ? draft[at.list][at.row] : undefined;
      setStatus('');
      setProblem({
        message: withoutFieldPrefix(messageOf(failure), field),
        list: at?.list ?? null,
        rowKey: row?.key ?? null,
        key: at?.key ?? null,
        place: at ? placeOf(at) : '',
      });
      // The keyboard goes to the field the server names.
      if (at && row) pendingFocus.current = [idOf(at.list, row, at.key ?? 'label')];
    } finally {
      isSaving.current = false;
    }
  };

  const name = languageName(language);
  const topSections = sections
    .filter((section) => section.parentId === null)
    .map((section) => sectionLink(section, language, siteLanguage).label);

  return (
    <section aria-labelledby="menus-heading" className="menus-panel">
      <h2 id="menus-heading">Menus</h2>
      <p className="hint">
        The links at the top of every reader page and the extra links in its footer, made for each
        language. While a language’s main navigation is empty, its pages show the top sections
        instead.
      </p>
      <fieldset className="menu-languages">
        <legend>Menus for pages in</legend>
        {LANGUAGES.map((code) => (
          <button
            key={code}
            type="button"
            aria-pressed={code === language}
            onClick={() => switchTo(code)}
          >
            {languageName(code)}
            {isSameMenu(drafts[code], saved[code]) ? null : (
              <span className="menu-unsaved"> (not saved)</span>
            )}
          </button>
        ))}
      </fieldset>
      <form aria-label={`Menus in ${name}`} onSubmit={(event) => void save(event)}>
        {MENU_LISTS.map((list) => (
          <MenuListEditor
            key={`${language}-${list}`}
            list={list}
            language={language}
            siteLanguage={siteLanguage}
            sections={sections}
            problem={problem?.list === list ? problem : null}
            idOf={idOf}
            note={
              list === 'main' ? (
                draft.main.length === 0 ? (
                  <>
                    Empty, so the sections are shown
                    {topSections.length > 0 ? `: ${topSections.join(', ')}` : ''}. Add links to
                    choose what pages in {name} show instead.
                  </>
                ) : (
                  <>Shown instead of the sections; remove every link to show the sections again.</>
                )
              ) : (
                <>
                  Shown after the links every footer has: the masthead, the legal pages, corrections
                  and newsletters.
                </>
              )
            }
            onEdit={edit}
            draft={draft}
          />
        ))}
        <p className="menu-save">
          <button type="submit" className="primary">
            Save the menus in {name}
          </button>{' '}
          <span role="status">{status}</span>
        </p>
        <p className="form-error" role="alert">
          {problem ? `${problem.place ? `${problem.place}: ` : ''}${problem.message}` : ''}
        </p>
      </form>
    </section>
  );
}

function MenuListEditor({
  list,
  draft,
  language,
  siteLanguage,
  sections,
  problem,
  note,
  idOf,
  onEdit,
}: {
  list: MenuListName;
  draft: MenuDraft;
  language: Language;
  siteLanguage: Language;
  sections: NamedSection[];
  /** The server's refusal when it names this list. */
  problem: Problem | null;
  note: ReactNode;
  idOf: (list: MenuListName, row: MenuRow | undefined, part: string) => string;
  onEdit: (next: MenuDraft, focus?: string[]) => void;
}): ReactNode {
  const [sectionPath, setSectionPath] = useState('');
  const noteId = useId();
  const rows = draft[list];
  const title = MENU_LIST_LABELS[list];
  const lower = title.toLowerCase();
  const isFull = !canAddLink(draft, list);
  const ordered = inTreeOrder(sections);
  const chosen = ordered.find((section) => section.path === sectionPath) ?? ordered[0];

  const add = (next: MenuDraft) => {
    const added = next[list][next[list].length - 1];
    onEdit(next, [idOf(list, added, 'label')]);
  };

  return (
    <fieldset className="menu-list" aria-describedby={noteId}>
      <legend>
        {title} ({rows.length} of {MENU_LIMITS[list]})
      </legend>
      <p id={noteId} className="hint">
        {note}
      </p>
      {problem && problem.rowKey === null ? <p className="form-error">{problem.message}</p> : null}
      {rows.length > 0 ? (
        <ol className="menu-rows">
          {rows.map((row, index) => {
            const error = problem && problem.rowKey === row.key ? problem.message : '';
            const errorId = idOf(list, row, 'error');
            const where = `, link ${index + 1} of the ${lower}`;
            const which = `link ${index + 1}${row.label.trim() ? `, “${row.label.trim()}”` : ''}`;
            const isWrong = (key: 'label' | 'url') =>
              error !== '' && (problem?.key === key || problem?.key === null);
            const fallback = [idOf(list, undefined, 'add')];
            return (
              <li key={row.key} className="menu-row">
                <div className="menu-row-fields">
                  <label className="menu-field">
                    Label<span className="visually-hidden">{where}</span>
                    <input
                      id={idOf(list, row, 'label')}
                      value={row.label}
                      maxLength={MAX_LABEL}
                      aria-invalid={isWrong('label') || undefined}
                      aria-describedby={isWrong('label') ? errorId : undefined}
                      onChange={(event) =>
                        onEdit(changeLink(draft, list, index, { label: event.target.value }))
                      }
                    />
                  </label>
                  <label className="menu-field">
                    Address<span className="visually-hidden">{where}</span>
                    <input
                      id={idOf(list, row, 'url')}
                      value={row.url}
                      maxLength={MAX_URL}
                      inputMode="url"
                      spellCheck={false}
                      autoCapitalize="off"
                      placeholder="/news or https://…"
                      aria-invalid={isWrong('url') || undefined}
                      aria-describedby={isWrong('url') ? errorId : undefined}
                      onChange={(event) =>
                        onEdit(changeLink(draft, list, index, { url: event.target.value }))
                      }
                    />
                  </label>
                </div>
                {error ? (
                  <p id={errorId} className="form-error">
                    {error}
                  </p>
                ) : null}
                <p className="menu-row-actions">
                  <button
                    type="button"
                    id={idOf(list, row, 'up')}
                    disabled={index === 0}
                    onClick={() =>
                      onEdit(moveLink(draft, list, index, index - 1), [
                        idOf(list, row, 'up'),
                        idOf(list, row, 'down'),
                      ])
                    }
                  >
                    Move up<span className="visually-hidden"> {which}</span>
                  </button>{' '}
                  <button
                    type="button"
                    id={idOf(list, row, 'down')}
                    disabled={index === rows.length - 1}
                    onClick={() =>
                      onEdit(moveLink(draft, list, index, index + 1), [
                        idOf(list, row, 'down'),
                        idOf(list, row, 'up'),
                      ])
                    }
                  >
                    Move down<span className="visually-hidden"> {which}</span>
                  </button>{' '}
                  <button
                    type="button"
                    onClick={() =>
                      onEdit(removeLink(draft, list, index), [
                        idOf(list, rows[index + 1], 'remove'),
                        idOf(list, rows[index - 1], 'remove'),
                        ...fallback,
                      ])
                    }
                    id={idOf(list, row, 'remove')}
                  >
                    Remove<span className="visually-hidden"> {which}</span>
                  </button>
                </p>
              </li>
            );
          })}
        </ol>
      ) : null}
      <div className="menu-add">
        <button
          type="button"
          id={idOf(list, undefined, 'add')}
          disabled={isFull}
          onClick={() => add(addLink(draft, list, { label: '', url: '' }))}
        >
          Add link<span className="visually-hidden"> to the {lower}</span>
        </button>
        {ordered.length > 0 ? (
          <>
            <label className="menu-add-section">
              Section<span className="visually-hidden"> to add to the {lower}</span>
              <select
                value={chosen?.path ?? ''}
                onChange={(event) => setSectionPath(event.target.value)}
              >
                {ordered.map((section) => (
                  <option key={section.id} value={section.path}>
                    {sectionTrail(section.path, sections, language)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={isFull || !chosen}
              onClick={() => {
                if (chosen) add(addLink(draft, list, sectionLink(chosen, language, siteLanguage)));
              }}
            >
              Add the section<span className="visually-hidden"> to the {lower}</span>
            </button>
          </>
        ) : null}
      </div>
      {isFull ? (
        <p className="hint">
          The {lower} holds at most {MENU_LIMITS[list]} links; remove one to add another.
        </p>
      ) : null}
    </fieldset>
  );
}

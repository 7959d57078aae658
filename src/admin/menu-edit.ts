import { type Menu, type MenuLink, sectionName } from '../core/localized.js';
import type { Localized } from '../core/types.js';
import { moveItem, removeAt } from './front-layout-edit.js';

// The Menus panel's edits, as pure functions: every one returns a new menu
// (React compares by reference) and leaves the one given alone. Rows carry a
// key of the screen's own, so a moved row keeps its fields and its focus.

export type MenuListName = keyof Menu;

/** A row on screen: a link and the key React knows it by. */
export type MenuRow = MenuLink & { key: number };
export type MenuDraft = Record<MenuListName, MenuRow[]>;

/** The lists in the order the screen shows them, with their names there. */
export const MENU_LISTS: readonly MenuListName[] = ['main', 'footer'];
export const MENU_LIST_LABELS: Record<MenuListName, string> = {
  main: 'Main navigation',
  footer: 'Footer links',
};

/** core's menuSchema limits (menu-edit.test.ts checks they agree). */
export const MENU_LIMITS: Record<MenuListName, number> = { main: 12, footer: 20 };
export const MAX_LABEL = 60;
export const MAX_URL = 500;

let lastKey = 0;

/** A key no other row has. */
export function nextRowKey(): number {
  lastKey += 1;
  return lastKey;
}

/** A saved menu as rows on screen. */
export function draftOf(menu: Menu): MenuDraft {
  return {
    main: menu.main.map((link) => ({ ...link, key: nextRowKey() })),
    footer: menu.footer.map((link) => ({ ...link, key: nextRowKey() })),
  };
}

export function canAddLink(draft: MenuDraft, list: MenuListName): boolean {
  return draft[list].length < MENU_LIMITS[list];
}

/** The draft with a link at the end of a list (unchanged when the list is full). */
export function addLink(draft: MenuDraft, list: MenuListName, link: MenuLink): MenuDraft {
  if (!canAddLink(draft, list)) return draft;
  return { ...draft, [list]: [...draft[list], { ...link, key: nextRowKey() }] };
}

export function removeLink(draft: MenuDraft, list: MenuListName, index: number): MenuDraft {
  return { ...draft, [list]: removeAt(draft[list], index) };
}

export function moveLink(
  draft: MenuDraft,
  list: MenuListName,
  from: number,
  to: number,
): MenuDraft {
  return { ...draft, [list]: moveItem(draft[list], from, to) };
}

/** The draft with one link's words or address changed. */
export function changeLink(
  draft: MenuDraft,
  list: MenuListName,
  index: number,
  change: Partial<MenuLink>,
): MenuDraft {
  if (!draft[list][index]) return draft;
  return {
    ...draft,
    [list]: draft[list].map((row, at) => (at === index ? { ...row, ...change } : row)),
  };
}

function isBlank(link: MenuLink): boolean {
  return link.label.trim() === '' && link.url.trim() === '';
}

/**
 * What to send to the server: the links without the rows left wholly empty,
 * and for each list where each link sent stands on screen, so an error the
 * server names by its place ("main.0.url") is shown at the right row.
 */
export function menuToSave(draft: MenuDraft): {
  menu: Menu;
  rowOf: Record<MenuListName, number[]>;
} {
  const menu: Menu = { main: [], footer: [] };
  const rowOf: Record<MenuListName, number[]> = { main: [], footer: [] };
  for (const list of MENU_LISTS) {
    draft[list].forEach((row, index) => {
      if (isBlank(row)) return;
      menu[list].push({ label: row.label, url: row.url });
      rowOf[list].push(index);
    });
  }
  return { menu, rowOf };
}

/** Whether the rows on screen say the same as a saved menu (nothing to save). */
export function isSameMenu(draft: MenuDraft, saved: Menu): boolean {
  return JSON.stringify(menuToSave(draft).menu) === JSON.stringify(saved);
}

/** Where on screen a server error belongs: a list, a row of it, and which field. */
export type MenuField = { list: MenuListName; row: number; key: 'label' | 'url' | null };

/**
 * The row a 400's field names ("main.0.url", "footer.3"), in screen rows
 * (through `rowOf` from menuToSave); a field naming a whole list ("main")
 * gives row -1; anything else null.
 */
export function menuFieldOf(
  field: string | undefined,
  rowOf: Record<MenuListName, number[]>,
): MenuField | null {
  const match = field?.match(/^(main|footer)(?:\.(\d+)(?:\.(label|url))?)?$/);
  if (!match) return null;
  const list = match[1] as MenuListName;
  if (match[2] === undefined) return { list, row: -1, key: null };
  const row = rowOf[list][Number(match[2])];
  if (row === undefined) return { list, row: -1, key: null };
  const key = match[3] === 'label' || match[3] === 'url' ? match[3] : null;
  return { list, row, key };
}

/** The server's message without the field it starts with ("main.0.url: a menu entry needs…"). */
export function withoutFieldPrefix(message: string, field: string | undefined): string {
  return field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/**
 * The address of a section's page for readers of `language`: "/news" in the
 * site's own language, "/ru/news" in another, so readers stay in theirs.
 */
export function sectionAddress(path: string, language: string, siteLanguage: string): string {
  return language === siteLanguage ? `/${path}` : `/${language}/${path}`;
}

type NamedSection = { path: string; name: string; names: Localized };

/** "Новости › Политика": a section's trail in a language, each name falling back to the main one. */
export function sectionTrail(path: string, sections: readonly NamedSection[], language: string) {
  const parts = path.split('/');
  return parts
    .map((part, index) => {
      const prefix = parts.slice(0, index + 1).join('/');
      const section = sections.find((candidate) => candidate.path === prefix);
      return section ? sectionName(section, language) : part;
    })
    .join(' › ');
}

/** A link to a section, named in the menu's language. */
export function sectionLink(
  section: NamedSection,
  language: string,
  siteLanguage: string,
): MenuLink {
  return {
    label: sectionName(section, language),
    url: sectionAddress(section.path, language, siteLanguage),
  };
}

/** Sections parents first, each followed by its own (the server lists them by position). */
export function inTreeOrder<T extends { id: number; parentId: number | null }>(
  sections: readonly T[],
): T[] {
  const ordered: T[] = [];
  const visit = (parentId: number | null) => {
    for (const section of sections) {
      if (section.parentId !== parentId || ordered.includes(section)) continue;
      ordered.push(section);
      visit(section.id);
    }
  };
  visit(null);
  // Any whose parent is missing from the list still show, at the end.
  return [...ordered, ...sections.filter((section) => !ordered.includes(section))];
}

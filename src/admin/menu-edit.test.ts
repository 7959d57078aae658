import { describe, expect, it } from 'vitest';
import { menuSchema } from '../core/localized.js';
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
  type MenuDraft,
  menuFieldOf,
  menuToSave,
  moveLink,
  removeLink,
  sectionAddress,
  sectionLink,
  sectionTrail,
  withoutFieldPrefix,
} from './menu-edit.js';

const links = (draft: MenuDraft) => ({
  main: draft.main.map((row) => row.label),
  footer: draft.footer.map((row) => row.label),
});

const menu = {
  main: [
    { label: 'News', url: '/news' },
    { label: 'Opinion', url: '/opinion' },
    { label: 'About', url: '/about' },
  ],
  footer: [{ label: 'Donate', url: 'https://example.org/donate' }],
};

const sections = [
  { path: 'news', name: 'News', names: { ru: 'Новости' } },
  { path: 'news/politics', name: 'Politics', names: {} },
];

describe('menu edits', () => {
  it('gives every row its own key, so a moved row keeps its fields', () => {
    const draft = draftOf(menu);
    const keys = [...draft.main, ...draft.footer].map((row) => row.key);
    expect(new Set(keys).size).toBe(keys.length);
    const moved = moveLink(draft, 'main', 0, 2);
    expect(links(moved).main).toEqual(['Opinion', 'About', 'News']);
    expect(moved.main[2]?.key).toBe(draft.main[0]?.key);
    expect(links(draft).main).toEqual(['News', 'Opinion', 'About']);
  });

  it('moves within one list and leaves out-of-range moves alone', () => {
    const draft = draftOf(menu);
    expect(links(moveLink(draft, 'main', 2, 1)).main).toEqual(['News', 'About', 'Opinion']);
    expect(links(moveLink(draft, 'main', 0, -1)).main).toEqual(['News', 'Opinion', 'About']);
    expect(links(moveLink(draft, 'footer', 0, 1)).footer).toEqual(['Donate']);
  });

  it('adds at the end up to the limit, and removes', () => {
    let draft = draftOf({ main: [], footer: [] });
    for (let n = 0; n < MENU_LIMITS.main + 2; n += 1)
      draft = addLink(draft, 'main', { label: `L${n}`, url: `/l${n}` });
    expect(draft.main).toHaveLength(MENU_LIMITS.main);
    expect(canAddLink(draft, 'main')).toBe(false);
    expect(canAddLink(draft, 'footer')).toBe(true);
    const fewer = removeLink(draft, 'main', 0);
    expect(fewer.main).toHaveLength(MENU_LIMITS.main - 1);
    expect(fewer.main[0]?.label).toBe('L1');
  });

  it('changes one link', () => {
    const draft = changeLink(draftOf(menu), 'main', 1, { url: '/comment' });
    expect(draft.main[1]).toMatchObject({ label: 'Opinion', url: '/comment' });
    expect(changeLink(draft, 'main', 9, { url: '/x' })).toBe(draft);
  });

  it('leaves empty rows out of what is saved and maps errors back to screen rows', () => {
    let draft = draftOf(menu);
    draft = addLink(draft, 'main', { label: '', url: '' });
    draft = moveLink(draft, 'main', 3, 0);
    draft = addLink(draft, 'main', { label: 'Bad', url: 'javascript:alert(1)' });
    const { menu: sent, rowOf } = menuToSave(draft);
    expect(sent.main.map((link) => link.label)).toEqual(['News', 'Opinion', 'About', 'Bad']);
    expect(menuSchema.safeParse(sent).success).toBe(false);
    expect(menuFieldOf('main.3.url', rowOf)).toEqual({ list: 'main', row: 4, key: 'url' });
    expect(menuFieldOf('main.0', rowOf)).toEqual({ list: 'main', row: 1, key: null });
    expect(menuFieldOf('footer', rowOf)).toEqual({ list: 'footer', row: -1, key: null });
    expect(menuFieldOf('names.ru', rowOf)).toBeNull();
    expect(menuFieldOf(undefined, rowOf)).toBeNull();
  });

  it('tells whether anything changed', () => {
    const draft = draftOf(menu);
    expect(isSameMenu(draft, menu)).toBe(true);
    expect(isSameMenu(addLink(draft, 'footer', { label: '', url: '' }), menu)).toBe(true);
    expect(isSameMenu(moveLink(draft, 'main', 0, 1), menu)).toBe(false);
  });

  it('takes the field off the front of a server message', () => {
    expect(withoutFieldPrefix('main.0.url: a menu entry needs an address', 'main.0.url')).toBe(
      'a menu entry needs an address',
    );
    expect(withoutFieldPrefix('not a menu', undefined)).toBe('not a menu');
  });
});

describe('links to sections', () => {
  it('keeps readers in their language', () => {
    expect(sectionAddress('news/politics', 'en', 'en')).toBe('/news/politics');
    expect(sectionAddress('news/politics', 'ru', 'en')).toBe('/ru/news/politics');
    expect(sectionAddress('news', 'en', 'ru')).toBe('/en/news');
  });

  it('names a section in the menu language, falling back to its main name', () => {
    expect(sectionLink(sections[0] as (typeof sections)[0], 'ru', 'en')).toEqual({
      label: 'Новости',
      url: '/ru/news',
    });
    expect(sectionTrail('news/politics', sections, 'ru')).toBe('Новости › Politics');
    expect(sectionTrail('news/politics', sections, 'en')).toBe('News › Politics');
  });
});

describe('section order', () => {
  it('puts each section after its parent', () => {
    const flat = [
      { id: 3, parentId: 1, name: 'Politics' },
      { id: 1, parentId: null, name: 'News' },
      { id: 2, parentId: null, name: 'Opinion' },
      { id: 4, parentId: 9, name: 'Lost' },
    ];
    expect(inTreeOrder(flat).map((section) => section.name)).toEqual([
      'News',
      'Politics',
      'Opinion',
      'Lost',
    ]);
  });
});

describe('limits', () => {
  it('agree with the server’s menu schema', () => {
    const link = { label: 'x'.repeat(MAX_LABEL), url: `/${'x'.repeat(MAX_URL - 1)}` };
    const full = {
      main: Array.from({ length: MENU_LIMITS.main }, () => link),
      footer: Array.from({ length: MENU_LIMITS.footer }, () => link),
    };
    expect(menuSchema.safeParse(full).success).toBe(true);
    expect(menuSchema.safeParse({ ...full, main: [...full.main, link] }).success).toBe(false);
    expect(menuSchema.safeParse({ ...full, footer: [...full.footer, link] }).success).toBe(false);
    const long = { main: [{ ...link, label: `${link.label}x` }], footer: [] };
    expect(menuSchema.safeParse(long).success).toBe(false);
    const longUrl = { main: [{ ...link, url: `${link.url}x` }], footer: [] };
    expect(menuSchema.safeParse(longUrl).success).toBe(false);
  });
});

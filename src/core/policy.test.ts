import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Action,
  can,
  isOwnWork,
  mayOpenArticle,
  ROLES,
  type Role,
} from './policy.js';

// The full role × action matrix, written out by hand: this table is the
// specification. Each cell is [on one's own article, on someone else's].
const C = 'contributor';
const A = 'author';
const E = 'editor';
const X = 'editor-in-chief';
type Cell = [boolean, boolean];
const yes: Cell = [true, true];
const no: Cell = [false, false];
const ownOnly: Cell = [true, false];

const MATRIX: Record<Action, Record<Role, Cell>> = {
  'article.create': { [C]: yes, [A]: yes, [E]: yes, [X]: yes },
  'article.edit': { [C]: ownOnly, [A]: ownOnly, [E]: yes, [X]: yes },
  'article.submit': { [C]: ownOnly, [A]: ownOnly, [E]: yes, [X]: yes },
  'article.publish': { [C]: no, [A]: ownOnly, [E]: yes, [X]: yes },
  'article.schedule': { [C]: no, [A]: ownOnly, [E]: yes, [X]: yes },
  'article.unpublish': { [C]: no, [A]: ownOnly, [E]: yes, [X]: yes },
  'article.correct': { [C]: no, [A]: ownOnly, [E]: yes, [X]: yes },
  'article.delete': { [C]: ownOnly, [A]: ownOnly, [E]: yes, [X]: yes },
  'article.view-drafts': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'article.link-translations': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'note.write': { [C]: ownOnly, [A]: ownOnly, [E]: yes, [X]: yes },
  'note.resolve': { [C]: ownOnly, [A]: ownOnly, [E]: yes, [X]: yes },
  'desk.assign': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'taxonomy.manage': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'page.manage': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'front.manage': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'media.upload': { [C]: yes, [A]: yes, [E]: yes, [X]: yes },
  'media.manage': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'content.import': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'mirrors.manage': { [C]: no, [A]: no, [E]: yes, [X]: yes },
  'staff.manage': { [C]: no, [A]: no, [E]: no, [X]: yes },
  'settings.manage': { [C]: no, [A]: no, [E]: no, [X]: yes },
  'audit.view': { [C]: no, [A]: no, [E]: no, [X]: yes },
  'audience.view': { [C]: no, [A]: no, [E]: yes, [X]: yes },
};

describe('can', () => {
  it('covers every action and role', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    for (const role of ROLES) {
      const [own, others] = MATRIX[action][role];
      it(`${role} ${own ? 'may' : 'may not'} ${action} their own, ${others ? 'may' : 'may not'} others'`, () => {
        expect(can({ role }, action, { isOwn: true })).toBe(own);
        expect(can({ role }, action, { isOwn: false })).toBe(others);
      });
    }
  }
});

describe('who may open an article', () => {
  it('lets anyone open a published one, writers their own, and desk roles everything', () => {
    const contributor = { role: 'contributor' as const, personId: 4 };
    expect(mayOpenArticle(contributor, 'published', { isOwn: false })).toBe(true);
    expect(mayOpenArticle(contributor, 'draft', { isOwn: isOwnWork(contributor, [9, 4]) })).toBe(
      true,
    );
    expect(mayOpenArticle(contributor, 'draft', { isOwn: isOwnWork(contributor, [9]) })).toBe(
      false,
    );
    expect(mayOpenArticle({ role: 'editor' }, 'in_review', { isOwn: false })).toBe(true);
    expect(isOwnWork({ personId: null }, [1])).toBe(false);
  });
});

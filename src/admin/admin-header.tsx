import type { ReactNode } from 'react';
import type { Session } from './api.js';

/** A screen of the app: where it lives, its name in the menu, and who sees it. */
type Screen = { path: string; label: string; who: 'everyone' | 'editors' | 'chief' };

const SCREENS: Screen[] = [
  { path: 'articles', label: 'Articles', who: 'everyone' },
  { path: 'articles/new', label: 'New article', who: 'everyone' },
  { path: 'media', label: 'Photos', who: 'editors' },
  { path: 'site', label: 'Sections and pages', who: 'editors' },
  { path: 'mirrors', label: 'Mirrors', who: 'editors' },
  { path: 'users', label: 'Staff', who: 'chief' },
  { path: 'audit', label: 'Audit log', who: 'chief' },
  { path: 'settings', label: 'Settings', who: 'chief' },
];

/** Which menu entry the route belongs to: an open article is under Articles, a new one under New article. */
export function currentScreen(route: string[]): string {
  if (route[0] === 'articles') return route[1] === 'new' ? 'articles/new' : 'articles';
  return route[0] ?? 'articles';
}

/**
 * The app's header: the menu of screens this person may use, with the current
 * one marked, and who is signed in. On a phone the menu is one row that
 * scrolls sideways, so the screen's own content starts near the top.
 */
export function AdminHeader({
  session,
  route,
  onSignOut,
}: {
  session: Session;
  route: string[];
  onSignOut: () => void;
}): ReactNode {
  const current = currentScreen(route);
  const role = session.user.role;
  const isChief = role === 'editor-in-chief';
  const isEditor = isChief || role === 'editor';
  const screens = SCREENS.filter(
    (screen) =>
      screen.who === 'everyone' ||
      (screen.who === 'editors' && isEditor) ||
      (screen.who === 'chief' && isChief),
  );
  return (
    <header className="admin-header">
      <a className="admin-brand" href="#/articles">
        Newsroom
      </a>
      <nav aria-label="Newsroom">
        <ul>
          {screens.map((screen) => (
            <li key={screen.path}>
              <a
                href={`#/${screen.path}`}
                aria-current={screen.path === current ? 'page' : undefined}
              >
                {screen.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p className="admin-user">
        {/* The person's own account (password, two-factor) is behind their name. */}
        <a
          href="#/account"
          className="admin-account"
          aria-current={current === 'account' ? 'page' : undefined}
        >
          <span className="visually-hidden">Your account: </span>
          {session.user.name}
        </a>{' '}
        <span className="admin-role">({role})</span>{' '}
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </p>
    </header>
  );
}

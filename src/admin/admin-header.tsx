import type { ReactNode } from 'react';
import { type Action, can } from '../core/policy.js';
import type { Session } from './api.js';

/** A screen of the app: where it lives, its name in the menu, and what its user must be allowed (core/policy). */
type Screen = { path: string; label: string; needs?: Action };

export const SCREENS: Screen[] = [
  { path: 'desk', label: 'Desk' },
  { path: 'articles', label: 'Articles' },
  { path: 'articles/new', label: 'New article' },
  { path: 'media', label: 'Photos', needs: 'media.manage' },
  { path: 'site', label: 'Sections and pages', needs: 'page.manage' },
  { path: 'fronts', label: 'Front pages', needs: 'front.manage' },
  // What readers read: the whole site's numbers (writers see their own articles' in the editor).
  { path: 'audience', label: 'Audience', needs: 'audience.view' },
  { path: 'mirrors', label: 'Mirrors', needs: 'mirrors.manage' },
  // Editors send newsletters (the right to publish); the editor-in-chief also sees readers there.
  { path: 'newsletters', label: 'Newsletters', needs: 'article.publish' },
  { path: 'channels', label: 'Channels', needs: 'settings.manage' },
  // The publication on the fediverse: its followers and whom it follows are the editor-in-chief's.
  { path: 'fediverse', label: 'Fediverse', needs: 'settings.manage' },
  { path: 'users', label: 'Staff', needs: 'staff.manage' },
  { path: 'audit', label: 'Audit log', needs: 'audit.view' },
  { path: 'settings', label: 'Settings', needs: 'settings.manage' },
];

/** Which menu entry the route belongs to: an open article is under Articles, a new one under New article. */
export function currentScreen(route: string[]): string {
  if (route[0] === 'articles') return route[1] === 'new' ? 'articles/new' : 'articles';
  return route[0] || 'desk';
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
  deskCount = 0,
}: {
  session: Session;
  route: string[];
  onSignOut: () => void;
  /** What needs this person (unread notifications; for editors, what waits for review). */
  deskCount?: number;
}): ReactNode {
  const current = currentScreen(route);
  const role = session.user.role;
  const screens = SCREENS.filter((screen) => !screen.needs || can(session.user, screen.needs));
  return (
    <header className="admin-header">
      <a className="admin-brand" href="#/desk">
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
                {screen.path === 'desk' && deskCount > 0 ? (
                  <span className="nav-count">
                    {' '}
                    {deskCount}
                    <span className="visually-hidden"> waiting for you</span>
                  </span>
                ) : null}
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

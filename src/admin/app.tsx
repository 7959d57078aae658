import { type ReactNode, useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { can } from '../core/policy.js';
import { AdminHeader, SCREENS } from './admin-header.js';
import { ApiFailure, api, type Session, setCsrfToken } from './api.js';
import { setNewsroomTimeZone } from './dates.js';
import { AccountPage } from './pages/account-page.js';
import { ArticleEditorPage } from './pages/article-editor-page.js';
import { ArticleListPage } from './pages/article-list-page.js';
import { AudiencePage } from './pages/audience-page.js';
import { AuditPage } from './pages/audit-page.js';
import { ChannelsPage } from './pages/channels-page.js';
import { DeskPage } from './pages/desk-page.js';
import { FediversePage } from './pages/fediverse-page.js';
import { FrontsPage } from './pages/fronts-page.js';
import { LoginPage } from './pages/login-page.js';
import { MediaPage } from './pages/media-page.js';
import { MirrorsPage } from './pages/mirrors-page.js';
import { NewslettersPage } from './pages/newsletters-page.js';
import { SetPasswordPage } from './pages/set-password-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { SitePage } from './pages/site-page.js';
import { UsersPage } from './pages/users-page.js';

function readRoute(): string[] {
  // A query ("#/articles?sort=title&page=2") is the page's own state, not part of the route.
  const path = window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return path.split('/').filter(Boolean);
}

/**
 * The current hash route ("#/articles/12" → ["articles", "12"]) and a count of
 * navigations: the editor replaces "#/articles/new" with the new article's
 * address without a navigation, so following "New article" again must still
 * open a fresh editor.
 */
function useRoute(): { route: string[]; visit: number } {
  const [state, setState] = useState(() => ({ route: readRoute(), visit: 0 }));
  useEffect(() => {
    const onChange = () => setState((old) => ({ route: readRoute(), visit: old.visit + 1 }));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return state;
}

/** The warnings set, by who set them: a page, and a panel on it with work of its own. */
const leaveWarnings = new Map<string, string>();

/**
 * While set, following a link inside the app asks first (the editor sets it
 * while changes are unsaved). `from` keeps one part of a page (the live panel
 * beside the article editor) from clearing the page's own warning, or the
 * page from clearing the part's: each sets and clears its own.
 */
export function setLeaveWarning(warning: string | null, from = 'page'): void {
  if (warning) leaveWarnings.set(from, warning);
  else leaveWarnings.delete(from);
}

function useLeaveGuard(): void {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
      const leaveWarning = [...leaveWarnings.values()].join('\n\n');
      if (link && leaveWarning && !window.confirm(leaveWarning)) event.preventDefault();
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, []);
}

export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

/**
 * How often the menu's count is read again besides when the server says the
 * desk changed (its event stream), the window regains focus or the route changes.
 */
const DESK_COUNT_MS = 60_000;

/** Said on the window when the desk may have changed (the server's word, focus, now and then): the desk page reads itself again. */
export const DESK_CHANGED_EVENT = 'masthead-desk-changed';

function routeKeyOf(route: string[]): string {
  return route.join('/');
}

/** The number beside “Desk”: what needs the signed-in person, read again now and then. */
function useDeskCount(userId: number | null, routeKey: string): number {
  const [count, setCount] = useState(0);
  const [reading, setReading] = useState(0);
  // Read now, on every new route (a story started, a note read) and when the server says so.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `routeKey` and `reading` say when to read again
  useEffect(() => {
    if (userId === null) return;
    let isCurrent = true;
    api<{ count: number }>('GET', '/desk/count').then(
      (answer) => {
        if (isCurrent) setCount(answer.count);
      },
      () => {
        // Offline or signed out: the last count stays until the next reading.
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [userId, routeKey, reading]);
  // One stream of the server's word that a desk changed, for as long as the person is signed in.
  useEffect(() => {
    if (userId === null) return;
    // The count and an open desk page are read again together.
    const again = () => {
      setReading((n) => n + 1);
      window.dispatchEvent(new Event(DESK_CHANGED_EVENT));
    };
    const timer = setInterval(again, DESK_COUNT_MS);
    window.addEventListener('focus', again);
    // The browser reconnects a dropped stream by itself. Whatever changed before the stream
    // was open (first opened, or again after the network came back) was said to nobody, so
    // the desk is read again each time it opens.
    const events = typeof EventSource === 'undefined' ? null : new EventSource('/api/desk/events');
    if (events) {
      events.onmessage = again;
      events.onopen = again;
    }
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', again);
      events?.close();
    };
  }, [userId]);
  return count;
}

/** The newsroom app: signs in, then routes between the article list, the editor and staff pages. */
export function App(): ReactNode {
  const { route, visit } = useRoute();
  useLeaveGuard();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const deskCount = useDeskCount(session ? session.user.id : null, routeKeyOf(route));

  const refresh = useCallback(async () => {
    try {
      const current = await api<Session>('GET', '/session');
      setCsrfToken(current.csrfToken);
      setNewsroomTimeZone(current.timeZone);
      setSession(current);
    } catch (error) {
      if (error instanceof ApiFailure && (error.status === 401 || error.status === 403))
        setSession(null);
      else throw error;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Move focus to the new page's heading, so keyboard and screen-reader users know the page changed.
  // A layout effect runs before the page can be used, so it never pulls focus out of a field the
  // user (or a test driving the browser) has already started typing in; one inside the page is left.
  const routeKey = route.join('/');
  useLayoutEffect(() => {
    if (routeKey === '') return;
    if (document.activeElement?.closest('main') && document.activeElement.id !== 'main') return;
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [routeKey]);

  if (route[0] === 'set-password' && route[1]) return <SetPasswordPage token={route[1]} />;
  if (session === undefined) {
    return (
      <main id="main" className="loading">
        <h1>Newsroom</h1>
        <p>Loading…</p>
      </main>
    );
  }
  if (session === null) {
    return (
      <LoginPage
        onSignedIn={(signed) => {
          setNewsroomTimeZone(signed.timeZone);
          setSession(signed);
          if (route.length === 0 || route[0] === 'login') navigate('/desk');
        }}
      />
    );
  }

  const signOut = async () => {
    await api('DELETE', '/session').catch(() => undefined);
    setSession(null);
  };
  // The same rule as the menu's: a screen opens for whoever may do its work.
  const may = (screen: string) => {
    const needs = SCREENS.find((candidate) => candidate.path === screen)?.needs;
    return !needs || can(session.user, needs);
  };
  let page: ReactNode;
  if (session.mustSetUpTotp || route[0] === 'account') {
    page = <AccountPage session={session} onChanged={refresh} />;
  } else if (route[0] === 'articles' && route[1]) {
    page = (
      <ArticleEditorPage
        key={`${route[1]}:${visit}`}
        id={route[1] === 'new' ? null : Number(route[1])}
        session={session}
      />
    );
  } else if (route.length === 0 || route[0] === 'desk') {
    page = <DeskPage session={session} />;
  } else if (route[0] === 'site' && may('site')) {
    page = <SitePage />;
  } else if (route[0] === 'fronts' && may('fronts')) {
    page = <FrontsPage route={route.slice(1)} />;
  } else if (route[0] === 'audience' && may('audience')) {
    page = <AudiencePage route={route.slice(1)} session={session} />;
  } else if (route[0] === 'users' && may('users')) {
    page = <UsersPage />;
  } else if (route[0] === 'media' && may('media')) {
    page = <MediaPage />;
  } else if (route[0] === 'mirrors' && may('mirrors')) {
    page = <MirrorsPage />;
  } else if (route[0] === 'newsletters' && may('newsletters')) {
    page = <NewslettersPage session={session} />;
  } else if (route[0] === 'channels' && may('channels')) {
    page = <ChannelsPage />;
  } else if (route[0] === 'fediverse' && may('fediverse')) {
    page = <FediversePage />;
  } else if (route[0] === 'settings' && may('settings')) {
    page = <SettingsPage />;
  } else if (route[0] === 'audit' && may('audit')) {
    page = <AuditPage />;
  } else {
    page = <ArticleListPage session={session} />;
  }
  return (
    <>
      <button
        type="button"
        className="skip-link"
        onClick={() => document.getElementById('main')?.focus()}
      >
        Skip to content
      </button>
      <AdminHeader
        session={session}
        route={route}
        onSignOut={() => void signOut()}
        deskCount={deskCount}
      />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

import type { JSONContent } from '@tiptap/core';
import type { ArticleDetail } from '../core/article-detail.js';
import type { NewsletterList } from '../core/newsletters.js';

// The admin's only way to the server: the JSON admin API (docs/admin-api.md).

export type ApiError = { code: string; message: string; field?: string; current?: unknown };

export class ApiFailure extends Error {
  readonly status: number;
  readonly error: ApiError;

  constructor(status: number, error: ApiError) {
    super(error.message);
    this.status = status;
    this.error = error;
  }
}

let csrfToken = '';

/** Remembers the CSRF token the session answered with; every state change sends it. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The CSRF token in use now (renewed when a request found the session had changed). */
export function csrfTokenNow(): string {
  return csrfToken;
}

/** Calls the admin API; throws ApiFailure with the server's error (code, message, field). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return await withFreshToken(() => send<T>(method, path, body, 'json'));
}

/**
 * Calls the admin API for an answer that is text, not JSON (the HTML of a
 * front's preview), with the same CSRF header and retry as api(); errors are
 * the API's JSON errors, thrown as ApiFailure.
 */
export async function apiText(method: string, path: string, body?: unknown): Promise<string> {
  return await withFreshToken(() => send<string>(method, path, body, 'text'));
}

async function withFreshToken<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (failure) {
    // Signing in again in another tab starts a new session: the browser sends
    // its cookie from here too, but this tab still holds the old session's
    // CSRF token. Fetch the token of the session the cookie names, then retry once.
    if (failure instanceof ApiFailure && failure.error.code === 'csrf_invalid') {
      const current = await send<{ csrfToken: string }>('GET', '/session', undefined, 'json');
      setCsrfToken(current.csrfToken);
      return await request();
    }
    throw failure;
  }
}

async function send<T>(
  method: string,
  path: string,
  body: unknown,
  answer: 'json' | 'text',
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined && !(body instanceof FormData))
    headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) payload = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
    });
  } catch {
    // fetch fails only when no answer came: the network is down or the server away.
    throw new ApiFailure(0, { code: 'offline', message: 'the server cannot be reached' });
  }
  if (response.status === 204) return undefined as T;
  if (answer === 'text' && response.ok) return (await response.text()) as T;
  const data = (await response.json().catch(() => ({}))) as { error?: ApiError };
  if (!response.ok) {
    throw new ApiFailure(
      response.status,
      data.error ?? { code: 'internal', message: `the server answered ${response.status}` },
    );
  }
  return data as T;
}

/** The network or the server is away (nothing answered). */
export function isOffline(failure: unknown): boolean {
  return failure instanceof ApiFailure && failure.status === 0;
}

/** The server's database is busy with another task (an import): the same request works in a few seconds. */
export function isDatabaseBusy(failure: unknown): boolean {
  return failure instanceof ApiFailure && failure.error.code === 'database_busy';
}

/** The session ended (expired, logged out everywhere, password changed): sign in again. */
export function isSignedOut(failure: unknown): boolean {
  return failure instanceof ApiFailure && failure.status === 401;
}

export type User = {
  id: number;
  personId: number;
  name: string;
  email: string;
  role: 'contributor' | 'author' | 'editor' | 'editor-in-chief';
  hasTotp: boolean;
  disabledAt: string | null;
};

export type Session = {
  user: User;
  csrfToken: string;
  mustSetUpTotp?: boolean;
  /** The newsroom's IANA time zone (the site setting), which every date in the app is shown in. */
  timeZone?: string;
};

export type Doc = { type: 'doc'; content: JSONContent[] };

/** The site's settings (GET /api/settings/site), with the public address previews show. */
export type SiteSettings = {
  name: string;
  tagline: string;
  language: string;
  timeZone: string;
  publicUrl: string;
};

/** The article as the admin API answers it (core's staff view), with a Tiptap body. */
export type Article = Omit<ArticleDetail, 'body'> & { body: Doc };

export type Section = { id: number; parentId: number | null; path: string; name: string };
export type Person = { id: number; name: string; slug: string };
export type Revision = {
  id: number;
  version: number;
  createdAt: string;
  userName: string | null;
  /** Everyone whose typing the revision holds, when several typed into it together. */
  editors?: string[];
  snapshot: Pick<Article, 'title' | 'standfirst' | 'body' | 'section' | 'slug'>;
};
export type MediaItem = {
  id: number;
  alt: string;
  caption: string;
  creditLine: string;
  isOwnPhoto: boolean;
  url: string | null;
  width: number | null;
  height: number | null;
  focus: { x: number; y: number } | null;
  renditions: { url: string; width: number; format: string }[];
};

/** The smallest JPEG the server lists for a photo, for thumbnails (else the photo itself). */
export function thumbnailOf(item: MediaItem): string | null {
  return item.renditions.find((rendition) => rendition.format === 'jpg')?.url ?? item.url;
}

/**
 * Uploads a photo (the form of POST /api/media) and reports how much of it has
 * gone, from 0 to 1: fetch cannot tell upload progress, XMLHttpRequest can. On
 * a slow connection a reporter sees that a 6 MB photo is moving.
 */
export async function uploadPhoto(
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<MediaItem> {
  const once = () =>
    new Promise<MediaItem>((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', '/api/media');
      request.setRequestHeader('x-csrf-token', csrfToken);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      request.onerror = () =>
        reject(new ApiFailure(0, { code: 'offline', message: 'the server cannot be reached' }));
      request.onload = () => {
        let data: { error?: ApiError } = {};
        try {
          data = JSON.parse(request.responseText) as { error?: ApiError };
        } catch {
          // Not JSON (a proxy's error page): the status says enough.
        }
        if (request.status >= 200 && request.status < 300) resolve(data as MediaItem);
        else
          reject(
            new ApiFailure(
              request.status,
              data.error ?? {
                code: 'internal',
                message: `the server answered ${request.status}`,
              },
            ),
          );
      };
      request.send(form);
    });
  try {
    return await once();
  } catch (failure) {
    // As in api(): a session started in another tab has its own CSRF token.
    if (failure instanceof ApiFailure && failure.error.code === 'csrf_invalid') {
      const current = await send<{ csrfToken: string }>('GET', '/session', undefined, 'json');
      setCsrfToken(current.csrfToken);
      return await once();
    }
    throw failure;
  }
}
export type AuditEntry = {
  id: number;
  userId: number | null;
  userName: string | null;
  action: string;
  subject: string;
  /** What the item is called now, or was last called when it is gone; null when unknown. */
  subjectLabel: string | null;
  isSubjectGone: boolean;
  detail: Record<string, unknown>;
  at: string;
};

export const STATUS_LABELS: Record<Article['status'], string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
  trashed: 'In the trash',
};

/** "News › Politics": a section's names from the top, for pickers and lists. */
export function sectionLabel(path: string, sections: Section[]): string {
  const parts = path.split('/');
  return parts
    .map((_, index) => {
      const prefix = parts.slice(0, index + 1).join('/');
      return sections.find((section) => section.path === prefix)?.name ?? parts[index];
    })
    .join(' › ');
}

/** What went wrong, in words for the screen (the API's message, or the error's). */
export function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

export type { ArticleDistribution, Channel, Delivery } from '../core/distribution.js';
export type {
  NewsletterList,
  NewsletterSend,
  Subscriber,
  SubscriberImportReport,
} from '../core/newsletters.js';

/** GET /api/newsletters: every list with its confirmed readers, and whether the server can send e-mail. */
export type NewsletterLists = { lists: NewsletterList[]; canSend: boolean };

export type {
  ArticleReactions,
  FediverseReply,
  FediverseStatus,
  ReceivedPost,
  ReplyState,
} from '../core/fediverse.js';

/** Live coverage of an article (GET /api/articles/:id/entries); null coverage for an ordinary article. */
export type LiveCoverage = {
  state: 'live' | 'ended';
  startedAt: string | null;
  endedAt: string | null;
};

/** One live entry as the admin API answers it. */
export type LiveEntry = {
  id: number;
  articleId: number;
  author: { personId: number; name: string } | null;
  title: string;
  body: Doc;
  isKeyEvent: boolean;
  isPinned: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
};

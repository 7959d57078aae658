import {
  ALL_PAGES,
  articleChangeTags,
  type CacheChange,
  CONTACT_TAG,
  profileChangeTags,
} from '../core/cache-tags.js';
import { DomainError } from '../core/errors.js';
import {
  checkMirrorList,
  MIRROR_LIST_SETTING,
  type MirrorAddress,
  mirrorListInputSchema,
  parseStoredMirrorList,
} from '../core/mirror-list.js';
import { can } from '../core/policy.js';
import { articleUrl } from '../core/section-path.js';
import { recordAudit } from '../store/audit.js';
import { mediaIdsByFile } from '../store/media.js';
import { allPublishedSearchTexts, type SearchTexts } from '../store/search-index.js';
import { listSections } from '../store/sections.js';
import { readSettings, writeSetting } from '../store/settings.js';
import { getArticleForStaff } from './articles.js';
import { type Newsroom, type StaffActor, SYSTEM_ACTOR } from './newsroom.js';

// What the newsroom keeps about its static mirrors: the public half of the key
// that signs them (served at /.well-known/masthead-key, so readers can check a
// mirror against the main site), and what a mirror build reads.

const PUBLIC_KEY = 'mirror.public_key';

/** The addresses readers can find the newsroom at when its own is blocked. */
export async function readMirrorList(newsroom: Newsroom): Promise<MirrorAddress[]> {
  return parseStoredMirrorList((await readSettings(newsroom.store.db)).get(MIRROR_LIST_SETTING));
}

/** Replaces the list of mirror addresses (editors), audited; every page links to it. */
export async function updateMirrorList(
  newsroom: Newsroom,
  actor: StaffActor,
  input: unknown,
): Promise<MirrorAddress[]> {
  if (!can(actor, 'mirrors.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors keep the list of mirrors');
  const parsed = mirrorListInputSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError(
      'invalid_input',
      `mirrors: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      'mirrors',
    );
  const now = newsroom.now().toISOString();
  const list = checkMirrorList(parsed.data, await readMirrorList(newsroom), now);
  await newsroom.store.db.transaction().execute(async (trx) => {
    await writeSetting(trx, MIRROR_LIST_SETTING, JSON.stringify(list));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'mirror.list',
      subject: 'site',
      detail: { mirrors: list.map((mirror) => mirror.url) },
      at: now,
    });
  });
  // The list page and feed, and the Onion-Location every page may send.
  newsroom.changed?.(ALL_PAGES);
  return list;
}

/** The mirror signing key's public half as published ("ed25519 <base64url>"), or null before `keys init`. */
export async function readMirrorPublicKey(newsroom: Newsroom): Promise<string | null> {
  return (await readSettings(newsroom.store.db)).get(PUBLIC_KEY) ?? null;
}

/** Publishes a new signing key's public half (run from the shell by `masthead keys init`). */
export async function publishMirrorPublicKey(newsroom: Newsroom, publicKey: string): Promise<void> {
  await newsroom.store.db.transaction().execute(async (trx) => {
    await writeSetting(trx, PUBLIC_KEY, publicKey);
    await recordAudit(trx, {
      userId: null,
      action: 'mirror.key',
      subject: 'site',
      detail: { publicKey },
      at: newsroom.now().toISOString(),
    });
  });
  // Every mirror built from now on carries the key page; the site's own too.
  newsroom.changed?.(ALL_PAGES);
}

/**
 * Every published article's address and searchable text (ids `first` to
 * `last` when given), in id order, read in batches: a mirror's in-browser index.
 */
export async function* readMirrorSearchTexts(
  newsroom: Newsroom,
  ids: { first: number; last: number } | null = null,
): AsyncGenerator<SearchTexts & { url: string }> {
  const db = newsroom.store.db;
  const sections = new Map((await listSections(db)).map((section) => [section.id, section]));
  for await (const texts of allPublishedSearchTexts(db, ids ?? {})) {
    const section = sections.get(texts.article.sectionId);
    if (section) yield { ...texts, url: articleUrl(section, texts.article.slug) };
  }
}

/** The photos' stored files with their media records: a mirror keeps a photo's files while a page shows it. */
export async function readMediaFiles(newsroom: Newsroom): Promise<Map<string, number[]>> {
  return mediaIdsByFile(newsroom.store.db);
}

// Audit actions that change nothing a reader sees: an incremental mirror build
// skips them. Any other action it does not know purges the whole mirror, so a
// new kind of change is never missed, only paid for with a full rebuild.
const PRIVATE_ACTIONS =
  /^(session\.|user\.|note\.|desk\.|settings\.totp|media\.original$|media\.upload$|mirror\.key$|article\.(create|submit|publish-failed)$|delivery\.|fediverse\.|newsletter\.(send|cancel-send|retry-send|export-subscribers|import-subscribers|delete-subscriber)$)/;

/**
 * What changed on the public site since `since` (an ISO time), as cache tags,
 * or "everything": read from the audit log, which every change writes in its
 * own transaction. An article's tags cover its page, every listing showing it
 * and, through its own tag, the pages that showed it before (an unpublished
 * article, a removed byline). The changed articles' ids come too: the
 * search index is cut by id.
 */
export async function mirrorChangesSince(
  newsroom: Newsroom,
  since: string,
): Promise<{ pages: CacheChange; articleIds: number[] }> {
  const everything: { pages: CacheChange; articleIds: number[] } = {
    pages: ALL_PAGES,
    articleIds: [],
  };
  const rows = await newsroom.store.db
    .selectFrom('audit_log')
    .select(['action', 'subject'])
    .where('at', '>=', since)
    .execute();
  const articleIds = new Set<number>();
  const tags = new Set<string>();
  for (const { action, subject } of rows) {
    if (PRIVATE_ACTIONS.test(action)) continue;
    const [kind, id] = subject.split(':');
    // Live coverage's changes (live.*) show on the article's page like its own edits.
    if (kind === 'article' && (action.startsWith('article.') || action.startsWith('live.')))
      articleIds.add(Number(id));
    else if (kind === 'media' && action.startsWith('media.')) tags.add(`m:${id}`);
    // "front:ru/news" → the pages showing that front (core/cache-tags.ts frontTag).
    else if (kind === 'front' && action === 'front.update') tags.add(`f:${id}`);
    // A public profile shows on its author's page and the contact page.
    else if (kind === 'person' && action === 'person.profile')
      for (const tag of profileChangeTags(Number(id))) tags.add(tag);
    else if (action === 'settings.contact') tags.add(CONTACT_TAG);
    else return everything;
  }
  for (const id of articleIds) {
    const detail = await getArticleForStaff(newsroom, SYSTEM_ACTOR, id).catch(() => null);
    if (!detail) return everything;
    for (const tag of [`a:${detail.url}`, ...articleChangeTags({ ...detail, status: 'published' })])
      tags.add(tag);
  }
  return { pages: [...tags], articleIds: [...articleIds] };
}

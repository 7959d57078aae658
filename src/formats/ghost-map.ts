import { slugify } from '../core/slug.js';
import { decodeOrKeep } from '../core/text-codes.js';
import type { Status } from '../core/workflow.js';
import type { GhostExport, GhostPost, GhostTag } from './ghost.js';
import { ghostBodyHtml, ghostUrl } from './ghost-body.js';
import { htmlToDoc, htmlToText } from './html-to-doc.js';
import type { MappedPost } from './mapped-post.js';

// What a Ghost export means in Masthead's terms, post by post: pure mapping,
// no database. newsroom/import-ghost.ts stores it.

/** A Ghost post or page as Masthead stores it. */
export type GhostItem = MappedPost & {
  id: string;
  kind: 'post' | 'page';
  /** The primary tag, which becomes the article's section; null for a post without public tags. */
  section: GhostTag | null;
  /** The other public tags, in Ghost's order. */
  tags: GhostTag[];
  authorIds: string[];
  feature: { url: string; alt: string; caption: string } | null;
  /** What the post told search engines, when it differed from its title and excerpt. */
  metaTitle: string;
  metaDescription: string;
  /** What the item was in Ghost when it is not public there ("a draft in Ghost"), for pages, which are skipped then. */
  pageState: string;
  /** The addresses the post had on the Ghost site (Ghost's default routes). */
  oldPaths: string[];
};

/** Ghost's statuses as workflow states. */
const STATUS: Record<string, Status> = {
  published: 'published',
  scheduled: 'scheduled',
  draft: 'draft',
};

/** A Ghost tag that readers never saw: Ghost's "#internal" tags (`#` names, `hash-` slugs). */
export function isInternalTag(tag: GhostTag): boolean {
  return tag.visibility === 'internal' || tag.name.startsWith('#') || tag.slug.startsWith('hash-');
}

/** What a Ghost row is: its `type` (Ghost 4 and later), else its `page` flag. */
export function ghostKind(post: GhostPost): string {
  return post.type ?? (post.page ? 'page' : 'post');
}

/** Why a Ghost post is not imported, or null when it is. */
export function ghostSkipReason(post: GhostPost): string | null {
  const kind = ghostKind(post);
  if (kind !== 'post' && kind !== 'page')
    return `a Ghost "${kind}" item (only posts and pages are imported)`;
  return null;
}

function count(notes: Map<string, number>, what: string, by = 1): void {
  notes.set(what, (notes.get(what) ?? 0) + by);
}

/** The site-relative path a Ghost address had ("/my-story/"), decoded as the site looks addresses up. */
function pathOf(url: string): string | null {
  try {
    return decodeOrKeep(new URL(url, 'http://ghost.invalid').pathname);
  } catch {
    return null;
  }
}

function isOnOldSite(url: string, siteUrl: string | null): boolean {
  if (url.startsWith('__GHOST_URL__')) return true;
  if (siteUrl === null) return false;
  try {
    const host = (value: string) => new URL(value).host.replace(/^www\./, '');
    return host(url) === host(siteUrl);
  } catch {
    return false;
  }
}

export function mapGhostItem(
  post: GhostPost,
  site: GhostExport,
  siteUrl: string | null,
): GhostItem {
  const kind = ghostKind(post) === 'page' ? 'page' : 'post';
  const notes = new Map<string, number>();
  const remarks: string[] = [];
  const body = ghostBodyHtml(post, notes, siteUrl);
  const converted = htmlToDoc(body.html, { autoParagraphs: false, shortcodes: false });
  for (const [what, n] of converted.notes) count(notes, what, n);
  if (post.codeinjection_head || post.codeinjection_foot)
    count(notes, 'post with code injection (scripts are not imported)');

  let title = htmlToText(post.title).trim();
  if (title === '') {
    title = `Untitled (Ghost ${kind} ${post.slug})`;
    remarks.push('it had no title');
  }
  let status: Status = STATUS[post.status] ?? 'draft';
  if (post.status === 'sent') remarks.push('sent by e-mail only in Ghost: imported as a draft');
  else if (!(post.status in STATUS))
    remarks.push(`status “${post.status}” in Ghost: imported as a draft`);
  if (post.visibility !== 'public' && status !== 'draft') {
    // Masthead has no paywall: what Ghost kept for members waits for an editor
    // rather than going public by an import.
    status = 'draft';
    remarks.push(`for ${post.visibility} only in Ghost: imported as a draft`);
  }

  const tags = (site.postTags.get(post.id) ?? [])
    .map((tagId) => site.tags.get(tagId))
    .filter((tag): tag is GhostTag => tag !== undefined);
  const internal = tags.filter(isInternalTag);
  if (internal.length > 0)
    count(notes, 'internal Ghost tag on a post (not imported)', internal.length);
  const visible = tags.filter((tag) => !isInternalTag(tag));
  const meta = site.postMeta.get(post.id);
  const socialTexts = [
    meta?.og_title,
    meta?.og_description,
    meta?.twitter_title,
    meta?.twitter_description,
  ].filter((value) => value !== undefined && value !== '').length;
  if (socialTexts > 0)
    count(
      notes,
      'Ghost social-card text (not imported: cards show the article’s own)',
      socialTexts,
    );
  if (meta?.email_subject) count(notes, 'Ghost newsletter subject (not imported)');
  if (post.featured) count(notes, 'featured post in Ghost (place it on a front page)');
  const featureUrl = post.feature_image ? ghostUrl(post.feature_image, siteUrl) : '';
  const postedAt = post.published_at;
  const oldPaths = [`/${post.slug}/`];
  // A canonical address on the old site itself is one more of its addresses;
  // one elsewhere (the story first ran on a partner's site) is not: its path
  // may be any of the old site's own.
  if (post.canonical_url && isOnOldSite(post.canonical_url, siteUrl)) {
    const canonical = pathOf(ghostUrl(post.canonical_url, null));
    if (canonical && canonical !== '/' && !oldPaths.includes(canonical)) oldPaths.push(canonical);
  }
  return {
    id: post.id,
    kind,
    title,
    standfirst: htmlToText(post.custom_excerpt).trim(),
    slug: slugify(decodeOrKeep(post.slug)) || slugify(title) || `ghost-${post.id}`,
    status,
    publishedAt: status === 'published' ? postedAt : null,
    scheduledAt: status === 'scheduled' ? postedAt : null,
    createdAt: post.created_at ?? postedAt,
    updatedAt: post.updated_at,
    body: converted.doc,
    images: converted.images,
    notes,
    section: visible[0] ?? null,
    tags: visible.slice(1),
    authorIds: site.postAuthors.get(post.id) ?? [],
    feature: featureUrl
      ? {
          url: featureUrl,
          alt: meta?.feature_image_alt ?? '',
          caption: htmlToText(meta?.feature_image_caption ?? '').trim(),
        }
      : null,
    remarks,
    metaTitle: meta?.meta_title ?? '',
    metaDescription: meta?.meta_description ?? '',
    pageState:
      post.visibility !== 'public'
        ? `for ${post.visibility} only in Ghost`
        : post.status === 'published'
          ? 'public in Ghost'
          : `${post.status} in Ghost`,
    oldPaths,
  };
}

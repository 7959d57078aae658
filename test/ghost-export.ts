// Ghost exports for tests, shaped row for row as Ghost writes them (Settings →
// Labs → Export): `{"db": [{"meta": {...}, "data": {<table>: [rows]}}]}` with the
// columns of Ghost's own tables, Ghost's own tables (roles, permissions,
// migrations…) beside the content, `__GHOST_URL__` for the site's address,
// and bodies in the form each major version stores: Lexical (Ghost 5.x and
// 6), Mobiledoc (Ghost 4 and older posts), rendered HTML always beside them.

export type GhostMajor = 4 | 5 | 6;

let counter = 0;
/** A 24-hex id, as Ghost's ObjectIds are. */
export function ghostId(): string {
  counter++;
  return `64f0${counter.toString(16).padStart(20, '0')}`;
}

type Row = Record<string, unknown>;

export type PostInput = {
  id?: string;
  title: string;
  slug: string;
  type?: 'post' | 'page';
  status?: string;
  visibility?: string;
  lexical?: unknown;
  mobiledoc?: unknown;
  html?: string;
  featureImage?: string | null;
  featureAlt?: string | null;
  featureCaption?: string | null;
  excerpt?: string | null;
  publishedAt?: string | null;
  tags?: string[];
  authors?: string[];
  canonicalUrl?: string;
  metaTitle?: string;
  metaDescription?: string;
  ogTitle?: string;
  featured?: boolean;
};

export type ExportInput = {
  major: GhostMajor;
  title?: string;
  locale?: string;
  users: {
    id: string;
    name: string;
    slug: string;
    email?: string;
    bio?: string;
    profileImage?: string;
    website?: string;
  }[];
  tags: {
    id: string;
    name: string;
    slug: string;
    visibility?: 'public' | 'internal';
    description?: string;
  }[];
  posts: PostInput[];
  members?: {
    id: string;
    email: string;
    name?: string;
    newsletters?: string[];
    subscribed?: boolean;
    emailDisabled?: boolean;
  }[];
  newsletters?: { id: string; name: string }[];
  extra?: Record<string, Row[]>;
};

const VERSIONS: Record<GhostMajor, string> = { 4: '4.48.9', 5: '5.96.0', 6: '6.3.1' };

/** A Ghost export as Ghost would write it, as its JSON text. */
export function ghostExport(input: ExportInput): string {
  const created = '2024-01-15T09:30:00.000Z';
  const posts: Row[] = input.posts.map((post) => {
    const id = post.id ?? ghostId();
    post.id = id;
    const row: Row = {
      id,
      uuid: `a1b2c3d4-0000-4000-8000-${id.slice(-12)}`,
      title: post.title,
      slug: post.slug,
      mobiledoc: post.mobiledoc === undefined ? null : JSON.stringify(post.mobiledoc),
      html: post.html ?? null,
      comment_id: id,
      plaintext: null,
      feature_image: post.featureImage ?? null,
      featured: post.featured ? 1 : 0,
      type: post.type ?? 'post',
      status: post.status ?? 'published',
      locale: null,
      visibility: post.visibility ?? 'public',
      email_recipient_filter: 'all',
      created_at: created,
      updated_at: '2024-02-01T12:00:00.000Z',
      published_at: post.publishedAt === undefined ? '2024-01-20T08:00:00.000Z' : post.publishedAt,
      custom_excerpt: post.excerpt ?? null,
      codeinjection_head: null,
      codeinjection_foot: null,
      custom_template: null,
      canonical_url: post.canonicalUrl ?? null,
      newsletter_id: null,
      show_title_and_feature_image: 1,
    };
    if (input.major >= 5)
      row.lexical = post.lexical === undefined ? null : JSON.stringify(post.lexical);
    return row;
  });
  const postsMeta = input.posts
    .filter(
      (post) =>
        post.featureAlt ||
        post.featureCaption ||
        post.metaTitle ||
        post.metaDescription ||
        post.ogTitle,
    )
    .map((post) => ({
      id: ghostId(),
      post_id: post.id,
      og_image: null,
      og_title: post.ogTitle ?? null,
      og_description: null,
      twitter_image: null,
      twitter_title: null,
      twitter_description: null,
      meta_title: post.metaTitle ?? null,
      meta_description: post.metaDescription ?? null,
      email_subject: null,
      frontmatter: null,
      feature_image_alt: post.featureAlt ?? null,
      feature_image_caption: post.featureCaption ?? null,
      email_only: 0,
    }));
  const data: Record<string, Row[]> = {
    posts,
    posts_meta: postsMeta,
    tags: input.tags.map((tag) => ({
      id: tag.id,
      name: tag.name,
      slug: tag.slug,
      description: tag.description ?? null,
      feature_image: null,
      parent_id: null,
      visibility: tag.visibility ?? 'public',
      og_image: null,
      meta_title: null,
      meta_description: null,
      created_at: created,
      updated_at: created,
    })),
    posts_tags: input.posts.flatMap((post) =>
      (post.tags ?? []).map((tagId, index) => ({
        id: ghostId(),
        post_id: post.id,
        tag_id: tagId,
        sort_order: index,
      })),
    ),
    users: input.users.map((user) => ({
      id: user.id,
      name: user.name,
      slug: user.slug,
      password: '$2a$10$notarealhashnotarealhashnotarealhashnotarealhash',
      email: user.email ?? `${user.slug}@example.org`,
      profile_image: user.profileImage ?? null,
      cover_image: null,
      bio: user.bio ?? null,
      website: user.website ?? null,
      location: null,
      facebook: null,
      twitter: null,
      accessibility: null,
      status: 'active',
      locale: null,
      visibility: 'public',
      meta_title: null,
      meta_description: null,
      tour: null,
      last_seen: created,
      created_at: created,
      updated_at: created,
    })),
    posts_authors: input.posts.flatMap((post) =>
      (post.authors ?? []).map((authorId, index) => ({
        id: ghostId(),
        post_id: post.id,
        author_id: authorId,
        sort_order: index,
      })),
    ),
    roles: [
      {
        id: ghostId(),
        name: 'Administrator',
        description: 'Administrators',
        created_at: created,
        updated_at: created,
      },
      {
        id: ghostId(),
        name: 'Editor',
        description: 'Editors',
        created_at: created,
        updated_at: created,
      },
    ],
    roles_users: [],
    permissions: [
      { id: ghostId(), name: 'Export database', object_type: 'db', action_type: 'exportContent' },
    ],
    migrations: [
      { id: 1, name: '1-create-tables.js', version: 'init', currentVersion: VERSIONS[input.major] },
    ],
    settings: [
      {
        id: ghostId(),
        group: 'site',
        key: 'title',
        value: input.title ?? 'The Harbour Ledger',
        type: 'string',
        flags: null,
      },
      {
        id: ghostId(),
        group: 'site',
        key: 'description',
        value: 'News from the harbour',
        type: 'string',
        flags: null,
      },
      {
        id: ghostId(),
        group: 'site',
        key: input.major >= 5 ? 'locale' : 'lang',
        value: input.locale ?? 'en',
        type: 'string',
        flags: null,
      },
    ],
    members: (input.members ?? []).map((member) => ({
      id: member.id,
      uuid: `b1b2c3d4-0000-4000-8000-${member.id.slice(-12)}`,
      email: member.email,
      status: 'free',
      name: member.name ?? null,
      note: null,
      geolocation: null,
      ...(input.major === 4 ? { subscribed: member.subscribed ?? true } : {}),
      email_disabled: member.emailDisabled ? 1 : 0,
      created_at: created,
      updated_at: created,
    })),
    ...(input.major >= 5
      ? {
          newsletters: (input.newsletters ?? []).map((newsletter) => ({
            id: newsletter.id,
            name: newsletter.name,
            slug: newsletter.name.toLowerCase().replace(/\W+/g, '-'),
            status: 'active',
            sender_email: null,
            sort_order: 0,
          })),
          members_newsletters: (input.members ?? []).flatMap((member) =>
            (member.newsletters ?? []).map((newsletterId) => ({
              id: ghostId(),
              member_id: member.id,
              newsletter_id: newsletterId,
            })),
          ),
        }
      : {}),
    ...(input.extra ?? {}),
  };
  return JSON.stringify({
    db: [
      {
        meta: { exported_on: Date.parse('2024-03-01T00:00:00Z'), version: VERSIONS[input.major] },
        data,
      },
    ],
  });
}

// Lexical, as Ghost's editor stores it.
type LexicalNode = Record<string, unknown>;

export function text(value: string, format = 0): LexicalNode {
  return {
    detail: 0,
    format,
    mode: 'normal',
    style: '',
    text: value,
    type: 'extended-text',
    version: 1,
  };
}

export function paragraph(...children: LexicalNode[]): LexicalNode {
  return { children, direction: 'ltr', format: '', indent: 0, type: 'paragraph', version: 1 };
}

export function heading(tag: string, ...children: LexicalNode[]): LexicalNode {
  return {
    children,
    direction: 'ltr',
    format: '',
    indent: 0,
    type: 'extended-heading',
    version: 1,
    tag,
  };
}

export function link(url: string, ...children: LexicalNode[]): LexicalNode {
  return {
    children,
    direction: 'ltr',
    format: '',
    indent: 0,
    type: 'link',
    version: 1,
    rel: null,
    target: null,
    title: null,
    url,
  };
}

export function list(
  listType: 'bullet' | 'number',
  items: LexicalNode[][],
  start = 1,
): LexicalNode {
  return {
    children: items.map((children, index) => ({
      children,
      direction: 'ltr',
      format: '',
      indent: 0,
      type: 'listitem',
      version: 1,
      value: index + 1,
    })),
    direction: 'ltr',
    format: '',
    indent: 0,
    type: 'list',
    version: 1,
    listType,
    start,
    tag: listType === 'number' ? 'ol' : 'ul',
  };
}

export function card(type: string, payload: Record<string, unknown>): LexicalNode {
  return { type, version: 1, ...payload };
}

export function lexical(...children: LexicalNode[]): unknown {
  return { root: { children, direction: 'ltr', format: '', indent: 0, type: 'root', version: 1 } };
}

/** Mobiledoc 0.3.1 with paragraphs of plain text and the given cards after them. */
export function mobiledoc(
  paragraphs: string[],
  cards: [string, Record<string, unknown>][] = [],
): unknown {
  return {
    version: '0.3.1',
    ghostVersion: '4.0',
    atoms: [],
    cards,
    markups: [['strong'], ['a', ['href', 'https://example.org/report']]],
    sections: [
      ...paragraphs.map((value) => [1, 'p', [[0, [], 0, value]]]),
      ...cards.map((_, index) => [10, index]),
    ],
  };
}

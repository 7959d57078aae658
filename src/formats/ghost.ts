import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { primaryLanguage } from '../core/text-codes.js';

// A Ghost export (Settings → Labs → Export in Ghost 4, 5 and 6; older ones
// too): one JSON file holding the site's database tables, `{"db": [{"meta":
// {...}, "data": {"posts": [...], "tags": [...], ...}}]}`. This module reads it
// into plain records, checking every field the importer relies on and naming
// the table, row and field when one is wrong. What the records mean in
// Masthead's terms is `ghost-map.ts`; writing them is newsroom/import-ghost.ts.

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const id = z.union([z.string().min(1), z.number().int()]).transform(String);
/** Ghost wrote 0/1 in SQLite-era exports and booleans later. */
const flag = z
  .union([z.boolean(), z.number()])
  .nullish()
  .transform((value) => Boolean(value));

// Exports write dates as ISO strings ("2024-03-01T10:00:00.000Z"), older ones as
// "2019-01-01 10:00:00" (UTC) or milliseconds.
const date = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined || value === '') return null;
    const parsed =
      typeof value === 'number'
        ? new Date(value)
        : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
    if (Number.isNaN(parsed.getTime())) {
      context.addIssue({ code: 'custom', message: `"${value}" is not a date` });
      return z.NEVER;
    }
    return parsed.toISOString();
  });

const postSchema = z.object({
  id,
  uuid: text,
  title: text,
  slug: z.string().min(1, 'a post needs a slug'),
  lexical: z.string().nullish(),
  mobiledoc: z.string().nullish(),
  html: z.string().nullish(),
  feature_image: z.string().nullish(),
  // Ghost 4 and later: 'post' or 'page'; before, a `page` flag.
  type: z.string().nullish(),
  page: flag,
  status: z.string().min(1),
  visibility: z
    .string()
    .nullish()
    .transform((value) => value ?? 'public'),
  created_at: date,
  updated_at: date,
  published_at: date,
  custom_excerpt: text,
  canonical_url: z.string().nullish(),
  // Ghost 1–3 named one author on the post itself.
  author_id: id.nullish(),
  codeinjection_head: z.string().nullish(),
  codeinjection_foot: z.string().nullish(),
  featured: flag,
});

const postMetaSchema = z.object({
  post_id: id,
  feature_image_alt: text,
  feature_image_caption: text,
  meta_title: text,
  meta_description: text,
  // Texts for social cards and e-mails, which Masthead takes from the article itself.
  og_title: text,
  og_description: text,
  twitter_title: text,
  twitter_description: text,
  email_subject: text,
});

const tagSchema = z.object({
  id,
  name: z.string().min(1, 'a tag needs a name'),
  slug: z.string().min(1, 'a tag needs a slug'),
  description: text,
  visibility: z
    .string()
    .nullish()
    .transform((value) => value ?? 'public'),
});

const userSchema = z.object({
  id,
  name: z.string().min(1, 'a user needs a name'),
  slug: z.string().min(1, 'a user needs a slug'),
  email: text,
  bio: text,
  profile_image: z.string().nullish(),
  website: z.string().nullish(),
  location: text,
  status: text,
});

const linkSchema = (left: string, right: string) =>
  z.object({
    [left]: id,
    [right]: id,
    sort_order: z
      .number()
      .int()
      .nullish()
      .transform((value) => value ?? 0),
  });

const memberSchema = z.object({
  id,
  email: z.string().min(1, 'a member needs an e-mail address'),
  name: text,
  status: text,
  // Ghost 3 and 4: one newsletter, a flag on the member.
  subscribed: z.union([z.boolean(), z.number()]).nullish(),
  email_disabled: flag,
  created_at: date,
});

const newsletterSchema = z.object({ id, name: z.string().min(1), status: text });
const settingSchema = z.object({ key: z.string(), value: z.unknown() });

export type GhostPost = z.infer<typeof postSchema>;
export type GhostPostMeta = z.infer<typeof postMetaSchema>;
export type GhostTag = z.infer<typeof tagSchema>;
export type GhostUser = z.infer<typeof userSchema>;
export type GhostMember = z.infer<typeof memberSchema>;
export type GhostNewsletter = z.infer<typeof newsletterSchema>;

/** A Ghost export, read and checked: its tables as records, joined where the importer needs them. */
export type GhostExport = {
  /** The Ghost version that wrote it ("5.82.0"), or '' when the file does not say. */
  ghostVersion: string;
  title: string;
  /** The site's language ("en"), from its locale setting. */
  language: string;
  posts: GhostPost[];
  postMeta: Map<string, GhostPostMeta>;
  tags: Map<string, GhostTag>;
  users: Map<string, GhostUser>;
  /** Each post's tag ids in Ghost's order (the first public one is its primary tag). */
  postTags: Map<string, string[]>;
  /** Each post's author ids in order. */
  postAuthors: Map<string, string[]>;
  members: GhostMember[];
  newsletters: GhostNewsletter[];
  /** Each member's newsletter ids (Ghost 5 and later). */
  memberNewsletters: Map<string, string[]>;
  /** The tables in the file that Masthead does not read, with their row counts, for the report. */
  otherTables: Map<string, number>;
  /** How many of the site's settings were not read (all but its title and language). */
  otherSettings: number;
};

/** The tables this importer reads; every other table with rows is named in the report. */
const READ_TABLES = new Set([
  'posts',
  'posts_meta',
  'tags',
  'posts_tags',
  'users',
  'posts_authors',
  'members',
  'newsletters',
  'members_newsletters',
  'settings',
]);

/**
 * Ghost's own machinery — permissions, sessions, keys, migrations, delivery
 * records and event logs — which says nothing about the newsroom's content or
 * readers: not worth a report line. Every other table with rows is named in
 * the report with its count (comments, labels, tiers, revisions, sent e-mails…).
 */
const GHOST_MACHINERY = new Set([
  'roles',
  'roles_users',
  'permissions',
  'permissions_roles',
  'permissions_users',
  'permissions_apps',
  'migrations',
  'migrations_lock',
  'api_keys',
  'integrations',
  'webhooks',
  'sessions',
  'invites',
  'brute',
  'jobs',
  'actions',
  'tokens',
  'apps',
  'app_settings',
  'app_fields',
  'clients',
  'client_trusted_domains',
  'accesstokens',
  'refreshtokens',
  'email_batches',
  'email_recipients',
  'email_recipient_failures',
  'outbound_link_tagging',
]);

/** Ghost's event logs ("members_login_events", "recommendation_click_events"…). */
function isEventLog(table: string): boolean {
  return table.endsWith('_events');
}

/** The settings this importer reads. */
const READ_SETTINGS = new Set(['title', 'locale', 'lang']);

/** True when `head` (the start of a file) looks like a Ghost export. */
export function looksLikeGhost(head: string): boolean {
  const start = head.trimStart();
  if (!start.startsWith('{')) return false;
  // Ghost writes `{"db":[{"meta":{"exported_on":…` (and older exports `{"meta":…,"data":…}`).
  return (
    /^\{\s*"db"\s*:\s*\[\s*\{\s*"meta"\s*:/.test(start) ||
    /"exported_on"\s*:/.test(start.slice(0, 2000))
  );
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a table's rows, refusing the file at the first bad one with its place and problem. */
function rows<T>(
  data: Json,
  table: string,
  schema: z.ZodType<T>,
  fileName: string,
  where: string,
): T[] {
  const value = data[table];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new DomainError('malformed_file', `${fileName}: ${where}.${table} is not a list of rows`);
  }
  return value.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? `.${issue.path.join('.')}` : '';
    const label = isObject(row) && typeof row.slug === 'string' ? ` (“${row.slug}”)` : '';
    throw new DomainError(
      'malformed_file',
      `${fileName}: ${where}.${table}[${index}]${field}${label}: ${issue?.message ?? 'not a valid row'}`,
    );
  });
}

function grouped(pairs: { key: string; value: string; order: number }[]): Map<string, string[]> {
  const sorted = [...pairs].sort((a, b) => a.order - b.order);
  const map = new Map<string, string[]>();
  for (const { key, value } of sorted) {
    const list = map.get(key) ?? [];
    if (!list.includes(value)) list.push(value);
    map.set(key, list);
  }
  return map;
}

/**
 * Reads a Ghost export. Broken JSON, a file that is not a Ghost export, or a
 * row with a wrong field fails here, naming the file and the place.
 */
export function parseGhostExport(textOfFile: string, fileName: string): GhostExport {
  let json: unknown;
  try {
    json = JSON.parse(textOfFile);
  } catch (error) {
    throw new DomainError(
      'malformed_file',
      `${fileName}: not valid JSON (${(error as Error).message})`,
    );
  }
  // Ghost 1 and later wrap the database in "db": [ … ]; 0.x exports did not.
  const isWrapped = isObject(json) && Array.isArray(json.db);
  const database: unknown = isWrapped ? ((json as Json).db as unknown[])[0] : json;
  if (!isObject(database) || !isObject(database.data)) {
    throw new DomainError(
      'malformed_file',
      `${fileName}: not a Ghost export (no "db[0].data" holding the site's tables)`,
    );
  }
  const meta = isObject(database.meta) ? database.meta : {};
  const data = database.data;
  const at = isWrapped ? 'db[0].data' : 'data';

  const settings = rows(data, 'settings', settingSchema, fileName, at);
  const setting = (key: string) => {
    const value = settings.find((row) => row.key === key)?.value;
    return typeof value === 'string' ? value : '';
  };
  const posts = rows(data, 'posts', postSchema, fileName, at);
  const seen = new Set<string>();
  for (const post of posts) {
    if (seen.has(post.id))
      throw new DomainError('malformed_file', `${fileName}: ${at}.posts holds id ${post.id} twice`);
    seen.add(post.id);
  }
  const otherTables = new Map<string, number>();
  for (const [table, value] of Object.entries(data)) {
    if (READ_TABLES.has(table) || GHOST_MACHINERY.has(table) || isEventLog(table)) continue;
    if (Array.isArray(value) && value.length > 0) otherTables.set(table, value.length);
  }
  const postTags = rows(data, 'posts_tags', linkSchema('post_id', 'tag_id'), fileName, at);
  const postAuthors = rows(data, 'posts_authors', linkSchema('post_id', 'author_id'), fileName, at);
  const memberNewsletters = rows(
    data,
    'members_newsletters',
    linkSchema('member_id', 'newsletter_id'),
    fileName,
    at,
  );
  const authorPairs = postAuthors.map((row) => ({
    key: String(row.post_id),
    value: String(row.author_id),
    order: row.sort_order as number,
  }));
  // Ghost 1–3: the post names its one author itself.
  for (const post of posts) {
    if (post.author_id && !authorPairs.some((pair) => pair.key === post.id))
      authorPairs.push({ key: post.id, value: post.author_id, order: 0 });
  }
  return {
    ghostVersion: typeof meta.version === 'string' ? meta.version : '',
    title: setting('title'),
    // Ghost 5 calls it "locale", earlier versions "lang".
    language: primaryLanguage(setting('locale') || setting('lang') || 'en'),
    posts,
    postMeta: new Map(
      rows(data, 'posts_meta', postMetaSchema, fileName, at).map((row) => [row.post_id, row]),
    ),
    tags: new Map(rows(data, 'tags', tagSchema, fileName, at).map((row) => [row.id, row])),
    users: new Map(rows(data, 'users', userSchema, fileName, at).map((row) => [row.id, row])),
    postTags: grouped(
      postTags.map((row) => ({
        key: String(row.post_id),
        value: String(row.tag_id),
        order: row.sort_order as number,
      })),
    ),
    postAuthors: grouped(authorPairs),
    members: rows(data, 'members', memberSchema, fileName, at),
    newsletters: rows(data, 'newsletters', newsletterSchema, fileName, at),
    memberNewsletters: grouped(
      memberNewsletters.map((row) => ({
        key: String(row.member_id),
        value: String(row.newsletter_id),
        order: row.sort_order as number,
      })),
    ),
    otherTables,
    otherSettings: settings.filter((row) => !READ_SETTINGS.has(row.key)).length,
  };
}

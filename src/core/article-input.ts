import { z } from 'zod';
import {
  ARTICLE_SORTS,
  DEFAULT_ARTICLE_SORT,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  SORT_DIRECTIONS,
} from './article-list.js';
import { articleLabelSchema } from './labels.js';
import { isSafeHref } from './links.js';
import { CORRECTION_TYPES, STATUSES } from './workflow.js';

// What staff send to create, change and move articles. Parsed once at the
// boundary (HTTP body, CLI); documents are then checked by `validateDoc`.

const sourceSchema = z.object({
  name: z.string().trim().min(1).max(300),
  url: z
    .string()
    .trim()
    .refine(isSafeHref, 'a source link must be http(s), mailto or site-relative')
    .nullable()
    .default(null),
});

const authorSchema = z.object({
  personId: z.number().int().positive(),
  label: z.string().trim().max(60).nullable().default(null),
});

/** How many tags an article takes, and how long a tag's name may be (imports that keep more say so). */
export const MAX_TAGS = 30;
export const MAX_TAG_LENGTH = 60;

const fields = {
  title: z.string().trim().max(300),
  standfirst: z.string().trim().max(1000),
  section: z.string().trim().min(1, 'choose a section'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language code such as "en" or "ru"'),
  body: z.unknown(),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and hyphens')
    .max(120),
  authors: z.array(authorSchema).max(20),
  sources: z.array(sourceSchema).max(100),
  leadMediaId: z.number().int().positive().nullable(),
  // Search engines show about 60 characters of a title and 160 of a
  // description; the editor counts them, and these limits only stop abuse.
  metaTitle: z.string().trim().max(300),
  metaDescription: z.string().trim().max(1000),
  socialImageId: z.number().int().positive().nullable(),
  label: articleLabelSchema,
  // Names as typed; duplicates and slug-less names are handled by `tagsFromNames`.
  tags: z.array(z.string().trim().min(1).max(MAX_TAG_LENGTH)).max(MAX_TAGS),
};

// A draft may start with nothing but a word of its body: the editor stores it
// from the first keystroke. Publishing checks the headline (core/workflow), and
// a draft with no section yet goes to the site's first one.
export const newArticleSchema = z.object({
  title: fields.title.default(''),
  standfirst: fields.standfirst.default(''),
  section: fields.section.optional(),
  language: fields.language,
  body: fields.body,
  slug: fields.slug.optional(),
  authors: fields.authors.optional(),
  sources: fields.sources.default([]),
  leadMediaId: fields.leadMediaId.default(null),
  // Optional rather than defaulted: scripts and importers that know nothing of them need not name them.
  metaTitle: fields.metaTitle.optional(),
  metaDescription: fields.metaDescription.optional(),
  socialImageId: fields.socialImageId.optional(),
  label: fields.label.optional(),
  tags: fields.tags.default([]),
});
export type NewArticleInput = z.infer<typeof newArticleSchema>;

export const articlePatchSchema = z.object({
  version: z.number().int().positive(),
  title: fields.title.optional(),
  standfirst: fields.standfirst.optional(),
  section: fields.section.optional(),
  language: fields.language.optional(),
  body: fields.body.optional(),
  slug: fields.slug.optional(),
  authors: fields.authors.optional(),
  sources: fields.sources.optional(),
  leadMediaId: fields.leadMediaId.optional(),
  metaTitle: fields.metaTitle.optional(),
  metaDescription: fields.metaDescription.optional(),
  socialImageId: fields.socialImageId.optional(),
  label: fields.label.optional(),
  tags: fields.tags.optional(),
});
export type ArticlePatch = z.infer<typeof articlePatchSchema>;

// Every transition may name the version the person reviewed: if the article
// changed since, the transition is refused with version_conflict, so nobody
// publishes text they have not seen.
const reviewedVersion = { version: z.number().int().positive().optional() };

/** The edits on screen, saved in the same transaction as the transition (so what is published is what was seen). */
export const articleChangesSchema = articlePatchSchema.omit({ version: true });
export type ArticleChanges = z.infer<typeof articleChangesSchema>;
/**
 * The state vector of the person's shared text (Yjs, base64): the transition
 * waits until the server holds every word of it, and the text changing since
 * the version they read is then no reason to refuse.
 */
const bodyState = { bodyState: z.base64().max(20_000).optional() };
const withChanges = {
  ...reviewedVersion,
  ...bodyState,
  changes: articleChangesSchema.optional(),
};

export const transitionBodySchemas = {
  submit: z.object(withChanges),
  publish: z.object({
    ...withChanges,
    channels: z.array(z.number().int().positive()).max(50).optional(),
  }),
  unpublish: z.object(withChanges),
  schedule: z.object({
    ...withChanges,
    at: z.iso.datetime({ offset: true }),
    channels: z.array(z.number().int().positive()).max(50).optional(),
  }),
  unschedule: z.object(withChanges),
  update: z.object(withChanges),
  'send-back': z.object({ ...withChanges, note: z.string().max(2000) }),
  withdraw: z.object(withChanges),
  trash: z.object(withChanges),
  // Nothing in the trash can be edited, so nothing on screen goes with a restore.
  restore: z.object({ ...reviewedVersion, ...bodyState, changes: z.never().optional() }),
  correct: z.object({
    ...withChanges,
    type: z.enum(CORRECTION_TYPES),
    text: z.string().max(5000),
  }),
} as const;

const pageNumberError = 'must be a whole number, 1 or more';
const pageSizeError = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

export const articleListQuerySchema = z.object({
  status: z.enum(STATUSES).optional(),
  section: z.string().optional(),
  author: z.coerce.number().int().positive().optional(),
  language: z.string().max(12).optional(),
  q: z.string().max(200).optional(),
  /** 'agency': the agency queue (wire copy imported as drafts); 'newsroom': the newsroom's own. */
  origin: z.enum(['agency', 'newsroom']).optional(),
  sort: z
    .enum(ARTICLE_SORTS, { error: `must be one of ${ARTICLE_SORTS.join(', ')}` })
    .default(DEFAULT_ARTICLE_SORT.by),
  /** Without it, the sort's own default (newest first for dates, A to Z for headlines). */
  order: z.enum(SORT_DIRECTIONS, { error: 'must be asc or desc' }).optional(),
  page: z.coerce
    .number({ error: pageNumberError })
    .int({ error: pageNumberError })
    .min(1, { error: pageNumberError })
    // Far beyond any newsroom's list; it keeps the OFFSET a number every database takes.
    .max(1_000_000, { error: 'must be at most 1000000' })
    .default(1),
  pageSize: z.coerce
    .number({ error: pageSizeError })
    .int({ error: pageSizeError })
    .min(1, { error: pageSizeError })
    .max(MAX_PAGE_SIZE, { error: pageSizeError })
    .default(DEFAULT_PAGE_SIZE),
});

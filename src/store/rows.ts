import type { Selectable } from 'kysely';
import { z } from 'zod';
import { parseStoredContacts } from '../core/contacts.js';
import { creditChainSchema } from '../core/credit.js';
import { parseDoc } from '../core/document.js';
import { articleLabelSchema } from '../core/labels.js';
import { parseLocalized } from '../core/localized.js';
import type { Article, ArticleStatus, Media, Page, Person, Section } from '../core/types.js';
import type { Database } from './schema.js';

// Row → core type. Stored JSON is validated on the way out: a bad row fails
// loudly here instead of rendering half a page.

export function toSection(row: Selectable<Database['section']>): Section {
  return {
    id: row.id,
    parentId: row.parent_id,
    slug: row.slug,
    path: row.path,
    name: row.name,
    names: parseLocalized(row.names),
    position: row.position,
  };
}

export function toPerson(row: Selectable<Database['person']>): Person {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    bio: row.bio,
    mastheadRole: row.masthead_role,
    mastheadTitle: row.masthead_title,
    mastheadPosition: row.masthead_position,
    photoMediaId: row.photo_media_id,
    contacts: parseStoredContacts(row.contacts),
  };
}

export function toMedia(row: Selectable<Database['media']>): Media {
  return {
    id: row.id,
    kind: 'image',
    file: row.file,
    width: row.width,
    height: row.height,
    alt: row.alt,
    caption: row.caption,
    credit: creditChainSchema.parse(JSON.parse(row.credit_json)),
    isOwnPhoto: row.is_own_photo === 1,
    creator: row.creator,
    source: row.source,
    copyright: row.copyright,
    digitalSourceType: row.digital_source_type,
    keywords: z.array(z.string()).parse(JSON.parse(row.keywords_json)),
    focus: row.focus_x === null || row.focus_y === null ? null : { x: row.focus_x, y: row.focus_y },
  };
}

export function toArticle(row: Selectable<Database['article']>): Article {
  return {
    id: row.id,
    uuid: row.uuid,
    slug: row.slug,
    sectionId: row.section_id,
    language: row.language,
    status: row.status as ArticleStatus,
    title: row.title,
    standfirst: row.standfirst,
    body: parseDoc(JSON.parse(row.body_json)),
    leadMediaId: row.lead_media_id,
    metaTitle: row.meta_title,
    metaDescription: row.meta_description,
    socialImageId: row.social_media_id,
    label: articleLabelSchema.parse(row.label),
    translationGroup: row.translation_group,
    publishedAt: row.published_at,
    scheduledAt: row.scheduled_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function toPage(row: Selectable<Database['page']>): Page {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    body: parseDoc(JSON.parse(row.body_json)),
    language: row.language,
    kind: row.kind as Page['kind'],
    position: row.position,
    updatedAt: row.updated_at,
  };
}

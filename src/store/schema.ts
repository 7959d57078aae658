import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Timestamps are ISO 8601 UTC strings on every dialect,
 * JSON columns are text: the same rows read back the same on SQLite and PostgreSQL.
 */
export type Database = {
  setting: { key: string; value: string };
  section: {
    id: Generated<number>;
    parent_id: number | null;
    slug: string;
    path: string;
    name: string;
    position: number;
  };
  person: {
    id: Generated<number>;
    name: string;
    slug: string;
    bio: string;
    masthead_role: string | null;
    masthead_title: string | null;
    masthead_position: number;
  };
  media: {
    id: Generated<number>;
    kind: string;
    file: string | null;
    width: number | null;
    height: number | null;
    alt: string;
    caption: string;
    credit_json: string;
    created_at: string;
  };
  article: {
    id: Generated<number>;
    uuid: string;
    slug: string;
    section_id: number;
    language: string;
    translation_group: string | null;
    status: string;
    title: string;
    standfirst: string;
    body_json: string;
    lead_media_id: number | null;
    published_at: string | null;
    created_at: string;
    updated_at: string;
    version: number;
  };
  article_author: { article_id: number; person_id: number; position: number; label: string | null };
  article_source: { article_id: number; position: number; name: string; url: string | null };
  page: {
    id: Generated<number>;
    slug: string;
    title: string;
    body_json: string;
    language: string;
    kind: string;
    position: number;
    updated_at: string;
  };
  import_ref: {
    format: string;
    external_id: string;
    entity: string;
    entity_id: number;
    content_hash: string;
  };
};

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
    /** JSON: its names in other languages. */
    names: Generated<string>;
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
    fediverse_handle: Generated<string | null>;
    photo_media_id: Generated<number | null>;
    /** JSON (core/contacts.ts PersonContacts). */
    contacts: Generated<string>;
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
    is_own_photo: Generated<number>;
    creator: Generated<string>;
    source: Generated<string>;
    copyright: Generated<string>;
    digital_source_type: Generated<string>;
    keywords_json: Generated<string>;
    /** Where an imported photo lives in its old system; its file is fetched later ('' for uploads). */
    source_url: Generated<string>;
    /** The focal point in percent from the left and top; null for the centre. */
    focus_x: number | null;
    focus_y: number | null;
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
    scheduled_at: string | null;
    created_by_user_id: number | null;
    /** '' for the newsroom's own; 'agency' for wire copy waiting in the agency queue. */
    origin: Generated<string>;
    /** The agency's word on its copy: '', 'usable', 'withheld' or 'canceled'. */
    agency_status: Generated<string>;
    embargo_until: string | null;
    /** Channels picked when it was scheduled (JSON ids), or null for the defaults (migration 015). */
    channel_picks_json?: string | null;
    /** Unpublished edits to a published article (a revision snapshot as JSON), or null. */
    pending_json: string | null;
    /** When the article went to the trash, or null. */
    trashed_at: string | null;
    /** The title and description for search results and link previews; '' for the headline and standfirst. */
    meta_title: Generated<string>;
    meta_description: Generated<string>;
    /** The photo of link previews; null for the lead photo. */
    social_media_id: number | null;
    /** 'opinion' or 'analysis' (core/labels.ts), shown above the headline; null for plain news (migration 022). */
    label: string | null;
    /** 'live' while live coverage runs, 'ended' after; null for ordinary articles (migration 023). */
    live_state: string | null;
    live_started_at: string | null;
    live_ended_at: string | null;
  };
  preview_link: {
    id: Generated<number>;
    token_hash: string;
    article_id: number;
    created_by_user_id: number | null;
    created_at: string;
    expires_at: string;
    revoked_at: string | null;
    hint: string;
  };
  article_author: { article_id: number; person_id: number; position: number; label: string | null };
  article_source: { article_id: number; position: number; name: string; url: string | null };
  tag: { id: Generated<number>; name: string; slug: string };
  article_tag: { article_id: number; tag_id: number; position: number };
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
  user: {
    id: Generated<number>;
    person_id: number;
    email: string;
    role: string;
    password_hash: string | null;
    totp_secret: string | null;
    /** Time step (unix seconds / 30) of the last accepted code; older or equal ones are replays. */
    totp_last_step: number | null;
    /** Secret of a two-factor setup begun but not yet confirmed. */
    totp_pending_secret: string | null;
    disabled_at: string | null;
    created_at: string;
  };
  password_token: {
    token_hash: string;
    user_id: number;
    expires_at: string;
    used_at: string | null;
  };
  session: {
    token_hash: string;
    user_id: number;
    csrf_token: string;
    created_at: string;
    expires_at: string;
  };
  login_attempt: {
    id: Generated<number>;
    email: string;
    ip: string;
    at: string;
    succeeded: number;
  };
  revision: {
    id: Generated<number>;
    article_id: number;
    version: number;
    snapshot_json: string;
    user_id: number | null;
    created_at: string;
    /** Everyone whose typing the revision holds, as user ids (JSON), when several typed into one save; null otherwise. */
    editors_json: string | null;
  };
  correction: {
    id: Generated<number>;
    article_id: number;
    type: string;
    text: string;
    user_id: number | null;
    created_at: string;
  };
  audit_log: {
    id: Generated<number>;
    user_id: number | null;
    action: string;
    subject: string;
    detail_json: string;
    at: string;
  };
  import_ref: {
    format: string;
    external_id: string;
    entity: string;
    entity_id: number;
    content_hash: string;
    source_version: number | null;
    entity_version: number | null;
  };
  redirect: { from_path: string; entity: string; entity_id: number; created_at: string };
  /** Changes told to the other servers on a SQLite file (store/change-log.ts). */
  change_log: { id: Generated<number>; payload: string; created_at: string };
  /** An import being written in batches on SQLite (store/write-batches.ts). */
  import_run: {
    id: Generated<number>;
    host: string;
    pid: number;
    started_at: string;
    heartbeat_at: string;
  };
  /** Where articles go beyond the site (a Telegram channel…); see migration 015. */
  channel: {
    id: Generated<number>;
    kind: string;
    name: string;
    language: string | null;
    sections_json: Generated<string>;
    is_default: Generated<number>;
    settings_json: Generated<string>;
    secret: string | null;
    created_at: string;
    updated_at: string;
  };
  /** One message to send, edit or delete on a channel: the distribution queue. */
  delivery: {
    id: Generated<number>;
    channel_id: number;
    article_id: number;
    action: string;
    target_id: number | null;
    dedupe_key: string;
    state: string;
    attempts: Generated<number>;
    next_at: string;
    last_error: string | null;
    remote_id: string | null;
    created_at: string;
    sent_at: string | null;
  };
  /** E-mail newsletters (migration 016). */
  newsletter_list: {
    id: Generated<number>;
    name: string;
    slug: string;
    language: string;
    sender_name: string;
    description: Generated<string>;
    created_at: string;
    updated_at: string;
  };
  subscriber: {
    id: Generated<number>;
    email: string;
    created_at: string;
    failure_count: Generated<number>;
    last_failure: string | null;
  };
  subscription: {
    list_id: number;
    subscriber_id: number;
    state: string;
    created_at: string;
    confirmed_at: string | null;
  };
  /** A newsletter going out to a list, and each of its recipients (migration 017). */
  newsletter_send: {
    id: Generated<number>;
    list_id: number;
    subject: string;
    intro: Generated<string>;
    articles_json: string;
    state: string;
    send_at: string;
    delivery_id: number | null;
    created_by: number | null;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
    reason: string | null;
  };
  newsletter_recipient: {
    send_id: number;
    subscriber_id: number;
    state: string;
    attempts: Generated<number>;
    next_at: string;
    last_error: string | null;
    sent_at: string | null;
  };
  /** The fediverse (migration 018). */
  fedi_key: { identifier: string; keys_json: string; created_at: string };
  fedi_kv: { key: string; value: string; expires_at: string | null };
  fedi_follower: {
    id: Generated<number>;
    identifier: string;
    follower_iri: string;
    inbox: string;
    shared_inbox: string | null;
    name: Generated<string>;
    follow_iri: Generated<string>;
    created_at: string;
  };
  fedi_following: {
    id: Generated<number>;
    target_iri: string;
    handle: string;
    name: Generated<string>;
    inbox: string;
    state: string;
    follow_iri: string;
    created_at: string;
  };
  fedi_interaction: {
    id: Generated<number>;
    article_id: number;
    kind: string;
    activity_iri: string;
    actor_iri: string;
    actor_name: Generated<string>;
    content: string | null;
    url: string | null;
    state: string;
    created_at: string;
  };
  fedi_received: {
    id: Generated<number>;
    object_iri: string;
    actor_iri: string;
    type: string;
    name: Generated<string>;
    summary: Generated<string>;
    content: Generated<string>;
    url: string | null;
    published_at: string | null;
    updated_at: string | null;
    deleted_at: string | null;
    received_at: string;
  };
  /** What an import under way changed, to take it back out if it fails. */
  import_undo: {
    seq: Generated<number>;
    run_id: number;
    table_name: string;
    op: string;
    row_key: number;
    old_row: string | null;
  };
  /** A front as editors arranged it; path "" is the home page. */
  front: {
    language: string;
    path: string;
    layout: string;
    version: number;
    updated_at: string;
    updated_by: number | null;
  };
  /** Page views added up per UTC hour and page, by source, language and device (migration 029). */
  audience_view: {
    hour: string;
    path: string;
    article_id: number | null;
    channel: string;
    referrer: string;
    language: string;
    device: string;
    views: number;
  };
  /** Views per UTC minute of the last hour ("right now"). */
  audience_minute: { minute: string; path: string; article_id: number | null; views: number };
  /** Approximate distinct readers of a day in the newsroom's time zone. */
  audience_reader: { day: string; readers: number };
  /** The day's salted reader hashes: deleted with the day's salt. */
  audience_seen: { day: string; hash: string };
  /** The day's random salt for reader hashes, never kept past its day. */
  audience_salt: { day: string; salt: string };
  /** Sign-ups, leavings, follows and Telegram posts, per day and what they concern. */
  audience_event: { day: string; kind: string; subject: string; count: number };
  /** One update of live coverage, versioned on its own (migration 023). */
  live_entry: {
    id: Generated<number>;
    article_id: number;
    person_id: number | null;
    title: Generated<string>;
    body: string;
    is_key_event: Generated<number>;
    is_pinned: Generated<number>;
    version: number;
    created_at: string;
    updated_at: string;
  };
  /** An article body's shared document for co-editing: the compacted Yjs state (migration 026). */
  shared_doc: {
    article_id: number;
    generation: string;
    state: Uint8Array;
    through_update_id: Generated<number>;
    body_update_id: Generated<number>;
    updated_at: string;
  };
  /** A Yjs update to a shared document, kept as it arrives until compacted into `shared_doc`. */
  shared_doc_update: {
    id: Generated<number>;
    article_id: number;
    data: Uint8Array;
    user_id: number | null;
    created_at: string;
  };
  /** A note on an article (never public): a thread's first note anchored to a passage, or a reply (migration 027). */
  article_note: {
    id: Generated<number>;
    article_id: number;
    thread_id: number | null;
    user_id: number | null;
    body: string;
    anchor_json: string | null;
    quote: Generated<string>;
    resolved_at: string | null;
    resolved_by: number | null;
    created_at: string;
    updated_at: string;
  };
  /** Someone a note names with @. */
  note_mention: { note_id: number; user_id: number };
  /** A story given to a writer: an article, or a placeholder for one (migration 028). */
  assignment: {
    id: Generated<number>;
    article_id: number | null;
    title: string;
    note: Generated<string>;
    deadline: string | null;
    assignee_id: number;
    assigned_by: number | null;
    done_at: string | null;
    created_at: string;
    updated_at: string;
  };
  /** Something a person should know (core/desk.ts NOTIFICATION_KINDS), until read. */
  notification: {
    id: Generated<number>;
    user_id: number;
    kind: string;
    article_id: number | null;
    actor_id: number | null;
    text: string;
    created_at: string;
    read_at: string | null;
  };
  /** How a person wants to hear of one kind of notification. */
  notification_choice: { user_id: number; kind: string; in_app: number; by_email: number };
};

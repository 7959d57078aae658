import { type SaxesOptions, SaxesParser, type SaxesTagNS } from 'saxes';
import { DomainError } from '../core/errors.js';
import { MASTHEAD_WXR_NAMESPACE } from '../core/wxr.js';
import { firstInvalidUtf8Offset } from './utf8.js';

// WordPress eXtended RSS (WXR 1.0, 1.1 and 1.2), read as a stream. A WXR file
// is an RSS 2.0 <rss> whose <channel> holds the site's header fields, then its
// authors (wp:author), terms (wp:category, wp:tag, wp:term) and finally one
// <item> per post, page, attachment or other post type.
//
// Exports run to hundreds of megabytes, so the reader is push-based: the
// caller reads the file in chunks and writes them in; each write returns the
// events completed so far. Only the current item is held while it is read —
// the text of the field being built, its other fields, its terms and meta —
// and comments are counted, never kept. Elements are matched by namespace URI
// and local name, so any prefix spelling works; the usual prefixes are
// resolved even when the file forgets to declare them.

export type WxrSite = {
  title: string;
  link: string;
  description: string;
  language: string;
  baseSiteUrl: string;
  baseBlogUrl: string;
  wxrVersion: string;
  /** The settings Masthead's export gives in its own elements (core/wxr.ts), as in the file; absent in others. */
  masthead?: { timeZone?: string; names?: string; taglines?: string };
};

/** A site header with nothing known yet. */
export function emptyWxrSite(): WxrSite {
  return {
    title: '',
    link: '',
    description: '',
    language: '',
    baseSiteUrl: '',
    baseBlogUrl: '',
    wxrVersion: '',
  };
}

export type WxrAuthor = {
  id: number | null;
  login: string;
  email: string;
  displayName: string;
  firstName: string;
  lastName: string;
  /** Their bio, where Masthead's export gives one (core/wxr.ts). */
  bio?: string;
  /** Their place on the masthead, where Masthead's export gives one. */
  masthead?: { role: string; title: string; position: number };
  /** Their public contacts as JSON, where Masthead's export gives them (checked by the importer). */
  contacts?: string;
  /** The attachment id of their portrait, where Masthead's export gives one. */
  photoId?: number;
};

export type WxrTerm = {
  /** 'category' (wp:category), 'post_tag' (wp:tag), or a wp:term's own taxonomy. */
  taxonomy: string;
  id: number | null;
  slug: string;
  name: string;
  /** The parent term's slug (WXR names parents by slug), or null at the top. */
  parentSlug: string | null;
  description: string;
  /** Its wp:termmeta (WXR 1.2), values as in the file; absent when it has none. */
  meta?: { key: string; value: string }[];
};

export type WxrItemTerm = { domain: string; slug: string; name: string };

export type WxrItem = {
  postId: number;
  postType: string;
  title: string;
  link: string;
  guid: string;
  /** dc:creator: the author's login. */
  creator: string;
  /** content:encoded as in the file (HTML, not trimmed). */
  content: string;
  /** excerpt:encoded as in the file. */
  excerpt: string;
  /** "2013-01-10 20:15:40" as in the file; null when empty or "0000-00-00 00:00:00". */
  postDate: string | null;
  postDateGmt: string | null;
  postModified: string | null;
  postModifiedGmt: string | null;
  status: string;
  slug: string;
  parentId: number;
  menuOrder: number;
  isSticky: boolean;
  password: string;
  attachmentUrl: string | null;
  /** <category domain="…" nicename="…">Name</category>; WXR 1.0's domain "tag" reads as "post_tag". */
  terms: WxrItemTerm[];
  /** wp:postmeta, values as in the file (often PHP-serialised). */
  meta: { key: string; value: string }[];
  /** Comments are not read, only counted. */
  commentCount: number;
  /** The line where the <item> starts, for messages. */
  line: number;
};

/** An <item> the reader could not hand on as a WxrItem, and why; the rest of the file reads on. */
export type WxrSkippedItem = { title: string; line: number; reason: string };

export type WxrEvent =
  | { kind: 'site'; site: WxrSite }
  | { kind: 'author'; author: WxrAuthor }
  | { kind: 'term'; term: WxrTerm }
  | { kind: 'item'; item: WxrItem }
  | { kind: 'skipped'; skipped: WxrSkippedItem };

const WP_NAMESPACE_STARTS = ['http://wordpress.org/export/', 'https://wordpress.org/export/'];
const CONTENT_NAMESPACE = 'http://purl.org/rss/1.0/modules/content/';
const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/';

/** Used when a file forgets to declare one of the usual prefixes. */
const USUAL_PREFIXES: Record<string, string> = {
  wp: 'http://wordpress.org/export/1.2/',
  excerpt: 'http://wordpress.org/export/1.2/excerpt/',
  content: CONTENT_NAMESPACE,
  dc: DC_NAMESPACE,
  wfw: 'http://wellformedweb.org/CommentAPI/',
  atom: 'http://www.w3.org/2005/Atom',
};

/** For a namespace of the WXR family ("http://wordpress.org/export/1.2/…"), what follows the version: "" or "excerpt/". */
function wxrNamespaceRest(uri: string): string | null {
  const start = WP_NAMESPACE_STARTS.find((prefix) => uri.startsWith(prefix));
  if (start === undefined) return null;
  const rest = uri.slice(start.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  return rest.slice(slash + 1);
}

/** An element's name as this reader matches it: "title", "wp:post_id", "content:encoded". */
function keyOf(uri: string, local: string): string {
  if (uri === '') return local;
  if (uri === CONTENT_NAMESPACE) return `content:${local}`;
  if (uri === DC_NAMESPACE) return `dc:${local}`;
  const rest = wxrNamespaceRest(uri);
  if (rest === '') return `wp:${local}`;
  if (rest === 'excerpt/') return `excerpt:${local}`;
  return `{${uri}}${local}`;
}

/**
 * True when `head` (the start of a file, decoded) is a WordPress export: an
 * <rss> root that declares a WXR namespace or holds <wp:wxr_version> before
 * its first item.
 */
export function looksLikeWxr(head: string): boolean {
  const parser = new SaxesParser({ position: false });
  let rootSeen = false;
  let answer = false;
  const stop = new Error('decided');
  parser.on('opentag', (tag) => {
    if (!rootSeen) {
      rootSeen = true;
      if (tag.name !== 'rss') throw stop;
    }
    const declaresWxr = Object.entries(tag.attributes).some(
      ([name, value]) =>
        (name === 'xmlns' || name.startsWith('xmlns:')) && wxrNamespaceRest(value) === '',
    );
    if (declaresWxr || tag.name.endsWith(':wxr_version')) {
      answer = true;
      throw stop;
    }
    if (tag.name === 'item') throw stop;
  });
  try {
    parser.write(head);
  } catch {
    // Decided, or not XML: either way the answer so far stands.
  }
  return answer;
}

type Frame = { name: string; key: string; line: number; column: number };

type Field = { text: string; line: number; column: number };

type RecordKind = 'author' | 'category' | 'tag' | 'term' | 'item';

const RECORD_KINDS: Record<string, RecordKind> = {
  'wp:author': 'author',
  'wp:category': 'category',
  'wp:tag': 'tag',
  'wp:term': 'term',
  item: 'item',
};

/** Where a record keeps its meta entries: an item's wp:postmeta, a term's wp:termmeta (WXR 1.2); an author has none. */
function metaKeyOf(kind: RecordKind): string | null {
  if (kind === 'item') return 'wp:postmeta';
  return kind === 'author' ? null : 'wp:termmeta';
}

/** What WordPress's importer accepts as a WXR version ("1.0", "1.1", "1.2"). */
const WXR_VERSION = /^\d+\.\d+$/;

const SITE_FIELDS = new Set([
  'title',
  'link',
  'description',
  'language',
  'wp:wxr_version',
  'wp:base_site_url',
  'wp:base_blog_url',
  `{${MASTHEAD_WXR_NAMESPACE}}time_zone`,
  `{${MASTHEAD_WXR_NAMESPACE}}names`,
  `{${MASTHEAD_WXR_NAMESPACE}}taglines`,
]);

/** Masthead's site settings in its export, by element key. */
const MASTHEAD_SITE_FIELDS: Record<string, 'timeZone' | 'names' | 'taglines'> = {
  [`{${MASTHEAD_WXR_NAMESPACE}}time_zone`]: 'timeZone',
  [`{${MASTHEAD_WXR_NAMESPACE}}names`]: 'names',
  [`{${MASTHEAD_WXR_NAMESPACE}}taglines`]: 'taglines',
};

/** The record (author, term or item) being read: only ever one. */
type OpenRecord = {
  kind: RecordKind;
  frame: Frame;
  fields: Map<string, Field>;
  terms: WxrItemTerm[];
  meta: { key: string; value: string }[];
  commentCount: number;
};

/** The element whose text is being collected, and where it goes. */
type Collecting = {
  depth: number;
  key: string;
  line: number;
  column: number;
  text: string;
  /** For an item's <category>: its domain and nicename attributes. */
  domain: string | null;
  nicename: string | null;
};

type Options = SaxesOptions & { xmlns: true };

/** An attribute without a namespace, by local name. */
function attributeOf(tag: SaxesTagNS, local: string): string | null {
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.uri === '' && attribute.local === local) return attribute.value;
  }
  return null;
}

const ENCODINGS_READ = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** How many bytes at the end of `tail` begin a UTF-8 sequence that is not complete yet. */
function incompleteSequenceLength(tail: number[]): number {
  for (let back = 1; back <= tail.length; back++) {
    const byte = tail[tail.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** saxes' message without its "line:column: " prefix (the reader says where itself) and final stop. */
function saxesProblem(message: string): string {
  const bare = message.slice(message.indexOf(': ') + 2);
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

const UNMATCHED = 'unmatched closing tag: ';

function plainXmlProblem(bare: string): string {
  if (bare === 'undefined entity') {
    return 'an undefined entity (an "&" that is not &amp;, &lt;, &gt;, &quot;, &apos; or a character reference)';
  }
  if (bare === 'text data outside of root node') return 'text outside the root element';
  if (
    bare.endsWith('must be at the start of the document') ||
    bare.endsWith('must appear at the start of the document')
  ) {
    return 'the XML declaration (<?xml …?>) is not at the very start of the file (a blank line or a PHP notice before it?)';
  }
  if (bare === 'disallowed character') {
    return 'a character XML does not allow (a control character, or a "<" inside an attribute value)';
  }
  if (bare === 'documents may contain only one root') return 'a second root element';
  if (bare.startsWith(UNMATCHED)) {
    return `close tag </${bare.slice(UNMATCHED.length)}> with no open tag to match`;
  }
  return bare;
}

/**
 * Reads a WXR file pushed in chunks. `write` each chunk as it is read, then
 * `close`; both return the events completed so far, in file order: the site
 * (once, before any author, term or item), then authors, terms and items.
 * Problems throw a DomainError naming the file, the line and column and the
 * problem ('malformed_file'; 'invalid_encoding' for bytes that are not UTF-8).
 */
export class WxrReader {
  private readonly fileName: string;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly parser: SaxesParser<Options>;
  private bytes = 0;
  /** The last (up to three) bytes written, to place an invalid sequence that began in an earlier chunk. */
  private tail: number[] = [];
  private events: WxrEvent[] = [];
  private failure: Error | null = null;
  private closed = false;

  private readonly stack: Frame[] = [];
  private startLine = 1;
  private startColumn = 1;
  private rootSeen = false;
  private channelSeen = false;
  private site: WxrSite = emptyWxrSite();
  private siteSent = false;
  private record: OpenRecord | null = null;
  private postMeta: { key: string; value: string } | null = null;
  private collecting: Collecting | null = null;
  private lastClosed: string | null = null;

  /** A close tag that did not match, reported once saxes has finished with it. */
  private mismatch: { expected: string; found: string; line: number; column: number } | null = null;

  constructor(fileName: string) {
    this.fileName = fileName;
    this.parser = new SaxesParser<Options>({
      xmlns: true,
      resolvePrefix: (prefix) => USUAL_PREFIXES[prefix],
    });
    const parser = this.parser;
    parser.on('error', (error) => this.onError(error));
    // No more than these six handlers: saxes stores each as a new property, and
    // with a seventh V8 turns the parser into a slow dictionary object (5x slower).
    // The XML declaration is checked at the root element instead.
    parser.on('opentagstart', (tag) => {
      if (this.mismatch) throw this.mismatchError();
      // saxes is just past "<name" and the character after it.
      this.startLine = parser.line;
      this.startColumn = Math.max(1, parser.column - tag.name.length - 1);
    });
    parser.on('opentag', (tag) => this.onOpen(tag));
    parser.on('closetag', (tag) => this.onClose(tag));
    parser.on('text', (text) => this.onText(text));
    parser.on('cdata', (text) => this.onText(text));
  }

  /** Bytes written so far, for a progress bar. */
  get bytesRead(): number {
    return this.bytes;
  }

  /** Takes the next chunk of the file; returns the events it completed. */
  write(chunk: Uint8Array): WxrEvent[] {
    this.usable();
    const before = this.bytes;
    this.bytes += chunk.length;
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      this.fail(this.invalidUtf8(chunk, before));
    }
    this.rememberTail(chunk);
    this.feed(text);
    return this.takeEvents();
  }

  /** Ends the file: throws if it is incomplete; returns the last events. */
  close(): WxrEvent[] {
    this.usable();
    this.closed = true;
    let rest = '';
    try {
      rest = this.decoder.decode();
    } catch {
      // The bytes end inside a character: the file was cut off. Say so by element if we can.
      if (this.stack.length > 0) this.fail(this.truncated());
      const pending = incompleteSequenceLength(this.tail);
      this.fail(
        new DomainError(
          'invalid_encoding',
          `${this.fileName}: line ${this.parser.line}: not valid UTF-8 (the file ends inside a character that starts at byte offset ${this.bytes - pending})`,
        ),
      );
    }
    this.feed(rest);
    if (this.stack.length > 0) this.fail(this.truncated());
    if (!this.rootSeen) {
      const problem =
        this.bytes === 0
          ? 'the file is empty'
          : 'the file ends before its <rss> element (truncated?)';
      this.fail(new DomainError('malformed_file', `${this.fileName}: ${problem}`));
    }
    try {
      this.parser.close();
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
    return this.takeEvents();
  }

  private usable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`WxrReader for ${this.fileName}: already closed`);
  }

  private fail(error: Error): never {
    this.failure = error;
    throw error;
  }

  private feed(text: string): void {
    if (text === '') return;
    try {
      this.parser.write(text);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.mismatch) this.fail(this.mismatchError());
  }

  private takeEvents(): WxrEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private rememberTail(chunk: Uint8Array): void {
    if (chunk.length >= 3) {
      this.tail = Array.from(chunk.subarray(chunk.length - 3));
    } else {
      this.tail = [...this.tail, ...chunk].slice(-3);
    }
  }

  private invalidUtf8(chunk: Uint8Array, chunkOffset: number): DomainError {
    // The decoder may still hold the start of a character from earlier chunks.
    const pending = incompleteSequenceLength(this.tail);
    const bytes = new Uint8Array(pending + chunk.length);
    bytes.set(this.tail.slice(this.tail.length - pending), 0);
    bytes.set(chunk, pending);
    const at = firstInvalidUtf8Offset(bytes);
    let line = this.parser.line;
    for (let i = pending; i < at; i++) if (bytes[i] === 0x0a) line++;
    const byte = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    return new DomainError(
      'invalid_encoding',
      `${this.fileName}: line ${line}: not valid UTF-8 (bad byte 0x${byte} at byte offset ${chunkOffset - pending + at})`,
    );
  }

  private malformed(line: number, column: number | null, problem: string): DomainError {
    const where = column === null ? `line ${line}` : `line ${line}, column ${column}`;
    return new DomainError('malformed_file', `${this.fileName}: ${where}: ${problem}`);
  }

  private notWxr(line: number, column: number | null, why: string): DomainError {
    return this.malformed(line, column, `not a WordPress export (WXR): ${why}`);
  }

  private truncated(): DomainError {
    const innermost = this.stack[this.stack.length - 1];
    const record = this.record?.frame;
    let where = innermost ? `inside <${innermost.name}> opened at line ${innermost.line}` : '';
    if (record && innermost && record !== innermost) {
      where += `, in the <${record.name}> opened at line ${record.line}`;
    }
    return new DomainError(
      'malformed_file',
      `${this.fileName}: the file ends ${where} (truncated?)`,
    );
  }

  private mismatchError(): DomainError {
    const { expected, found, line, column } = this.mismatch ?? {
      expected: '?',
      found: '?',
      line: this.parser.line,
      column: this.parser.column,
    };
    return this.malformed(
      line,
      column,
      `broken XML: close tag </${found}> where </${expected}> was expected`,
    );
  }

  private onError(error: Error): void {
    const parser = this.parser;
    const problem = saxesProblem(error.message);
    if (problem === 'unexpected close tag') {
      // saxes has just closed the element it expected and goes on closing
      // outer ones until one matches the tag found; the first report is the one.
      if (!this.mismatch) {
        const expected = this.lastClosed ?? '?';
        this.mismatch = { expected, found: expected, line: parser.line, column: parser.column };
      }
      return;
    }
    if (this.mismatch) {
      // No open element matched: saxes names the tag found.
      if (problem.startsWith(UNMATCHED)) this.mismatch.found = problem.slice(UNMATCHED.length);
      throw this.mismatchError();
    }
    throw this.malformed(
      parser.line,
      Math.max(1, parser.column),
      `broken XML: ${plainXmlProblem(problem)}`,
    );
  }

  private onOpen(tag: SaxesTagNS): void {
    if (this.mismatch) throw this.mismatchError();
    const depth = this.stack.length;
    const frame: Frame = {
      name: tag.name,
      key: keyOf(tag.uri, tag.local),
      line: this.startLine,
      column: this.startColumn,
    };
    this.stack.push(frame);
    const parent = this.stack[depth - 1];

    if (depth === 0) {
      this.rootSeen = true;
      const encoding = this.parser.xmlDecl.encoding;
      if (encoding !== undefined && !ENCODINGS_READ.has(encoding.toLowerCase())) {
        throw new DomainError(
          'invalid_encoding',
          `${this.fileName}: line 1: the file declares the encoding "${encoding}"; only UTF-8 exports can be read`,
        );
      }
      if (frame.key !== 'rss') {
        throw this.notWxr(frame.line, frame.column, `the root element is <${tag.name}>, not <rss>`);
      }
      return;
    }
    if (depth === 1) {
      if (frame.key === 'channel' && !this.channelSeen) this.channelSeen = true;
      return;
    }
    if (depth === 2) {
      if (parent?.key !== 'channel' || this.stack[0]?.key !== 'rss') return;
      const kind = RECORD_KINDS[frame.key];
      if (kind !== undefined) {
        this.sendSite(frame);
        this.record = {
          kind,
          frame,
          fields: new Map(),
          terms: [],
          meta: [],
          commentCount: 0,
        };
      } else if (!this.siteSent && SITE_FIELDS.has(frame.key)) {
        this.collect(depth, frame, null);
      }
      return;
    }
    const record = this.record;
    if (!record) return;
    if (depth === 3) {
      if (frame.key === metaKeyOf(record.kind)) {
        this.postMeta = { key: '', value: '' };
      } else if (record.kind === 'item' && frame.key === 'wp:comment') {
        record.commentCount++;
      } else {
        this.collect(depth, frame, frame.key === 'category' ? tag : null);
      }
      return;
    }
    if (depth === 4 && this.postMeta && parent?.key === metaKeyOf(record.kind)) {
      if (frame.key === 'wp:meta_key' || frame.key === 'wp:meta_value') {
        this.collect(depth, frame, null);
      }
    }
  }

  private collect(depth: number, frame: Frame, category: SaxesTagNS | null): void {
    this.collecting = {
      depth,
      key: frame.key,
      line: frame.line,
      column: frame.column,
      text: '',
      domain: category ? attributeOf(category, 'domain') : null,
      nicename: category ? attributeOf(category, 'nicename') : null,
    };
  }

  private onText(text: string): void {
    if (this.mismatch) throw this.mismatchError();
    const collecting = this.collecting;
    // Only the field's own text: anything nested deeper is not WXR and is left out.
    if (collecting && this.stack.length === collecting.depth + 1) collecting.text += text;
  }

  private onClose(tag: SaxesTagNS): void {
    this.lastClosed = tag.name;
    if (this.mismatch) {
      // Still unwinding: the last element closed is the one the tag found matched.
      this.mismatch.found = tag.name;
      return;
    }
    const frame = this.stack.pop();
    if (!frame) return;
    const depth = this.stack.length;
    const collecting = this.collecting;
    if (collecting && collecting.depth === depth) {
      this.collecting = null;
      this.store(collecting);
      return;
    }
    const record = this.record;
    if (depth === 3 && record && this.postMeta && frame.key === metaKeyOf(record.kind)) {
      record.meta.push(this.postMeta);
      this.postMeta = null;
    } else if (depth === 2 && record && record.frame === frame) {
      this.record = null;
      this.events.push(this.finish(record));
    } else if (depth === 1 && frame.key === 'channel') {
      this.sendSite(frame);
    } else if (depth === 0 && !this.channelSeen) {
      throw this.notWxr(frame.line, frame.column, '<rss> has no <channel>');
    }
  }

  private store(collected: Collecting): void {
    // saxes hands out slices of the decoded chunk: a short field kept by the
    // importer (an attachment's address, a slug) would keep its whole 256 KiB
    // chunk alive, and a large export would stay in memory. A copy owns its text.
    const field = { ...collected, text: ownCopy(collected.text) };
    const value: Field = { text: field.text, line: field.line, column: field.column };
    if (field.depth === 2) {
      this.setSiteField(field.key, field.text.trim());
      return;
    }
    const record = this.record;
    if (!record) return;
    if (field.depth === 4 && this.postMeta) {
      if (field.key === 'wp:meta_key') this.postMeta.key = field.text.trim();
      else this.postMeta.value = field.text;
      return;
    }
    if (record.kind === 'item' && field.key === 'category') {
      // As WordPress's importer: only categories with a nicename are the post's terms.
      if (field.nicename === null) return;
      const domain = field.domain ?? '';
      record.terms.push({
        domain: domain === 'tag' ? 'post_tag' : domain,
        slug: field.nicename,
        name: field.text.trim(),
      });
      return;
    }
    record.fields.set(field.key, value);
  }

  private setSiteField(key: string, value: string): void {
    const site = this.site;
    if (key === 'title') site.title = value;
    else if (key === 'link') site.link = value;
    else if (key === 'description') site.description = value;
    else if (key === 'language') site.language = value;
    else if (key === 'wp:wxr_version') site.wxrVersion = value;
    else if (key === 'wp:base_site_url') site.baseSiteUrl = value;
    else if (key === 'wp:base_blog_url') site.baseBlogUrl = value;
    else {
      const field = MASTHEAD_SITE_FIELDS[key];
      if (field) site.masthead = { ...site.masthead, [field]: value };
    }
  }

  private sendSite(at: Frame): void {
    if (this.siteSent) return;
    if (this.site.wxrVersion === '') {
      throw this.notWxr(
        at.line,
        at.column,
        `the <channel> has no <wp:wxr_version> before <${at.name}> (a plain RSS feed?)`,
      );
    }
    // As WordPress's importer: a version that is not one means the file is not
    // an export it knows how to read, so nothing of it is trusted.
    if (!WXR_VERSION.test(this.site.wxrVersion)) {
      const value = this.site.wxrVersion;
      throw this.notWxr(
        at.line,
        at.column,
        `its <wp:wxr_version> is "${value.length > 40 ? `${value.slice(0, 40)}…` : value}", not a version number like "1.2"`,
      );
    }
    this.siteSent = true;
    this.events.push({ kind: 'site', site: { ...this.site } });
  }

  private finish(record: OpenRecord): WxrEvent {
    const fields = record.fields;
    const text = (key: string): string => fields.get(key)?.text.trim() ?? '';
    const raw = (key: string): string => fields.get(key)?.text ?? '';
    const optional = (key: string): string | null => text(key) || null;
    const date = (key: string): string | null => {
      const value = text(key);
      return value === '' || value.startsWith('0000-00-00') ? null : value;
    };
    const whole = (key: string): number | null => {
      const field = fields.get(key);
      const value = field?.text.trim() ?? '';
      if (value === '') return null;
      const digits = value.startsWith('-') ? value.slice(1) : value;
      const isWhole =
        digits.length > 0 &&
        digits.length <= 15 &&
        [...digits].every((char) => char >= '0' && char <= '9');
      if (!isWhole) {
        throw this.malformed(
          field?.line ?? record.frame.line,
          field?.column ?? null,
          `<${key}> should be a whole number, not "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`,
        );
      }
      return Number(value);
    };

    const termMeta = record.meta.length > 0 ? { meta: record.meta } : {};
    const masthead = (local: string) => text(`{${MASTHEAD_WXR_NAMESPACE}}${local}`);
    const isOnMasthead = masthead('title') !== '';
    switch (record.kind) {
      case 'author':
        return {
          kind: 'author',
          author: {
            id: whole('wp:author_id'),
            login: text('wp:author_login'),
            email: text('wp:author_email'),
            displayName: text('wp:author_display_name'),
            firstName: text('wp:author_first_name'),
            lastName: text('wp:author_last_name'),
            ...(masthead('bio') ? { bio: masthead('bio') } : {}),
            ...(masthead('contacts') ? { contacts: masthead('contacts') } : {}),
            ...(masthead('photo')
              ? { photoId: whole(`{${MASTHEAD_WXR_NAMESPACE}}photo`) ?? 0 }
              : {}),
            ...(isOnMasthead
              ? {
                  masthead: {
                    role: masthead('role'),
                    title: masthead('title'),
                    position: whole(`{${MASTHEAD_WXR_NAMESPACE}}position`) ?? 0,
                  },
                }
              : {}),
          },
        };
      case 'category':
        return {
          kind: 'term',
          term: {
            taxonomy: 'category',
            id: whole('wp:term_id'),
            slug: text('wp:category_nicename'),
            name: text('wp:cat_name'),
            parentSlug: optional('wp:category_parent'),
            description: text('wp:category_description'),
            ...termMeta,
          },
        };
      case 'tag':
        return {
          kind: 'term',
          term: {
            taxonomy: 'post_tag',
            id: whole('wp:term_id'),
            slug: text('wp:tag_slug'),
            name: text('wp:tag_name'),
            parentSlug: null,
            description: text('wp:tag_description'),
            ...termMeta,
          },
        };
      case 'term':
        return {
          kind: 'term',
          term: {
            taxonomy: text('wp:term_taxonomy'),
            id: whole('wp:term_id'),
            slug: text('wp:term_slug'),
            name: text('wp:term_name'),
            parentSlug: optional('wp:term_parent'),
            description: text('wp:term_description'),
            ...termMeta,
          },
        };
      case 'item': {
        const postId = whole('wp:post_id');
        if (postId === null) {
          // Without its id an item cannot be told apart from others on a
          // re-import, nor named by posts: it is left out, not the whole file.
          return {
            kind: 'skipped',
            skipped: {
              title: text('title'),
              line: record.frame.line,
              reason: `the <${record.frame.name}> has no <wp:post_id>`,
            },
          };
        }
        return {
          kind: 'item',
          item: {
            postId,
            postType: text('wp:post_type'),
            title: text('title'),
            link: text('link'),
            guid: text('guid'),
            creator: text('dc:creator'),
            content: raw('content:encoded'),
            excerpt: raw('excerpt:encoded'),
            postDate: date('wp:post_date'),
            postDateGmt: date('wp:post_date_gmt'),
            postModified: date('wp:post_modified'),
            postModifiedGmt: date('wp:post_modified_gmt'),
            status: text('wp:status'),
            slug: text('wp:post_name'),
            parentId: whole('wp:post_parent') ?? 0,
            menuOrder: whole('wp:menu_order') ?? 0,
            isSticky: text('wp:is_sticky') === '1',
            password: raw('wp:post_password'),
            attachmentUrl: optional('wp:attachment_url'),
            terms: record.terms,
            meta: record.meta,
            commentCount: record.commentCount,
            line: record.frame.line,
          },
        };
      }
    }
  }
}

/** A string that shares no storage with the text it was cut from. */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

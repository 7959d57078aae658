import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { ARTICLE_LABELS, type ArticleLabel } from '../core/labels.js';
import { nitfBodyHtml } from './newsml.js';
import { checkNinjsSchema } from './ninjs-schema.js';

// IPTC ninjs (News in JSON), versions 1.x, 2.x and 3.x, read into one shape.
// 3.x spells its properties in camelCase ("versionCreated", "pubStatus"); 1.x
// has single "headline" and "body_*" / "description_*" / "headline_*" fields,
// the suffix naming the format (body_html, body_text…), where 2.x and 3.x have
// arrays of role-tagged "headlines", "descriptions" and "bodies". The rich
// (HTML) body is preferred over the plain one. People, organisations, places
// and "located" are kept as tags; every association keeps the name the item
// gives it. A file holds one item, or (a 3.x collection) an array of them.
// Items of 2.x and 3.x must satisfy IPTC's schema of their version
// (ninjs-schema.ts); 1.x items, whose schemas are draft-04 and not shipped,
// get only the checks below.
//
// This is the parsing half of the ninjs importer (issue 6): what to do with
// each item — a draft in the agency-copy queue, a photo in the library, or a
// skip with a reason — is decided from `kind` by the newsroom's importer.

export type NinjsVersion = '1' | '2' | '3';

export type NinjsRendition = {
  name: string;
  href: string | null;
  contentType: string | null;
  width: number | null;
  height: number | null;
};

export type NinjsItem = {
  uri: string;
  /** The item's own version number ("2"), or null when it states none. */
  version: number | null;
  ninjsVersion: NinjsVersion;
  type: string;
  /** What Masthead can make of it: an article draft, a library photo, or nothing (with a reason). */
  kind: 'article' | 'picture' | 'skip';
  skipReason: string | null;
  pubStatus: 'usable' | 'withheld' | 'canceled';
  embargoedUntil: string | null;
  versionCreated: string | null;
  firstCreated: string | null;
  language: string | null;
  headline: string;
  /** A summary or caption (the "summary"/"caption"/"description" role, else the first description). */
  description: string;
  /** The body as HTML when the item has one, else null (see bodyText). */
  bodyHtml: string | null;
  bodyText: string | null;
  byline: string;
  subjects: string[];
  /**
   * The people, organisations and places the item names (ninjs 2.x/3.x
   * "people", "organisations", "places"; 1.x "person", "organisation",
   * "place"), then where it was filed ("located"): what Masthead keeps as tags.
   */
  tags: string[];
  /** Where the item was filed ("located", a dateline place), or null. */
  located: string | null;
  /** The name an item gives this association ("featureimage", "portrait"), null for a top-level item. */
  associationName: string | null;
  /** Opinion or analysis when the item's IPTC genre says so (null for the others, and NewsML). */
  label: ArticleLabel | null;
  copyrightHolder: string;
  copyrightNotice: string;
  usageTerms: string;
  renditions: NinjsRendition[];
  /** Associated items (a composite's pictures), parsed the same way. */
  associations: NinjsItem[];
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 3.x's camelCase keys lowered to 2.x's spelling, all the way down ("versionCreated" → "versioncreated"). */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerKeys(inner)]),
  );
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function optionalText(value: unknown): string | null {
  const found = text(value);
  return found === '' ? null : found;
}

function number(value: unknown): number | null {
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

/** Plain text of an HTML fragment (1.x "description_html"), for a standfirst. */
function plainText(html: unknown): string {
  if (typeof html !== 'string') return '';
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

type Tagged = { role: string; contentType: string; value: string };

/** A 2.x/3.x array of { role, contenttype, value } objects. */
function tagged(value: unknown): Tagged[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((entry) => ({
    role: text(entry.role).toLowerCase(),
    contentType: text(entry.contenttype).toLowerCase(),
    value: typeof entry.value === 'string' ? entry.value : '',
  }));
}

function pick(entries: Tagged[], roles: string[]): Tagged | undefined {
  for (const role of roles) {
    const found = entries.find((entry) => entry.role === role && entry.value.trim() !== '');
    if (found) return found;
  }
  return entries.find((entry) => entry.value.trim() !== '');
}

function detectVersion(raw: Json): NinjsVersion {
  const standard = isObject(raw.standard) ? text(raw.standard.version) : '';
  if (standard) return standard.startsWith('1') ? '1' : standard.startsWith('3') ? '3' : '2';
  if (Object.keys(raw).some((key) => /[A-Z]/.test(key))) return '3';
  if (Object.keys(raw).some(isOneXTextField)) return '1';
  return '2';
}

/**
 * ninjs 1.x's text fields: "headline", and the families its schema allows by
 * pattern, "headline_*", "body_*" and "description_*", the suffix naming the
 * format or purpose (body_text, body_html, body_xhtml in 1.0, body_html5,
 * description_text, description_html, headline_short…).
 */
function isOneXTextField(key: string): boolean {
  return key === 'headline' || /^(?:headline|body|description)_[a-z0-9_]+$/.test(key);
}

/**
 * The value of the first 1.x "{family}_{suffix}" field that is a non-empty
 * string and whose suffix passes `wanted`, in the item's own order.
 */
function oneXField(item: Json, family: string, wanted: (suffix: string) => boolean): string | null {
  for (const [key, value] of Object.entries(item)) {
    if (!key.startsWith(`${family}_`) || !wanted(key.slice(family.length + 1))) continue;
    const found = optionalText(value);
    if (found !== null) return found;
  }
  return null;
}

const isHtmlSuffix = (suffix: string) => suffix.includes('html');
// A suffix that is neither HTML nor text (body_nitf, an XML vocabulary) is no plain text.
const isTextSuffix = (suffix: string) => suffix.includes('text') && !suffix.includes('html');

const KNOWN_TYPES = new Set(['text', 'picture', 'graphic', 'audio', 'video', 'composite']);

function classify(
  item: Json,
  type: string,
): { kind: NinjsItem['kind']; skipReason: string | null } {
  if (type === 'event' || 'eventdetails' in item)
    return { kind: 'skip', skipReason: 'an event listing, not an article' };
  if (type === 'picture' || type === 'graphic') return { kind: 'picture', skipReason: null };
  if (type === 'text' || type === 'composite' || type === 'audio' || type === 'video')
    return { kind: 'article', skipReason: null };
  if (!KNOWN_TYPES.has(type)) {
    // ninjs' type is optional: an item with a headline or a body is text.
    if ('headlines' in item || 'bodies' in item || Object.keys(item).some(isOneXTextField))
      return { kind: 'article', skipReason: null };
    return { kind: 'skip', skipReason: `a "${type || 'untyped'}" item with no headline or body` };
  }
  return { kind: 'skip', skipReason: `a ${type} item` };
}

function renditionsOf(value: unknown): NinjsRendition[] {
  // 2.x/3.x: an array of { name, href, … }; 1.x: an object keyed by name.
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((entry, index) => [
        isObject(entry) ? text(entry.name) || String(index) : String(index),
        entry,
      ])
    : isObject(value)
      ? Object.entries(value)
      : [];
  return entries
    .filter(([, entry]) => isObject(entry))
    .map(([name, entry]) => {
      const rendition = entry as Json;
      return {
        name,
        href: optionalText(rendition.href),
        contentType: optionalText(rendition.contenttype) ?? optionalText(rendition.mimetype),
        width: number(rendition.width),
        height: number(rendition.height),
      };
    });
}

function names(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isObject)
    .map((entry) => text(entry.name) || text(entry.literal))
    .filter((name) => name !== '');
}

const IPTC_GENRE = /^(?:https?:\/\/cv\.iptc\.org\/newscodes\/genre\/|genre:)/i;

/**
 * The label an item's genres give it: the IPTC genre NewsCodes Opinion and
 * Analysis, by URI or QCode ("genre:Opinion"), or by name. Other genres are
 * news to Masthead.
 */
function labelOf(value: unknown): ArticleLabel | null {
  if (!Array.isArray(value)) return null;
  for (const genre of value.filter(isObject)) {
    const codes = [text(genre.uri), text(genre.literal), text(genre.code)]
      .filter((code) => IPTC_GENRE.test(code))
      .map((code) => code.replace(IPTC_GENRE, ''));
    for (const candidate of [...codes, text(genre.name)]) {
      const label = ARTICLE_LABELS.find((known) => known === candidate.toLowerCase());
      if (label) return label;
    }
  }
  return null;
}

/** 2.x/3.x spell them in the plural, 1.x in the singular: both are lists of { name, … }. */
function tagsOf(item: Json): string[] {
  const named = [
    ...names(item.people ?? item.person),
    ...names(item.organisations ?? item.organisation),
    ...names(item.places ?? item.place),
    text(item.located),
  ].filter((name) => name !== '');
  return [...new Set(named)];
}

/** Associations as [name, item]: 2.x/3.x an array of items with a "name", 1.x an object keyed by name. */
function associationsOf(value: unknown): [string | null, Json][] {
  if (Array.isArray(value))
    return value.filter(isObject).map((entry) => [optionalText(entry.name), entry]);
  if (isObject(value))
    return Object.entries(value)
      .filter((entry): entry is [string, Json] => isObject(entry[1]))
      .map(([name, entry]) => [optionalText(entry.name) ?? name, entry]);
  return [];
}

function normalise(
  raw: Json,
  ninjsVersion: NinjsVersion,
  where: string,
  associationName: string | null = null,
): NinjsItem {
  const item = lowerKeys(raw) as Json;
  const uri = text(item.uri);
  if (!uri) throw new DomainError('malformed_file', `${where}: the item has no "uri"`);
  const type = text(item.type).toLowerCase();
  const headlines = tagged(item.headlines);
  const descriptions = tagged(item.descriptions);
  const bodies = tagged(item.bodies);
  // The rich body before the plain one: text/html, application/xhtml+xml (and
  // TT's "text/html5"), else a body whose role says HTML.
  const htmlBody =
    bodies.find((body) => /html/.test(body.contentType) && body.value.trim() !== '') ??
    bodies.find(
      (body) => ['html', 'html5', 'xhtml'].includes(body.role) && body.value.trim() !== '',
    );
  // NITF (ADDB's "text/vnd.IPTC.NITF") is rich too: its body.content as HTML
  // when no HTML body is given, the plain body staying the fallback.
  const nitfBody = htmlBody
    ? undefined
    : bodies.find((body) => body.contentType.includes('nitf') || body.role === 'nitf');
  const nitfHtml = nitfBody ? nitfBodyHtml(nitfBody.value) : null;
  const textBody =
    bodies.find((body) => body.contentType === 'text/plain') ??
    (htmlBody || nitfBody ? undefined : bodies[0]);
  const pubStatus = text(item.pubstatus).toLowerCase();
  const { kind, skipReason } = classify(item, type);
  return {
    uri,
    // "2.10" must not read as 2.1: only whole numbers are versions (checkWireItems).
    version:
      typeof item.version === 'string' && !/^\d+$/.test(item.version.trim())
        ? null
        : number(item.version),
    ninjsVersion,
    type: type || 'text',
    kind,
    skipReason,
    pubStatus: pubStatus === 'withheld' || pubStatus === 'canceled' ? pubStatus : 'usable',
    embargoedUntil: optionalText(item.embargoed),
    versionCreated: optionalText(item.versioncreated),
    firstCreated: optionalText(item.firstcreated),
    language: optionalText(item.language),
    headline:
      text(item.headline) ||
      (oneXField(item, 'headline', () => true) ?? '') ||
      pick(headlines, ['main', 'headline'])?.value.trim() ||
      text(item.title),
    description:
      text(item.description_text) ||
      (oneXField(item, 'description', isTextSuffix) ?? '') ||
      plainText(oneXField(item, 'description', isHtmlSuffix)) ||
      pick(descriptions, ['summary', 'caption', 'description', 'text'])?.value.trim() ||
      '',
    // 1.x: any body_* in HTML (body_html, body_xhtml in 1.0, body_html5) is the rich body.
    bodyHtml: oneXField(item, 'body', isHtmlSuffix) ?? (htmlBody ? htmlBody.value : nitfHtml),
    bodyText: oneXField(item, 'body', isTextSuffix) ?? (textBody ? textBody.value : null),
    byline: text(item.by) || text(item.byline),
    subjects: names(item.subjects ?? item.subject),
    tags: tagsOf(item),
    located: optionalText(item.located),
    associationName,
    // 1.x spelt it "genre"; both are lists of {name, uri or code}.
    label: labelOf(item.genres ?? item.genre),
    copyrightHolder: text(item.copyrightholder),
    copyrightNotice: text(item.copyrightnotice),
    usageTerms: text(item.usageterms),
    renditions: renditionsOf(item.renditions),
    associations: associationsOf(item.associations)
      .filter(([, association]) => text(association.uri) !== '')
      .map(([name, association]) =>
        normalise(association, ninjsVersion, `${where}, association`, name),
      ),
  };
}

// What Masthead relies on in an item, checked before it is read (after 3.x's
// keys are lowered), after IPTC's schema for 2.x and 3.x items (ninjs-schema.ts).
const dateText = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'not a date and time');
const taggedList = z.array(
  z.looseObject({
    role: z.string().optional(),
    contenttype: z.string().optional(),
    value: z.string().optional(),
  }),
);
const itemShape = z.looseObject({
  uri: z.string({ error: 'the item has no "uri"' }).min(1, 'the item has no "uri"'),
  type: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  pubstatus: z.enum(['usable', 'withheld', 'canceled']).optional(),
  versioncreated: dateText.optional(),
  firstcreated: dateText.optional(),
  embargoed: dateText.optional(),
  language: z.string().optional(),
  headline: z.string().optional(),
  body_html: z.string().optional(),
  body_text: z.string().optional(),
  body_xhtml: z.string().optional(),
  body_html5: z.string().optional(),
  description_text: z.string().optional(),
  description_html: z.string().optional(),
  located: z.string().optional(),
  headlines: taggedList.optional(),
  descriptions: taggedList.optional(),
  bodies: taggedList.optional(),
  renditions: z
    .union([
      z.array(z.looseObject({ href: z.string().optional() })),
      z.record(z.string(), z.looseObject({ href: z.string().optional() })),
    ])
    .optional(),
});

function checkShape(item: Json, where: string): void {
  const result = itemShape.safeParse(lowerKeys(item));
  if (result.success) return;
  const issue = result.error.issues[0];
  // "the item has no …" names its field already: no path before it.
  const path = issue?.message.startsWith('the item')
    ? ''
    : (issue?.path.map(String).join('.') ?? '');
  throw new DomainError(
    'malformed_file',
    `${where}: ${path ? `"${path}": ` : ''}${issue?.message ?? 'not a ninjs item'}`,
  );
}

/** A JSON file with a ninjs item's "uri" near its start (one item, or a 3.x collection). */
export function looksLikeNinjs(head: string): boolean {
  const start = head.replace(/^\uFEFF/, '').trimStart();
  return (start.startsWith('{') || start.startsWith('[')) && /"uri"\s*:/.test(head);
}

/** Line and column of a character offset, for error messages. */
function position(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * Reads a ninjs file (one item, or an array of items). Invalid JSON is refused
 * with the file, line and column; an item without a uri names its place.
 */
export function parseNinjs(source: string, fileName: string): NinjsItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A file cut short ends the JSON early: the problem is at its end.
    const offset =
      /position (\d+)/.exec(message)?.[1] ??
      (/end of JSON input/.test(message) ? String(source.length) : undefined);
    const where = offset === undefined ? '' : ` at ${position(source, Number(offset))}`;
    throw new DomainError('malformed_file', `${fileName}${where}: not valid JSON (${message})`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.map((item, index) => {
    const where = Array.isArray(parsed) ? `${fileName}, item ${index + 1}` : fileName;
    if (!isObject(item)) throw new DomainError('malformed_file', `${where}: not a ninjs object`);
    const version = detectVersion(item);
    // IPTC's schema first (it names the exact place), then what normalise
    // relies on. For 2.x and 3.x the schema implies all of it but one thing:
    // a date-time must be one a JavaScript Date holds (RFC 3339 allows a leap
    // second, "…T23:59:60Z", which the stored UTC dates cannot keep). For 1.x
    // (no schema shipped) it is the whole check.
    if (version !== '1') checkNinjsSchema(item, version === '2' ? '2.1' : '3.0', where);
    checkShape(item, where);
    return normalise(item, version, where);
  });
}

/** An agency date as UTC ISO 8601; one without a zone is read as UTC, never as the server's zone. */
function agencyDate(value: string | null, where: string, what: string): string | null {
  if (value === null) return null;
  const text = value.trim();
  const hasZone = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text);
  const date = new Date(hasZone || !/T\d/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError('malformed_file', `${where}: ${what} "${value}" is not a date and time`);
  }
  return date.toISOString();
}

/**
 * What every wire item must satisfy before an import writes anything, whatever
 * its format: dates that parse (normalised to UTC) and a version that is a
 * whole number (anything else, "2.10" or "draft", is no version: the item is
 * then compared by its content). Throws naming the file and the item.
 */
export function checkWireItems(items: NinjsItem[], fileName: string): NinjsItem[] {
  const check = (item: NinjsItem): NinjsItem => {
    const where = `${fileName}: item ${item.uri}`;
    return {
      ...item,
      version:
        item.version !== null && Number.isInteger(item.version) && item.version >= 0
          ? item.version
          : null,
      embargoedUntil: agencyDate(item.embargoedUntil, where, 'embargo'),
      versionCreated: agencyDate(item.versionCreated, where, 'version date'),
      firstCreated: agencyDate(item.firstCreated, where, 'first-created date'),
      associations: item.associations.map(check),
    };
  };
  return items.map(check);
}

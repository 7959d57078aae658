import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { ARTICLE_LABELS, type ArticleLabel } from '../core/labels.js';

// IPTC ninjs (News in JSON), versions 1.x, 2.x and 3.x, read into one shape.
// 3.x spells its properties in camelCase ("versionCreated", "pubStatus"); 1.x
// has single "headline" / "body_html" fields where 2.x and 3.x have arrays of
// role-tagged "headlines" and "bodies". A file holds one item, or (a 3.x
// collection) an array of them.
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
  if ('headline' in raw || 'body_html' in raw || 'body_text' in raw) return '1';
  return '2';
}

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
    if ('headlines' in item || 'bodies' in item || 'headline' in item || 'body_html' in item)
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

function normalise(raw: Json, ninjsVersion: NinjsVersion, where: string): NinjsItem {
  const item = lowerKeys(raw) as Json;
  const uri = text(item.uri);
  if (!uri) throw new DomainError('malformed_file', `${where}: the item has no "uri"`);
  const type = text(item.type).toLowerCase();
  const headlines = tagged(item.headlines);
  const descriptions = tagged(item.descriptions);
  const bodies = tagged(item.bodies);
  const htmlBody =
    bodies.find(
      (body) => body.contentType === 'text/html' || body.contentType === 'application/xhtml+xml',
    ) ?? bodies.find((body) => ['html', 'html5', 'xhtml'].includes(body.role));
  const textBody =
    bodies.find((body) => body.contentType === 'text/plain') ?? (htmlBody ? undefined : bodies[0]);
  const pubStatus = text(item.pubstatus).toLowerCase();
  const associations = Array.isArray(item.associations)
    ? item.associations
    : isObject(item.associations)
      ? Object.values(item.associations)
      : [];
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
      pick(headlines, ['main', 'headline'])?.value.trim() ||
      text(item.title),
    description:
      text(item.description_text) ||
      pick(descriptions, ['summary', 'caption', 'description', 'text'])?.value.trim() ||
      '',
    bodyHtml: optionalText(item.body_html) ?? (htmlBody ? htmlBody.value : null),
    bodyText: optionalText(item.body_text) ?? (textBody ? textBody.value : null),
    byline: text(item.by) || text(item.byline),
    subjects: names(item.subjects),
    // 1.x spelt it "genre"; both are lists of {name, uri or code}.
    label: labelOf(item.genres ?? item.genre),
    copyrightHolder: text(item.copyrightholder),
    copyrightNotice: text(item.copyrightnotice),
    usageTerms: text(item.usageterms),
    renditions: renditionsOf(item.renditions),
    associations: associations
      .filter(isObject)
      .filter((association) => text(association.uri) !== '')
      .map((association) => normalise(association, ninjsVersion, `${where}, association`)),
  };
}

// What Masthead relies on in an item, checked before it is read (after 3.x's
// keys are lowered): the IPTC schema files themselves stay with the tests,
// which validate against them with a JSON Schema validator.
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
    checkShape(item, where);
    return normalise(item, detectVersion(item), where);
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

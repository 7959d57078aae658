import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../core/errors.js';
import type { NinjsItem, NinjsRendition } from './ninjs.js';

// IPTC NewsML, read into the item shape ninjs.ts produces, so that the
// newsroom's importer treats a NewsML text item exactly like a ninjs one.
//
// NewsML-G2 (namespace http://iptc.org/std/nar/2006-10-01/, with or without a
// prefix): a bare <newsItem>, or a <newsMessage> whose <itemSet>s hold one or
// more items. Package, concept, planning, knowledge, catalog and event items
// are skips with a reason, and so are news items Masthead cannot make a draft
// of: video and audio (a draft would hold only their caption), and SportsML
// data (results tables, not prose). A newsItem or newsMessage that forgot its
// namespace is still read when its structure (itemMeta, contentMeta) is G2's. guid + version identify the item, itemMeta/itemClass
// gives type and kind, itemMeta/pubStatus and itemMeta/embargoed the release,
// itemMeta/firstCreated (else contentMeta/contentCreated) the first date,
// contentSet the body (inlineXML: XHTML html/body or NITF body.content,
// serialised back to HTML unsanitised; inlineData: text) and the renditions
// (remoteContent).
//
// NewsML 1.x (<NewsML Version="1.2">, as Business Wire sends it — the
// fixtures in shared/fixtures/ninjs/NewsML are 1.2, not G2): each NewsItem is
// one item, identified by urn:newsml:{ProviderId}:{DateId}:{NewsItemId} (the
// PublicIdentifier without its revision) and versioned by RevisionId. Its
// Body (or Main) component gives the body, NewsLines the headline, and its
// Photo / Logo / Video components become associations (pictures, graphics,
// videos), as in IPTC's own ninjs conversions of the same releases.
//
// NinjsItem.ninjsVersion has no NewsML value: items read here say '3', the
// ninjs generation whose shape they are mapped onto.

export const NEWSML_G2_NAMESPACE = 'http://iptc.org/std/nar/2006-10-01/';
const NEWSML_1_NAMESPACE = 'http://iptc.org/std/NewsML/2003-10-10/';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** NewsML-G2 items that are not news: what they are, for the skip reason. */
const G2_SKIPPED: Record<string, string> = {
  packageItem: 'a NewsML-G2 package (packageItem), not a news item',
  conceptItem: 'a NewsML-G2 concept (conceptItem), not a news item',
  planningItem: 'a NewsML-G2 planning item (planningItem), not a news item',
  knowledgeItem: 'a NewsML-G2 knowledge item (knowledgeItem), not a news item',
  catalogItem: 'a NewsML-G2 catalog (catalogItem), not a news item',
  eventItem: 'a NewsML-G2 event (eventItem), not a news item',
};

/** Concept types (cpnat:) whose subjects Masthead keeps as tags, as ninjs' people, organisations and places. */
const TAG_CONCEPTS = new Set(['person', 'organisation', 'geoarea', 'poi']);

/** Item classes a draft cannot be made of: their text is a caption for media Masthead does not hold. */
const G2_MEDIA_CLASSES = new Set(['video', 'audio']);

/** SportsML, whatever its version: http://iptc.org/std/SportsML/2008-04-01/ and later. */
const SPORTSML_NAMESPACE = /^http:\/\/iptc\.org\/std\/SportsML\//i;
const SPORTSML_ROOTS = new Set(['sportsContent', 'sports-content']);
const G2_ROOTS = new Set(['newsItem', 'newsMessage', ...Object.keys(G2_SKIPPED)]);

const HTML_VOID_ELEMENTS = [
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
];

// ---------------------------------------------------------------------------
// A namespace-resolved element tree, built from fast-xml-parser's ordered output.

type XmlElement = {
  /** Namespace URI, '' when the element is in no namespace. */
  ns: string;
  /** Local name, without prefix. */
  name: string;
  /** Attributes by their name as written ("guid", "xml:lang"), namespace declarations left out. */
  attrs: Map<string, string>;
  children: XmlNode[];
  /** Offset of the element's start tag in the source, when known. */
  offset: number | null;
};
type XmlNode = XmlElement | string;

const ATTRIBUTE_PREFIX = '@_';
const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol;
const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', XML_NAMESPACE]]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isElement(node: XmlNode | undefined): node is XmlElement {
  return typeof node === 'object';
}

function toNodes(ordered: unknown, scope: ReadonlyMap<string, string>): XmlNode[] {
  if (!Array.isArray(ordered)) return [];
  const nodes: XmlNode[] = [];
  for (const entry of ordered) {
    if (!isRecord(entry)) continue;
    const key = Object.keys(entry).find((name) => name !== ':@');
    // "?xml" declarations and other processing instructions carry nothing we read.
    if (key === undefined || key.startsWith('?')) continue;
    if (key === '#text') {
      nodes.push(String(entry[key]));
      continue;
    }
    nodes.push(toElement(key, entry, scope));
  }
  return nodes;
}

function toElement(
  qualifiedName: string,
  entry: Record<string, unknown>,
  scope: ReadonlyMap<string, string>,
): XmlElement {
  const attrs = new Map<string, string>();
  let inner = scope;
  const declare = (prefix: string, uri: string) => {
    if (inner === scope) inner = new Map(scope);
    (inner as Map<string, string>).set(prefix, uri);
  };
  const raw = entry[':@'];
  if (isRecord(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      const name = key.startsWith(ATTRIBUTE_PREFIX) ? key.slice(ATTRIBUTE_PREFIX.length) : key;
      const text = String(value);
      if (name === 'xmlns') declare('', text);
      else if (name.startsWith('xmlns:')) declare(name.slice('xmlns:'.length), text);
      else attrs.set(name, text);
    }
  }
  const colon = qualifiedName.indexOf(':');
  const prefix = colon < 0 ? '' : qualifiedName.slice(0, colon);
  const metadata = (entry as Record<symbol, unknown>)[METADATA];
  return {
    ns: inner.get(prefix) ?? '',
    name: qualifiedName.slice(colon + 1),
    attrs,
    children: toNodes(entry[qualifiedName], inner),
    offset:
      isRecord(metadata) && typeof metadata.startIndex === 'number' ? metadata.startIndex : null,
  };
}

function elementsOf(element: XmlElement | undefined): XmlElement[] {
  return element ? element.children.filter(isElement) : [];
}

/** Children of `element` named `name` in the element's own namespace. */
function kids(element: XmlElement | undefined, name: string): XmlElement[] {
  return elementsOf(element).filter((child) => child.name === name && child.ns === element?.ns);
}

function kid(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return kids(element, name)[0];
}

/** A child by local name in any namespace (for XHTML and NITF inside the NewsML). */
function anyKid(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return elementsOf(element).find((child) => child.name === name);
}

function attr(element: XmlElement | undefined, name: string): string {
  return element?.attrs.get(name)?.trim() ?? '';
}

function textOf(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  return node.children.map(textOf).join('');
}

/** Text content with its whitespace collapsed, for one-line values. */
function clean(node: XmlNode | undefined): string {
  return textOf(node).replace(/\s+/g, ' ').trim();
}

function number(value: string): number | null {
  if (value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function nonEmpty(value: string): string | null {
  return value === '' ? null : value;
}

/** The code of a QCode or the last segment of a concept URI: "ninat:text" → "text". */
function code(value: string): string {
  return value.slice(Math.max(value.lastIndexOf(':'), value.lastIndexOf('/')) + 1);
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}

/** Line of a source offset, for error messages. */
function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let index = source.indexOf('\n'); index !== -1 && index < offset; ) {
    line++;
    index = source.indexOf('\n', index + 1);
  }
  return line;
}

function place(fileName: string, source: string, element: XmlElement): string {
  return element.offset === null
    ? fileName
    : `${fileName} at line ${lineOf(source, element.offset)}`;
}

// ---------------------------------------------------------------------------
// HTML out of inline XHTML or NITF.

function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function toOrdered(nodes: XmlNode[]): unknown[] {
  return nodes.map((node) => {
    if (typeof node === 'string') return { '#text': escapeText(node) };
    const ordered: Record<string, unknown> = { [node.name]: toOrdered(node.children) };
    if (node.attrs.size > 0) {
      ordered[':@'] = Object.fromEntries(
        // The builder escapes quotes in attribute values itself.
        [...node.attrs].map(([name, value]) => [
          `${ATTRIBUTE_PREFIX}${name}`,
          value.replaceAll('&', '&amp;').replaceAll('<', '&lt;'),
        ]),
      );
    }
    return ordered;
  });
}

/**
 * The nodes as HTML text: elements by their local names (the XHTML namespace
 * and any prefixes dropped), void elements unclosed (<br>), other empty ones
 * written out in full (<p></p>, never <p/>, which HTML reads as an open tag).
 */
function serialiseHtml(nodes: XmlNode[]): string {
  const builder = new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    processEntities: false,
    suppressEmptyNode: false,
    unpairedTags: HTML_VOID_ELEMENTS,
    suppressUnpairedNode: true,
  });
  return builder.build(toOrdered(nodes)) as string;
}

/** The body of the XHTML (html/body) or NITF (nitf/body/body.content) inside `container`, as HTML. */
function inlineHtml(container: XmlElement): string | null {
  const root = elementsOf(container)[0];
  if (!root) return null;
  let body: XmlElement | undefined;
  if (root.name === 'html') body = anyKid(root, 'body');
  else if (root.name === 'nitf') body = anyKid(anyKid(root, 'body'), 'body.content');
  else if (root.name === 'body') body = root;
  // Some other vocabulary: keep it as it is.
  const html = serialiseHtml(body ? body.children : container.children).trim();
  return html === '' ? null : html;
}

// ---------------------------------------------------------------------------
// Shared mapping.

/** As ninjs.ts classifies ninjs types: pictures and graphics are photos, text-like items articles. */
function kindOf(
  type: string,
  hasContent: boolean,
): { kind: NinjsItem['kind']; skipReason: string | null } {
  if (type === 'picture' || type === 'graphic') return { kind: 'picture', skipReason: null };
  if (['text', 'composite', 'audio', 'video'].includes(type) || hasContent)
    return { kind: 'article', skipReason: null };
  return {
    kind: 'skip',
    skipReason: `a "${type || 'unclassified'}" item with no headline or body`,
  };
}

function pubStatusOf(value: string): NinjsItem['pubStatus'] {
  const status = value.toLowerCase();
  if (status === 'withheld') return 'withheld';
  if (status === 'canceled' || status === 'cancelled') return 'canceled';
  return 'usable';
}

/** The first non-empty text among elements with one of the roles, in that order, else the first non-empty. */
function pickByRole(elements: XmlElement[], roles: string[]): string {
  for (const role of roles) {
    const found = elements.find(
      (element) => code(attr(element, 'role')).toLowerCase() === role && clean(element) !== '',
    );
    if (found) return clean(found);
  }
  return elements.map(clean).find((value) => value !== '') ?? '';
}

// ---------------------------------------------------------------------------
// NewsML-G2.

/** Names of G2 party elements (creator, infoSource, copyrightHolder): their <name>, else @literal. */
function partyNames(parties: XmlElement[]): string[] {
  return unique(parties.map((party) => clean(kid(party, 'name')) || attr(party, 'literal')));
}

function g2Subject(subject: XmlElement, language: string | null): string {
  const names = kids(subject, 'name').filter((name) => clean(name) !== '');
  const base = language?.toLowerCase().split('-')[0];
  const inLanguage = names.find(
    (name) => base !== undefined && attr(name, 'xml:lang').toLowerCase().split('-')[0] === base,
  );
  return clean(inLanguage ?? names[0]) || attr(subject, 'qcode') || attr(subject, 'uri');
}

/** True when the element is, or holds, SportsML (by its namespace or its root's name). */
function holdsSportsml(element: XmlElement): boolean {
  if (SPORTSML_NAMESPACE.test(element.ns) || SPORTSML_ROOTS.has(element.name)) return true;
  return elementsOf(element).some(holdsSportsml);
}

/** A conceptItem whose concept is of type cpnat:event (an event, told as a concept). */
function isEventConcept(item: XmlElement): boolean {
  const conceptType = kid(kid(item, 'concept'), 'type');
  return code(attr(conceptType, 'qcode') || attr(conceptType, 'uri')).toLowerCase() === 'event';
}

/** Why a G2 item that is not a text or picture news item is skipped; null for the others. */
function g2SkipReason(item: XmlElement, type: string, contentSet: XmlElement | undefined) {
  if (item.name === 'conceptItem' && isEventConcept(item))
    return 'a NewsML-G2 event (conceptItem of type cpnat:event), not a news item';
  const skipped = G2_SKIPPED[item.name];
  if (skipped) return skipped;
  if (G2_MEDIA_CLASSES.has(type))
    return `a NewsML-G2 ${type} item (ninat:${type}): Masthead imports text and pictures only`;
  if (elementsOf(contentSet).some(holdsSportsml))
    return 'SportsML sports data (sportsContent), not an article';
  return null;
}

function g2Item(item: XmlElement, where: string): NinjsItem {
  const itemMeta = kid(item, 'itemMeta');
  const contentMeta = kid(item, 'contentMeta');
  const contentSet = kid(item, 'contentSet');
  const itemClass = kid(itemMeta, 'itemClass');
  const type = code(attr(itemClass, 'qcode') || attr(itemClass, 'uri')).toLowerCase();
  const skipped = g2SkipReason(item, type, contentSet);
  // A news item without a guid cannot be told apart from the next: the file is
  // refused. A package or concept is skipped anyway, so its missing guid costs nothing.
  const guid = attr(item, 'guid');
  if (!guid && skipped === null)
    throw new DomainError('malformed_file', `${where}: the ${item.name} has no guid`);
  const uri = guid || `${where} (${item.name} without a guid)`;
  const pubStatus = kid(itemMeta, 'pubStatus');

  let bodyHtml: string | null = null;
  let bodyText: string | null = null;
  const renditions: NinjsRendition[] = [];
  for (const content of elementsOf(contentSet)) {
    if (content.ns !== item.ns) continue;
    if (content.name === 'inlineXML') {
      bodyHtml ??= inlineHtml(content);
    } else if (content.name === 'inlineData' && attr(content, 'encoding') === '') {
      const value = textOf(content).trim();
      const contentType = attr(content, 'contenttype').toLowerCase();
      if (value === '') continue;
      if (contentType.includes('html')) bodyHtml ??= value;
      else if (contentType === '' || contentType.startsWith('text/')) bodyText ??= value;
    } else if (content.name === 'remoteContent') {
      renditions.push({
        name: code(attr(content, 'rendition')) || String(renditions.length),
        href: nonEmpty(attr(content, 'href')),
        contentType: nonEmpty(attr(content, 'contenttype')),
        width: number(attr(content, 'width')),
        height: number(attr(content, 'height')),
      });
    }
  }

  const inline = kid(contentSet, 'inlineXML');
  const language =
    nonEmpty(attr(kid(contentMeta, 'language'), 'tag')) ??
    nonEmpty(attr(item, 'xml:lang')) ??
    nonEmpty(attr(inline, 'xml:lang'));
  const headline =
    pickByRole(kids(contentMeta, 'headline'), ['main']) || clean(kid(itemMeta, 'title'));
  const locatedElement = kid(contentMeta, 'located');
  const located = clean(kid(locatedElement, 'name')) || attr(locatedElement, 'literal');
  const rightsInfo = kids(item, 'rightsInfo');
  const rights = (name: string) =>
    unique(rightsInfo.flatMap((info) => kids(info, name)).map((element) => clean(element)));
  const { kind, skipReason } = skipped
    ? { kind: 'skip' as const, skipReason: skipped }
    : kindOf(type, headline !== '' || bodyHtml !== null || bodyText !== null);
  return {
    uri,
    version: number(attr(item, 'version')),
    ninjsVersion: '3',
    type: type || 'text',
    kind,
    skipReason,
    pubStatus: pubStatusOf(code(attr(pubStatus, 'qcode') || attr(pubStatus, 'uri'))),
    embargoedUntil: nonEmpty(clean(kid(itemMeta, 'embargoed'))),
    versionCreated: nonEmpty(clean(kid(itemMeta, 'versionCreated'))),
    firstCreated:
      nonEmpty(clean(kid(itemMeta, 'firstCreated'))) ??
      nonEmpty(clean(kid(contentMeta, 'contentCreated'))),
    language,
    headline,
    description: pickByRole(kids(contentMeta, 'description'), [
      'summary',
      'abstract',
      'caption',
      'description',
    ]),
    bodyHtml,
    bodyText,
    byline:
      clean(kid(contentMeta, 'by')) ||
      partyNames(kids(contentMeta, 'creator')).join(', ') ||
      clean(kid(contentMeta, 'creditline')) ||
      partyNames(kids(contentMeta, 'infoSource')).join(', '),
    subjects: unique(kids(contentMeta, 'subject').map((subject) => g2Subject(subject, language))),
    tags: unique([
      ...kids(contentMeta, 'subject')
        .filter((subject) => TAG_CONCEPTS.has(code(attr(subject, 'type')).toLowerCase()))
        .map((subject) => clean(kid(subject, 'name'))),
      located,
    ]),
    located: nonEmpty(located),
    associationName: null,
    label: null,
    copyrightHolder:
      partyNames(rightsInfo.flatMap((info) => kids(info, 'copyrightHolder')))[0] ?? '',
    copyrightNotice: rights('copyrightNotice').join(' '),
    usageTerms: rights('usageTerms').join(' '),
    renditions,
    associations: [],
  };
}

function g2Items(root: XmlElement, fileName: string, source: string): NinjsItem[] {
  if (root.name !== 'newsMessage') return [g2Item(root, place(fileName, source, root))];
  return kids(root, 'itemSet')
    .flatMap((itemSet) => elementsOf(itemSet))
    .filter((item) => item.ns === root.ns && item.name !== 'newsMessage' && G2_ROOTS.has(item.name))
    .map((item) => g2Item(item, place(fileName, source, item)));
}

// ---------------------------------------------------------------------------
// NewsML 1.x.

const MEDIA_ROLES = new Set(['photo', 'picture', 'image', 'logo', 'graphic', 'video', 'audio']);
const BODY_ROLES = ['body', 'main'];

function formalName(element: XmlElement | undefined): string {
  return attr(element, 'FormalName');
}

function roleOf(component: XmlElement): string {
  return formalName(kid(component, 'Role')).toLowerCase();
}

/** "20130516T040100+0000" (ISO 8601 basic, as NewsML 1.x writes it) → "2013-05-16T04:01:00Z". */
function isoDateTime(value: string): string | null {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!basic) return nonEmpty(value);
  const [, year, month, day, hour, minute, second, zone = ''] = basic;
  const offset =
    zone === '' || zone === 'Z'
      ? zone
      : zone.replace(':', '') === '+0000' || zone.replace(':', '') === '-0000'
        ? 'Z'
        : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`;
}

function isMediaComponent(component: XmlElement): boolean {
  if (MEDIA_ROLES.has(roleOf(component))) return true;
  const contentItems = kids(component, 'ContentItem');
  return (
    contentItems.length > 0 &&
    contentItems.every((item) => {
      const mime = formalName(kid(item, 'MimeType')).toLowerCase();
      return (
        kid(item, 'DataContent') === undefined &&
        (mime.startsWith('image/') || mime.startsWith('video/') || mime.startsWith('audio/'))
      );
    })
  );
}

/** The HTML or plain text a ContentItem holds in its DataContent (remote ones and style sheets give nothing). */
function contentItemBody(item: XmlElement): { html: string | null; text: string | null } {
  const data = kid(item, 'DataContent');
  const none = { html: null, text: null };
  if (!data || kid(item, 'Encoding')) return none;
  if (elementsOf(data).length > 0) return { html: inlineHtml(data), text: null };
  const value = textOf(data).trim();
  const mime = formalName(kid(item, 'MimeType')).toLowerCase();
  const format = formalName(kid(item, 'Format')).toLowerCase();
  if (value === '') return none;
  if (mime.includes('html') || format.includes('html')) return { html: value, text: null };
  if (mime === 'text/plain' || (mime === '' && format === '')) return { html: null, text: value };
  return none;
}

function componentBody(component: XmlElement): { html: string | null; text: string | null } {
  const bodies = kids(component, 'ContentItem').map(contentItemBody);
  return {
    html: bodies.map((body) => body.html).find((html) => html !== null) ?? null,
    text: bodies.map((body) => body.text).find((text) => text !== null) ?? null,
  };
}

function extension(href: string): string {
  let path = href;
  try {
    path = new URL(href).pathname;
  } catch {
    // A relative reference: use it as it is.
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function newsml1Rendition(item: XmlElement, index: number): NinjsRendition {
  const properties = new Map(
    kids(kid(item, 'Characteristics'), 'Property').map((property) => [
      formalName(property).toLowerCase(),
      attr(property, 'Value'),
    ]),
  );
  const href = attr(item, 'Href');
  return {
    name: (
      properties.get('imageuse') ||
      extension(href) ||
      attr(item, 'Duid') ||
      String(index)
    ).toLowerCase(),
    href: nonEmpty(href),
    contentType: nonEmpty(formalName(kid(item, 'MimeType'))),
    width: number(properties.get('pixelwidth') ?? properties.get('width') ?? ''),
    height: number(properties.get('pixelheight') ?? properties.get('height') ?? ''),
  };
}

type Inherited = Pick<
  NinjsItem,
  | 'pubStatus'
  | 'embargoedUntil'
  | 'versionCreated'
  | 'firstCreated'
  | 'language'
  | 'copyrightHolder'
  | 'copyrightNotice'
  | 'usageTerms'
>;

function newsml1Media(
  component: XmlElement,
  parentUri: string,
  index: number,
  inherited: Inherited,
): NinjsItem {
  const role = roleOf(component);
  const renditions = kids(component, 'ContentItem')
    .filter((item) => attr(item, 'Href') !== '')
    .map(newsml1Rendition);
  const types = renditions.map((rendition) => rendition.contentType?.split('/')[0] ?? '');
  const type =
    role === 'video' || types.includes('video')
      ? 'video'
      : role === 'audio' || types.includes('audio')
        ? 'audio'
        : role === 'logo' || role === 'graphic'
          ? 'graphic'
          : 'picture';
  const lines = kid(component, 'NewsLines');
  const language = nonEmpty(formalName(kid(kid(component, 'DescriptiveMetadata'), 'Language')));
  return {
    ...inherited,
    uri: renditions[0]?.href ?? `${parentUri}#${role || 'media'}-${index + 1}`,
    version: null,
    ninjsVersion: '3',
    type,
    ...kindOf(type, false),
    language: language ?? inherited.language,
    headline: '',
    description: clean(kid(lines, 'HeadLine')) || clean(kid(lines, 'SubHeadLine')),
    bodyHtml: null,
    bodyText: null,
    byline: clean(kid(lines, 'CreditLine')) || clean(kid(lines, 'ByLine')),
    subjects: [],
    tags: [],
    located: null,
    associationName: role || null,
    label: null,
    renditions,
    associations: [],
  };
}

function newsml1Item(item: XmlElement, where: string): NinjsItem {
  const identifier = kid(kid(item, 'Identification'), 'NewsIdentifier');
  const [provider, dateId, itemId] = ['ProviderId', 'DateId', 'NewsItemId'].map((name) =>
    clean(kid(identifier, name)),
  );
  const uri =
    provider && itemId
      ? `urn:newsml:${[provider, dateId, itemId].filter((part) => part !== '').join(':')}`
      : clean(kid(identifier, 'PublicIdentifier'));
  if (!uri) throw new DomainError('malformed_file', `${where}: the NewsItem has no NewsIdentifier`);
  const management = kid(item, 'NewsManagement');
  const status = formalName(kid(management, 'Status')).toLowerCase();
  const willChange = kid(management, 'StatusWillChange');
  const liftsAt =
    formalName(kid(willChange, 'FutureStatus')).toLowerCase() === 'usable'
      ? isoDateTime(clean(kid(willChange, 'DateAndTime')))
      : null;

  // The text components, outermost first; media components (and what they hold) apart.
  const parts: XmlElement[] = [];
  const media: XmlElement[] = [];
  const visit = (component: XmlElement) => {
    if (isMediaComponent(component)) {
      media.push(component);
      return;
    }
    parts.push(component);
    for (const inner of kids(component, 'NewsComponent')) visit(inner);
  };
  for (const component of kids(item, 'NewsComponent')) visit(component);

  const newsLines = parts.flatMap((part) => kids(part, 'NewsLines'));
  const line = (name: string) =>
    newsLines.map((lines) => clean(kid(lines, name))).find((value) => value !== '') ?? '';
  const descriptive = parts.flatMap((part) => kids(part, 'DescriptiveMetadata'));
  const administrative = parts.flatMap((part) => kids(part, 'AdministrativeMetadata'));
  const rights = parts.flatMap((part) => kids(part, 'RightsMetadata'));
  /** The first Party named under AdministrativeMetadata/{role} (Creator, Source). */
  const party = (role: string) =>
    administrative
      .flatMap((metadata) => kids(metadata, role))
      .flatMap((holder) => kids(holder, 'Party'))
      .map(formalName)
      .find((name) => name !== '') ?? '';

  const body = [
    ...BODY_ROLES.flatMap((role) => parts.filter((part) => roleOf(part) === role)),
    ...parts.filter((part) => roleOf(part) === ''),
  ]
    .map(componentBody)
    .find((found) => found.html !== null || found.text !== null) ?? { html: null, text: null };
  const summaryPart = parts.find((part) =>
    ['subheadline', 'abstract', 'summary'].includes(roleOf(part)),
  );
  const subjects = unique([
    ...descriptive
      .flatMap((metadata) => kids(metadata, 'SubjectCode'))
      .flatMap(elementsOf)
      .map(formalName),
    ...parts
      .flatMap((part) => kids(part, 'Metadata'))
      .filter((metadata) =>
        formalName(kid(metadata, 'MetadataType')).toLowerCase().endsWith('keywords'),
      )
      .flatMap((metadata) => kids(metadata, 'Property'))
      .map((property) => attr(property, 'Value')),
  ]);

  const inherited: Inherited = {
    pubStatus: status === 'embargoed' ? (liftsAt ? 'usable' : 'withheld') : pubStatusOf(status),
    embargoedUntil: status === 'embargoed' ? liftsAt : null,
    versionCreated: isoDateTime(clean(kid(management, 'ThisRevisionCreated'))),
    firstCreated: isoDateTime(clean(kid(management, 'FirstCreated'))),
    language:
      descriptive
        .map((metadata) => formalName(kid(metadata, 'Language')))
        .find((language) => language !== '') ?? null,
    copyrightHolder:
      rights
        .flatMap((metadata) => kids(metadata, 'Copyright'))
        .map((copyright) => clean(kid(copyright, 'CopyrightHolder')))
        .find((holder) => holder !== '') ?? '',
    copyrightNotice: line('CopyrightLine'),
    usageTerms:
      line('RightsLine') ||
      (rights
        .flatMap((metadata) => kids(metadata, 'UsageRights'))
        .map((usage) => clean(usage))
        .find((terms) => terms !== '') ??
        ''),
  };
  const associations = media.map((component, index) =>
    newsml1Media(component, uri, index, inherited),
  );
  const type = associations.length > 0 ? 'composite' : 'text';
  const headline = line('HeadLine');
  return {
    ...inherited,
    uri,
    version: number(clean(kid(identifier, 'RevisionId'))),
    ninjsVersion: '3',
    type,
    ...kindOf(type, headline !== '' || body.html !== null || body.text !== null),
    headline,
    description:
      line('SubHeadLine') ||
      (summaryPart
        ? (kids(summaryPart, 'ContentItem')
            .map((contentItem) => clean(kid(contentItem, 'DataContent')))
            .find((text) => text !== '') ?? '')
        : ''),
    bodyHtml: body.html,
    bodyText: body.text,
    byline: line('ByLine') || line('CreditLine') || party('Creator') || party('Source'),
    subjects,
    tags: [],
    located: null,
    associationName: null,
    label: null,
    renditions: [],
    associations,
  };
}

// ---------------------------------------------------------------------------
// Entry points.

function isNewsml1Root(root: XmlElement): boolean {
  return (
    (root.name === 'NewsML' || root.name === 'NewsItem') &&
    (root.ns === '' || root.ns === NEWSML_1_NAMESPACE)
  );
}

function parseTree(source: string, fileName: string): XmlElement {
  const result = XMLValidator.validate(source);
  if (result !== true) {
    const { msg, line, col } = result.err;
    let problem = msg;
    let where = col ? `line ${line}, column ${col}` : `line ${line}`;
    // Several elements left open: the validator lists them, at line 1.
    if (msg.startsWith("Invalid '[")) {
      try {
        const open = JSON.parse(msg.slice(msg.indexOf('['), msg.lastIndexOf(']') + 1)) as string[];
        const lines = source.split('\n');
        problem = `the file ends inside <${open.at(-1)}> (open: ${open.join(' > ')})`;
        where = `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
      } catch {
        // Keep the validator's own words.
      }
    }
    throw new DomainError(
      'malformed_file',
      `${fileName} at ${where}: not well-formed XML: ${problem}`,
    );
  }
  let ordered: unknown;
  try {
    ordered = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: ATTRIBUTE_PREFIX,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      // Decodes numeric character references (&#160;) as well as HTML's named ones.
      htmlEntities: true,
      captureMetaData: true,
    }).parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DomainError('malformed_file', `${fileName}: not readable XML: ${message}`);
  }
  const root = toNodes(ordered, ROOT_SCOPE).find(isElement);
  if (!root) throw new DomainError('malformed_file', `${fileName}: no root element`);
  return root;
}

/**
 * An NITF document (as ninjs carries it in a "text/vnd.IPTC.NITF" body) as
 * HTML: its body.content, as NewsML-G2's inline NITF is read. Null when it is
 * not well-formed NITF with content: the caller then keeps the plain body.
 */
export function nitfBodyHtml(source: string): string | null {
  try {
    const root = parseTree(source.replace(/^\uFEFF/, '').trim(), 'NITF body');
    if (root.name !== 'nitf') return null;
    return inlineHtml({ ns: '', name: 'body', attrs: new Map(), children: [root], offset: null });
  } catch {
    return null;
  }
}

/**
 * Reads a NewsML-G2 newsItem or newsMessage, or a NewsML 1.x document, into
 * ninjs-shaped items (one per news item; package, concept, planning and
 * knowledge items are skips with a reason). XML that is not well-formed is
 * refused naming the file, line, column and problem; XML that is not NewsML
 * says what its root element is.
 */
export function parseNewsml(source: string, fileName: string): NinjsItem[] {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const root = parseTree(text, fileName);
  if (G2_ROOTS.has(root.name) && (root.ns === NEWSML_G2_NAMESPACE || root.ns === ''))
    return g2Items(root, fileName, text);
  if (isNewsml1Root(root)) {
    const items = root.name === 'NewsML' ? kids(root, 'NewsItem') : [root];
    return items.map((item) => newsml1Item(item, place(fileName, text, item)));
  }
  const namespace = root.ns === '' ? 'in no namespace' : `in namespace ${root.ns}`;
  throw new DomainError(
    'unknown_format',
    `${fileName}: not a NewsML-G2 newsItem or newsMessage (nor NewsML 1.x): the root element is <${root.name}> ${namespace}`,
  );
}

/** Index of the ">" closing the markup that starts at `from`, skipping quoted values and a DOCTYPE's [internal subset]. */
function markupEnd(text: string, from: number): number {
  let quote = '';
  let depth = 0;
  for (let index = from + 1; index < text.length; index++) {
    const char = text[index];
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[') depth++;
    else if (char === ']') depth--;
    else if (char === '>' && depth <= 0) return index;
  }
  return -1;
}

/** The root element's start tag: after the XML declaration, comments, processing instructions and DOCTYPE. */
function rootStartTag(head: string): string | null {
  let at = head.startsWith('\uFEFF') ? 1 : 0;
  while (at < head.length) {
    const char = head[at];
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      at++;
      continue;
    }
    if (char !== '<') return null;
    const close = head.startsWith('<?', at) ? '?>' : head.startsWith('<!--', at) ? '-->' : null;
    if (close !== null) {
      const end = head.indexOf(close, at);
      if (end === -1) return null;
      at = end + close.length;
      continue;
    }
    const end = markupEnd(head, at);
    if (end === -1) return null;
    if (head.startsWith('<!', at)) {
      at = end + 1;
      continue;
    }
    return head.slice(at, end + 1);
  }
  return null;
}

/**
 * Recognises NewsML from the first bytes of a file: a root newsItem or
 * newsMessage (or another G2 item: package, concept, planning, knowledge,
 * event) in the NewsML-G2 namespace, prefixed or not; a newsItem or
 * newsMessage in no namespace with G2's itemMeta or contentMeta in the head;
 * or a NewsML 1.x <NewsML> root.
 */
export function looksLikeNewsml(head: string): boolean {
  const tag = rootStartTag(head);
  if (tag === null) return false;
  const selfClosed = tag.endsWith('/>') ? tag : `${tag.slice(0, -1)}/>`;
  if (XMLValidator.validate(selfClosed) !== true) return false;
  const ordered: unknown = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
  }).parse(selfClosed);
  const root = toNodes(ordered, ROOT_SCOPE).find(isElement);
  if (!root) return false;
  if (G2_ROOTS.has(root.name) && root.ns === NEWSML_G2_NAMESPACE) return true;
  // Some senders leave out the namespace: a newsItem or newsMessage is still
  // G2 when its structure is (G2's itemMeta or contentMeta, prefixed or not).
  if ((root.name === 'newsItem' || root.name === 'newsMessage') && root.ns === '')
    return /<(?:[\w.-]+:)?(?:itemMeta|contentMeta)[\s>/]/.test(head);
  return root.name === 'NewsML' && (root.ns === '' || root.ns === NEWSML_1_NAMESPACE);
}

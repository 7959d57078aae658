import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseHtml } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors.js';
import { parseWireFile } from './detect.js';
import { looksLikeNewsml, NEWSML_G2_NAMESPACE, parseNewsml } from './newsml.js';
import { parseNinjs } from './ninjs.js';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const NEWSML = join(FIXTURES, 'ninjs', 'NewsML');
const files = readdirSync(NEWSML)
  .filter((name) => name.endsWith('.xml'))
  .sort();
const source = (file: string) => readFileSync(join(NEWSML, file), 'utf8');

// ---------------------------------------------------------------------------
// An independent reading of the fixtures: fast-xml-parser's plain object form
// (namespace prefixes removed, every element an array), walked by name.

type Tree = Record<string, unknown>;

const plainParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  htmlEntities: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

function all(node: unknown, name: string): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  const found = (node as Tree)[name];
  return Array.isArray(found) ? found : [];
}

function one(node: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((current, name) => all(current, name)[0], node);
}

function leafText(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'object' && node !== null) return leafText((node as Tree)['#text']);
  return '';
}

function attribute(node: unknown, name: string): string {
  return typeof node === 'object' && node !== null ? String((node as Tree)[`@${name}`] ?? '') : '';
}

/** Every element named `name` below `node`, depth first. */
function descendants(node: unknown, name: string): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node as Tree).flatMap(([key, value]) =>
    Array.isArray(value)
      ? [...(key === name ? value : []), ...value.flatMap((inner) => descendants(inner, name))]
      : [],
  );
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function independentReading(file: string) {
  const document = plainParser.parse(source(file)) as Tree;
  const newsItem = one(document, 'NewsML', 'NewsItem');
  const identifier = one(newsItem, 'Identification', 'NewsIdentifier');
  const components = descendants(newsItem, 'NewsComponent');
  const bodyComponent = components.find(
    (component) => attribute(one(component, 'Role'), 'FormalName') === 'Body',
  );
  const body = one(bodyComponent, 'ContentItem', 'DataContent', 'html', 'body');
  return {
    providerId: leafText(one(identifier, 'ProviderId')),
    dateId: leafText(one(identifier, 'DateId')),
    newsItemId: leafText(one(identifier, 'NewsItemId')),
    revision: leafText(one(identifier, 'RevisionId')),
    publicIdentifier: leafText(one(identifier, 'PublicIdentifier')),
    language: attribute(descendants(newsItem, 'Language')[0], 'FormalName'),
    headline: squash(leafText(descendants(newsItem, 'HeadLine')[0])),
    paragraphs: descendants(body, 'p'),
    links: descendants(body, 'a'),
  };
}

function expectDomainError(run: () => unknown, code: string, message: RegExp): string {
  try {
    run();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return (error as Error).message;
  }
  return expect.unreachable('no error was thrown');
}

/** Replaces `from` (which must occur exactly once) in `text`. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from).length).toBe(2);
  return text.replace(from, to);
}

// ---------------------------------------------------------------------------
// NewsML-G2 documents written for these tests, from the IPTC specification.

const XHTML = 'http://www.w3.org/1999/xhtml';

function g2Text(
  options: { prefix?: string; pubStatus?: string; embargoed?: string; nitf?: boolean } = {},
) {
  const { prefix = '', pubStatus = 'stat:usable', embargoed, nitf = false } = options;
  const n = (name: string) => (prefix ? `${prefix}:${name}` : name);
  const declaration = prefix ? `xmlns:${prefix}="${NEWSML_G2_NAMESPACE}"` : '';
  const body = nitf
    ? `<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head><hedline><hl1>Fed</hl1></hedline></body.head><body.content><p>First paragraph.</p><p>Second &amp; last.</p></body.content></body></nitf>`
    : `<html xmlns="${XHTML}"><head><title/></head><body><p>Fed to <b>halt</b> QE &amp; <i>more</i>, &#8220;bubble&#8221;<br/>next</p><p/><img src="chart.png" alt="a &lt; b"/></body></html>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- written for newsml.test.ts -->
<${n('newsItem')} ${prefix ? declaration : `xmlns="${NEWSML_G2_NAMESPACE}"`}
    guid="urn:newsml:example.com:20240101:fed" version="3" standard="NewsML-G2"
    standardversion="2.34" conformance="power" xml:lang="en-GB">
  <${n('catalogRef')} href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>
  <${n('rightsInfo')}>
    <${n('copyrightHolder')} uri="http://example.com/"><${n('name')}>Example News</${n('name')}></${n('copyrightHolder')}>
    <${n('copyrightNotice')}>Copyright 2024
      Example News</${n('copyrightNotice')}>
    <${n('usageTerms')}>Not for use outside the EU</${n('usageTerms')}>
  </${n('rightsInfo')}>
  <${n('itemMeta')}>
    <${n('itemClass')} qcode="ninat:text"/>
    <${n('provider')} qcode="nprov:EXAMPLE"/>
    <${n('versionCreated')}>2024-01-02T10:00:00Z</${n('versionCreated')}>
    <${n('firstCreated')}>2024-01-01T09:00:00Z</${n('firstCreated')}>
    ${embargoed ? `<${n('embargoed')}>${embargoed}</${n('embargoed')}>` : ''}
    <${n('pubStatus')} qcode="${pubStatus}"/>
  </${n('itemMeta')}>
  <${n('contentMeta')}>
    <${n('contentCreated')}>2024-01-01T08:30:00Z</${n('contentCreated')}>
    <${n('creator')} uri="http://example.com/staff/mj"><${n('name')}>Meredith Jameson</${n('name')}></${n('creator')}>
    <${n('infoSource')} qcode="nprov:AFP"><${n('name')}>AFP</${n('name')}></${n('infoSource')}>
    <${n('language')} tag="en-GB"/>
    <${n('subject')} type="cpnat:abstract" qcode="medtop:20000523">
      <${n('name')} xml:lang="de">Arbeitsmarkt</${n('name')}>
      <${n('name')} xml:lang="en-GB">labour market</${n('name')}>
    </${n('subject')}>
    <${n('subject')} type="cpnat:abstract" qcode="medtop:04000000"/>
    <${n('headline')} role="hdltype:sub">Markets wait</${n('headline')}>
    <${n('headline')} role="hdltype:main">Fed to halt QE to avert
      "bubble"</${n('headline')}>
    <${n('description')} role="drol:teaser">A teaser</${n('description')}>
    <${n('description')} role="drol:summary">The Fed will stop buying bonds.</${n('description')}>
  </${n('contentMeta')}>
  <${n('contentSet')}>
    <${n('inlineXML')} contenttype="${nitf ? 'application/nitf+xml' : 'application/xhtml+xml'}">${body}</${n('inlineXML')}>
    <${n('inlineData')} contenttype="text/plain">Fed to halt QE.</${n('inlineData')}>
  </${n('contentSet')}>
</${n('newsItem')}>
`;
}

const g2Picture = `<newsItem xmlns="${NEWSML_G2_NAMESPACE}" guid="tag:example.com,2024:pic-1" version="11" standard="NewsML-G2" standardversion="2.34">
  <rightsInfo><copyrightHolder literal="Example Photo Agency"/></rightsInfo>
  <itemMeta>
    <itemClass qcode="ninat:picture"/>
    <versionCreated>2024-01-02T10:00:00Z</versionCreated>
  </itemMeta>
  <contentMeta>
    <creator role="crol:photographer"><name>Spencer Platt</name></creator>
    <headline>Las Vegas downtown</headline>
    <description role="drol:caption">A general view of downtown.</description>
  </contentMeta>
  <contentSet>
    <remoteContent rendition="rnd:highRes" href="http://example.com/pic-1.jpg" contenttype="image/jpeg" width="1500" height="1001" size="346071"/>
    <remoteContent rendition="rnd:thumb" href="http://example.com/pic-1-thumb.gif" contenttype="image/gif" width="80" height="53"/>
  </contentSet>
</newsItem>`;

const g2Package = `<packageItem guid="urn:example:package" version="2"><itemMeta><itemClass qcode="ninat:composite"/><title>Top stories</title></itemMeta></packageItem>`;
const g2Concept = `<conceptItem guid="urn:example:concept" version="1"><concept><conceptId qcode="ex:1"/><name>Concept</name></concept></conceptItem>`;

function stripDeclaration(xml: string): string {
  return xml.slice(xml.indexOf('<', xml.indexOf('-->')));
}

// ---------------------------------------------------------------------------

describe('parseNewsml over the Business Wire NewsML fixtures', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('reads %s as an article', (file) => {
    const expected = independentReading(file);
    const items = parseNewsml(source(file), file);
    expect(items).toHaveLength(1);
    const [item] = items;
    if (!item) return;
    expect(item.kind).toBe('article');
    expect(item.pubStatus).toBe('usable');
    expect(item.headline).not.toBe('');
    expect(item.headline).toBe(expected.headline);
    expect(item.language).toBe(expected.language);
    expect(item.language).toMatch(/^[a-z]{2}/);
    // The item's identity without the revision; the revision is its version.
    expect(item.uri).toBe(
      `urn:newsml:${expected.providerId}:${expected.dateId}:${expected.newsItemId}`,
    );
    expect(expected.publicIdentifier).toBe(`${item.uri}:${expected.revision}`);
    expect(item.version).toBe(Number(expected.revision));
    expect(item.versionCreated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    // The body: every paragraph and link of the Body component, as HTML.
    const html = item.bodyHtml ?? '';
    const body = parseHtml(html);
    expect(expected.paragraphs.length).toBeGreaterThan(0);
    expect(body.querySelectorAll('p')).toHaveLength(expected.paragraphs.length);
    expect(body.querySelectorAll('a')).toHaveLength(expected.links.length);
    const bodyText = squash(body.textContent);
    for (const paragraph of expected.paragraphs.filter((p) => typeof p === 'string'))
      expect(bodyText).toContain(squash(paragraph));
    // The body's content only, no XHTML document around it and no XML-only syntax.
    expect(html).not.toMatch(/<(html|head|body)\b|xmlns|<[a-z]+[^>]*\/>/);
  });

  it('reads a release like IPTC’s own ninjs conversions of it', () => {
    let associationsCompared = 0;
    for (const id of ['20130605006126', '20130731006140']) {
      const [item] = parseNewsml(
        source(`businesswire-newsml-${id}.xml`),
        `businesswire-newsml-${id}.xml`,
      );
      const [ninjs] = parseNinjs(
        readFileSync(join(FIXTURES, 'ninjs', '2.1', `businesswire-newsml-${id}.json`), 'utf8'),
        `businesswire-newsml-${id}.json`,
      );
      expect(item).toMatchObject({
        headline: ninjs?.headline,
        language: ninjs?.language,
        versionCreated: ninjs?.versionCreated,
        subjects: ninjs?.subjects,
      });
      for (const association of ninjs?.associations ?? []) {
        const ours = item?.associations.find((candidate) => candidate.type === association.type);
        expect(ours?.renditions).toEqual(association.renditions);
        associationsCompared++;
      }
    }
    expect(associationsCompared).toBeGreaterThanOrEqual(2);
  });

  it('makes the photos, logo and video of a release its associations', () => {
    const [item] = parseNewsml(source('businesswire-newsml-20130515006361.xml'), 'dell.xml');
    expect(item?.type).toBe('composite');
    const photos = item?.associations.filter((association) => association.type === 'picture');
    expect(photos).toHaveLength(2);
    for (const photo of photos ?? []) {
      expect(photo.kind).toBe('picture');
      expect(photo.description).toMatch(/\(Photo: Business Wire\)$/);
      expect(photo.renditions.map((rendition) => rendition.name)).toEqual([
        'thumbnail',
        'viewimage',
        'lowres',
        'highres',
      ]);
      expect(photo.renditions.every((rendition) => rendition.width && rendition.height)).toBe(true);
    }
    expect(item?.associations.find((association) => association.type === 'graphic')?.kind).toBe(
      'picture',
    );
    const [applebees] = parseNewsml(
      source('businesswire-newsml-20130731006140.xml'),
      'applebees.xml',
    );
    const video = applebees?.associations.find((association) => association.type === 'video');
    expect(video?.renditions.map((rendition) => rendition.contentType)).toContain('video/mp4');
  });

  it('honours withheld, canceled and embargoed releases', () => {
    const file = 'businesswire-newsml-20130605006126.xml';
    const usable = '<Status FormalName="Usable"/>';
    const read = (status: string) => parseNewsml(edit(source(file), usable, status), file)[0];
    expect(read('<Status FormalName="Withheld"/>')?.pubStatus).toBe('withheld');
    expect(read('<Status FormalName="Canceled"/>')?.pubStatus).toBe('canceled');
    const embargoed = read(
      '<Status FormalName="Embargoed"/><StatusWillChange><FutureStatus FormalName="Usable"/><DateAndTime>20130606T120000+0000</DateAndTime></StatusWillChange>',
    );
    expect(embargoed).toMatchObject({
      pubStatus: 'usable',
      embargoedUntil: '2013-06-06T12:00:00Z',
    });
    expect(embargoed?.associations[0]?.embargoedUntil).toBe('2013-06-06T12:00:00Z');
    // Embargoed with no time it lifts: not to be published.
    expect(read('<Status FormalName="Embargoed"/>')?.pubStatus).toBe('withheld');
  });

  it.each(files)('names the file, line and problem of a truncated %s', (file) => {
    const text = source(file);
    for (const cut of [0, 0.1, 0.25, 0.5, 0.75, 0.9]
      .map((share) => Math.floor(text.length * share))
      .concat(text.length - 3)) {
      const truncated = text.slice(0, cut);
      const message = expectDomainError(
        () => parseNewsml(truncated, file),
        'malformed_file',
        new RegExp(
          `^${file.replaceAll('.', '\\.')} at line \\d+(, column \\d+)?: not well-formed XML: \\S`,
        ),
      );
      const line = Number(/at line (\d+)/.exec(message)?.[1]);
      expect(line).toBeGreaterThanOrEqual(1);
      expect(line).toBeLessThanOrEqual(truncated.split('\n').length);
    }
  });

  it.each(files)('names the line of a mismatched tag and of a stray "&" in %s', (file) => {
    const text = source(file);
    const at = text.indexOf('</p>');
    const mismatched = `${text.slice(0, at)}</div>${text.slice(at + '</p>'.length)}`;
    const line = text.slice(0, at).split('\n').length;
    expectDomainError(
      () => parseNewsml(mismatched, file),
      'malformed_file',
      new RegExp(`at line ${line}, column \\d+: not well-formed XML: Expected closing tag 'p'`),
    );
    // A bare "&" in text. (The validator lets one in an attribute value through.)
    const headline = text.indexOf('<HeadLine>') + '<HeadLine>'.length;
    expectDomainError(
      () => parseNewsml(`${text.slice(0, headline)}AT& T ${text.slice(headline)}`, file),
      'malformed_file',
      new RegExp(`at line ${text.slice(0, headline).split('\n').length}\\b.*'&'`),
    );
  });
});

describe('parseNewsml over NewsML-G2', () => {
  it('maps a text newsItem', () => {
    const [item] = parseNewsml(g2Text(), 'fed.xml');
    expect(item).toEqual({
      uri: 'urn:newsml:example.com:20240101:fed',
      version: 3,
      ninjsVersion: '3',
      type: 'text',
      kind: 'article',
      skipReason: null,
      pubStatus: 'usable',
      embargoedUntil: null,
      versionCreated: '2024-01-02T10:00:00Z',
      firstCreated: '2024-01-01T09:00:00Z',
      language: 'en-GB',
      headline: 'Fed to halt QE to avert "bubble"',
      description: 'The Fed will stop buying bonds.',
      // Mixed content in order, entities decoded and re-escaped, HTML's empty elements.
      bodyHtml:
        '<p>Fed to <b>halt</b> QE &amp; <i>more</i>, “bubble”<br>next</p><p></p><img src="chart.png" alt="a &lt; b">',
      bodyText: 'Fed to halt QE.',
      byline: 'Meredith Jameson',
      subjects: ['labour market', 'medtop:04000000'],
      tags: [],
      located: null,
      associationName: null,
      label: null,
      copyrightHolder: 'Example News',
      copyrightNotice: 'Copyright 2024 Example News',
      usageTerms: 'Not for use outside the EU',
      renditions: [],
      associations: [],
    });
  });

  it('reads prefixed NewsML-G2 around an unprefixed XHTML body alike', () => {
    const [plain] = parseNewsml(g2Text(), 'plain.xml');
    const [prefixed] = parseNewsml(g2Text({ prefix: 'nar' }), 'prefixed.xml');
    expect(prefixed).toEqual(plain);
  });

  it('takes an NITF body.content as the body', () => {
    const [item] = parseNewsml(g2Text({ nitf: true }), 'nitf.xml');
    expect(item?.bodyHtml).toBe('<p>First paragraph.</p><p>Second &amp; last.</p>');
  });

  it('honours pubStatus and embargo', () => {
    const status = (pubStatus: string) => parseNewsml(g2Text({ pubStatus }), 'x.xml')[0]?.pubStatus;
    expect(status('stat:withheld')).toBe('withheld');
    expect(status('stat:canceled')).toBe('canceled');
    expect(status('http://cv.iptc.org/newscodes/pubstatusg2/withheld')).toBe('withheld');
    const [embargoed] = parseNewsml(g2Text({ embargoed: '2024-01-03T12:00:00Z' }), 'x.xml');
    expect(embargoed).toMatchObject({
      pubStatus: 'usable',
      embargoedUntil: '2024-01-03T12:00:00Z',
    });
  });

  it('maps a picture newsItem with its renditions', () => {
    const [picture] = parseNewsml(g2Picture, 'pic.xml');
    expect(picture).toMatchObject({
      uri: 'tag:example.com,2024:pic-1',
      version: 11,
      type: 'picture',
      kind: 'picture',
      headline: 'Las Vegas downtown',
      description: 'A general view of downtown.',
      byline: 'Spencer Platt',
      copyrightHolder: 'Example Photo Agency',
      bodyHtml: null,
      renditions: [
        {
          name: 'highRes',
          href: 'http://example.com/pic-1.jpg',
          contentType: 'image/jpeg',
          width: 1500,
          height: 1001,
        },
        {
          name: 'thumb',
          href: 'http://example.com/pic-1-thumb.gif',
          contentType: 'image/gif',
          width: 80,
          height: 53,
        },
      ],
    });
  });

  it('reads every item of a newsMessage, skipping packages and concepts with a reason', () => {
    const message = `<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="${NEWSML_G2_NAMESPACE}">
  <header><sent>2024-01-02T10:00:00Z</sent></header>
  <itemSet>
    ${stripDeclaration(g2Text())}
    ${g2Picture}
    ${g2Package}
    ${g2Concept}
  </itemSet>
</newsMessage>`;
    const items = parseNewsml(message, 'message.xml');
    expect(items.map((item) => [item.uri, item.kind, item.skipReason])).toEqual([
      ['urn:newsml:example.com:20240101:fed', 'article', null],
      ['tag:example.com,2024:pic-1', 'picture', null],
      ['urn:example:package', 'skip', 'a NewsML-G2 package (packageItem), not a news item'],
      ['urn:example:concept', 'skip', 'a NewsML-G2 concept (conceptItem), not a news item'],
    ]);
    expect(items[2]?.headline).toBe('Top stories');
  });

  it('skips planning and knowledge items given on their own', () => {
    for (const [root, reason] of [
      ['planningItem', 'a NewsML-G2 planning item (planningItem), not a news item'],
      ['knowledgeItem', 'a NewsML-G2 knowledge item (knowledgeItem), not a news item'],
    ]) {
      const items = parseNewsml(
        `<${root} xmlns="${NEWSML_G2_NAMESPACE}" guid="urn:x" version="1"/>`,
        'x.xml',
      );
      expect(items.map((item) => [item.kind, item.skipReason])).toEqual([['skip', reason]]);
    }
  });

  it('classifies by itemClass like ninjs: unknown classes with content are articles', () => {
    const withClass = (qcode: string) =>
      parseNewsml(edit(g2Text(), 'qcode="ninat:text"', `qcode="${qcode}"`), 'x.xml')[0];
    expect(withClass('ninat:graphic')?.kind).toBe('picture');
    expect(withClass('ninat:composite')?.kind).toBe('article');
    expect(withClass('ninat:interactive')).toMatchObject({ type: 'interactive', kind: 'article' });
    const [empty] = parseNewsml(
      `<newsItem xmlns="${NEWSML_G2_NAMESPACE}" guid="urn:x" version="1"><itemMeta><itemClass qcode="ex:thing"/></itemMeta></newsItem>`,
      'x.xml',
    );
    expect(empty).toMatchObject({
      kind: 'skip',
      skipReason: 'a "thing" item with no headline or body',
    });
  });

  it('refuses broken NewsML-G2 naming file, line and problem', () => {
    const text = g2Text();
    for (const cut of [20, 300, 900, 1800, text.length - 5]) {
      expectDomainError(
        () => parseNewsml(text.slice(0, cut), 'fed.xml'),
        'malformed_file',
        /^fed\.xml at line \d+(, column \d+)?: not well-formed XML: \S/,
      );
    }
    const mismatched = edit(text, 'Markets wait</headline>', 'Markets wait</description>');
    expectDomainError(
      () => parseNewsml(mismatched, 'fed.xml'),
      'malformed_file',
      new RegExp(
        `^fed\\.xml at line ${text.slice(0, text.indexOf('Markets wait</headline>')).split('\n').length}, column \\d+: not well-formed XML: Expected closing tag 'headline'`,
      ),
    );
    expectDomainError(
      () => parseNewsml(edit(text, ' guid="urn:newsml:example.com:20240101:fed"', ''), 'fed.xml'),
      'malformed_file',
      /^fed\.xml at line 3: the newsItem has no guid$/,
    );
  });

  it('says plainly when the XML is not NewsML', () => {
    expectDomainError(
      () =>
        parseNewsml(readFileSync(join(FIXTURES, 'wordpress', 'wptest.xml'), 'utf8'), 'wptest.xml'),
      'unknown_format',
      /^wptest\.xml: not a NewsML-G2 newsItem .*the root element is <rss>/,
    );
    expectDomainError(
      () => parseNewsml('<newsItem xmlns="urn:example:other" guid="x"/>', 'other.xml'),
      'unknown_format',
      /not a NewsML-G2 newsItem .*<newsItem> in namespace urn:example:other/,
    );
    // A newsItem that forgot its namespace is still read when asked for.
    expect(parseNewsml(`<newsItem guid="urn:x" version="2"/>`, 'bare.xml')[0]?.version).toBe(2);
  });
});

describe('looksLikeNewsml', () => {
  it.each(files)('recognises the NewsML 1.2 of %s from its head', (file) => {
    expect(looksLikeNewsml(source(file).slice(0, 512))).toBe(true);
  });

  it('recognises NewsML-G2 items and messages, prefixed or not, behind a prolog', () => {
    expect(looksLikeNewsml(g2Text())).toBe(true);
    expect(looksLikeNewsml(g2Text({ prefix: 'nar' }))).toBe(true);
    const text = g2Text();
    expect(looksLikeNewsml(text.slice(0, text.indexOf('<rightsInfo') + 5))).toBe(true);
    expect(looksLikeNewsml(`\uFEFF${g2Picture}`)).toBe(true);
    expect(looksLikeNewsml(`<newsMessage xmlns="${NEWSML_G2_NAMESPACE}"><itemSet>`)).toBe(true);
    expect(
      looksLikeNewsml(
        `<!DOCTYPE packageItem [<!ENTITY x "<y>">]><packageItem xmlns='${NEWSML_G2_NAMESPACE}'>`,
      ),
    ).toBe(true);
  });

  it('turns down other files', () => {
    expect(looksLikeNewsml(readFileSync(join(FIXTURES, 'wordpress', 'wptest.xml'), 'utf8'))).toBe(
      false,
    );
    expect(
      looksLikeNewsml(readFileSync(join(FIXTURES, 'ninjs', '2.1', 'dpa_text.json'), 'utf8')),
    ).toBe(false);
    expect(looksLikeNewsml('<newsItem guid="x">')).toBe(false);
    expect(looksLikeNewsml('<newsItem xmlns="urn:example:other">')).toBe(false);
    expect(looksLikeNewsml(`<html xmlns="${XHTML}"><body>`)).toBe(false);
    expect(looksLikeNewsml('<newsItem xmlns="')).toBe(false);
    expect(looksLikeNewsml('')).toBe(false);
  });
});

describe('NewsML-G2 items Masthead cannot make a draft of', () => {
  const g2Video = `<newsItem xmlns="${NEWSML_G2_NAMESPACE}" guid="urn:example:video" version="1">
  <itemMeta><itemClass qcode="ninat:video"/></itemMeta>
  <contentMeta><headline>Floods in the valley</headline><description>Aerial footage.</description></contentMeta>
  <contentSet><remoteContent href="http://example.com/v.mp4" contenttype="video/mp4"/></contentSet>
</newsItem>`;

  it('skips video and audio news items, naming the kind (they were drafts holding a caption)', () => {
    const [video] = parseNewsml(g2Video, 'video.xml');
    expect(video).toMatchObject({
      kind: 'skip',
      type: 'video',
      skipReason: 'a NewsML-G2 video item (ninat:video): Masthead imports text and pictures only',
    });
    const [audio] = parseNewsml(
      edit(g2Video, 'ninat:video', 'http://cv.iptc.org/newscodes/ninature/audio'),
      'audio.xml',
    );
    expect(audio?.skipReason).toBe(
      'a NewsML-G2 audio item (ninat:audio): Masthead imports text and pictures only',
    );
  });

  it('skips events, whether an eventItem or a concept of type cpnat:event', () => {
    const [eventItem] = parseNewsml(
      `<eventItem xmlns="${NEWSML_G2_NAMESPACE}" guid="urn:example:event" version="1"><itemMeta><itemClass qcode="ninat:event"/></itemMeta></eventItem>`,
      'event.xml',
    );
    expect([eventItem?.kind, eventItem?.skipReason]).toEqual([
      'skip',
      'a NewsML-G2 event (eventItem), not a news item',
    ]);
    const [concept] = parseNewsml(
      `<conceptItem xmlns="${NEWSML_G2_NAMESPACE}" guid="urn:example:ev2" version="1"><concept><conceptId qcode="ev:2"/><type qcode="cpnat:event"/><name>Summit</name></concept></conceptItem>`,
      'concept.xml',
    );
    expect(concept?.skipReason).toBe(
      'a NewsML-G2 event (conceptItem of type cpnat:event), not a news item',
    );
  });

  it('skips SportsML content, by namespace or by its sportsContent root', () => {
    const sports = (inline: string) =>
      parseNewsml(
        `<newsItem xmlns="${NEWSML_G2_NAMESPACE}" guid="urn:example:score" version="1">
  <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
  <contentMeta><headline>Results</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/sportsml+xml">${inline}</inlineXML></contentSet>
</newsItem>`,
        'score.xml',
      )[0];
    const reason = 'SportsML sports data (sportsContent), not an article';
    expect(
      sports(
        '<sportsContent xmlns="http://iptc.org/std/SportsML/2008-04-01/"><sportsEvent/></sportsContent>',
      ),
    ).toMatchObject({ kind: 'skip', skipReason: reason });
    expect(sports('<sportsContent><sportsEvent/></sportsContent>')?.skipReason).toBe(reason);
  });

  it('skips a packageItem without a guid, reading the rest of the message', () => {
    const message = `<newsMessage xmlns="${NEWSML_G2_NAMESPACE}"><itemSet>
<packageItem version="2"><itemMeta><itemClass qcode="ninat:composite"/></itemMeta></packageItem>
${g2Picture}
</itemSet></newsMessage>`;
    const items = parseNewsml(message, 'message.xml');
    expect(items.map((item) => [item.uri, item.kind, item.skipReason])).toEqual([
      [
        'message.xml at line 2 (packageItem without a guid)',
        'skip',
        'a NewsML-G2 package (packageItem), not a news item',
      ],
      ['tag:example.com,2024:pic-1', 'picture', null],
    ]);
  });
});

describe('NewsML-G2 people, organisations and places', () => {
  it('keeps person, organisation and place subjects and the located place as tags', () => {
    const xml = edit(
      g2Text(),
      '<language tag="en-GB"/>',
      `<language tag="en-GB"/>
    <located type="cpnat:geoArea" qcode="geo:2988507"><name>Paris</name></located>
    <subject type="cpnat:person" qcode="ex:jp"><name>Jerome Powell</name></subject>
    <subject type="cpnat:organisation" qcode="ex:fed"><name>Federal Reserve</name></subject>
    <subject type="cpnat:geoArea" qcode="geo:6252001"><name>United States</name></subject>`,
    );
    const [item] = parseNewsml(xml, 'fed.xml');
    expect(item?.tags).toEqual(['Jerome Powell', 'Federal Reserve', 'United States', 'Paris']);
    expect(item?.located).toBe('Paris');
  });
});

describe('NewsML-G2 without its namespace', () => {
  const bare = stripDeclaration(g2Text()).replace(` xmlns="${NEWSML_G2_NAMESPACE}"`, '');

  it('is recognised from its structure and read like the namespaced item', () => {
    expect(bare).not.toContain(NEWSML_G2_NAMESPACE);
    expect(looksLikeNewsml(bare)).toBe(true);
    expect(looksLikeNewsml(`<newsMessage><itemSet>${bare}</itemSet></newsMessage>`)).toBe(true);
    const [item] = parseNewsml(bare, 'bare.xml');
    expect(item).toEqual(parseNewsml(g2Text(), 'fed.xml')[0]);
  });

  it('is not claimed without G2 structure', () => {
    expect(looksLikeNewsml('<newsItem guid="x"><title>Hi</title></newsItem>')).toBe(false);
  });
});

describe('parseWireFile and the XML declaration’s encoding', () => {
  const latin1 = (xml: string) => Buffer.from(xml, 'latin1');
  /** The test item declaring `encoding`, with a headline and body outside ASCII. */
  const g2Declared = (encoding: string, extra = '') =>
    g2Text()
      .replace('encoding="UTF-8"', `encoding="${encoding}"`)
      .replace('Fed to halt QE to avert', `Zürich${extra}: Fed to halt QE to avert`)
      .replace('Fed to <b>halt</b>', 'Fußball <b>halt</b>');

  it('transcodes ISO-8859-1 and windows-1252 (was refused as invalid UTF-8)', () => {
    for (const encoding of ['ISO-8859-1', 'iso-8859-1', 'windows-1252', 'latin1']) {
      const [item] = parseWireFile(latin1(g2Declared(encoding)), 'latin.xml', 'newsml');
      expect(item?.headline, encoding).toBe('Zürich: Fed to halt QE to avert "bubble"');
      expect(item?.bodyHtml, encoding).toContain('Fußball <b>halt</b>');
    }
    // 0x80 is the euro sign in windows-1252 (and in ISO-8859-1 as agencies mean it).
    const euro = Buffer.from(g2Declared('windows-1252', ' \u0080'), 'latin1');
    expect(parseWireFile(euro, 'euro.xml', 'newsml')[0]?.headline).toMatch(/^Zürich €:/);
  });

  it('keeps UTF-8 strict for files declaring UTF-8 or nothing', () => {
    const xml = g2Declared('UTF-8');
    expectDomainError(
      () => parseWireFile(latin1(xml), 'wrong.xml', 'newsml'),
      'invalid_encoding',
      /^wrong\.xml: line \d+: not valid UTF-8/,
    );
    expectDomainError(
      () => parseWireFile(latin1(stripDeclaration(xml)), 'bare.xml', 'newsml'),
      'invalid_encoding',
      /^bare\.xml: line \d+: not valid UTF-8/,
    );
    const [item] = parseWireFile(Buffer.from(xml, 'utf8'), 'right.xml', 'newsml');
    expect(item?.bodyHtml).toContain('Fußball');
  });

  it('fails on an encoding label no decoder knows, naming the file and the label', () => {
    expectDomainError(
      () => parseWireFile(latin1(g2Declared('x-klingon-8')), 'odd.xml', 'newsml'),
      'invalid_encoding',
      /^odd\.xml: unknown encoding "x-klingon-8" in the XML declaration$/,
    );
  });
});

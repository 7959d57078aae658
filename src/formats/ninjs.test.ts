import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors.js';
import { checkWireItems, parseNinjs } from './ninjs.js';

const NINJS = fileURLToPath(new URL('../../../shared/fixtures/ninjs/', import.meta.url));
const files = ['2.1', '3.0', '3.0/collection'].flatMap((folder) =>
  readdirSync(join(NINJS, folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(folder, name)),
);
const read = (file: string) => parseNinjs(readFileSync(join(NINJS, file), 'utf8'), file);

describe('parseNinjs over every 2.1 and 3.0 fixture', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  // The collection sample is no longer read: IPTC's 3.0 schema refuses it (below).
  it.each(files.filter((file) => !file.includes('collection')))('reads %s', (file) => {
    const items = read(file);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.uri).not.toBe('');
      if (item.kind === 'skip') expect(item.skipReason).toMatch(/\S/);
      if (item.kind === 'article')
        expect(item.headline || item.bodyText || item.bodyHtml).toBeTruthy();
    }
  });

  it('reads 2.x and 3.x spellings of the same item alike', () => {
    const [two] = read('2.1/businesswire-newsml-20130731006140.json');
    const [three] = read('3.0/businesswire-newsml-20130731006140.json');
    expect(two?.ninjsVersion).toBe('2');
    expect(three?.ninjsVersion).toBe('3');
    // Everything but the version they were written in (theirs and their associations').
    const same = (item: unknown) =>
      JSON.stringify(item).replaceAll('"ninjsVersion":"3"', '"ninjsVersion":"2"');
    expect(same(three)).toBe(same(two));
    expect(two?.type).toBe('composite');
    expect(two?.associations.length).toBeGreaterThan(0);
  });

  it('takes headline, byline, language, version and an HTML body from a text item', () => {
    const [item] = read('2.1/ninjsExSimpleText_2.json');
    expect(item).toMatchObject({
      kind: 'article',
      headline: 'Captain of wrecked cruise ship on trial in Italy',
      byline: "Paulo Santalucia and Frances d'Emilio",
    });
    expect(item?.bodyHtml).toMatch(/</);
    expect(item?.bodyText).toMatch(/^GROSSETO, Italy/);
    const [tt] = read('2.1/tt_text_image_2.json');
    expect(tt).toMatchObject({
      version: 1,
      language: 'sv',
      pubStatus: 'usable',
      copyrightHolder: 'TT',
    });
  });

  it('reads a picture’s rights and renditions', () => {
    const [picture] = read('2.1/imageLinkedRights.json');
    expect(picture?.kind).toBe('picture');
    expect(picture?.renditions.length).toBeGreaterThan(0);
    expect(picture?.byline).not.toBe('');
  });

  it('skips events, with a reason', () => {
    const events = read('3.0/20231005-65-addb-event.json');
    expect(events.map((item) => [item.kind, item.skipReason])).toEqual([
      ['skip', 'an event listing, not an article'],
    ]);
  });

  it('refuses the 3.0 collection sample, as IPTC’s 3.0 schema does (it was read as 14 events)', () => {
    // Its "events" is an object where the schema wants an array, and its
    // event dates use "estimatedStartDate", which the schema does not know.
    expect(() => read('3.0/collection/20231016-event-timeline-sample.json')).toThrow(
      /^3\.0\/collection\/20231016-event-timeline-sample\.json, item 1: \/events: must be array \(schema: ninjs 3\.0; and \d+ more\)$/,
    );
  });

  it('names the file, line and column of broken JSON, and the place of an item without uri', () => {
    const source = readFileSync(join(NINJS, '2.1/dpa_text.json'), 'utf8');
    for (const broken of [
      source.slice(0, Math.floor(source.length / 2)),
      source.replace('{', '{,'),
    ]) {
      try {
        parseNinjs(broken, 'dpa_text.json');
        expect.unreachable('broken JSON was accepted');
      } catch (error) {
        expect(isDomainError(error) && error.code).toBe('malformed_file');
        expect((error as Error).message).toMatch(
          /^dpa_text\.json( at line \d+, column \d+)?: not valid JSON/,
        );
      }
    }
    // IPTC's schema names the missing uri (it said 'the item has no "uri"' before the schema was used).
    expect(() => parseNinjs('[{"type":"text"}]', 'list.json')).toThrow(
      "list.json, item 1: /: must have required property 'uri' (schema: ninjs 2.1)",
    );
    // A 1.x item has no schema shipped: Masthead's own check names it.
    expect(() => parseNinjs('[{"headline":"H"}]', 'old.json')).toThrow(
      'old.json, item 1: the item has no "uri"',
    );
  });
});

describe('checkWireItems', () => {
  const item = (fields: Record<string, unknown>) =>
    parseNinjs(JSON.stringify({ uri: 'urn:x:1', headline: 'H', ...fields }), 'x.json');

  it('keeps only whole-number versions: "2.10" is no version, not 2.1', () => {
    expect(checkWireItems(item({ version: '2.10' }), 'x.json')[0]?.version).toBeNull();
    expect(checkWireItems(item({ version: 'draft' }), 'x.json')[0]?.version).toBeNull();
    expect(checkWireItems(item({ version: '7' }), 'x.json')[0]?.version).toBe(7);
  });

  it('reads dates without a zone as UTC and refuses ones that are not dates', () => {
    const [checked] = checkWireItems(item({ embargoed: '2026-03-01T12:00:00' }), 'x.json');
    expect(checked?.embargoedUntil).toBe('2026-03-01T12:00:00.000Z');
    expect(
      checkWireItems(item({ embargoed: '2026-03-01T12:00:00+02:00' }), 'x.json')[0]?.embargoedUntil,
    ).toBe('2026-03-01T10:00:00.000Z');
    const [bad] = item({});
    if (!bad) throw new Error('the item parses');
    expect(() => checkWireItems([{ ...bad, embargoedUntil: 'soon' }], 'x.json')).toThrow(
      'x.json: item urn:x:1: embargo "soon" is not a date and time',
    );
  });
});

describe('the genre of an item', () => {
  const genres = (value: unknown, key = 'genres') =>
    parseNinjs(JSON.stringify({ uri: 'urn:x:1', headline: 'H', [key]: value }), 'x.json')[0]?.label;

  it('makes IPTC Opinion and Analysis labels, by URI, QCode or name', () => {
    expect(genres([{ uri: 'http://cv.iptc.org/newscodes/genre/Opinion' }])).toBe('opinion');
    expect(genres([{ literal: 'genre:Analysis' }])).toBe('analysis');
    expect(genres([{ name: 'Opinion' }], 'genre')).toBe('opinion');
    expect(
      genres([{ name: 'Inrikes', uri: 'http://tt.se/spec/sector/1.0/INR' }, { name: 'analysis' }]),
    ).toBe('analysis');
  });

  it('leaves other genres, another scheme’s codes and no genre at all unlabelled', () => {
    expect(genres([{ uri: 'http://cv.iptc.org/newscodes/genre/Actuality' }])).toBeNull();
    expect(genres([{ literal: 'tt:Opinion', name: 'Ledare' }])).toBeNull();
    expect(genres(undefined)).toBeNull();
  });
});

describe('every ninjs version’s field names', () => {
  const one = (fields: Record<string, unknown>) =>
    parseNinjs(JSON.stringify({ uri: 'urn:x:1', type: 'text', ...fields }), 'x.json')[0];

  it('reads 1.x body_xhtml (1.0) and body_html5 (1.1+) as the HTML body (they gave empty drafts)', () => {
    expect(one({ headline: 'H', body_xhtml: '<p>Old body</p>' })?.bodyHtml).toBe('<p>Old body</p>');
    expect(one({ body_html5: '<p>New body</p>' })).toMatchObject({
      ninjsVersion: '1',
      kind: 'article',
      bodyHtml: '<p>New body</p>',
    });
    // The rich body before the plain one, whichever comes first.
    expect(one({ headline: 'H', body_text: 'Plain', body_html5: '<p>Rich</p>' })).toMatchObject({
      bodyHtml: '<p>Rich</p>',
      bodyText: 'Plain',
    });
  });

  it('reads the 1.x headline_*, body_* and description_* families its schema allows by pattern', () => {
    const item = one({
      headline_short: 'Short headline',
      body_richhtml: '<p>Rich</p>',
      body_nitf: '<nitf/>',
      body_plaintext: 'Plain',
      description_caption_text: 'A caption',
    });
    expect(item).toMatchObject({
      ninjsVersion: '1',
      kind: 'article',
      headline: 'Short headline',
      bodyHtml: '<p>Rich</p>',
      bodyText: 'Plain',
      description: 'A caption',
    });
    // The main headline stays the headline.
    expect(one({ headline: 'Main', headline_short: 'Short' })?.headline).toBe('Main');
  });

  it('reads 1.x description_html as a plain standfirst when there is no description_text', () => {
    expect(
      one({ headline: 'H', description_html: '<p>The <b>last</b> crossing &amp; more</p>' })
        ?.description,
    ).toBe('The last crossing & more');
    expect(
      one({ headline: 'H', description_text: 'Text', description_html: '<p>Html</p>' })
        ?.description,
    ).toBe('Text');
  });

  it('takes a 2.x/3.x HTML body by its content type before a plain one listed first', () => {
    const item = one({
      headlines: [{ value: 'H' }],
      bodies: [
        { role: 'text', contenttype: 'text/plain', value: 'Plain' },
        { role: 'main', contenttype: 'text/html5', value: '<p>Rich</p>' },
      ],
    });
    expect([item?.bodyHtml, item?.bodyText]).toEqual(['<p>Rich</p>', 'Plain']);
  });

  it('reads an NITF body as HTML before the plain one (ADDB’s plain body lacks the lead)', () => {
    const [addb] = read(
      '3.0/20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json',
    );
    const lead = 'The Australian Sports Anti-Doping Authority (ASADA) today announced';
    expect(addb?.bodyText).not.toContain(lead);
    expect(addb?.bodyHtml).toContain(`<p class="lead" lede="true">${lead}`);
    // NITF that is not well-formed leaves the plain body to stand alone.
    const broken = one({
      headlines: [{ value: 'H' }],
      bodies: [
        { role: 'nitf', contenttype: 'text/vnd.IPTC.NITF', value: '<nitf><body>' },
        { role: 'text', contenttype: 'text/plain', value: 'Plain' },
      ],
    });
    expect([broken?.bodyHtml, broken?.bodyText]).toEqual([null, 'Plain']);
  });

  it('keeps people, organisations, places and located as tags (they were dropped)', () => {
    const [tt] = read('2.1/tt_text_image_2.json');
    expect(tt?.tags.length).toBe(5);
    const [video] = read('3.0/ap_video.json');
    expect(video?.located).toBe('Washington');
    expect(video?.tags).toContain('Washington');
    expect(
      one({
        headline: 'H',
        person: [{ name: 'Ada Lovelace' }],
        organisation: [{ name: 'Royal Society' }],
        place: [{ name: 'London' }],
        located: 'London',
      }),
    ).toMatchObject({ tags: ['Ada Lovelace', 'Royal Society', 'London'], located: 'London' });
  });

  it('keeps every association with its name, 1.x keyed ones by their key', () => {
    const picture = (uri: string) => ({
      uri,
      type: 'picture',
      renditions: { original: { href: `https://example.com/${uri}.jpg` } },
    });
    const item = one({
      headline: 'H',
      associations: { featureimage: picture('a'), portrait: picture('b'), gallery1: picture('c') },
    });
    expect(item?.associations.map((a) => [a.uri, a.associationName, a.kind])).toEqual([
      ['a', 'featureimage', 'picture'],
      ['b', 'portrait', 'picture'],
      ['c', 'gallery1', 'picture'],
    ]);
    const [tt] = read('3.0/tt_text_image_3.json');
    expect(tt?.associations.map((a) => a.associationName)).toEqual(['a001']);
  });
});

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

  it.each(files)('reads %s', (file) => {
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
    const collection = read('3.0/collection/20231016-event-timeline-sample.json');
    expect(collection.length).toBe(14);
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
    expect(() => parseNinjs('[{"type":"text"}]', 'list.json')).toThrow(
      'list.json, item 1: the item has no "uri"',
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

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors.js';
import { parseNinjs } from './ninjs.js';
import { checkNinjsSchema } from './ninjs-schema.js';

const NINJS = fileURLToPath(new URL('../../../shared/fixtures/ninjs/', import.meta.url));
const SHIPPED = fileURLToPath(new URL('./ninjs-schemas/', import.meta.url));
const fixtures = (folder: '2.1' | '3.0') =>
  readdirSync(join(NINJS, folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(folder, name));

/** The DomainError message `run` throws (failing the test when it throws none, or another error). */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe('malformed_file');
    return (error as Error).message;
  }
  throw new Error('the item was accepted');
}

describe('the shipped IPTC schemas', () => {
  it('are IPTC’s, unchanged (Biome may lay them out), with IPTC’s MIT notice', () => {
    for (const version of ['2.1', '3.0']) {
      const name = `ninjs-schema_${version}.json`;
      expect(JSON.parse(readFileSync(join(SHIPPED, name), 'utf8'))).toEqual(
        JSON.parse(readFileSync(join(NINJS, 'schema', name), 'utf8')),
      );
    }
    expect(readFileSync(join(SHIPPED, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(NINJS, 'LICENSE'), 'utf8'),
    );
  });
});

describe('checkNinjsSchema over the fixtures', () => {
  it.each([...fixtures('2.1'), ...fixtures('3.0')])(
    'accepts and reads %s against its own version’s schema',
    (file) => {
      const text = readFileSync(join(NINJS, file), 'utf8');
      const version = file.startsWith('2.1') ? '2.1' : '3.0';
      expect(() => checkNinjsSchema(JSON.parse(text), version, file)).not.toThrow();
      // parseNinjs picks the same schema from the item itself.
      const items = parseNinjs(text, file);
      expect(items.map((item) => item.ninjsVersion)).toEqual([version === '2.1' ? '2' : '3']);
    },
  );
});

describe('checkNinjsSchema refuses what the schema refuses, saying where', () => {
  const three = (fields: Record<string, unknown>) => ({
    uri: 'urn:example:3',
    type: 'text',
    headlines: [{ value: 'Harbour closes' }],
    ...fields,
  });
  const two = (fields: Record<string, unknown>) => ({
    uri: 'urn:example:2',
    type: 'text',
    headlines: [{ value: 'Harbour closes' }],
    ...fields,
  });

  it('accepts the small items the refusals are made from', () => {
    expect(() => checkNinjsSchema(three({}), '3.0', 'ok.json')).not.toThrow();
    expect(() => checkNinjsSchema(two({}), '2.1', 'ok.json')).not.toThrow();
  });

  it.each([
    [
      'a headline that is not a string',
      three({ headlines: [{ value: 7 }] }),
      'item.json: /headlines/0/value: must be string (schema: ninjs 3.0)',
    ],
    [
      'no uri',
      { type: 'text', headlines: [{ value: 'H' }] },
      "item.json: /: must have required property 'uri' (schema: ninjs 3.0)",
    ],
    [
      'a uri that is not a URI',
      three({ uri: 'not a uri' }),
      'item.json: /uri: must match format "uri" (schema: ninjs 3.0)',
    ],
    [
      'a pubStatus outside the enum',
      three({ pubStatus: 'killed' }),
      'item.json: /pubStatus: must be equal to one of the allowed values: "usable", "withheld", "canceled" (schema: ninjs 3.0)',
    ],
    [
      'a version that is a number',
      three({ version: 2 }),
      'item.json: /version: must be string (schema: ninjs 3.0)',
    ],
    [
      'a date and time without a zone',
      three({ versionCreated: '2024-01-02T10:00:00' }),
      'item.json: /versionCreated: must match format "date-time" (schema: ninjs 3.0)',
    ],
    [
      'an urgency out of range',
      three({ urgency: 12 }),
      'item.json: /urgency: must be <= 9 (schema: ninjs 3.0)',
    ],
    [
      'a property the schema does not know',
      three({ colour: 'red' }),
      'item.json: /: must NOT have unevaluated properties ("colour") (schema: ninjs 3.0)',
    ],
    [
      'a rendition href that is not a URI',
      three({ renditions: [{ name: 'web', href: 'http://exa mple.com/a.jpg' }] }),
      'item.json: /renditions/0/href: must match format "uri" (schema: ninjs 3.0)',
    ],
  ])('3.0: refuses %s', (_what, item, message) => {
    expect(refusal(() => checkNinjsSchema(item, '3.0', 'item.json'))).toBe(message);
  });

  it.each([
    [
      'a 3.0 camelCase name',
      two({ pubStatus: 'usable' }),
      'item.json: /: must NOT have unevaluated properties ("pubStatus") (schema: ninjs 2.1)',
    ],
    [
      'a type outside the enum',
      two({ type: 'podcast' }),
      'item.json: /type: must be equal to one of the allowed values: "text", "audio", "video", "picture", "graphic", "composite", "component" (schema: ninjs 2.1)',
    ],
    [
      'a rendition without its required name',
      two({ renditions: [{ href: 'http://example.com/a.jpg' }] }),
      "item.json: /renditions/0: must have required property 'name' (schema: ninjs 2.1)",
    ],
    [
      'an association without a uri',
      two({ associations: [{ name: 'photo', type: 'picture' }] }),
      "item.json: /associations/0: must have required property 'uri' (schema: ninjs 2.1)",
    ],
    [
      'bodies that are not an array',
      two({ bodies: { value: '<p>x</p>' } }),
      'item.json: /bodies: must be array (schema: ninjs 2.1)',
    ],
    [
      'an embargo that is not a date',
      two({ embargoed: 'tomorrow' }),
      'item.json: /embargoed: must match format "date-time" (schema: ninjs 2.1)',
    ],
  ])('2.1: refuses %s', (_what, item, message) => {
    expect(refusal(() => checkNinjsSchema(item, '2.1', 'item.json'))).toBe(message);
  });

  it('counts the further problems of an item', () => {
    expect(
      refusal(() => checkNinjsSchema(three({ pubStatus: 'x', version: 1 }), '3.0', 'item.json')),
    ).toMatch(/\(schema: ninjs 3\.0; and 1 more\)$/);
  });

  it('leaves parseNinjs one stricter check: a date-time a stored date can hold', () => {
    // RFC 3339 (and so the schema) allows a leap second; a JavaScript Date, and
    // the UTC dates Masthead stores, cannot hold one.
    const leap = three({ versionCreated: '2016-12-31T23:59:60Z' });
    expect(() => checkNinjsSchema(leap, '3.0', 'leap.json')).not.toThrow();
    expect(refusal(() => parseNinjs(JSON.stringify(leap), 'leap.json'))).toBe(
      'leap.json: "versioncreated": not a date and time',
    );
  });

  it('is what parseNinjs applies, by the item’s own version', () => {
    expect(
      refusal(() =>
        parseNinjs(
          JSON.stringify(three({ pubStatus: 'killed', versionCreated: '2024-01-02T10:00:00Z' })),
          'item.json',
        ),
      ),
    ).toMatch(/^item\.json: \/pubStatus: must be equal to one of the allowed values/);
    expect(
      refusal(() => parseNinjs(JSON.stringify([two({}), two({ type: 'podcast' })]), 'list.json')),
    ).toMatch(/^list\.json, item 2: \/type: .*\(schema: ninjs 2\.1\)$/);
  });
});

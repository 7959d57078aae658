import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The IPTC ninjs JSON Schemas, read in place from ../shared/fixtures, compiled
// with ajv (draft 2020-12, formats checked).

const SCHEMA_DIR = new URL('../../shared/fixtures/ninjs/schema/', import.meta.url);

/** A validator for ninjs `version` ('2.1' or '3.0'). */
export async function ninjsValidator(version: '2.1' | '3.0') {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // The schema refers to the external GeoJSON schema for `places[].geojson`,
  // which is not among the fixtures (and no network here). An object-only
  // stand-in keeps every other rule.
  ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json', type: 'object' });
  const schema = JSON.parse(
    await readFile(new URL(`ninjs-schema_${version}.json`, SCHEMA_DIR), 'utf8'),
  );
  return ajv.compile(schema);
}

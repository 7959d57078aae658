import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { DomainError } from '../core/errors.js';
import schema21 from './ninjs-schemas/ninjs-schema_2.1.json' with { type: 'json' };
import schema30 from './ninjs-schemas/ninjs-schema_3.0.json' with { type: 'json' };

// IPTC's own JSON Schemas for ninjs 2.1 and 3.0 (MIT licence, shipped with
// their notice in ninjs-schemas/), checked with ajv: an item is refused for
// what the schema of its version refuses, and for nothing else the schema
// accepts. The schemas are imported as modules, so nothing is read or
// fetched at run time. IPTC publishes no JSON Schema for ninjs 1.x that we
// ship: 1.x items get ninjs.ts's own checks only.

/** The schema an item is checked against: '2.1' for ninjs 2.x items, '3.0' for 3.x. */
export type NinjsSchemaVersion = '2.1' | '3.0';

const SCHEMAS: Record<NinjsSchemaVersion, object> = { '2.1': schema21, '3.0': schema30 };

type ValidateFunction = ReturnType<InstanceType<typeof Ajv2020.default>['compile']>;

// Compiled on first use (some tens of milliseconds each), once per process.
const compiled = new Map<NinjsSchemaVersion, ValidateFunction>();

function validatorFor(version: NinjsSchemaVersion): ValidateFunction {
  const cached = compiled.get(version);
  if (cached) return cached;
  // strict: false because the IPTC schemas use keywords ajv's strict mode
  // rejects (titles inside $defs…); formats on, because they are part of
  // what the schemas say (uri, date-time).
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // places[].geojson refers to the GeoJSON schema at geojson.org, which
  // Masthead does not fetch: an object-only stand-in keeps every other rule.
  ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json', type: 'object' });
  const validate = ajv.compile(SCHEMAS[version]);
  compiled.set(version, validate);
  return validate;
}

type SchemaError = NonNullable<ValidateFunction['errors']>[number];

/** One schema error in words: where in the item, what is wrong, and the offending name or values. */
function describe(error: SchemaError): string {
  const params = error.params as Record<string, unknown>;
  const detail =
    typeof params.unevaluatedProperty === 'string'
      ? ` ("${params.unevaluatedProperty}")`
      : typeof params.additionalProperty === 'string'
        ? ` ("${params.additionalProperty}")`
        : Array.isArray(params.allowedValues)
          ? `: ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`
          : '';
  return `${error.instancePath || '/'}: ${error.message ?? 'invalid'}${detail}`;
}

/**
 * The schema's errors that say most: an `anyOf`/`oneOf` or `if` failure is
 * reported by ajv after the branch errors it summarises, which are more precise.
 */
function significant(errors: SchemaError[]): SchemaError[] {
  const precise = errors.filter(
    (error) => !['anyOf', 'oneOf', 'if', 'not'].includes(error.keyword),
  );
  return precise.length > 0 ? precise : errors;
}

/**
 * Checks one parsed ninjs item against IPTC's schema for `version`. Throws a
 * `malformed_file` DomainError naming `where` (the file, and the item in a
 * collection), the JSON pointer of the first problem, the problem, and the
 * schema ("item.json: /headlines/0/value: must be string (schema: ninjs 3.0)"),
 * with the number of further problems.
 */
export function checkNinjsSchema(item: unknown, version: NinjsSchemaVersion, where: string): void {
  const validate = validatorFor(version);
  if (validate(item)) return;
  const errors = significant(validate.errors ?? []);
  const [first] = errors;
  const more = errors.length > 1 ? `; and ${errors.length - 1} more` : '';
  throw new DomainError(
    'malformed_file',
    `${where}: ${first ? describe(first) : 'not a ninjs item'} (schema: ninjs ${version}${more})`,
  );
}

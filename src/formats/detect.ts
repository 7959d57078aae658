import { DomainError } from '../core/errors.js';
import type { ImportBundle } from '../core/import-bundle.js';
import { looksLikeGhost } from './ghost.js';
import { looksLikeNewsml, parseNewsml } from './newsml.js';
import { checkWireItems, looksLikeNinjs, type NinjsItem, parseNinjs } from './ninjs.js';
import { looksLikeSeedPage, parseSeedPage, SEED_FORMAT } from './seed-page.js';
import { decodeDeclared } from './utf8.js';
import { looksLikeWxr } from './wxr-reader.js';

/** Wire formats: read whole into agency items (ninjs' shape), drafts for the agency queue. */
const WIRE_FORMATS: {
  name: string;
  description: string;
  detect: (head: string) => boolean;
  parse: (text: string, fileName: string) => NinjsItem[];
}[] = [
  {
    name: 'ninjs',
    description: 'IPTC ninjs 1.x–3.x (JSON)',
    detect: looksLikeNinjs,
    parse: parseNinjs,
  },
  {
    name: 'newsml',
    description: 'IPTC NewsML-G2 (or NewsML 1.x) news item',
    detect: looksLikeNewsml,
    parse: parseNewsml,
  },
];

/** True for the wire formats, which `parseWireFile` reads. */
export function isWireFormat(name: string): boolean {
  return WIRE_FORMATS.some((format) => format.name === name);
}

/**
 * Reads a wire file into its items. JSON (ninjs) is UTF-8, strictly; XML
 * (NewsML) is read in the encoding its declaration names, UTF-8 when it names
 * none (agencies still send ISO-8859-1).
 */
export function parseWireFile(
  bytes: Uint8Array,
  fileName: string,
  formatName: string,
): NinjsItem[] {
  const format = WIRE_FORMATS.find((candidate) => candidate.name === formatName);
  if (!format) throw new Error(`not a wire format: ${formatName}`);
  return checkWireItems(format.parse(decodeDeclared(bytes, fileName), fileName), fileName);
}

/**
 * Formats read as a stream rather than parsed whole into a bundle: their
 * importer reads the file itself (a WordPress export may be hundreds of MB).
 */
const STREAMED_FORMATS: { name: string; description: string; detect: (head: string) => boolean }[] =
  [{ name: 'wxr', description: 'WordPress export (WXR)', detect: looksLikeWxr }];

/**
 * Whole-site exports read into their own records (a site's tables, not one
 * bundle of articles): their importer writes them itself.
 */
const SITE_FORMATS: { name: string; description: string; detect: (head: string) => boolean }[] = [
  { name: 'ghost', description: 'Ghost export (JSON, Ghost 4–6)', detect: looksLikeGhost },
];

/** A format Masthead can import: how to recognise it and how to parse it. */
type ImportFormat = {
  name: string;
  description: string;
  /** Recognises the format from the first bytes of the file, decoded leniently. */
  detect: (head: string) => boolean;
  parse: (bytes: Uint8Array, fileName: string) => ImportBundle;
};

const FORMATS: ImportFormat[] = [
  {
    name: SEED_FORMAT,
    description: 'seed page (a news article page as text: sections, headline, photo, body, footer)',
    detect: looksLikeSeedPage,
    parse: parseSeedPage,
  },
];

// Enough to recognise any format without decoding a huge file twice.
const DETECTION_WINDOW = 256 * 1024;

/** The names of the importable formats, for help texts and `--format`. */
export function importFormatNames(): string[] {
  return [...FORMATS, ...STREAMED_FORMATS, ...SITE_FORMATS, ...WIRE_FORMATS].map(
    (format) => format.name,
  );
}

/**
 * The format of a file from its first bytes (or `formatName`): a streamed
 * format's name, or 'bundle' for one `parseImportFile` reads whole.
 */
export function detectImportFormat(
  head: Uint8Array,
  fileName: string,
  formatName?: string,
): string {
  if (formatName !== undefined) {
    if (!importFormatNames().includes(formatName)) {
      throw new DomainError(
        'invalid_input',
        `unknown format "${formatName}"; known formats: ${importFormatNames().join(', ')}`,
        'format',
      );
    }
    return FORMATS.some((format) => format.name === formatName) ? 'bundle' : formatName;
  }
  const text = new TextDecoder('utf-8').decode(head.subarray(0, DETECTION_WINDOW));
  const streamed = STREAMED_FORMATS.find((format) => format.detect(text));
  if (streamed) return streamed.name;
  // Before the wire formats: a Ghost export is JSON too.
  const site = SITE_FORMATS.find((format) => format.detect(text));
  if (site) return site.name;
  const wire = WIRE_FORMATS.find((format) => format.detect(text));
  if (wire) return wire.name;
  if (FORMATS.some((format) => format.detect(text))) return 'bundle';
  throw unknownFormat(fileName);
}

function unknownFormat(fileName: string): DomainError {
  const expected = [...FORMATS, ...STREAMED_FORMATS, ...SITE_FORMATS, ...WIRE_FORMATS]
    .map((candidate) => `${candidate.name}: ${candidate.description}`)
    .join('; ');
  return new DomainError(
    'unknown_format',
    `${fileName}: not a format Masthead can import. Expected one of: ${expected}`,
  );
}

/**
 * Recognises the file's format from its content (or takes `formatName`) and
 * parses it. A file in no known format fails naming the file and the formats expected.
 */
export function parseImportFile(
  bytes: Uint8Array,
  fileName: string,
  formatName?: string,
): ImportBundle {
  if (formatName !== undefined) {
    const format = FORMATS.find((candidate) => candidate.name === formatName);
    if (!format) {
      throw new DomainError(
        'invalid_input',
        `unknown format "${formatName}"; known formats: ${importFormatNames().join(', ')}`,
        'format',
      );
    }
    return format.parse(bytes, fileName);
  }
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, DETECTION_WINDOW));
  const format = FORMATS.find((candidate) => candidate.detect(head));
  if (!format) throw unknownFormat(fileName);
  return format.parse(bytes, fileName);
}

import { type CreditChain, parseCreditLine } from './credit.js';

/**
 * What a photo's embedded IPTC IIM and XMP say about it, mapped to Masthead's
 * fields. Pure: it takes what the metadata reader found (exifr's output with
 * `mergeOutput: false`) and returns plain values; the reading is done in store/.
 */
export type PhotoMetadata = {
  creator: string;
  creditLine: string;
  source: string;
  copyright: string;
  caption: string;
  alt: string;
  /** IPTC digital source type, e.g. ".../digitalsourcetype/trainedAlgorithmicMedia" (AI-generated). */
  digitalSourceType: string;
  keywords: string[];
};

type Raw = Record<string, unknown>;

function group(raw: Raw, name: string): Raw {
  const value = raw[name];
  return typeof value === 'object' && value !== null ? (value as Raw) : {};
}

/** XMP language alternatives come as { lang, value } (or a list of them); IIM fields as strings. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join(', ');
  if (typeof value === 'object' && value !== null && 'value' in value)
    return textOf((value as Raw).value);
  return '';
}

/**
 * IPTC IIM text is decoded as Latin-1 by the reader even when the file says
 * UTF-8 (almost every file today). Text that re-decodes as valid UTF-8 was
 * UTF-8 all along: "Ð¡ÑÑÐ¾ÐµÐ²" becomes "Сысоев". Plain ASCII is unchanged.
 * A field cut at its byte limit inside a character loses that broken
 * character, so long as the rest is UTF-8 that is not plain ASCII.
 */
export function repairIptcText(text: string): string {
  const codes = Array.from(text, (char) => char.codePointAt(0) ?? 0);
  // Only text made purely of byte-sized characters, some of them above ASCII, can be mis-decoded UTF-8.
  if (!codes.some((code) => code >= 0x80) || codes.some((code) => code > 0xff)) return text;
  const bytes = Uint8Array.from(codes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Streaming holds back an unfinished last character instead of refusing it.
  }
  try {
    const whole = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    // Latin-1 text ending in "ë" also looks like a cut character: only text
    // that is UTF-8 beyond ASCII before the cut is taken for UTF-8.
    return Array.from(whole).some((char) => (char.codePointAt(0) ?? 0) >= 0x80) ? whole : text;
  } catch {
    return text;
  }
}

/**
 * XMP is XML, and the metadata reader hands its text over still escaped
 * ("&lt;img …&gt;", "Fish &amp; chips"). XML has five named entities and
 * numeric references; each is decoded once, so "&amp;lt;" stays "&lt;".
 */
export function decodeXmlEntities(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(
    /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi,
    (entity, name, decimal, hex) => {
      if (typeof name === 'string') return named[name.toLowerCase()] ?? entity;
      const code = typeof decimal === 'string' ? Number(decimal) : Number.parseInt(String(hex), 16);
      const isCharacter =
        (code >= 0x20 || code === 0x9 || code === 0xa || code === 0xd) &&
        code <= 0x10ffff &&
        (code < 0xd800 || code > 0xdfff);
      return isCharacter ? String.fromCodePoint(code) : entity;
    },
  );
}

/** XMP text, unescaped. */
function xmp(value: unknown): string {
  return decodeXmlEntities(textOf(value)).trim();
}

// The IIM Credit field holds at most 32 bytes (IPTC IIM 4.2, dataset 2:110).
const IIM_CREDIT_BYTES = 32;

/** IIM text as the bytes it was stored as (the reader decodes them as Latin-1). */
function iimBytes(text: string): Uint8Array {
  const codes = Array.from(text, (char) => char.codePointAt(0) ?? 0);
  return codes.every((code) => code <= 0xff)
    ? Uint8Array.from(codes)
    : new TextEncoder().encode(text);
}

/**
 * True when an IIM value is the start of the XMP value, cut at the IIM
 * field's byte limit: "EPA / Grigory Sysoev / Sputnik /" of "EPA / Grigory
 * Sysoev / Sputnik / Kremlin". A cut inside a character drops it (see
 * repairIptcText), or, written by exiftool, leaves a "." for each of its bytes.
 */
export function isCutOffPrefix(iimText: string, xmpText: string, limit: number): boolean {
  const size = iimBytes(iimText).length;
  // Only a value that fills its field, up to one character short, was cut: a
  // short "AP" is not the start of "APA / Jane Doe".
  if (size < limit - 3 || size > limit) return false;
  const text = repairIptcText(iimText);
  if (xmpText.length > text.length && xmpText.startsWith(text)) return true;
  const stem = text.replace(/\.{1,3}$/, '');
  return (
    stem !== text && xmpText.startsWith(stem) && (xmpText.codePointAt(stem.length) ?? 0) >= 0x80
  );
}

function iim(raw: Raw, field: string): string {
  return repairIptcText(textOf(group(raw, 'iptc')[field]));
}

/**
 * The credit line: IIM first, as agencies fill it with the chain they print
 * (XMP often holds a shorter form); but an IIM line cut at its 32 bytes gives
 * way to the whole XMP one.
 */
function creditLineFrom(raw: Raw): string {
  const iimRaw = textOf(group(raw, 'iptc').Credit);
  const whole = xmp(group(raw, 'photoshop').Credit);
  if (iimRaw === '') return whole;
  return isCutOffPrefix(iimRaw, whole, IIM_CREDIT_BYTES) ? whole : repairIptcText(iimRaw);
}

/** Maps the metadata reader's output to Masthead's fields: XMP first, IIM as the fallback. */
export function photoMetadataFrom(raw: Raw): PhotoMetadata {
  const dc = group(raw, 'dc');
  const photoshop = group(raw, 'photoshop');
  const core = group(raw, 'Iptc4xmpCore');
  const ext = group(raw, 'Iptc4xmpExt');
  const first = (...values: string[]) => values.find((value) => value !== '') ?? '';
  const iimKeywords = group(raw, 'iptc').Keywords;
  // One keyword comes as a plain value, several as a list.
  const keywords =
    dc.subject !== undefined
      ? [dc.subject].flat().map(xmp)
      : [iimKeywords].flat().map((keyword) => repairIptcText(textOf(keyword)));
  return {
    creator: first(xmp(dc.creator), iim(raw, 'Byline')),
    creditLine: creditLineFrom(raw),
    source: first(xmp(photoshop.Source), iim(raw, 'Source')),
    copyright: first(xmp(dc.rights), iim(raw, 'CopyrightNotice')),
    caption: first(xmp(dc.description), iim(raw, 'Caption')),
    alt: xmp(core.AltTextAccessibility),
    digitalSourceType: xmp(ext.DigitalSourceType),
    keywords: keywords.filter((keyword) => keyword !== ''),
  };
}

/**
 * The credit chain a photo's metadata implies: the credit line's parts in
 * order ("EPA / Sputnik / Kremlin"), with the photographer after the first
 * agency when the line does not already name them.
 */
export function creditChainFrom(
  metadata: Pick<PhotoMetadata, 'creator' | 'creditLine'>,
): CreditChain {
  const chain = parseCreditLine(metadata.creditLine);
  const creator = metadata.creator.trim();
  if (creator === '' || chain.some((part) => part.name.toLowerCase() === creator.toLowerCase()))
    return chain;
  const photographer = { name: creator, role: 'photographer' as const };
  return chain.length === 0
    ? [photographer]
    : [chain[0] as CreditChain[number], photographer, ...chain.slice(1)];
}

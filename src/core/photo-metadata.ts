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
 */
export function repairIptcText(text: string): string {
  const codes = Array.from(text, (char) => char.codePointAt(0) ?? 0);
  // Only text made purely of byte-sized characters, some of them above ASCII, can be mis-decoded UTF-8.
  if (!codes.some((code) => code >= 0x80) || codes.some((code) => code > 0xff)) return text;
  const bytes = Uint8Array.from(codes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return text;
  }
}

function iim(raw: Raw, field: string): string {
  return repairIptcText(textOf(group(raw, 'iptc')[field]));
}

/** Maps the metadata reader's output to Masthead's fields: XMP first, IIM as the fallback. */
export function photoMetadataFrom(raw: Raw): PhotoMetadata {
  const dc = group(raw, 'dc');
  const photoshop = group(raw, 'photoshop');
  const core = group(raw, 'Iptc4xmpCore');
  const ext = group(raw, 'Iptc4xmpExt');
  const first = (...values: string[]) => values.find((value) => value !== '') ?? '';
  const iimKeywords = group(raw, 'iptc').Keywords;
  const keywordList = Array.isArray(dc.subject)
    ? dc.subject
    : Array.isArray(iimKeywords)
      ? iimKeywords
      : [iimKeywords];
  return {
    creator: first(textOf(dc.creator), iim(raw, 'Byline')),
    creditLine: first(iim(raw, 'Credit'), textOf(photoshop.Credit)),
    source: first(textOf(photoshop.Source), iim(raw, 'Source')),
    copyright: first(textOf(dc.rights), iim(raw, 'CopyrightNotice')),
    caption: first(textOf(dc.description), iim(raw, 'Caption')),
    alt: textOf(core.AltTextAccessibility),
    digitalSourceType: textOf(ext.DigitalSourceType),
    keywords: keywordList
      .map((keyword) => repairIptcText(textOf(keyword)))
      .filter((keyword) => keyword !== ''),
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

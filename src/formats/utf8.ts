import { DomainError } from '../core/errors.js';

/**
 * Decodes UTF-8 strictly. Invalid input fails with the byte offset and line of
 * the first bad sequence, so the user can find it in an editor.
 */
export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    throw new DomainError(
      'invalid_encoding',
      `${fileName}: line ${line}: not valid UTF-8 (bad byte 0x${(bytes[offset] ?? 0).toString(16)} at offset ${offset})`,
    );
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    let length = 0;
    let min = 0;
    if (lead < 0x80) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
    else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
    else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let codePoint = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k] ?? 0;
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

/** The encoding an XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`), if any. */
export function declaredXmlEncoding(bytes: Uint8Array): string | null {
  // The declaration is ASCII in every encoding a declaration can name here, so
  // reading the first bytes as Latin-1 finds it without knowing the encoding.
  const head = new TextDecoder('latin1')
    .decode(bytes.subarray(0, 256))
    .replace(/^\u00EF\u00BB\u00BF/, '');
  const declaration = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/.exec(head);
  return declaration ? (declaration[2] ?? '').trim() : null;
}

/**
 * Decodes a file in the encoding its XML declaration names: strictly as UTF-8
 * when it names UTF-8 or nothing (what XML assumes), else with Node's WHATWG
 * decoders, which know ISO-8859-1 (read as windows-1252, as browsers do),
 * windows-125x, ISO-8859-x, Shift_JIS, GB18030 and the rest. A label no
 * decoder knows fails naming the file and the label, rather than guessing.
 */
export function decodeDeclared(bytes: Uint8Array, fileName: string): string {
  const label = declaredXmlEncoding(bytes);
  if (label === null) return decodeUtf8(bytes, fileName);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new DomainError(
      'invalid_encoding',
      `${fileName}: unknown encoding "${label}" in the XML declaration`,
    );
  }
  if (decoder.encoding === 'utf-8') return decodeUtf8(bytes, fileName);
  try {
    const text = decoder.decode(bytes).replace(/^\uFEFF/, '');
    return decoder.encoding === 'windows-1252' ? windows1252Controls(text) : text;
  } catch {
    throw new DomainError(
      'invalid_encoding',
      `${fileName}: not valid ${label} (the encoding its XML declaration names)`,
    );
  }
}

// windows-1252's printable characters at 0x80–0x9F (curly quotes, dashes, €),
// where ISO-8859-1 has C1 control codes; 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned.
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Node 20's decoder reads windows-1252 (and so ISO-8859-1, which WHATWG maps
 * to it) as true ISO-8859-1, leaving 0x80–0x9F as control codes (fixed in
 * Node 23). Agencies mean windows-1252 there: their quotes and dashes.
 */
function windows1252Controls(text: string): string {
  return text.replace(/[\u0080-\u009F]/g, (char) =>
    WINDOWS_1252_HIGH.charAt(char.charCodeAt(0) - 0x80),
  );
}

// Small readers of codes that come from outside: percent-encoded URL parts
// and language tags. Pure, and shared by every importer.

/** `text` percent-decoded, or as it is when its escapes are broken ("%E0%A4%A"). */
export function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The primary subtag of a language tag ("en-US" → "en", "ru_RU" → "ru"), else `fallback`. */
export function primaryLanguage(tag: string | null, fallback = 'en'): string {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : fallback;
}

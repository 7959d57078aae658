// Slugs are ASCII so that URLs survive copy-paste through every messenger and
// mail client; Cyrillic is transliterated (a simplified BGN/PCGN scheme, close to
// what Russian newsrooms use in their own URLs).
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
};

const MAX_SLUG_LENGTH = 120;

/** Turns a title into a URL slug: lower-case ASCII words joined by hyphens. */
export function slugify(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  for (const char of lower) out += CYRILLIC[char] ?? char;
  const words = out
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // Apostrophes join a word rather than split it: "country’s" → "countrys".
    .replace(/['’ʼ`]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > MAX_SLUG_LENGTH) break;
    slug = next;
  }
  return slug;
}

/** The slug of an article whose headline gives none (empty, or all punctuation). */
export const UNTITLED_SLUG = 'article';

/**
 * True when `slug` was made from `title` (with the "-2", "-3" a taken slug
 * gets), not chosen by hand: such a slug may follow a new headline.
 */
export function isSlugOfTitle(slug: string, title: string): boolean {
  const base = slugify(title) || UNTITLED_SLUG;
  return slug === base || new RegExp(`^${base}-\\d+$`).test(slug);
}

/** True when `slug` is a valid path segment as `slugify` produces them. */
export function isSlug(slug: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) && slug.length <= MAX_SLUG_LENGTH;
}

import { formatCreditChain } from '../core/credit.js';
import type { Media } from '../core/types.js';
import type { Teaser } from '../core/views.js';
import { en, type UiTextKey } from './languages/en.js';
import type { PluralForms, UiLanguagePack } from './languages/pack.js';
import { ru } from './languages/ru.js';

// The reader pages' interface languages, one file each under languages/.
// Content in a language the interface does not speak gets English furniture.

export type UiText = Readonly<Record<UiTextKey, string>>;
export type UiLanguage = UiLanguagePack<UiTextKey>;

const PACKS = new Map<string, UiLanguage>([
  [en.code, en],
  [ru.code, ru],
]);

/**
 * Adds an interface language (a pack like languages/ru.ts). Masthead's own
 * languages are listed above; this is for a test that shows a right-to-left
 * pack mirrors the page, and for a deployment that adds its own file.
 */
export function addUiLanguage(pack: UiLanguage): void {
  PACKS.set(pack.code, pack);
}

function packOf(language: string): UiLanguage {
  return PACKS.get(language) ?? en;
}

/** The interface language for content in `language`: itself when it has a pack, else English. */
export function uiLanguage(language: string): string {
  return packOf(language).code;
}

/** Interface text for content in `language`. */
export function uiText(language: string): UiText {
  return packOf(language).text;
}

/** Scripts written right to left, by language: their pages are mirrored even without an interface pack. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb', 'sd', 'ug']);

/** Which way a page in `language` reads: "rtl" mirrors it (its pack says, else its script). */
export function uiDirection(language: string): 'ltr' | 'rtl' {
  const pack = PACKS.get(language);
  if (pack) return pack.dir;
  return RIGHT_TO_LEFT.has(language.split('-')[0]?.toLowerCase() ?? '') ? 'rtl' : 'ltr';
}

/** The locale whose conventions (dates, plural forms) the interface in `language` follows. */
export function localeOf(language: string): string {
  return packOf(language).locale;
}

/** "5 статей": `forms` for `count`, chosen by the language's plural rules. */
function plural(forms: PluralForms, count: number, language: string): string {
  const form = forms[new Intl.PluralRules(localeOf(language)).select(count)] ?? forms.other;
  return form.replace('{count}', new Intl.NumberFormat(localeOf(language)).format(count));
}

/** "1 article", "2 статьи", "5 статей". */
export function articleCountText(count: number, language: string): string {
  return plural(packOf(language).plurals.articleCount, count, language);
}

/** "3 photos", "5 фотографий": how many photos a gallery holds. */
export function photoCountText(count: number, language: string): string {
  return plural(packOf(language).plurals.photoCount ?? en.plurals.photoCount, count, language);
}

/** The counts a language pack words in each plural form. */
export type PluralKey = keyof UiLanguage['plurals'];

/**
 * A count's forms in `language` and the locale whose plural rules choose
 * between them, for counting in the browser (the live page's button, a
 * mirror's search); a form the pack leaves out is counted in English.
 */
export function pluralForms(
  key: PluralKey,
  language: string,
): { locale: string; forms: PluralForms } {
  const pack = packOf(language);
  const forms = pack.plurals[key];
  return forms ? { locale: pack.locale, forms } : { locale: en.locale, forms: en.plurals[key] };
}

/** The search count's forms and the locale that chooses between them, for a mirror's in-browser search. */
export function searchCountForms(language: string): { locale: string; forms: PluralForms } {
  return pluralForms('searchCount', language);
}

/** "1 article found", "5 articles found", "Найдена 21 статья": how many articles a search found, in `language`. */
export function searchCountText(count: number, language: string): string {
  return plural(packOf(language).plurals.searchCount, count, language);
}

/** A publication date as readers of `language` write it: "24 November 2026". */

export function formatDate(iso: string, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(new Date(iso));
}

/** A date with the time of day and its zone ("4 December 2026, 14:30 CET"), for deadlines. */
export function formatDateTime(iso: string, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(new Date(iso));
}

/** The heading of a correction note of `type`, in the page's language. */
export function correctionLabel(type: string, language: string): string {
  const text = uiText(language);
  if (type === 'clarification') return text.clarification;
  if (type === 'retraction') return text.retraction;
  return text.correction;
}

export type TeaserLabelKind = NonNullable<Teaser['label']>;

/** Which interface text names each label: a label added to the type without its words fails to compile. */
const LABEL_TEXT = {
  opinion: 'labelOpinion',
  analysis: 'labelAnalysis',
  live: 'labelLive',
} as const satisfies Record<TeaserLabelKind, keyof UiText>;

/** The kicker above a headline ("Opinion", "Мнение"), in `language`. */
export function labelText(label: TeaserLabelKind, language: string): string {
  return uiText(language)[LABEL_TEXT[label]];
}

/** A language's own name for itself ("Русский"), for language switches; the code when it has no pack. */
export function languageName(language: string): string {
  return PACKS.get(language)?.name ?? language;
}

/** "Photo: EPA / Grigory Sysoev / Sputnik / Kremlin" in `language`, or null when the photo has no credit. */
export function creditLine(media: Pick<Media, 'credit'>, language: string): string | null {
  return media.credit.length > 0
    ? `${uiText(language).photo}: ${formatCreditChain(media.credit)}`
    : null;
}

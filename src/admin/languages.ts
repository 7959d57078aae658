import { LANGUAGES, type Language } from '../core/types.js';

/** The languages the site is written in, by name, for the app's lists. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Russian' };

/** A language's name, or its code for one the app has no name for. */
export function languageName(code: string): string {
  return (LANGUAGES as readonly string[]).includes(code) ? LANGUAGE_NAMES[code as Language] : code;
}

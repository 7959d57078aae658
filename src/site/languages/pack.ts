/**
 * Words in each of a language's plural forms, by Intl.PluralRules category
 * ("{count}" is replaced): English has one and other; Russian one, few, many
 * and other; Arabic all six.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * One interface language of the reader pages, in one file (languages/en.ts,
 * languages/ru.ts): its text, its conventions and its direction. `Key` is
 * the set of text keys (English's), so a language missing one fails to compile.
 */
export type UiLanguagePack<Key extends string> = {
  /** BCP 47 code, as articles are tagged ("ru"). */
  code: string;
  /** Its own name for itself, for language switches. */
  name: string;
  /** The locale whose dates and plural rules it follows ("ru-RU"). */
  locale: string;
  /** Right-to-left languages (Arabic, Persian, Hebrew) mirror the page. */
  dir: 'ltr' | 'rtl';
  text: Readonly<Record<Key, string>>;
  plurals: {
    searchCount: PluralForms;
    articleCount: PluralForms;
    /** "3 photos" in a gallery; a pack without it counts in English. */
    photoCount?: PluralForms;
    /** The live page's button: "Show 3 new updates". */
    newUpdates: PluralForms;
  };
};

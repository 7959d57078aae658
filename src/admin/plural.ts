// Counts in the app's words ("1 article", "2 articles"). The app speaks
// English, so English plural rules decide the form, whatever the browser's language.

const englishPlurals = new Intl.PluralRules('en');
const englishNumbers = new Intl.NumberFormat('en');

/** A noun's forms by plural category; `other` is the one every language has. */
export type NounForms = { one: string; other: string };

/** The noun form that goes with `count`: "article" for 1, "articles" for 0 or 2. */
export function nounFor(count: number, forms: NounForms): string {
  return englishPlurals.select(count) === 'one' ? forms.one : forms.other;
}

/** A count with its noun, e.g. "1 article", "1,204 articles". */
export function countOf(count: number, forms: NounForms): string {
  return `${englishNumbers.format(count)} ${nounFor(count, forms)}`;
}

/** A number as the app writes it, with thousands separated: "1,204". */
export function formatCount(count: number): string {
  return englishNumbers.format(count);
}

import type { UiLanguage } from '../src/site/i18n.js';
import { en } from '../src/site/languages/en.js';

/**
 * An Arabic interface pack, as a deployment would add one (one file like
 * src/site/languages/ru.ts): only a few words are translated — the rest is
 * English — enough to show that a right-to-left pack mirrors the page.
 */
export const arabic: UiLanguage = {
  code: 'ar',
  name: 'العربية',
  locale: 'ar',
  dir: 'rtl',
  text: {
    ...en.text,
    skipToContent: 'انتقل إلى المحتوى',
    sections: 'الأقسام',
    search: 'بحث',
    by: 'بقلم',
    corrections: 'التصحيحات',
  },
  // Arabic has all six plural forms.
  plurals: {
    searchCount: { zero: 'لم يُعثر على مقالات', other: 'عُثر على {count} مقالة' },
    articleCount: {
      zero: 'لا مقالات',
      one: 'مقالة واحدة',
      two: 'مقالتان',
      few: '{count} مقالات',
      many: '{count} مقالة',
      other: '{count} مقالة',
    },
    newUpdates: {
      zero: 'لا تحديثات جديدة',
      one: 'تحديث جديد واحد',
      two: 'تحديثان جديدان',
      few: '{count} تحديثات جديدة',
      many: '{count} تحديثًا جديدًا',
      other: '{count} تحديث جديد',
    },
  },
};

import { formatCreditChain } from '../core/credit.js';
import type { Language, Media } from '../core/types.js';

/** Interface text for reader pages, in every language Masthead ships. */
const STRINGS = {
  en: {
    skipToContent: 'Skip to content',
    sections: 'Sections',
    breadcrumb: 'Breadcrumb',
    home: 'Home',
    by: 'By',
    photo: 'Photo',
    published: 'Published',
    share: 'Share this article',
    shareOn: 'Share on',
    email: 'E-mail',
    copyLink: 'Copy link',
    linkCopied: 'Link copied',
    shareVia: 'Share…',
    print: 'Print',
    articleUrl: 'This article',
    sources: 'Sources',
    topics: 'Topics',
    subsections: 'In this section',
    latest: 'Latest',
    noArticles: 'Nothing has been published here yet.',
    notFoundTitle: 'Page not found',
    notFoundText:
      'There is nothing at this address. The article may have moved, or the link may be mistyped.',
    notFoundSuggestions: 'You can start again from the home page or one of the sections:',
    masthead: 'Masthead',
    staff: 'Staff',
    footer: 'Site information',
    corrections: 'Corrections',
    correctionsIntro:
      'When we get something wrong, we say so. Every correction, clarification and retraction we have published, newest first.',
    noCorrections: 'No corrections have been published.',
    correction: 'Correction',
    clarification: 'Clarification',
    retraction: 'Retraction',
    search: 'Search',
    searchLabel: 'Search articles',
    searchResults: 'Search results',
    searchResultsFor: 'Results for',
    searchNothing: 'No published article matches. Try fewer or other words.',
    searchEmpty: 'Type a few words to search the articles.',
    previewNotice:
      'Preview. This article is not public: you see the latest version the newsroom saved.',
    previewExpires: 'This link stops working on',
    previewClosedTitle: 'This preview is no longer open',
    previewClosedText:
      'The link has expired or the newsroom closed it. Ask whoever sent it to you for a new one.',
    mirrorNotice:
      'You are reading a copy of this site kept elsewhere, in case the main address is blocked.',
    mirrorList: 'Where else to read us',
    mirrorSearchNote: 'Search on this copy runs in your browser and matches whole words.',
    mirrorSearchNeedsScript: 'Searching this copy needs JavaScript.',
    mirrorsIntro:
      'If our address is blocked where you are, these copies of the site carry the same articles. Every copy is signed by the newsroom.',
    mirrorsMain: 'our own address',
    telegramRead: 'Read on the site',
    telegramMirrors: 'If the site is blocked',
    newsletters: 'Newsletters',
    newslettersIntro:
      'Our stories by e-mail: it reaches you even where the site is blocked. We ask you to confirm your address first, never share it, and every e-mail has a link to leave at once.',
    newsletterEmail: 'Your e-mail address',
    newsletterChoose: 'Which newsletters',
    newsletterSubscribe: 'Subscribe',
    newsletterClosed: 'Sign-up is not open yet.',
    newsletterNone: 'There are no newsletters yet.',
    newsletterSentTitle: 'Check your inbox',
    newsletterSent:
      'If the address can receive our e-mail, a message is on its way to it: open its link to confirm. Nothing is sent to you until then.',
    newsletterConfirmTitle: 'Confirm your subscription',
    newsletterConfirmButton: 'Confirm',
    newsletterConfirmed: 'You are subscribed to:',
    newsletterUnsubscribeTitle: 'Unsubscribe',
    newsletterUnsubscribeButton: 'Unsubscribe',
    newsletterUnsubscribed:
      'You are unsubscribed: we will send you nothing more from this newsletter.',
    newsletterProblem: 'That did not work',
    updated: 'Updated',
    readingTime: '{minutes} min read',
    newsletterSignUpTitle: 'Get our stories by e-mail',
    newsletterSignUpText: 'E-mail reaches you even where the site is blocked.',
    newsletterPreferencesTitle: 'Your newsletters',
    newsletterPreferencesLink: 'Choose which newsletters you get',
    newsletterPreferencesIntro: 'The newsletters sent to {address}: tick those you want.',
    newsletterPreferencesSave: 'Save',
    newsletterPreferencesSaved: 'Saved.',
    newsletterBadEmail: 'That is not an e-mail address: check it and try again.',
    newsletterPickOne: 'Choose at least one newsletter.',
    newsletterSlowDown: 'Too many sign-ups from here just now: try again in a few minutes.',
    mirrorsOnion: 'Tor onion service',
    mirrorsCheckTitle: 'Check that a copy is genuine',
    mirrorsCheck:
      'Every copy holds a list of its files signed with this key. A copy whose files do not match the signed list has been altered.',
    mirrorsMachine: 'For programs and feed readers:',
    mirrorsFeed: 'feed of addresses',
    searchTooLong: 'Only the first 200 characters of your search were used.',
    searchTooManyWords: 'Only the first 12 words of your search were used.',
    searchUnbalanced: 'A quotation mark had no partner, so it was ignored.',
    previousPage: 'Previous page',
    nextPage: 'Next page',
    pageOf: 'Page',
    pagination: 'Pages of results',
    readIn: 'Read in',
    otherLanguages: 'This article in other languages',
    allLanguages: 'All languages',
    languageFilter: 'Languages',
    topic: 'Topic',
    feeds: 'Follow',
    author: 'Author',
  },
  ru: {
    skipToContent: 'Перейти к содержанию',
    sections: 'Разделы',
    breadcrumb: 'Навигационная цепочка',
    home: 'Главная',
    by: 'Автор:',
    photo: 'Фото',
    published: 'Опубликовано',
    share: 'Поделиться статьёй',
    shareOn: 'Поделиться в',
    email: 'Почта',
    copyLink: 'Скопировать ссылку',
    linkCopied: 'Ссылка скопирована',
    shareVia: 'Поделиться…',
    print: 'Печать',
    articleUrl: 'Адрес статьи',
    sources: 'Источники',
    topics: 'Темы',
    subsections: 'Подразделы',
    latest: 'Последние материалы',
    noArticles: 'Здесь пока ничего не опубликовано.',
    notFoundTitle: 'Страница не найдена',
    notFoundText: 'По этому адресу ничего нет. Возможно, материал переехал или в ссылке опечатка.',
    notFoundSuggestions: 'Начните с главной страницы или с одного из разделов:',
    masthead: 'Редакция',
    staff: 'Сотрудники',
    footer: 'Информация о сайте',
    corrections: 'Исправления',
    correctionsIntro:
      'Когда мы ошибаемся, мы говорим об этом. Все опубликованные исправления, уточнения и отзывы материалов, начиная с последних.',
    noCorrections: 'Исправлений пока не было.',
    correction: 'Исправление',
    clarification: 'Уточнение',
    retraction: 'Материал отозван',
    search: 'Найти',
    searchLabel: 'Поиск по статьям',
    searchResults: 'Результаты поиска',
    searchResultsFor: 'Результаты по запросу',
    searchNothing:
      'Среди опубликованных статей ничего не нашлось. Попробуйте другие или меньше слов.',
    searchEmpty: 'Введите несколько слов, чтобы найти статьи.',
    previewNotice:
      'Предпросмотр. Статья не опубликована: здесь последняя версия, сохранённая редакцией.',
    previewExpires: 'Ссылка перестанет работать',
    previewClosedTitle: 'Этот предпросмотр больше не открывается',
    previewClosedText:
      'Срок ссылки истёк, или редакция её закрыла. Попросите у того, кто её прислал, новую.',
    mirrorNotice:
      'Вы читаете копию сайта, размещённую в другом месте на случай блокировки основного адреса.',
    mirrorList: 'Где ещё нас читать',
    mirrorSearchNote: 'Поиск по этой копии работает в вашем браузере и ищет целые слова.',
    mirrorSearchNeedsScript: 'Для поиска по этой копии нужен JavaScript.',
    mirrorsIntro:
      'Если наш адрес у вас заблокирован, эти копии сайта содержат те же статьи. Каждая копия подписана редакцией.',
    mirrorsMain: 'наш собственный адрес',
    telegramRead: 'Читать на сайте',
    telegramMirrors: 'Если сайт заблокирован',
    newsletters: 'Рассылки',
    newslettersIntro:
      'Наши материалы по электронной почте: они дойдут, даже если сайт заблокирован. Сначала мы попросим подтвердить адрес, никому его не передаём, а в каждом письме есть ссылка, чтобы сразу отписаться.',
    newsletterEmail: 'Ваш адрес электронной почты',
    newsletterChoose: 'Какие рассылки',
    newsletterSubscribe: 'Подписаться',
    newsletterClosed: 'Подписка пока не открыта.',
    newsletterNone: 'Рассылок пока нет.',
    newsletterSentTitle: 'Проверьте почту',
    newsletterSent:
      'Если на этот адрес можно написать, письмо уже в пути: откройте ссылку в нём, чтобы подтвердить подписку. До этого мы ничего не пришлём.',
    newsletterConfirmTitle: 'Подтвердите подписку',
    newsletterConfirmButton: 'Подтвердить',
    newsletterConfirmed: 'Вы подписаны на:',
    newsletterUnsubscribeTitle: 'Отписаться',
    newsletterUnsubscribeButton: 'Отписаться',
    newsletterUnsubscribed: 'Вы отписались: больше мы ничего не пришлём из этой рассылки.',
    newsletterProblem: 'Не получилось',
    updated: 'Обновлено',
    readingTime: '{minutes} мин чтения',
    newsletterSignUpTitle: 'Наши материалы по почте',
    newsletterSignUpText: 'Письма доходят, даже если сайт заблокирован.',
    newsletterPreferencesTitle: 'Ваши рассылки',
    newsletterPreferencesLink: 'Выбрать, какие рассылки получать',
    newsletterPreferencesIntro: 'Рассылки на адрес {address}: отметьте те, что хотите получать.',
    newsletterPreferencesSave: 'Сохранить',
    newsletterPreferencesSaved: 'Сохранено.',
    newsletterBadEmail: 'Это не адрес электронной почты: проверьте его и попробуйте ещё раз.',
    newsletterPickOne: 'Выберите хотя бы одну рассылку.',
    newsletterSlowDown: 'Слишком много подписок отсюда: попробуйте через несколько минут.',
    mirrorsOnion: 'сервис Tor (onion)',
    mirrorsCheckTitle: 'Как проверить, что копия подлинная',
    mirrorsCheck:
      'В каждой копии есть список её файлов, подписанный этим ключом. Копия, файлы которой не совпадают с подписанным списком, изменена.',
    mirrorsMachine: 'Для программ и читалок лент:',
    mirrorsFeed: 'лента адресов',
    searchTooLong: 'Учтены только первые 200 символов запроса.',
    searchTooManyWords: 'Учтены только первые 12 слов запроса.',
    searchUnbalanced: 'Непарная кавычка не учитывалась.',
    previousPage: 'Предыдущая страница',
    nextPage: 'Следующая страница',
    pageOf: 'Страница',
    pagination: 'Страницы результатов',
    readIn: 'Читать на языке:',
    otherLanguages: 'Эта статья на других языках',
    allLanguages: 'Все языки',
    languageFilter: 'Языки',
    topic: 'Тема',
    feeds: 'Подписаться',
    author: 'Автор',
  },
} as const satisfies Record<Language, Record<string, string>>;

export type UiText = { readonly [K in keyof (typeof STRINGS)['en']]: string };

/** The interface language for content in `language`: itself when shipped, else English. */
export function uiLanguage(language: string): Language {
  return language === 'ru' ? 'ru' : 'en';
}

/** Interface text for content in `language`. */
export function uiText(language: string): UiText {
  return STRINGS[uiLanguage(language)];
}

/** The locale whose conventions (dates, plural forms) the interface in `language` follows. */
function localeOf(language: string): string {
  return uiLanguage(language) === 'ru' ? 'ru-RU' : 'en-GB';
}

/**
 * "{count} articles found" in each of a language's plural forms, by
 * Intl.PluralRules category: English has one and other; Russian one (1, 21),
 * few (2–4, 22), many (5–20, 25) and other (fractions).
 */
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const SEARCH_COUNT: Record<Language, PluralForms> = {
  en: { one: '{count} article found', other: '{count} articles found' },
  ru: {
    one: 'Найдена {count} статья',
    few: 'Найдено {count} статьи',
    many: 'Найдено {count} статей',
    other: 'Найдено {count} статьи',
  },
};

/** The search count's forms and the locale that chooses between them, for a mirror's in-browser search. */
export function searchCountForms(language: string): { locale: string; forms: PluralForms } {
  return { locale: localeOf(language), forms: SEARCH_COUNT[uiLanguage(language)] };
}

/** "1 article found", "5 articles found", "Найдена 21 статья": how many articles a search found, in `language`. */
export function searchCountText(count: number, language: string): string {
  const { locale, forms } = searchCountForms(language);
  const form = forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;
  return form.replace('{count}', String(count));
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

/** Each language's own name for itself, for language switches. */
export const LANGUAGE_NAMES: Record<string, string> = { en: 'English', ru: 'Русский' };

/** "Photo: EPA / Grigory Sysoev / Sputnik / Kremlin" in `language`, or null when the photo has no credit. */
export function creditLine(media: Pick<Media, 'credit'>, language: string): string | null {
  return media.credit.length > 0
    ? `${uiText(language).photo}: ${formatCreditChain(media.credit)}`
    : null;
}

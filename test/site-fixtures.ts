import { NO_CONTACTS } from '../src/core/contacts.js';
import { docFromParagraphs, quote } from '../src/core/document.js';
import type { Article, Media, Person, Section } from '../src/core/types.js';
import type { ArticleView, SiteChrome } from '../src/core/views.js';
import type { AssetUrls } from '../src/site/assets.js';

// Views for rendering tests: plain data, as the newsroom's read use cases return it.

export const assets: AssetUrls = {
  stylesheet: '/assets/site.test.css',
  printStylesheet: '/assets/print.test.css',
  script: '/assets/site.test.js',
  mirrorSearchScript: '/assets/mirror-search.test.js',
  icon: '/assets/icon.test.svg',
};

export const news: Section = {
  id: 1,
  parentId: null,
  slug: 'news',
  path: 'news',
  name: 'News',
  names: { ru: 'Новости' },
  position: 0,
};
export const politics: Section = {
  id: 2,
  parentId: 1,
  slug: 'politics',
  path: 'news/politics',
  name: 'Politics',
  names: {},
  position: 0,
};

export const editor: Person = {
  id: 1,
  name: 'Mira Castell',
  slug: 'mira-castell',
  bio: '',
  mastheadRole: 'editor-in-chief',
  mastheadTitle: 'Editor in chief',
  mastheadPosition: 1,
  photoMediaId: null,
  contacts: NO_CONTACTS,
};

export const chrome: SiteChrome = {
  settings: {
    name: 'The Test Gazette',
    tagline: '',
    language: 'en',
    timeZone: 'UTC',
    names: {},
    taglines: {},
  },
  sections: [news],
  editorsInChief: [editor],
  mastheadUrl: '/masthead',
  footerPages: [
    { title: 'Terms of use', url: '/terms-of-use', language: 'en' },
    { title: 'Privacy policy', url: '/privacy-policy', language: 'en' },
  ],
  publicUrl: 'https://gazette.example',
  mirrors: [],
};

export const photo: Media = {
  id: 7,
  kind: 'image',
  file: null,
  width: null,
  height: null,
  alt: 'A hall at dusk.',
  caption: 'The hall on the evening of the vote.',
  credit: [
    { name: 'EPA', role: 'agency' },
    { name: 'Grigory Sysoev', role: 'photographer' },
    { name: 'Sputnik', role: 'distributor' },
    { name: 'Kremlin', role: 'pool' },
  ],
  isOwnPhoto: false,
  creator: '',
  source: '',
  copyright: '',
  digitalSourceType: '',
  keywords: [],
  focus: null,
};

export function articleView(
  overrides: Partial<Article> = {},
  lead: Media | null = photo,
): ArticleView {
  const article: Article = {
    id: 3,
    uuid: '00000000-0000-4000-8000-000000000003',
    slug: 'council-votes',
    sectionId: politics.id,
    language: 'en',
    status: 'published',
    title: 'Council votes <to> publish “every” contract',
    standfirst: 'A standfirst.',
    body: {
      type: 'doc',
      content: [
        ...docFromParagraphs(['First paragraph.', '“Quoted,” she said.']).content,
        quote(['We were told it was impossible.'], {
          speaker: 'Irena Vass',
          source: 'TASS',
          sourceUrl: 'https://tass.example/1',
        }),
      ],
    },
    leadMediaId: lead?.id ?? null,
    metaTitle: '',
    metaDescription: '',
    socialImageId: null,
    label: null,
    translationGroup: null,
    publishedAt: '2026-02-15T12:00:00.000Z',
    scheduledAt: null,
    updatedAt: '2026-02-15T12:00:00.000Z',
    version: 1,
    ...overrides,
  };
  return {
    article,
    url: '/news/politics/council-votes',
    trail: [news, politics],
    socialImage: null,
    bylines: [
      { person: { ...editor, id: 2, name: 'Ada Lindqvist', slug: 'ada-lindqvist' }, label: null },
    ],
    lead,
    sources: [{ name: 'Council minutes', url: null }],
    tags: [],
    corrections: [],
    bodyMedia: [],
    translations: [],
    related: [],
    modifiedAt: article.updatedAt,
    live: null,
  };
}

/** A desktop browser's user agent, as readers' browsers send one (a bare "Mozilla/5.0" is a program's). */
export const BROWSER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

import { Feed } from 'feed';
import { newestDate } from '../core/dates.js';
import { plainText } from '../core/document.js';
import { LIVE_STRUCTURED_ENTRIES, LIVE_UPDATE_ENTRIES, newestFirst } from '../core/live.js';
import { authorUrl } from '../core/section-path.js';
import type { ArticleView, SiteChrome } from '../core/views.js';
import { documentHtml } from './feeds.js';
import { uiText } from './i18n.js';
import { liveUrls } from './live-blog.js';

// Live coverage for machines: schema.org's LiveBlogPosting (what search
// engines read of a live page) and an Atom feed of the entries.

type JsonLd = Record<string, unknown>;

/**
 * What makes an article's JSON-LD a LiveBlogPosting (https://schema.org/LiveBlogPosting):
 * when coverage started and ended, and the newest entries as BlogPostings,
 * newest first. Null for an ordinary article.
 */
export function liveStructuredData(view: ArticleView, publicUrl: string): JsonLd | null {
  const { live, article } = view;
  if (!live) return null;
  const url = `${publicUrl}${view.url}`;
  const entries = newestFirst(live.entries);
  const data: JsonLd = {
    '@type': 'LiveBlogPosting',
    liveBlogUpdate: entries.slice(0, LIVE_STRUCTURED_ENTRIES).map((entry) => {
      const update: JsonLd = {
        '@type': 'BlogPosting',
        '@id': `${url}#entry-${entry.id}`,
        url: `${url}#entry-${entry.id}`,
        headline: entry.title || summary(plainText(entry.body)) || article.title,
        datePublished: entry.createdAt,
        dateModified: entry.updatedAt,
        articleBody: plainText(entry.body),
        inLanguage: article.language,
      };
      if (entry.author)
        update.author = {
          '@type': 'Person',
          name: entry.author.name,
          url: `${publicUrl}${authorUrl(entry.author.slug)}`,
        };
      return update;
    }),
  };
  if (live.startedAt) data.coverageStartTime = live.startedAt;
  if (live.endedAt) data.coverageEndTime = live.endedAt;
  // The page changed with its newest entry, not only with the article's own edits.
  const modified = newestDate([view.modifiedAt, ...entries.map((entry) => entry.updatedAt)]);
  if (modified) data.dateModified = modified;
  return data;
}

/** A headline for an entry without a title: its first words (schema.org wants one, short). */
function summary(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim();
  return words.length > 110 ? `${words.slice(0, 109).trimEnd()}…` : words;
}

/** The newest entries of live coverage as an Atom feed, for readers who follow it in a feed reader. */
export function renderLiveFeed(
  view: ArticleView,
  chrome: SiteChrome,
  options: { logoUrl: string },
): string | null {
  const { live, article } = view;
  if (!live) return null;
  const { publicUrl } = chrome;
  const url = `${publicUrl}${view.url}`;
  const entries = newestFirst(live.entries).slice(0, LIVE_UPDATE_ENTRIES);
  const updated =
    newestDate([
      ...entries.map((entry) => entry.updatedAt),
      ...(live.startedAt ? [live.startedAt] : []),
      ...(live.endedAt ? [live.endedAt] : []),
    ]) ?? view.modifiedAt;
  const feed = new Feed({
    id: `${url}#live`,
    title: uiText(article.language).liveFeedTitle.replace('{title}', article.title),
    link: url,
    language: article.language,
    updated: new Date(updated),
    generator: 'Masthead',
    image: options.logoUrl,
    copyright: `© ${chrome.settings.name}`,
    feedLinks: { atom: `${publicUrl}${liveUrls(view.url).atom}` },
  });
  for (const entry of entries) {
    feed.addItem({
      title: entry.title || summary(plainText(entry.body)) || article.title,
      id: `${url}#entry-${entry.id}`,
      link: `${url}#entry-${entry.id}`,
      date: new Date(entry.updatedAt),
      published: new Date(entry.createdAt),
      content: documentHtml(entry.body, live.media, article.language, publicUrl),
      ...(entry.author
        ? {
            author: [
              { name: entry.author.name, link: `${publicUrl}${authorUrl(entry.author.slug)}` },
            ],
          }
        : {}),
    });
  }
  return feed.atom1();
}

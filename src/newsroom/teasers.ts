import type { Kysely } from 'kysely';
import { articleUrl } from '../core/section-path.js';
import type { Section } from '../core/types.js';
import type { Teaser } from '../core/views.js';
import { type ArticleSummary, getBylines } from '../store/articles.js';
import { liveArticleIds } from '../store/live.js';
import { getMediaByIds } from '../store/media.js';
import type { Database } from '../store/schema.js';

/** Teasers of articles, with bylines and lead photos; an article whose section is gone is left out. */
export async function toTeasers(
  db: Kysely<Database>,
  articles: readonly ArticleSummary[],
  byId: Map<number, Section>,
): Promise<Teaser[]> {
  const ids = articles.map((article) => article.id);
  const mediaIds = articles.flatMap((article) =>
    article.leadMediaId === null ? [] : [article.leadMediaId],
  );
  const [bylines, media, live] = await Promise.all([
    getBylines(db, ids),
    getMediaByIds(db, mediaIds),
    liveArticleIds(db, ids),
  ]);
  return articles.flatMap((article) => {
    const section = byId.get(article.sectionId);
    if (!section) return [];
    return [
      {
        title: article.title,
        url: articleUrl(section, article.slug),
        standfirst: article.standfirst,
        language: article.language,
        publishedAt: article.publishedAt,
        section,
        lead: article.leadMediaId === null ? null : (media.get(article.leadMediaId) ?? null),
        bylines: bylines.get(article.id) ?? [],
        // Live coverage running says so above the headline, before any other label.
        label: live.has(article.id) ? 'live' : article.label,
      },
    ];
  });
}

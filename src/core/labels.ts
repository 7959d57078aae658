import { z } from 'zod';

// How an article presents itself beside the news: editors mark opinion and
// analysis so that readers (and search engines) can tell them from reporting.

/** The labels an editor may give an article; plain news has none (null). */
export const ARTICLE_LABELS = ['opinion', 'analysis'] as const;
export type ArticleLabel = (typeof ARTICLE_LABELS)[number];

/** The label as staff send it and as the store keeps it: one of ARTICLE_LABELS, or null for none. */
export const articleLabelSchema = z
  .enum(ARTICLE_LABELS, { error: `must be one of ${ARTICLE_LABELS.join(', ')}, or null` })
  .nullable();

import { z } from 'zod';
import type { CreditChain } from './credit.js';
import type { Doc } from './document.js';
import { validateDoc } from './document-extensions.js';
import { DomainError } from './errors.js';
import { isSafeHref } from './links.js';
import type { Page, Source } from './types.js';

/**
 * What every importer produces: plain data describing sections, people, pages,
 * media and articles, with no ids. The newsroom's import use case turns a bundle
 * into rows in one transaction, so every format is checked and stored alike.
 */
export type ImportBundle = {
  /** Which importer produced it ("seed", "sample"); with `externalId` it makes re-imports idempotent. */
  format: string;
  people: ImportedPerson[];
  pages: ImportedPage[];
  media: ImportedMedia[];
  articles: ImportedArticle[];
};

export type ImportedPerson = {
  /** Referenced by articles' bylines within the bundle. */
  key: string;
  name: string;
  bio: string;
  mastheadTitle: string | null;
};

export type ImportedPage = {
  slug: string;
  title: string;
  kind: Page['kind'];
  language: string;
  body: Doc;
  /** A page the file only links to: created with placeholder text, never overwriting one that exists. */
  isPlaceholder: boolean;
};

export type ImportedMedia = {
  key: string;
  alt: string;
  caption: string;
  credit: CreditChain;
  /** The image itself, or null when the source names a photo but does not carry its file. */
  bytes: Uint8Array | null;
};

export type ImportedArticle = {
  /** Stable identity of the item in its source format. */
  externalId: string;
  /** Section names from the top ("News", "Politics"); missing sections are created. */
  sectionNames: string[];
  title: string;
  standfirst: string;
  language: string;
  body: Doc;
  leadMediaKey: string | null;
  authors: { personKey: string; label: string | null }[];
  sources: Source[];
  /** ISO 8601; null when the source carries no date (the importer then decides). */
  publishedAt: string | null;
  /** The externalId of an article in the same bundle that this one translates (same story, other language). */
  translationOf?: string | null;
  /** Tag names, in order; when absent, an article's tags are left as they are. */
  tags?: string[];
};

/**
 * Checks what a parser cannot: documents (types, attributes, structure) and
 * dates, normalising dates to UTC ISO 8601 so they sort as text. Throws a
 * DomainError naming the item and the problem.
 */
export function validateBundle(bundle: ImportBundle): ImportBundle {
  return {
    ...bundle,
    pages: bundle.pages.map((page) => ({
      ...page,
      body: validateDoc(page.body, `page “${page.title}”: body`),
    })),
    articles: bundle.articles.map((article) => {
      const where = `article “${article.title}”`;
      for (const source of article.sources) {
        if (source.url !== null && !isSafeHref(source.url)) {
          throw new DomainError(
            'invalid_input',
            `${where}: source “${source.name}” has an unsafe link`,
          );
        }
      }
      return {
        ...article,
        body: validateDoc(article.body, `${where}: body`),
        publishedAt:
          article.publishedAt === null
            ? null
            : toIsoDate(article.publishedAt, `${where}: publication date`),
      };
    }),
  };
}

/** An ISO 8601 date-time with its offset, as UTC ("2026-02-15T12:00:00.000Z"). */
export function toIsoDate(value: string, where: string): string {
  if (!z.iso.datetime({ offset: true }).safeParse(value).success) {
    throw new DomainError(
      'invalid_input',
      `${where}: "${value}" is not an ISO 8601 date and time with a zone (e.g. 2026-02-15T12:00:00Z)`,
    );
  }
  return new Date(value).toISOString();
}

import { NO_CONTACTS } from '../core/contacts.js';
import { imageMediaIds } from '../core/document.js';
import type { ExportSources } from '../core/views.js';
import { listArticleSources, listArticlesForStaff } from '../store/articles.js';
import { getMediaByIds, listMedia, listMediaDates } from '../store/media.js';
import { listPages } from '../store/pages.js';
import { listPeople } from '../store/people.js';
import { listSections } from '../store/sections.js';
import { listTagsWithCounts } from '../store/tags.js';
import { listUsers } from '../store/users.js';
import type { Newsroom } from './newsroom.js';
import { feedItems } from './read-feeds.js';
import { readSiteSettings } from './read-site.js';

export async function readExportSources(newsroom: Newsroom): Promise<ExportSources> {
  const db = newsroom.store.db;
  const [
    settings,
    people,
    sections,
    tags,
    pages,
    media,
    mediaDates,
    articles,
    articleSources,
    users,
  ] = await Promise.all([
    readSiteSettings(db),
    listPeople(db),
    listSections(db),
    listTagsWithCounts(db),
    listPages(db),
    listMedia(db, { limit: Number.MAX_SAFE_INTEGER }),
    listMediaDates(db),
    listArticlesForStaff(db, { limit: Number.MAX_SAFE_INTEGER }),
    listArticleSources(db),
    listUsers(db),
  ]);
  const byId = new Map(sections.map((section) => [section.id, section]));
  // Someone who left the newsroom (their account disabled) is not offered to
  // sources on the contact page: the export carries neither their contacts
  // nor their account's address, so an import cannot offer them again.
  const active = users.filter((user) => user.disabledAt === null);
  const departed = new Set(
    users.filter((user) => user.disabledAt !== null).map((user) => user.personId),
  );
  const pageMedia = await getMediaByIds(
    db,
    pages.flatMap((page) => imageMediaIds(page.body)),
  );
  return {
    settings,
    publicUrl: newsroom.publicUrl,
    people: people.map((person) =>
      departed.has(person.id) ? { ...person, contacts: NO_CONTACTS } : person,
    ),
    sections,
    tags: tags.map((tag) => ({ name: tag.name, slug: tag.slug })),
    articles: await feedItems(
      db,
      [...articles].sort((a, b) => a.id - b.id),
      byId,
    ),
    articleSources,
    pages: pages.map((page) => ({
      page,
      bodyMedia: imageMediaIds(page.body).flatMap((id) => pageMedia.get(id) ?? []),
    })),
    media: [...media].sort((a, b) => a.id - b.id),
    mediaDates,
    accountEmails: new Map(active.map((user) => [user.personId, user.email])),
  };
}

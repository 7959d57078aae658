import { formatCreditChain } from '../core/credit.js';
import { MEDIA_PATH } from '../core/renditions.js';
import { pageUrl } from '../core/section-path.js';
import type { Media, Section } from '../core/types.js';
import type { ExportSources } from '../core/views.js';
import type { Status } from '../core/workflow.js';
import type { WxrExport, WxrItem } from '../core/wxr.js';
import { documentHtml } from './feeds.js';

// The newsroom's content as a WordPress export: every article (any state) as
// a post, static pages as pages, photos as attachments, sections as nested
// categories. Ids are kept apart by range: posts keep the article id, pages
// and attachments are offset, so all stay unique in one file.

const PAGE_ID_OFFSET = 10_000_000;
const ATTACHMENT_ID_OFFSET = 20_000_000;

const STATUS: Record<Status, WxrItem['status']> = {
  published: 'publish',
  scheduled: 'future',
  in_review: 'pending',
  draft: 'draft',
  // Taken down: kept, as a draft, so that nothing is lost on the way out.
  unpublished: 'draft',
  // WordPress has a trash too: the importer there keeps it thrown away.
  trashed: 'trash',
};

/** A section's category nicename: its path with slashes turned into dashes (unique, like the path). */
function nicename(section: Pick<Section, 'path'>): string {
  return section.path.replace(/\//g, '-');
}

function attachment(media: Media, publicUrl: string): WxrItem {
  const url = media.file ? `${publicUrl}${MEDIA_PATH}${media.file}` : '';
  const meta = [
    { key: '_wp_attachment_image_alt', value: media.alt },
    { key: '_masthead_credit', value: formatCreditChain(media.credit) },
    { key: '_masthead_credit_chain', value: JSON.stringify(media.credit) },
  ];
  if (media.isOwnPhoto) meta.push({ key: '_masthead_own_photo', value: '1' });
  if (media.copyright) meta.push({ key: '_masthead_copyright', value: media.copyright });
  return {
    id: ATTACHMENT_ID_OFFSET + media.id,
    type: 'attachment',
    title: media.caption || media.alt,
    link: url,
    date: null,
    html: '',
    excerpt: media.caption,
    slug: `photo-${media.id}`,
    status: 'inherit',
    authorLogin: null,
    categories: [],
    ...(url ? { attachmentUrl: url } : {}),
    meta,
  };
}

export function exportAsWxr(sources: ExportSources, exportedAt: string): WxrExport {
  const { publicUrl, settings } = sources;
  const byId = new Map(sources.sections.map((section) => [section.id, section]));
  const posts: WxrItem[] = sources.articles.map((item) => {
    const { article } = item;
    return {
      id: article.id,
      type: 'post',
      title: article.title,
      link: `${publicUrl}${item.url}`,
      date: article.publishedAt ?? article.scheduledAt,
      html: documentHtml(article.body, item.bodyMedia, article.language, publicUrl),
      excerpt: article.standfirst,
      slug: article.slug,
      status: STATUS[article.status],
      authorLogin: item.bylines[0]?.person.slug ?? null,
      categories: [
        { domain: 'category', nicename: nicename(item.section), name: item.section.name },
        ...item.tags.map((tag) => ({
          domain: 'post_tag' as const,
          nicename: tag.slug,
          name: tag.name,
        })),
      ],
      meta: [
        ...(article.leadMediaId === null
          ? []
          : [{ key: '_thumbnail_id', value: String(ATTACHMENT_ID_OFFSET + article.leadMediaId) }]),
        { key: '_masthead_uuid', value: article.uuid },
        { key: '_masthead_language', value: article.language },
        ...item.bylines.map((byline) => ({ key: '_masthead_byline', value: byline.person.name })),
      ],
    };
  });
  const pages: WxrItem[] = sources.pages.map(({ page, bodyMedia }) => ({
    id: PAGE_ID_OFFSET + page.id,
    type: 'page',
    title: page.title,
    link: `${publicUrl}${pageUrl(page.slug)}`,
    date: page.updatedAt,
    html: documentHtml(page.body, bodyMedia, page.language, publicUrl),
    excerpt: '',
    slug: page.slug,
    status: 'publish',
    authorLogin: null,
    categories: [],
    meta: [],
  }));
  return {
    title: settings.name,
    link: publicUrl,
    description: settings.tagline,
    language: settings.language,
    timeZone: settings.timeZone,
    exportedAt,
    authors: sources.people.map((person) => ({ login: person.slug, displayName: person.name })),
    categories: sources.sections.map((section) => {
      const parent = section.parentId === null ? undefined : byId.get(section.parentId);
      return {
        nicename: nicename(section),
        name: section.name,
        parent: parent ? nicename(parent) : null,
      };
    }),
    tags: sources.tags.map((tag) => ({ slug: tag.slug, name: tag.name })),
    items: [...sources.media.map((media) => attachment(media, publicUrl)), ...posts, ...pages],
  };
}

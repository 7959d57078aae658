import { sanitizeArchivedHtml } from '../core/archived-html.js';
import { hasContacts } from '../core/contacts.js';
import { formatCreditChain } from '../core/credit.js';
import { type Doc, type DocNode, galleryMediaIds } from '../core/document.js';
import { embedProvider } from '../core/embeds.js';
import { MEDIA_PATH } from '../core/renditions.js';
import { pageUrl, sectionIdsInTreeOrder } from '../core/section-path.js';
import type { Media, Section } from '../core/types.js';
import type { ExportSources } from '../core/views.js';
import type { Status } from '../core/workflow.js';
import type { WxrExport, WxrItem } from '../core/wxr.js';
import { escapeHtml, renderDocument } from './render-document.js';

// The newsroom's content as a WordPress export: every article (any state) as
// a post, static pages as pages, photos as attachments, sections as nested
// categories. Ids are kept apart by range: posts keep the article id, pages
// and attachments are offset, so all stay unique in one file.
//
// Bodies are written as WordPress's block editor writes them (block comments
// around block markup), so that WordPress, and Masthead's own importer, read
// each block back as what it was: a picture points at its attachment
// (`wp-image-N`) and its file, a gallery is a gallery block, an embed an
// embed block, a quote a quote block with its attribution in <cite>.

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
/** A node's attribute as text ("" when it is missing or not text). */
function textAttr(node: { attrs?: Record<string, unknown> }, name: string): string {
  const value = node.attrs?.[name];
  return typeof value === 'string' ? value : '';
}

function nicename(section: Pick<Section, 'path'>): string {
  return section.path.replace(/\//g, '-');
}

/** The address of a photo's file (its master), or '' for a record without one. */
function fileUrl(media: Media, publicUrl: string): string {
  return media.file ? `${publicUrl}${MEDIA_PATH}${media.file}` : '';
}

/** A site-relative address made absolute: the export is read away from the site. */
function absoluteHref(href: string, publicUrl: string): string {
  return href.startsWith('/') && !href.startsWith('//') ? `${publicUrl}${href}` : href;
}

/** A block comment's attributes, as WordPress writes them (JSON, with no "--" inside a comment). */
function blockAttrs(attrs: Record<string, unknown>): string {
  if (Object.keys(attrs).length === 0) return '';
  return ` ${JSON.stringify(attrs).replace(/--/g, '\\u002d\\u002d')}`;
}

/** Markup between a block's opening and closing comments. */
function block(name: string, attrs: Record<string, unknown>, html: string): string {
  return `<!-- wp:${name}${blockAttrs(attrs)} -->\n${html}\n<!-- /wp:${name} -->`;
}

type BodyContext = { media: Map<number, Media>; language: string; publicUrl: string };

/** Plain nodes (paragraphs, headings, lists) as the site renders them, links made absolute. */
function plainHtml(nodes: DocNode[], context: BodyContext): string {
  return renderDocument(
    { type: 'doc', content: nodes },
    {
      language: context.language,
      rewriteHref: (href) => absoluteHref(href, context.publicUrl),
    },
  );
}

/** A library photo as WordPress's image markup: its file, its attachment's class, its caption here. */
function imageTag(media: Media, context: BodyContext): string {
  const src = fileUrl(media, context.publicUrl);
  const size = media.width !== null && media.height !== null;
  return `<img${src ? ` src="${escapeHtml(src)}"` : ''} alt="${escapeHtml(media.alt)}"${
    size ? ` width="${media.width}" height="${media.height}"` : ''
  } class="wp-image-${ATTACHMENT_ID_OFFSET + media.id}"/>`;
}

function imageBlock(node: DocNode, context: BodyContext): string {
  const media = context.media.get(Number(node.attrs?.mediaId));
  if (!media) return '';
  const storyCaption = textAttr(node, 'storyCaption');
  const href = textAttr(node, 'href');
  // The caption shown here: this use's own, else the library's (WordPress
  // shows what the figure holds, not the attachment's caption).
  const caption = storyCaption || media.caption;
  const image = imageTag(media, context);
  const linked = href
    ? `<a href="${escapeHtml(absoluteHref(href, context.publicUrl))}">${image}</a>`
    : image;
  return block(
    'image',
    {
      id: ATTACHMENT_ID_OFFSET + media.id,
      sizeSlug: 'full',
      linkDestination: href ? 'custom' : 'none',
    },
    `<figure class="wp-block-image size-full">${linked}${
      caption ? `<figcaption class="wp-element-caption">${escapeHtml(caption)}</figcaption>` : ''
    }</figure>`,
  );
}

function galleryBlock(node: DocNode, context: BodyContext): string {
  const photos = galleryMediaIds(node).flatMap((id) => context.media.get(id) ?? []);
  if (photos.length === 0) return '';
  const caption = textAttr(node, 'caption');
  const images = photos.map((media) =>
    block(
      'image',
      { id: ATTACHMENT_ID_OFFSET + media.id, sizeSlug: 'full', linkDestination: 'none' },
      `<figure class="wp-block-image size-full">${imageTag(media, context)}</figure>`,
    ),
  );
  return block(
    'gallery',
    { linkTo: 'none' },
    `<figure class="wp-block-gallery has-nested-images columns-default is-cropped">${images.join('\n')}${
      caption
        ? `<figcaption class="blocks-gallery-caption wp-element-caption">${escapeHtml(caption)}</figcaption>`
        : ''
    }</figure>`,
  );
}

function embedBlock(node: DocNode): string {
  const url = textAttr(node, 'url');
  const provider = embedProvider(url);
  if (!provider) return '';
  const title = textAttr(node, 'title');
  const slug = provider.name.toLowerCase();
  // oEmbed's types: a player is "video", anything else "rich" (as WordPress has SoundCloud).
  const type = provider.kind === 'video' ? 'video' : 'rich';
  // WordPress asks the provider for the player; the title readers saw on the
  // facade travels in the block's attributes, which WordPress keeps.
  return block(
    'embed',
    { url, type, providerNameSlug: slug, ...(title ? { title } : {}) },
    `<figure class="wp-block-embed is-type-${type} is-provider-${slug} wp-block-embed-${slug}"><div class="wp-block-embed__wrapper">\n${escapeHtml(url)}\n</div></figure>`,
  );
}

/**
 * A quote with its attribution in <cite>, as WordPress's quote block has it;
 * the speaker and the source are told apart by their classes, since either
 * may hold a comma.
 */
function quoteBlock(node: DocNode, context: BodyContext): string {
  const speaker = textAttr(node, 'speaker');
  const source = textAttr(node, 'source');
  const sourceUrl = textAttr(node, 'sourceUrl');
  const paragraphs = (node.content ?? []).map((child) => bodyBlock(child, context)).join('\n');
  // A source address without a source's name is not shown on Masthead's
  // pages either: it travels in an empty link.
  const sourceHtml = sourceUrl
    ? `<a class="quote-source" href="${escapeHtml(sourceUrl)}">${escapeHtml(source)}</a>`
    : source
      ? `<span class="quote-source">${escapeHtml(source)}</span>`
      : '';
  const cite = `<cite><span class="quote-speaker">${escapeHtml(speaker)}</span>${
    source ? ', ' : ''
  }${sourceHtml}</cite>`;
  return block('quote', {}, `<blockquote class="wp-block-quote">${paragraphs}${cite}</blockquote>`);
}

/** A cell's content: inline when it is one paragraph, as WordPress's table block writes cells. */
function cellHtml(cell: DocNode, context: BodyContext): string {
  const content = cell.content ?? [];
  const only = content.length === 1 ? content[0] : undefined;
  if (only?.type === 'paragraph') {
    return plainHtml([only], context)
      .replace(/^<p>/, '')
      .replace(/<\/p>$/, '');
  }
  return plainHtml(content, context);
}

function tableBlock(node: DocNode, context: BodyContext): string {
  const rows = (node.content ?? []).map((row) => {
    const cells = (row.content ?? []).map((cell) => {
      const tag = cell.type === 'tableHeader' ? 'th' : 'td';
      const span = (name: 'colspan' | 'rowspan') => {
        const value = cell.attrs?.[name];
        return typeof value === 'number' && value > 1 ? ` ${name}="${value}"` : '';
      };
      return `<${tag}${span('colspan')}${span('rowspan')}>${cellHtml(cell, context)}</${tag}>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return block(
    'table',
    {},
    `<figure class="wp-block-table"><table><tbody>${rows.join('')}</tbody></table></figure>`,
  );
}

/**
 * One top-level block of a body as WordPress block markup. Paragraphs,
 * headings, lists and rules go as plain HTML, which WordPress reads as a
 * classic block and shows the same; the blocks Masthead has its own kinds of
 * go as WordPress's blocks of those kinds.
 */
function bodyBlock(node: DocNode, context: BodyContext): string {
  switch (node.type) {
    case 'image':
      return imageBlock(node, context);
    case 'gallery':
      return galleryBlock(node, context);
    case 'embed':
      return embedBlock(node);
    case 'quote':
      return quoteBlock(node, context);
    case 'table':
      return tableBlock(node, context);
    case 'html': {
      // Kept markup goes out as readers get it (sanitized), as WordPress's custom HTML.
      const html = sanitizeArchivedHtml(String(node.attrs?.html ?? ''), (href) =>
        absoluteHref(href, context.publicUrl),
      );
      return html ? block('html', {}, html) : '';
    }
    default:
      return plainHtml([node], context);
  }
}

/** A body as WordPress block-editor content. */
export function wordpressHtml(
  doc: Doc,
  media: Map<number, Media>,
  language: string,
  publicUrl: string,
): string {
  const context = { media, language, publicUrl };
  return doc.content
    .map((node) => bodyBlock(node, context))
    .filter((html) => html !== '')
    .join('\n\n');
}

function attachment(media: Media, addedAt: string | null, publicUrl: string): WxrItem {
  const url = fileUrl(media, publicUrl);
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
    // When it was added to the library, as WordPress dates an upload.
    date: addedAt,
    modified: null,
    html: '',
    excerpt: media.caption,
    slug: `photo-${media.id}`,
    status: 'inherit',
    authorLogin: null,
    menuOrder: 0,
    categories: [],
    ...(url ? { attachmentUrl: url } : {}),
    attachmentMetadata: {
      width: media.width,
      height: media.height,
      file: media.file ?? '',
      credit: formatCreditChain(media.credit),
      copyright: media.copyright,
    },
    meta,
  };
}

/** Sections parents first, each followed by its subsections, in the newsroom's order. */
function inTreeOrder(sections: Section[]): Section[] {
  const byId = new Map(sections.map((section) => [section.id, section]));
  return sectionIdsInTreeOrder(sections).flatMap((id) => byId.get(id) ?? []);
}

export function exportAsWxr(sources: ExportSources, exportedAt: string): WxrExport {
  const { publicUrl, settings } = sources;
  const byId = new Map(sources.sections.map((section) => [section.id, section]));
  const media = new Map(sources.media.map((entry) => [entry.id, entry]));
  const posts: WxrItem[] = sources.articles.map((item) => {
    const { article } = item;
    return {
      id: article.id,
      type: 'post',
      title: article.title,
      link: `${publicUrl}${item.url}`,
      date: article.publishedAt ?? article.scheduledAt,
      modified: article.updatedAt,
      html: wordpressHtml(article.body, media, article.language, publicUrl),
      excerpt: article.standfirst,
      slug: article.slug,
      status: STATUS[article.status],
      authorLogin: item.bylines[0]?.person.slug ?? null,
      menuOrder: 0,
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
        // Every byline in order, by author login, with its label ("Photographs by"):
        // WordPress has one author per post.
        {
          key: '_masthead_bylines',
          value: JSON.stringify(
            item.bylines.map((byline) => ({ login: byline.person.slug, label: byline.label })),
          ),
        },
        ...(article.translationGroup
          ? [{ key: '_masthead_translation_group', value: article.translationGroup }]
          : []),
        // Its sources (citations), which WordPress has no field for.
        ...(sources.articleSources.has(article.id)
          ? [
              {
                key: '_masthead_sources',
                value: JSON.stringify(sources.articleSources.get(article.id)),
              },
            ]
          : []),
      ],
    };
  });
  const pages: WxrItem[] = [...sources.pages]
    .sort((a, b) => a.page.position - b.page.position)
    .map(({ page }) => ({
      id: PAGE_ID_OFFSET + page.id,
      type: 'page',
      title: page.title,
      link: `${publicUrl}${pageUrl(page.slug)}`,
      date: page.updatedAt,
      modified: page.updatedAt,
      html: wordpressHtml(page.body, media, page.language, publicUrl),
      excerpt: '',
      slug: page.slug,
      status: 'publish',
      authorLogin: null,
      // WordPress orders pages by menu_order, as Masthead by position.
      menuOrder: page.position,
      categories: [],
      meta: [
        { key: '_masthead_language', value: page.language },
        { key: '_masthead_page_kind', value: page.kind },
      ],
    }));
  return {
    title: settings.name,
    link: publicUrl,
    description: settings.tagline,
    language: settings.language,
    timeZone: settings.timeZone,
    names: { ...settings.names },
    taglines: { ...settings.taglines },
    exportedAt,
    authors: sources.people.map((person) => ({
      login: person.slug,
      email: sources.accountEmails.get(person.id) ?? '',
      displayName: person.name,
      bio: person.bio,
      contacts: hasContacts(person.contacts) ? person.contacts : null,
      photoId:
        person.photoMediaId !== null && media.has(person.photoMediaId)
          ? ATTACHMENT_ID_OFFSET + person.photoMediaId
          : null,
      masthead:
        person.mastheadTitle === null
          ? null
          : {
              role: person.mastheadRole,
              title: person.mastheadTitle,
              position: person.mastheadPosition,
            },
    })),
    categories: inTreeOrder(sources.sections).map((section) => {
      const parent = section.parentId === null ? undefined : byId.get(section.parentId);
      return {
        nicename: nicename(section),
        name: section.name,
        parent: parent ? nicename(parent) : null,
        meta: [
          // The section's own slug: the nicename is its whole path, as
          // WordPress's nicenames are unique in the whole site.
          { key: '_masthead_slug', value: section.slug },
          { key: '_masthead_position', value: String(section.position) },
          ...(Object.keys(section.names).length > 0
            ? [{ key: '_masthead_names', value: JSON.stringify(section.names) }]
            : []),
        ],
      };
    }),
    tags: sources.tags.map((tag) => ({ slug: tag.slug, name: tag.name })),
    items: [
      ...sources.media.map((entry) =>
        attachment(entry, sources.mediaDates.get(entry.id) ?? null, publicUrl),
      ),
      ...posts,
      ...pages,
    ],
  };
}

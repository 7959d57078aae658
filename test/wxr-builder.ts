// Small WordPress exports written by tests (own text, WXR 1.2 shape), for the
// cases the theme-unit-test export does not have.

export type TestPost = {
  id: number;
  title: string;
  slug: string;
  link: string;
  content: string;
  status?: string;
  type?: string;
  date?: string;
  categories?: { slug: string; name: string }[];
  tags?: { slug: string; name: string }[];
  meta?: { key: string; value: string }[];
  attachmentUrl?: string;
  parent?: number;
  /** The excerpt (an attachment's caption). */
  excerpt?: string;
};

const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

export function buildWxr(options: {
  base?: string;
  categories?: { slug: string; name: string; parent?: string }[];
  tags?: { slug: string; name: string }[];
  posts: TestPost[];
}): string {
  const base = options.base ?? 'https://old.example';
  const categories = (options.categories ?? [])
    .map(
      (c) =>
        `<wp:category><wp:category_nicename>${cdata(c.slug)}</wp:category_nicename><wp:category_parent>${cdata(c.parent ?? '')}</wp:category_parent><wp:cat_name>${cdata(c.name)}</wp:cat_name></wp:category>`,
    )
    .join('\n');
  const tags = (options.tags ?? [])
    .map(
      (t) =>
        `<wp:tag><wp:tag_slug>${cdata(t.slug)}</wp:tag_slug><wp:tag_name>${cdata(t.name)}</wp:tag_name></wp:tag>`,
    )
    .join('\n');
  const items = options.posts
    .map((p) => {
      const date = p.date ?? '2024-05-01 10:00:00';
      const terms = [
        ...(p.categories ?? []).map(
          (c) => `<category domain="category" nicename="${c.slug}">${cdata(c.name)}</category>`,
        ),
        ...(p.tags ?? []).map(
          (t) => `<category domain="post_tag" nicename="${t.slug}">${cdata(t.name)}</category>`,
        ),
      ].join('');
      const meta = (p.meta ?? [])
        .map(
          (m) =>
            `<wp:postmeta><wp:meta_key>${cdata(m.key)}</wp:meta_key><wp:meta_value>${cdata(m.value)}</wp:meta_value></wp:postmeta>`,
        )
        .join('');
      return `<item>
<title>${cdata(p.title)}</title>
<link>${p.link}</link>
<dc:creator>${cdata('editor')}</dc:creator>
<guid isPermaLink="false">${base}/?p=${p.id}</guid>
<content:encoded>${cdata(p.content)}</content:encoded>
<excerpt:encoded>${cdata(p.excerpt ?? '')}</excerpt:encoded>
<wp:post_id>${p.id}</wp:post_id>
<wp:post_date>${cdata(date)}</wp:post_date>
<wp:post_date_gmt>${cdata(date)}</wp:post_date_gmt>
<wp:post_name>${cdata(p.slug)}</wp:post_name>
<wp:status>${cdata(p.status ?? 'publish')}</wp:status>
<wp:post_parent>${p.parent ?? 0}</wp:post_parent>
<wp:post_type>${cdata(p.type ?? 'post')}</wp:post_type>
${p.attachmentUrl ? `<wp:attachment_url>${cdata(p.attachmentUrl)}</wp:attachment_url>` : ''}
${terms}${meta}
</item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old site</title>
<link>${base}</link>
<language>en-GB</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>${base}</wp:base_site_url>
<wp:base_blog_url>${base}</wp:base_blog_url>
<wp:author><wp:author_login>${cdata('editor')}</wp:author_login><wp:author_display_name>${cdata('Nora Quill')}</wp:author_display_name></wp:author>
${categories}
${tags}
${items}
</channel>
</rss>`;
}

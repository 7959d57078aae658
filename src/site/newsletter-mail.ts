import type { DocMark, DocNode } from '../core/document.js';
import type {
  Mail,
  NewsletterArticle,
  NewsletterMailInput,
  NewsletterPhoto,
} from '../core/newsletters.js';
import { correctionLabel, formatDate, uiText } from './i18n.js';
import { escapeHtml, renderDocument } from './render-document.js';

// A newsletter as an e-mail: one article in full, or a digest of several
// (headline, photo, standfirst, link), under the editor's introduction.
// HTML that reads in every mail program: a single 600 px column in tables
// (Outlook ignores a div's width), styles inline (some programs drop <style>),
// with a <style> on top for phones and dark mode; right-to-left when the
// list's language is; credits under photos. Beside it the same as plain
// text. No tracking pixel, no rewritten links: every address is the
// article's own, and every message links the mirrors and its unsubscribe.

const WORDS = {
  en: {
    readOnSite: 'Read on the site',
    mirrors: 'If the site is blocked where you are, these addresses still work:',
    why: (list: string, site: string) =>
      `You receive “${list}” from ${site} because you subscribed.`,
    unsubscribe: 'Unsubscribe or choose your newsletters',
    unsubscribeText: 'Unsubscribe, or choose which newsletters you get:',
  },
  ru: {
    readOnSite: 'Читать на сайте',
    mirrors: 'Если сайт заблокирован там, где вы находитесь, эти адреса работают:',
    why: (list: string, site: string) =>
      `Вы получаете рассылку «${list}» от «${site}», потому что подписались на неё.`,
    unsubscribe: 'Отписаться или выбрать рассылки',
    unsubscribeText: 'Отписаться или выбрать, какие рассылки получать:',
  },
} as const;

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'yi']);

/** Colours, light first; the <style> swaps them in dark mode. */
const PAPER = '#f3f1ec';
const SHEET = '#ffffff';
const INK = '#1b1b1b';
const MUTED = '#5b5b5b';
const LINK = '#0a58a8';
const RULE = '#dedad2';

const SERIF = "Georgia,'Times New Roman',serif";
const SANS = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif";

const STYLE = `
  body { margin: 0; padding: 0; }
  img { border: 0; max-width: 100%; height: auto; }
  .body-text p, .body-text ul, .body-text ol, .body-text blockquote { margin: 0 0 1em; }
  .body-text h2, .body-text h3 { font-family: ${SANS}; line-height: 1.25; margin: 1.4em 0 0.5em; }
  .body-text blockquote { border-inline-start: 3px solid ${RULE}; padding-inline-start: 1em; color: ${MUTED}; }
  .body-text table { border-collapse: collapse; }
  .body-text td, .body-text th { border: 1px solid ${RULE}; padding: 4px 8px; }
  .body-text figure { margin: 0 0 1.2em; }
  @media (max-width: 620px) {
    .sheet-cell { padding: 20px 16px !important; }
    .headline { font-size: 24px !important; }
  }
  @media (prefers-color-scheme: dark) {
    .paper, body { background: #111111 !important; }
    .sheet { background: #1c1c1c !important; }
    .sheet, .sheet td, .headline, .headline a { color: #ececec !important; }
    .muted, .muted a, .body-text blockquote { color: #b4b4b4 !important; }
    .note { background: #3b3413 !important; color: #f4e9bd !important; }
    a { color: #8cc1ff !important; }
    .rule { border-color: #3a3a3a !important; }
  }
`;

/**
 * The message for `input`: one article in full, or several as a digest. Its
 * subject is the editor's, else the article's headline, else the list's
 * name and the date.
 */
export function newsletterMail(input: NewsletterMailInput & { sentAt: string }): Mail {
  const subject =
    input.subject ||
    (input.articles.length === 1 && input.articles[0]
      ? input.articles[0].title
      : `${input.listName} — ${formatDate(input.sentAt, input.language, input.timeZone)}`);
  return {
    subject,
    html: mailHtml(input, subject),
    text: mailText(input),
  };
}

function wordsFor(language: string) {
  return language === 'ru' ? WORDS.ru : WORDS.en;
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

// ---------------------------------------------------------------------------
// HTML

function mailHtml(input: NewsletterMailInput, subject: string): string {
  const dir = RTL_LANGUAGES.has(input.language) ? 'rtl' : 'ltr';
  const start = dir === 'rtl' ? 'right' : 'left';
  const words = wordsFor(input.language);
  const isFull = input.articles.length === 1 && input.articles[0]?.body !== null;
  const preheader = isFull
    ? (input.articles[0]?.standfirst ?? '')
    : paragraphs(input.intro)[0] || input.articles.map((article) => article.title).join(' · ');
  const intro = paragraphs(input.intro)
    .map((text) => `<p style="margin:0 0 1em;">${escapeHtml(text).replaceAll('\n', '<br>')}</p>`)
    .join('');
  const articles = input.articles
    .map((article, index) =>
      isFull ? fullArticle(article, input, start) : teaser(article, input, index === 0),
    )
    .join('');
  // A long address breaks anywhere rather than widen the column past a phone.
  const cell = `font-family:${SERIF};font-size:17px;line-height:1.55;color:${INK};text-align:${start};overflow-wrap:anywhere;word-break:break-word;`;
  return `<!doctype html>
<html lang="${escapeHtml(input.language)}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(subject)}</title>
<style>${STYLE}</style>
</head>
<body class="paper" style="margin:0;padding:0;background:${PAPER};">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(preheader)}</div>
<table role="presentation" class="paper" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${PAPER};">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" class="sheet" width="600" cellpadding="0" cellspacing="0" border="0" dir="${dir}" style="width:100%;max-width:600px;background:${SHEET};color:${INK};">
<tr><td class="sheet-cell" style="padding:28px 32px;${cell}">
<p class="muted" style="margin:0 0 20px;font-family:${SANS};font-size:14px;color:${MUTED};"><a href="${escapeHtml(input.siteUrl)}" style="color:${INK};font-weight:700;text-decoration:none;">${escapeHtml(input.siteName)}</a> · ${escapeHtml(input.listName)}</p>
${intro}${articles}
<hr class="rule" style="border:0;border-top:1px solid ${RULE};margin:28px 0 16px;">
<p class="muted" style="margin:0 0 10px;font-family:${SANS};font-size:13px;line-height:1.5;color:${MUTED};">${escapeHtml(words.mirrors)} <a href="${escapeHtml(input.mirrorsUrl)}" style="color:${LINK};">${escapeHtml(input.mirrorsUrl)}</a></p>
<p class="muted" style="margin:0;font-family:${SANS};font-size:13px;line-height:1.5;color:${MUTED};">${escapeHtml(words.why(input.listName, input.siteName))} <a href="${escapeHtml(input.unsubscribeUrl)}" style="color:${LINK};">${escapeHtml(words.unsubscribe)}</a></p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function photoHtml(photo: NewsletterPhoto, language: string): string {
  const credit = photo.credit ? `${uiText(language).photo}: ${photo.credit}` : '';
  const caption = [photo.caption, credit].filter((part) => part !== '').join(' ');
  const width = Math.min(536, photo.width);
  return `<figure style="margin:0 0 16px;"><img src="${escapeHtml(photo.src)}" width="${width}" alt="${escapeHtml(photo.alt)}" style="display:block;width:100%;max-width:${width}px;height:auto;">${
    caption
      ? `<figcaption class="muted" style="margin:6px 0 0;font-family:${SANS};font-size:13px;line-height:1.4;color:${MUTED};">${escapeHtml(caption)}</figcaption>`
      : ''
  }</figure>`;
}

function correctionsHtml(article: NewsletterArticle): string {
  return article.corrections
    .map(
      (note) =>
        `<p class="note" style="margin:0 0 1em;padding:10px 12px;background:#fff6d6;color:${INK};font-family:${SANS};font-size:15px;"><strong>${escapeHtml(
          correctionLabel(note.type, article.language),
        )}:</strong> ${escapeHtml(note.text)}</p>`,
    )
    .join('');
}

function readOn(article: NewsletterArticle, language: string): string {
  const arrow = RTL_LANGUAGES.has(language) ? '←' : '→';
  return `<p style="margin:0 0 8px;font-family:${SANS};font-size:15px;"><a href="${escapeHtml(article.url)}" style="color:${LINK};font-weight:600;">${escapeHtml(wordsFor(language).readOnSite)} ${arrow}</a></p>`;
}

function fullArticle(
  article: NewsletterArticle,
  input: NewsletterMailInput,
  start: string,
): string {
  const photos = article.body?.photos ?? {};
  const body = article.body
    ? renderDocument(article.body.doc, {
        language: article.language,
        // The caption the article gives a picture, else the library's (as on the site).
        renderImage: (mediaId, storyCaption) => {
          const photo = photos[mediaId];
          if (!photo) return '';
          return photoHtml(
            storyCaption ? { ...photo, caption: storyCaption } : photo,
            input.language,
          );
        },
        rewriteHref: (href) => absolute(href, input.siteUrl),
      })
    : '';
  return `<h1 class="headline" style="margin:0 0 12px;font-family:${SANS};font-size:28px;line-height:1.2;color:${INK};text-align:${start};">${escapeHtml(article.title)}</h1>
${article.standfirst ? `<p style="margin:0 0 18px;font-size:19px;line-height:1.45;">${escapeHtml(article.standfirst)}</p>` : ''}
<p class="muted" style="margin:0 0 18px;font-family:${SANS};font-size:13px;color:${MUTED};">${escapeHtml(formatDate(article.publishedAt, input.language, input.timeZone))}</p>
${correctionsHtml(article)}${article.photo ? photoHtml(article.photo, input.language) : ''}
<div class="body-text" lang="${escapeHtml(article.language)}">${body}</div>
${readOn(article, input.language)}`;
}

function teaser(article: NewsletterArticle, input: NewsletterMailInput, isFirst: boolean): string {
  return `${isFirst ? '' : `<hr class="rule" style="border:0;border-top:1px solid ${RULE};margin:24px 0;">`}
${article.photo ? photoHtml(article.photo, input.language) : ''}
<h2 class="headline" style="margin:0 0 8px;font-family:${SANS};font-size:22px;line-height:1.25;"><a href="${escapeHtml(article.url)}" style="color:${INK};text-decoration:none;">${escapeHtml(article.title)}</a></h2>
${article.standfirst ? `<p style="margin:0 0 10px;">${escapeHtml(article.standfirst)}</p>` : ''}
${correctionsHtml(article)}${readOn(article, input.language)}`;
}

/** A link in an article made absolute: a mail program has no page to resolve it against. */
function absolute(href: string, siteUrl: string): string {
  if (href.startsWith('/') && !href.startsWith('//')) return `${siteUrl}${href}`;
  return href;
}

// ---------------------------------------------------------------------------
// Plain text

function inlineText(nodes: DocNode[] | undefined, siteUrl: string): string {
  return (nodes ?? [])
    .map((node) => {
      if (node.type === 'hardBreak') return '\n';
      if (node.type !== 'text') return inlineText(node.content, siteUrl);
      const link = node.marks?.find((mark: DocMark) => mark.type === 'link');
      const href =
        typeof link?.attrs?.href === 'string' ? absolute(link.attrs.href, siteUrl) : null;
      const text = node.text ?? '';
      return href && href !== text ? `${text} (${href})` : text;
    })
    .join('');
}

function blockText(
  node: DocNode,
  input: NewsletterMailInput,
  photos: Record<number, NewsletterPhoto>,
): string {
  switch (node.type) {
    case 'image': {
      const photo = photos[Number(node.attrs?.mediaId)];
      const caption = String(node.attrs?.storyCaption ?? '');
      return photo ? photoText(caption ? { ...photo, caption } : photo, input.language) : '';
    }
    case 'bulletList':
    case 'orderedList':
      return (node.content ?? [])
        .map((item, index) => {
          const marker = node.type === 'orderedList' ? `${index + 1}.` : '•';
          const text = (item.content ?? [])
            .map((child) => blockText(child, input, photos))
            .join(' ');
          return `${marker} ${text}`;
        })
        .join('\n');
    case 'blockquote':
      return (node.content ?? [])
        .map((child) => blockText(child, input, photos))
        .join('\n')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'heading':
      return inlineText(node.content, input.siteUrl).toUpperCase();
    case 'paragraph':
      return inlineText(node.content, input.siteUrl);
    case 'embed':
      return String(node.attrs?.url ?? '');
    default:
      return (node.content ?? [])
        .map((child) => blockText(child, input, photos))
        .filter((text) => text !== '')
        .join('\n');
  }
}

function photoText(photo: NewsletterPhoto, language: string): string {
  const credit = photo.credit ? `${uiText(language).photo}: ${photo.credit}` : '';
  const about = [photo.caption, credit].filter((part) => part !== '').join(' ');
  return about ? `[${about}]` : '';
}

function correctionsText(article: NewsletterArticle): string[] {
  return article.corrections.map(
    (note) => `${correctionLabel(note.type, article.language)}: ${note.text}`,
  );
}

function mailText(input: NewsletterMailInput): string {
  const words = wordsFor(input.language);
  const isFull = input.articles.length === 1 && input.articles[0]?.body !== null;
  const parts: string[] = [`${input.siteName} · ${input.listName}`, ...paragraphs(input.intro)];
  for (const article of input.articles) {
    if (isFull) {
      const photos = article.body?.photos ?? {};
      parts.push(
        article.title.toUpperCase(),
        ...(article.standfirst ? [article.standfirst] : []),
        formatDate(article.publishedAt, input.language, input.timeZone),
        ...correctionsText(article),
        ...(article.photo ? [photoText(article.photo, input.language)] : []),
        ...(article.body?.doc.content ?? []).map((node) => blockText(node, input, photos)),
        `${words.readOnSite}: ${article.url}`,
      );
    } else {
      parts.push(
        [
          article.title,
          ...(article.standfirst ? [article.standfirst] : []),
          ...correctionsText(article),
          article.url,
        ].join('\n'),
      );
    }
  }
  parts.push(
    '—',
    `${words.mirrors}\n${input.mirrorsUrl}`,
    `${words.why(input.listName, input.siteName)}\n${words.unsubscribeText} ${input.unsubscribeUrl}`,
  );
  return `${parts.filter((part) => part.trim() !== '').join('\n\n')}\n`;
}

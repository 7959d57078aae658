import type { TelegramPostInput } from '../core/distribution.js';
import { uiText } from './i18n.js';

// An article as a post in a Telegram channel: the headline in bold, the
// standfirst, the photo's credit, any correction, and two links, to the
// article and to the list of mirrors (a reader whose country blocks the site
// always has a way in). Telegram's HTML parse mode: only <b>, <i>, <a> and a
// few more tags, and &, < and > escaped everywhere, quotes in attributes.

export function escapeTelegramHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function attribute(value: string): string {
  return escapeTelegramHtml(value).replaceAll('"', '&quot;');
}

/** One part of a post: its HTML and how many characters readers see of it. */
type Part = { html: string; length: number };

const text = (value: string): Part => ({ html: escapeTelegramHtml(value), length: value.length });
const bold = (value: string): Part => ({
  html: `<b>${escapeTelegramHtml(value)}</b>`,
  length: value.length,
});
const link = (label: string, href: string): Part => ({
  html: `<a href="${attribute(href)}">${escapeTelegramHtml(label)}</a>`,
  length: label.length,
});
const join = (parts: Part[], separator: string): Part => ({
  html: parts.map((part) => part.html).join(separator),
  length: parts.reduce((sum, part) => sum + part.length, 0) + separator.length * (parts.length - 1),
});

/** `value` cut at a word to at most `limit` characters, with an ellipsis when cut. */
function shortened(value: string, limit: number): string {
  if (value.length <= limit) return value;
  if (limit <= 1) return '';
  const cut = value.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The post's HTML, within `limit` visible characters (CAPTION_LIMIT under a
 * photo, MESSAGE_LIMIT for a text message): the standfirst is shortened
 * first, then the headline; the links and corrections always stay.
 */
export function telegramPostHtml(input: TelegramPostInput, limit: number): string {
  const words = uiText(input.language);
  const links = join(
    [link(words.telegramRead, input.articleUrl), link(words.telegramMirrors, input.mirrorsUrl)],
    ' · ',
  );
  const tail: Part[] = [
    ...input.corrections.map((correction) =>
      join(
        [bold(`${correctionLabel(correction.type, input.language)}:`), text(correction.text)],
        ' ',
      ),
    ),
    ...(input.photoCredit ? [text(`${words.photo}: ${input.photoCredit}`)] : []),
    links,
  ];
  const separator = '\n\n';
  const fixed = join(tail, separator).length + separator.length;
  const titleRoom = Math.max(0, limit - fixed - separator.length);
  const title = shortened(input.title.trim(), Math.min(titleRoom, 300));
  const standfirstRoom = Math.max(0, limit - fixed - title.length - separator.length * 2);
  const standfirst = shortened(input.standfirst.trim(), standfirstRoom);
  const head: Part[] = [...(title ? [bold(title)] : []), ...(standfirst ? [text(standfirst)] : [])];
  return join([...head, ...tail], separator).html;
}

function correctionLabel(type: string, language: string): string {
  const words = uiText(language);
  if (type === 'retraction') return words.retraction;
  if (type === 'clarification') return words.clarification;
  return words.correction;
}

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

/**
 * `value` cut at a word to at most `limit` characters (UTF-16 units, as
 * Telegram counts them), with an ellipsis when cut; never inside a character
 * made of two units (an emoji).
 */
function shortened(value: string, limit: number): string {
  if (value.length <= limit) return value;
  if (limit <= 1) return '';
  let cut = value.slice(0, limit - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const SEPARATOR = '\n\n';

/**
 * The post's HTML, within `limit` visible characters (TELEGRAM_CAPTION_LIMIT
 * under a photo, TELEGRAM_MESSAGE_LIMIT for a text message). The links always
 * stay whole; then the headline (up to 200 characters), the corrections (a
 * correction must be seen: each is shortened only to fit), the credit, and
 * the standfirst in what room is left.
 */
export function telegramPostHtml(input: TelegramPostInput, limit: number): string {
  const words = uiText(input.language);
  const links = join(
    [link(words.telegramRead, input.articleUrl), link(words.telegramMirrors, input.mirrorsUrl)],
    ' · ',
  );
  let room = limit - links.length;
  const take = (part: Part): Part => {
    room -= part.length + SEPARATOR.length;
    return part;
  };
  const title = input.title.trim()
    ? take(bold(shortened(input.title.trim(), Math.min(200, room - SEPARATOR.length))))
    : null;
  const credit = input.photoCredit ? text(`${words.photo}: ${input.photoCredit}`) : null;
  if (credit) room -= credit.length + SEPARATOR.length;
  const corrections = input.corrections.map((correction, index) => {
    const label = `${correctionLabel(correction.type, input.language)}:`;
    const share =
      Math.floor(room / (input.corrections.length - index)) - SEPARATOR.length - label.length - 1;
    return take(
      join([bold(label), text(shortened(correction.text.trim(), Math.max(0, share)))], ' '),
    );
  });
  const standfirstText = shortened(input.standfirst.trim(), room - SEPARATOR.length);
  const standfirst = standfirstText ? text(standfirstText) : null;
  const parts = [title, standfirst, ...corrections, credit, links].filter(
    (part): part is Part => part !== null,
  );
  return join(parts, SEPARATOR).html;
}

function correctionLabel(type: string, language: string): string {
  const words = uiText(language);
  if (type === 'retraction') return words.retraction;
  if (type === 'clarification') return words.clarification;
  return words.correction;
}

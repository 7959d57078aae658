import type { FeedItem } from '../core/views.js';
import { feedItemHtml } from './feeds.js';
import { correctionLabel, uiText } from './i18n.js';
import { escapeHtml } from './render-document.js';

// An article as the fediverse shows it (the `content` of an ActivityPub
// `Article`): the corrections first, so a reader of an updated post sees
// what changed, then the full text as feed readers get it (the lead photo
// with its caption and credit, absolute links), then where to read it if the
// site is blocked. Mastodon keeps only simple markup; the rest degrades to text.

export function fediverseArticleHtml(
  item: FeedItem,
  corrections: { type: string; text: string }[],
  publicUrl: string,
): string {
  const language = item.article.language;
  const notes = corrections
    .map(
      (note) =>
        `<p><strong>${escapeHtml(correctionLabel(note.type, language))}:</strong> ${escapeHtml(note.text)}</p>`,
    )
    .join('');
  const words = uiText(language);
  const mirrors = `<p>${escapeHtml(words.telegramMirrors)}: <a href="${escapeHtml(`${publicUrl}/mirrors`)}">${escapeHtml(`${publicUrl}/mirrors`)}</a></p>`;
  return `${notes}${feedItemHtml(item, publicUrl)}${mirrors}`;
}

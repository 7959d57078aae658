import { embedPlayable, embedProvider } from '../core/embeds.js';
import { uiText } from './i18n.js';

/** An embed as the reader page gets it: the item's address, its title, and its thumbnail's HTML ('' for none). */
export type EmbedFacadeInput = { url: string; title: string; thumbnailHtml: string };

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * An embed on a reader page, as a facade that loads nothing from the service:
 * the thumbnail kept on Masthead, the title, the provider's name and what
 * pressing it will load. Without JavaScript it is a link to the item on the
 * service. With it, site.js swaps a playable item (YouTube, Vimeo,
 * SoundCloud) for the provider's privacy-friendlier player, built from
 * `data-embed-player` and `data-embed-id` — never from an address in the
 * page, whose only third-party URL is the link's own. Posts (Telegram, X,
 * Instagram…) need the provider's script to show, so they stay a link, opened
 * in a new tab.
 */
export function embedFacadeHtml(embed: EmbedFacadeInput, language: string): string {
  const provider = embedProvider(embed.url);
  if (!provider) return '';
  const text = uiText(language);
  const playable = embedPlayable(embed.url);
  const name = escapeHtml(provider.name);
  const say = (words: string) => escapeHtml(words).replaceAll('{provider}', name);
  const isAudio = provider.kind === 'audio';
  const action = playable
    ? say(isAudio ? text.embedPlayAudio : text.embedPlayVideo)
    : say(provider.kind === 'post' ? text.embedOpenPost : text.embedOpen);
  const note = playable
    ? say(isAudio ? text.embedNoteAudio : text.embedNoteVideo)
    : say(text.embedNoteLink);
  const data = playable
    ? ` data-embed-player="${playable.player}" data-embed-id="${escapeHtml(playable.id)}"${
        embed.title ? ` data-embed-title="${escapeHtml(embed.title)}"` : ''
      }`
    : '';
  // A post leaves the page for the service: in a new tab, and without telling it where from.
  const target = playable ? '' : ' target="_blank" rel="noopener noreferrer"';
  const thumbnail = embed.thumbnailHtml
    ? `<span class="embed-thumbnail">${embed.thumbnailHtml}</span>`
    : '';
  const title = embed.title ? ` <span class="embed-title">${escapeHtml(embed.title)}</span>` : '';
  return `<figure class="embed embed-facade${thumbnail ? ' has-thumbnail' : ''}"${data}><a href="${escapeHtml(
    embed.url,
  )}" class="embed-link"${target}>${thumbnail}<span class="embed-action">${action}</span>${title}</a><figcaption class="embed-note">${note}</figcaption></figure>`;
}

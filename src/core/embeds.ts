/**
 * Embeds are allowed from a short list of providers and are never loaded on
 * reader pages until the reader asks: a reader sees a facade (a thumbnail kept
 * on Masthead, the title, and a link to the item), so no third-party script or
 * request reaches their browser before they press Play. Feeds, newsletters and
 * posts show a plain link ("Watch on YouTube").
 */
export type EmbedProvider = {
  name: string;
  action: { en: string; ru: string };
  /** What the item is: a video or audio may play in a player on the page; a post only opens on the service. */
  kind: 'video' | 'audio' | 'post';
};

const PROVIDERS: { hosts: string[]; provider: EmbedProvider }[] = [
  {
    hosts: ['youtube.com', 'youtu.be'],
    provider: { name: 'YouTube', action: { en: 'Watch on', ru: 'Смотреть на' }, kind: 'video' },
  },
  {
    hosts: ['vimeo.com'],
    provider: { name: 'Vimeo', action: { en: 'Watch on', ru: 'Смотреть на' }, kind: 'video' },
  },
  {
    hosts: ['x.com', 'twitter.com'],
    provider: { name: 'X', action: { en: 'Read on', ru: 'Читать в' }, kind: 'post' },
  },
  {
    hosts: ['t.me'],
    provider: { name: 'Telegram', action: { en: 'Read on', ru: 'Читать в' }, kind: 'post' },
  },
  {
    hosts: ['instagram.com'],
    provider: { name: 'Instagram', action: { en: 'See on', ru: 'Смотреть в' }, kind: 'post' },
  },
  {
    hosts: ['facebook.com'],
    provider: { name: 'Facebook', action: { en: 'See on', ru: 'Смотреть в' }, kind: 'post' },
  },
  {
    hosts: ['vk.com'],
    provider: { name: 'VK', action: { en: 'See on', ru: 'Смотреть во' }, kind: 'post' },
  },
  {
    hosts: ['soundcloud.com'],
    provider: {
      name: 'SoundCloud',
      action: { en: 'Listen on', ru: 'Слушать на' },
      kind: 'audio',
    },
  },
];

/** The provider of an https URL on the allow-list, or null for any other URL. */
export function embedProvider(url: string): EmbedProvider | null {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:') return null;
    host = parsed.hostname.toLowerCase().replace(/^(www|m|mobile)\./, '');
  } catch {
    return null;
  }
  return PROVIDERS.find((entry) => entry.hosts.includes(host))?.provider ?? null;
}

/** The names of the allowed providers, for help texts. */
export function embedProviderNames(): string[] {
  return PROVIDERS.map((entry) => entry.provider.name);
}

/** What an embed's link says to readers of `language`: "Watch on YouTube: The full speech". */
export function embedLinkText(url: string, title: string, language: string): string {
  const provider = embedProvider(url);
  const action = provider ? (language === 'ru' ? provider.action.ru : provider.action.en) : '';
  const label = provider ? `${action} ${provider.name}` : language === 'ru' ? 'Открыть' : 'Open';
  return `${label}: ${title || url}`;
}

/**
 * The players that may be framed on a reader page, once the reader presses
 * Play: each the provider's privacy-friendlier address (no cookies until
 * playing, "do not track"). The page's CSP allows exactly these in frame-src.
 */
export const EMBED_PLAYER_ORIGINS = [
  'https://www.youtube-nocookie.com',
  'https://player.vimeo.com',
  'https://w.soundcloud.com',
] as const;

/**
 * An item that can play on the page: which player, and what it is called
 * there (a YouTube video id, a Vimeo number, a SoundCloud track's path).
 */
export type EmbedPlayable = { player: 'youtube' | 'vimeo' | 'soundcloud'; id: string };

// YouTube ids are 11 characters of base64url; anything else is not a video address.
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

/** The playable item an embed's URL names, or null (a post, a channel page, a playlist). */
export function embedPlayable(url: string): EmbedPlayable | null {
  const provider = embedProvider(url);
  if (!provider) return null;
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase().replace(/^(www|m|mobile)\./, '');
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
  if (provider.name === 'YouTube') {
    const id =
      host === 'youtu.be'
        ? segments[0]
        : segments[0] === 'watch'
          ? (parsed.searchParams.get('v') ?? undefined)
          : ['embed', 'shorts', 'live', 'v'].includes(segments[0] ?? '')
            ? segments[1]
            : undefined;
    return id !== undefined && YOUTUBE_ID.test(id) ? { player: 'youtube', id } : null;
  }
  if (provider.name === 'Vimeo') {
    // vimeo.com/76979871, vimeo.com/channels/staffpicks/76979871, vimeo.com/video/76979871
    const id = segments.find((segment) => /^\d{1,12}$/.test(segment));
    return id ? { player: 'vimeo', id } : null;
  }
  if (provider.name === 'SoundCloud') {
    // A track or a set is named by its path on soundcloud.com; a profile page alone is not playable.
    // The path as the URL parser left it (percent-encoded), in plain address characters only.
    return segments.length >= 2 && segments.every((segment) => /^[\w.~%-]+$/.test(segment))
      ? { player: 'soundcloud', id: `/${segments.join('/')}` }
      : null;
  }
  return null;
}

/** The address of the player for a playable item, which site.js builds the same way. */
export function embedPlayerUrl(playable: EmbedPlayable): string {
  switch (playable.player) {
    case 'youtube':
      return `https://www.youtube-nocookie.com/embed/${encodeURIComponent(playable.id)}?autoplay=1`;
    case 'vimeo':
      return `https://player.vimeo.com/video/${encodeURIComponent(playable.id)}?dnt=1&autoplay=1`;
    case 'soundcloud':
      return `https://w.soundcloud.com/player/?url=${encodeURIComponent(`https://soundcloud.com${playable.id}`)}&auto_play=true`;
  }
}

/** Where the server asks each provider for a thumbnail: real services by default, a stand-in in tests. */
export type EmbedThumbnailBases = {
  /** YouTube's image host (https://i.ytimg.com). */
  youtubeImages: string;
  /** Vimeo's site, whose oEmbed answers a thumbnail_url (https://vimeo.com). */
  vimeo: string;
  /** SoundCloud's site, whose oEmbed answers a thumbnail_url (https://soundcloud.com). */
  soundcloud: string;
};

export const EMBED_THUMBNAIL_BASES: EmbedThumbnailBases = {
  youtubeImages: 'https://i.ytimg.com',
  vimeo: 'https://vimeo.com',
  soundcloud: 'https://soundcloud.com',
};

/**
 * How the server finds an embed's thumbnail: the picture itself (YouTube's is
 * at a known address), or an oEmbed answer whose `thumbnail_url` names it;
 * null when the provider offers none (posts) or the URL names nothing playable.
 */
export function embedThumbnailSource(
  url: string,
  bases: EmbedThumbnailBases,
): { image: string } | { oembed: string } | null {
  const playable = embedPlayable(url);
  if (!playable) return null;
  const base = (address: string) => address.replace(/\/+$/, '');
  switch (playable.player) {
    case 'youtube':
      return { image: `${base(bases.youtubeImages)}/vi/${playable.id}/hqdefault.jpg` };
    case 'vimeo':
      return {
        oembed: `${base(bases.vimeo)}/api/oembed.json?url=${encodeURIComponent(`https://vimeo.com/${playable.id}`)}`,
      };
    case 'soundcloud':
      return {
        oembed: `${base(bases.soundcloud)}/oembed?format=json&url=${encodeURIComponent(`https://soundcloud.com${playable.id}`)}`,
      };
  }
}

/**
 * Embeds are allowed from a short list of providers and are never loaded on
 * reader pages: a reader sees a plain link ("Watch on YouTube"), so no
 * third-party script or request ever reaches their browser.
 */
export type EmbedProvider = { name: string; action: { en: string; ru: string } };

const PROVIDERS: { hosts: string[]; provider: EmbedProvider }[] = [
  {
    hosts: ['youtube.com', 'youtu.be'],
    provider: { name: 'YouTube', action: { en: 'Watch on', ru: 'Смотреть на' } },
  },
  {
    hosts: ['vimeo.com'],
    provider: { name: 'Vimeo', action: { en: 'Watch on', ru: 'Смотреть на' } },
  },
  {
    hosts: ['x.com', 'twitter.com'],
    provider: { name: 'X', action: { en: 'Read on', ru: 'Читать в' } },
  },
  { hosts: ['t.me'], provider: { name: 'Telegram', action: { en: 'Read on', ru: 'Читать в' } } },
  {
    hosts: ['instagram.com'],
    provider: { name: 'Instagram', action: { en: 'See on', ru: 'Смотреть в' } },
  },
  {
    hosts: ['facebook.com'],
    provider: { name: 'Facebook', action: { en: 'See on', ru: 'Смотреть в' } },
  },
  { hosts: ['vk.com'], provider: { name: 'VK', action: { en: 'See on', ru: 'Смотреть во' } } },
  {
    hosts: ['soundcloud.com'],
    provider: { name: 'SoundCloud', action: { en: 'Listen on', ru: 'Слушать на' } },
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

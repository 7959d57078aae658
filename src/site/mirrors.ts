import { Feed } from 'feed';
import type { SiteChrome } from '../core/views.js';
import { uiText } from './i18n.js';
import type { MirrorsView } from './pages/mirrors-page.js';

// The list of addresses for programs: JSON for tools that watch for new
// mirrors, and an Atom feed so a reader's feed app learns of a new address
// the day it is added.

/** /mirrors.json: the site, its signing key, and every address to read it at. */
export function mirrorsJson(chrome: SiteChrome, view: MirrorsView): string {
  return `${JSON.stringify(
    {
      site: chrome.settings.name,
      origin: chrome.publicUrl,
      publicKey: view.publicKey,
      publicKeyUrl: `${chrome.publicUrl}/.well-known/masthead-key`,
      mirrors: view.mirrors.map((mirror) => ({
        url: mirror.url,
        label: mirror.label,
        kind: mirror.isOnion ? 'onion' : 'web',
        added: mirror.addedAt,
      })),
    },
    null,
    2,
  )}\n`;
}

/** /mirrors.xml: one Atom entry per address, newest first. */
export function mirrorsFeed(chrome: SiteChrome, view: MirrorsView): string {
  const text = uiText(chrome.settings.language);
  const origin = chrome.publicUrl;
  const newest = view.mirrors
    .map((mirror) => mirror.addedAt)
    .sort()
    .at(-1);
  const feed = new Feed({
    id: `${origin}/mirrors`,
    title: `${chrome.settings.name}: ${text.mirrorList}`,
    description: text.mirrorsIntro,
    link: `${origin}/mirrors`,
    language: chrome.settings.language,
    // A fixed date when the list is empty: the same list gives the same bytes.
    updated: new Date(newest ?? '2000-01-01T00:00:00.000Z'),
    generator: 'Masthead',
    copyright: `© ${chrome.settings.name}`,
    feedLinks: { atom: `${origin}/mirrors.xml` },
  });
  for (const mirror of [...view.mirrors].sort((a, b) => (a.addedAt < b.addedAt ? 1 : -1))) {
    feed.addItem({
      title: mirror.label ? `${mirror.url} — ${mirror.label}` : mirror.url,
      id: mirror.url,
      link: mirror.url,
      date: new Date(mirror.addedAt),
      description: mirror.isOnion ? text.mirrorsOnion : text.mirrorsIntro,
    });
  }
  return feed.atom1();
}

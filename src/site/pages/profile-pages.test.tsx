import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { assets, chrome, editor, photo } from '../../../test/site-fixtures.js';
import { type NewsroomContacts, NO_NEWSROOM_CONTACTS } from '../../core/contacts.js';
import type { Person } from '../../core/types.js';
import type { SiteChrome } from '../../core/views.js';
import { renderHtml } from '../render-page.js';
import { ContactPage } from './contact-page.js';
import { AuthorPage } from './listing-pages.js';

const russian: SiteChrome = { ...chrome, settings: { ...chrome.settings, language: 'ru' } };

const ada: Person = {
  ...editor,
  id: 3,
  name: 'Ada Lindqvist',
  slug: 'ada-lindqvist',
  bio: 'Ada covers the port and the city council.',
  mastheadRole: 'politics-correspondent',
  mastheadTitle: 'Politics correspondent',
  photoMediaId: 9,
  contacts: {
    email: 'ada@gazette.example',
    signal: 'ada_l.01',
    pgpFingerprint: '0123456789ABCDEF0123456789ABCDEF01234567',
    pgpKeyUrl: '/keys/ada.asc',
    links: [
      { label: 'Website', url: 'https://ada.example' },
      { label: 'Mastodon', url: 'https://social.example/@ada' },
    ],
  },
};
const portrait = {
  ...photo,
  id: 9,
  file: 'ada.jpg',
  width: 1600,
  height: 1200,
  alt: 'Ada Lindqvist',
  focus: { x: 72, y: 31 },
};

function authorPage(pageChrome: SiteChrome = chrome) {
  return parse(
    renderHtml(
      AuthorPage({
        view: { person: ada, photo: portrait, teasers: [], total: 0 },
        chrome: pageChrome,
        assets,
      }),
    ),
  );
}

function jsonLd(root: ReturnType<typeof parse>): Record<string, unknown> {
  return JSON.parse(root.querySelector('script[type="application/ld+json"]')?.text ?? '{}');
}

const channels: NewsroomContacts = {
  signal: 'gazette.42',
  email: 'tips@gazette.example',
  secureDrop: 'http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion',
  pgpFingerprint: 'FEDCBA9876543210FEDCBA9876543210FEDCBA98',
  pgpKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nx\n-----END PGP PUBLIC KEY BLOCK-----\n',
  texts: { en: 'We read every message.', ru: 'Мы читаем каждое сообщение.' },
};

function contactPage(contacts: NewsroomContacts, pageChrome: SiteChrome = chrome) {
  return parse(
    renderHtml(ContactPage({ view: { contacts, staff: [ada] }, chrome: pageChrome, assets })),
  );
}

describe('AuthorPage', () => {
  it('shows the portrait cropped square at its focal point, name, role, biography and contacts', () => {
    const root = authorPage();
    const picture = root.querySelector('picture.author-photo');
    expect(picture?.classList.contains('focus-x-70')).toBe(true);
    expect(picture?.classList.contains('focus-y-30')).toBe(true);
    expect(picture?.querySelector('img')?.getAttribute('alt')).toBe('Ada Lindqvist');
    expect(root.querySelector('h1')?.text).toBe('Ada Lindqvist');
    expect(root.querySelector('.page-kind')?.text).toBe('Politics correspondent');
    expect(root.querySelector('.author-bio')?.text).toBe(ada.bio);
    const contacts = root.querySelector('.person-contacts');
    expect(contacts?.querySelector('h2')?.text).toBe('How to reach');
    expect(contacts?.querySelector('a[href="mailto:ada@gazette.example"]')).not.toBeNull();
    expect(contacts?.text).toContain('ada_l.01');
    expect(contacts?.text).toContain('0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567');
    expect(contacts?.querySelector('a[href="/keys/ada.asc"]')?.text).toBe('Public key');
    expect(
      contacts?.querySelectorAll('.person-links a').map((a) => [a.text, a.getAttribute('href')]),
    ).toEqual([
      ['Website', 'https://ada.example'],
      ['Mastodon', 'https://social.example/@ada'],
    ]);
    // Reader pages carry no inline style (CSP): the crop is classes only.
    expect(root.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('describes the author as a schema.org Person with image, job title, e-mail and sameAs', () => {
    const person = jsonLd(authorPage()).mainEntity as Record<string, unknown>;
    expect(person['@type']).toBe('Person');
    expect(person.jobTitle).toBe('Politics correspondent');
    expect(person.email).toBe('ada@gazette.example');
    expect(person.sameAs).toEqual(['https://ada.example', 'https://social.example/@ada']);
    expect((person.image as Record<string, unknown>)['@type']).toBe('ImageObject');
    expect(String((person.image as Record<string, unknown>).url)).toMatch(
      /^https:\/\/gazette\.example\/media\/ada/,
    );
  });

  it('speaks Russian on a Russian site and shows nothing for contacts never given', () => {
    const root = authorPage(russian);
    expect(root.querySelector('.person-contacts h2')?.text).toBe('Как связаться');
    expect(root.querySelector('.person-contacts')?.text).toContain('Электронная почта');
    const bare = parse(
      renderHtml(
        AuthorPage({
          view: { person: editor, photo: null, teasers: [], total: 0 },
          chrome,
          assets,
        }),
      ),
    );
    expect(bare.querySelector('.person-contacts')).toBeNull();
    expect(bare.querySelector('picture')).toBeNull();
    // Without a biography, search results still get a description of the page.
    expect(bare.querySelector('meta[name=description]')?.getAttribute('content')).toBe(
      `Articles by ${editor.name}, and how to reach them.`,
    );
    expect(jsonLd(bare).mainEntity).not.toHaveProperty('sameAs');
  });
});

describe('ContactPage', () => {
  it('gives each channel with how to use it safely, the key file, and staff linking their pages', () => {
    const root = contactPage(channels);
    expect(root.querySelector('h1')?.text).toBe('Contact us safely');
    expect(root.text).toContain('We read every message.');
    const secureDrop = root.querySelector('section[aria-labelledby="contact-securedrop"]');
    expect(secureDrop?.querySelector('code')?.text).toBe(channels.secureDrop);
    expect(secureDrop?.text).toContain('Tor Browser');
    const signal = root.querySelector('section[aria-labelledby="contact-signal"]');
    expect(signal?.text).toContain('gazette.42');
    expect(signal?.text).toContain('disappearing messages');
    expect(root.text).toContain('FEDC BA98 7654 3210 FEDC BA98 7654 3210 FEDC BA98');
    expect(root.querySelector('a[href="/contact/pgp-key.asc"]')).not.toBeNull();
    expect(root.querySelector('a[href="mailto:tips@gazette.example"]')).not.toBeNull();
    expect(root.querySelector('.contact-staff a[href="/authors/ada-lindqvist"]')?.text).toBe(
      'Ada Lindqvist',
    );
    expect(root.querySelector('.contact-staff')?.text).toContain('ada_l.01');
    expect(root.querySelector('footer a[href="/contact"]')?.text).toBe('Contact us safely');
    expect(jsonLd(root)['@type']).toBe('ContactPage');
  });

  it('is in Russian on a Russian site, with the newsroom’s Russian words', () => {
    const root = contactPage(channels, russian);
    expect(root.querySelector('html')?.getAttribute('lang')).toBe('ru');
    expect(root.querySelector('h1')?.text).toBe('Как связаться безопасно');
    expect(root.text).toContain('Мы читаем каждое сообщение.');
    expect(root.text).not.toContain('We read every message.');
    expect(root.text).toContain('исчезающие сообщения');
    expect(root.querySelector('a[href="/contact/pgp-key.asc"]')?.text).toBe(
      'Скачать открытый ключ',
    );
  });

  it('says so when the newsroom has published no channel yet, and offers no key', () => {
    const root = contactPage(NO_NEWSROOM_CONTACTS);
    expect(root.text).toContain('The newsroom has not published its secure channels yet.');
    expect(root.querySelector('a[href="/contact/pgp-key.asc"]')).toBeNull();
    expect(root.querySelector('section[aria-labelledby="contact-securedrop"]')).toBeNull();
  });
});

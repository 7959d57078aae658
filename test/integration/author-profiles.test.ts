import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PageCache } from '../../src/http/page-cache.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import { buildTestServer, type Client, publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let author: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  // With a page cache, as in production: a saved profile must purge the pages showing it.
  app = await buildTestServer(newsroom, { pageCache: new PageCache(8 * 1024 * 1024) });
  author = await signIn(app, newsroom, 'author', 'Nora Vale');
  await publishThroughApi(author, { title: 'The ferry strike', section: 'news/politics' });
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const FINGERPRINT = '0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567';
const ONION = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
const KEY =
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGbTestKey\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----';

async function portrait(): Promise<number> {
  const bytes = await sharp({
    create: { width: 600, height: 400, channels: 3, background: '#335577' },
  })
    .jpeg()
    .toBuffer();
  const media = await uploadImage(newsroom, SYSTEM_ACTOR, {
    bytes,
    alt: 'Nora Vale',
    caption: 'Nora Vale',
    credit: 'The Lantern',
  });
  return media.id;
}

async function page(path: string) {
  const response = await app.inject(path);
  expect(response.statusCode, `${path}: ${response.body.slice(0, 200)}`).toBe(200);
  return parse(response.body);
}

const profile = {
  bio: 'Nora covers transport and the port.',
  contacts: {
    email: 'nora@lantern.example',
    signal: 'nora_v.07',
    pgpFingerprint: FINGERPRINT,
    pgpKeyUrl: 'https://keys.example/nora.asc',
    links: [{ label: 'Website', url: 'https://nora.example' }],
  },
};

describe('author profiles', () => {
  it('lets a person set their photo and contacts, which their author page shows', async () => {
    // Seen once before the change: the cached page must not outlive it.
    expect((await page('/authors/nora-vale')).querySelector('.person-contacts')).toBeNull();
    const photoId = await portrait();
    const saved = await author.send('PATCH', `/api/people/${author.personId}/profile`, {
      ...profile,
      photoMediaId: photoId,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      bio: profile.bio,
      photo: { id: photoId },
      contacts: { signal: 'nora_v.07', pgpFingerprint: FINGERPRINT.replaceAll(' ', '') },
    });
    const read = await author.send('GET', `/api/people/${author.personId}/profile`);
    expect(read.json().contacts.links).toEqual(profile.contacts.links);

    const root = await page('/authors/nora-vale');
    expect(root.querySelector('picture.author-photo img')?.getAttribute('alt')).toBe('Nora Vale');
    expect(root.querySelector('.author-bio')?.text).toBe(profile.bio);
    const contacts = root.querySelector('.person-contacts');
    expect(contacts?.querySelector('a[href="mailto:nora@lantern.example"]')).not.toBeNull();
    expect(contacts?.text).toContain('nora_v.07');
    expect(contacts?.text).toContain(FINGERPRINT);
    expect(contacts?.querySelector('a[href="https://nora.example"]')?.text).toBe('Website');
    const ld = JSON.parse(root.querySelector('script[type="application/ld+json"]')?.text ?? '{}');
    expect(ld.mainEntity).toMatchObject({
      '@type': 'Person',
      email: 'nora@lantern.example',
      sameAs: ['https://nora.example'],
    });

    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.profile')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.subject).toBe(`person:${author.personId}`);
  });

  it('lets only the person and the editor-in-chief change a profile, and needs the CSRF token', async () => {
    const other = await signIn(app, newsroom, 'editor', 'Omar Reyes');
    const url = `/api/people/${author.personId}/profile`;
    const refused = await other.send('PATCH', url, { bio: 'Not mine to write.' });
    expect(refused.statusCode).toBe(403);
    expect((await other.send('GET', url)).statusCode).toBe(403);
    expect((await author.send('PATCH', url, { bio: 'x' }, { csrf: null })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PATCH', url, payload: { bio: 'x' } })).statusCode).toBe(
      401,
    );

    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mara Chief');
    const changed = await chief.send('PATCH', url, { bio: 'Transport correspondent.' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await page('/authors/nora-vale')).querySelector('.author-bio')?.text).toBe(
      'Transport correspondent.',
    );
    expect((await chief.send('PATCH', '/api/people/99999/profile', { bio: 'x' })).statusCode).toBe(
      404,
    );
  });

  it('refuses bad input with 400 naming the field', async () => {
    const url = `/api/people/${author.personId}/profile`;
    const cases: [unknown, string][] = [
      [{ contacts: { signal: '12345' } }, 'contacts.signal'],
      [{ contacts: { pgpFingerprint: 'ABC' } }, 'contacts.pgpFingerprint'],
      [
        { contacts: { links: [{ label: 'Site', url: 'http://nora.example' }] } },
        'contacts.links.0.url',
      ],
      [{ contacts: { email: 'nora' } }, 'contacts.email'],
      [{ photoMediaId: 424242 }, 'photoMediaId'],
    ];
    for (const [body, field] of cases) {
      const response = await author.send('PATCH', url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'invalid_input', field });
      expect(response.json().error.message).toMatch(
        new RegExp(`^${field.replaceAll('.', '\\.')}: `),
      );
    }
  });

  it('keeps a photo that a profile shows from being deleted', async () => {
    const photoId = await portrait();
    await author.send('PATCH', `/api/people/${author.personId}/profile`, { photoMediaId: photoId });
    const editor = await signIn(app, newsroom, 'editor', 'Photo Desk');
    const refused = await editor.send('DELETE', `/api/media/${photoId}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('portrait of Nora Vale');
    await author.send('PATCH', `/api/people/${author.personId}/profile`, { photoMediaId: null });
    expect((await editor.send('DELETE', `/api/media/${photoId}`)).statusCode).toBe(204);
  });
});

describe('the contact page', () => {
  it('shows the newsroom’s channels, serves its key, and lists staff with public contacts', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mara Chief');
    // Linked from every page's footer; the sample newsroom gives only an
    // address at .example, which reaches no one (never a real Signal account).
    expect((await page('/')).querySelector('footer a[href="/contact"]')).not.toBeNull();
    const sample = (await page('/contact')).text;
    expect(sample).toContain('tips@lantern.example');
    expect(sample).not.toContain('.onion');
    expect((await app.inject('/contact/pgp-key.asc')).statusCode).toBe(404);

    const channels = {
      signal: 'lantern.42',
      email: 'sources@lantern.example',
      secureDrop: ONION,
      pgpFingerprint: FINGERPRINT,
      pgpKey: KEY,
      texts: { en: 'We read every message.', ru: 'Мы читаем каждое сообщение.' },
    };
    expect((await author.send('PUT', '/api/settings/contact', channels)).statusCode).toBe(403);
    const bad = await chief.send('PUT', '/api/settings/contact', {
      ...channels,
      secureDrop: 'x.onion',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('secureDrop');
    const saved = await chief.send('PUT', '/api/settings/contact', channels);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().secureDrop).toBe(`http://${ONION}`);
    expect((await chief.send('GET', '/api/settings/contact')).json().signal).toBe('lantern.42');

    await author.send('PATCH', `/api/people/${author.personId}/profile`, profile);
    const root = await page('/contact');
    expect(root.text).toContain(`http://${ONION}`);
    expect(root.text).toContain('Tor Browser');
    expect(root.text).toContain('We read every message.');
    expect(root.text).toContain('lantern.42');
    expect(root.querySelector('.contact-staff a[href="/authors/nora-vale"]')?.text).toBe(
      'Nora Vale',
    );
    const key = await app.inject('/contact/pgp-key.asc');
    expect(key.statusCode).toBe(200);
    expect(key.headers['content-type']).toBe('application/pgp-keys');
    expect(key.body).toBe(`${KEY}\n`);
    expect(key.headers['set-cookie']).toBeUndefined();

    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'settings.contact')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail_json).changed.sort()).toEqual([
      'email',
      'pgpFingerprint',
      'pgpKey',
      'secureDrop',
      'signal',
      'texts',
    ]);
  });
});

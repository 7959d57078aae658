import { describe, expect, it } from 'vitest';
import {
  formatFingerprint,
  parseNewsroomContacts,
  parsePersonProfile,
  parseStoredContacts,
} from './contacts.js';
import { isDomainError } from './errors.js';

const FINGERPRINT = '0123 4567 89AB CDEF 0123  4567 89ab cdef 0123 4567';
const ONION = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
const KEY = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGb\n-----END PGP PUBLIC KEY BLOCK-----';

/** The field and message a refused input names. */
function refusal(parse: () => unknown): { field: string | undefined; message: string } {
  try {
    parse();
  } catch (error) {
    if (isDomainError(error, 'invalid_input'))
      return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('accepted');
}

const contacts = (value: Record<string, unknown>) => () => parsePersonProfile({ contacts: value });

describe('a person’s public contacts', () => {
  it('takes good contacts and normalises them', () => {
    const profile = parsePersonProfile({
      bio: '  Covers the port. ',
      photoMediaId: 4,
      contacts: {
        email: 'ada@lantern.example',
        signal: '+49 151 2345-6789',
        pgpFingerprint: FINGERPRINT,
        pgpKeyUrl: '/keys/ada.asc',
        links: [{ label: 'Mastodon', url: 'https://social.example/@ada' }],
      },
    });
    expect(profile.bio).toBe('Covers the port.');
    expect(profile.photoMediaId).toBe(4);
    expect(profile.contacts).toEqual({
      email: 'ada@lantern.example',
      signal: '+4915123456789',
      pgpFingerprint: '0123456789ABCDEF0123456789ABCDEF01234567',
      pgpKeyUrl: '/keys/ada.asc',
      links: [{ label: 'Mastodon', url: 'https://social.example/@ada' }],
    });
    expect(parsePersonProfile({ contacts: { signal: 'ada_l.01' } }).contacts?.signal).toBe(
      'ada_l.01',
    );
    // Absent fields stay as they are: only what was sent changes.
    expect(parsePersonProfile({ bio: '' })).toEqual({ bio: '' });
    expect(parsePersonProfile({ photoMediaId: null })).toEqual({ photoMediaId: null });
  });

  it('refuses bad contacts naming the field in plain words', () => {
    expect(refusal(contacts({ email: 'ada at lantern' }))).toEqual({
      field: 'contacts.email',
      message: 'contacts.email: an e-mail address such as name@example.org',
    });
    expect(refusal(contacts({ signal: '0151 2345' })).field).toBe('contacts.signal');
    expect(refusal(contacts({ signal: 'ada' })).message).toMatch(
      /^contacts\.signal: a number in international form .* or a Signal username such as name\.01$/,
    );
    expect(refusal(contacts({ pgpFingerprint: 'XYZ' })).message).toBe(
      'contacts.pgpFingerprint: a PGP key fingerprint: 40 characters 0–9 and A–F (spaces allowed)',
    );
    expect(
      refusal(contacts({ pgpFingerprint: FINGERPRINT, pgpKeyUrl: 'http://keys.example/a' })).field,
    ).toBe('contacts.pgpKeyUrl');
    expect(
      refusal(contacts({ pgpFingerprint: FINGERPRINT, pgpKeyUrl: '//evil.example/a' })).field,
    ).toBe('contacts.pgpKeyUrl');
    expect(refusal(contacts({ pgpKeyUrl: '/keys/ada.asc' })).field).toBe('contacts.pgpFingerprint');
    expect(refusal(contacts({ links: [{ label: 'Site', url: 'javascript:alert(1)' }] }))).toEqual({
      field: 'contacts.links.0.url',
      message: 'contacts.links.0.url: an https:// address (links to other sites must be https)',
    });
    expect(refusal(contacts({ links: [{ label: '', url: 'https://a.example' }] })).field).toBe(
      'contacts.links.0.label',
    );
    const six = Array.from({ length: 6 }, (_, n) => ({
      label: `L${n}`,
      url: `https://${n}.example`,
    }));
    expect(refusal(contacts({ links: six }))).toEqual({
      field: 'contacts.links',
      message: 'contacts.links: at most 5 links',
    });
    expect(refusal(contacts({ phone: '+123' })).message).toMatch(/phone/);
    expect(refusal(() => parsePersonProfile({ bio: 'x'.repeat(2001) })).message).toBe(
      'bio: too long, at most 2000 characters',
    );
    expect(refusal(() => parsePersonProfile({ photoMediaId: 'four' })).field).toBe('photoMediaId');
  });

  it('reads stored contacts leniently and prints fingerprints in groups of four', () => {
    expect(parseStoredContacts('{}').links).toEqual([]);
    expect(parseStoredContacts('not json').email).toBe('');
    expect(parseStoredContacts('{"email":"bad"}').email).toBe('');
    expect(formatFingerprint('0123456789ABCDEF0123456789ABCDEF01234567')).toBe(
      '0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567',
    );
  });
});

describe('the newsroom’s secure channels', () => {
  it('takes a SecureDrop address, a key with its fingerprint and texts in each language', () => {
    const channels = parseNewsroomContacts({
      signal: 'lantern.42',
      email: 'tips@lantern.example',
      secureDrop: ONION.toUpperCase(),
      pgpFingerprint: FINGERPRINT,
      pgpKey: `${KEY}\r\n`,
      texts: { en: 'Write to us.', ru: 'Пишите нам.' },
    });
    expect(channels.secureDrop).toBe(`http://${ONION}`);
    expect(channels.pgpKey).toBe(`${KEY}\n`);
    expect(channels.texts).toEqual({ en: 'Write to us.', ru: 'Пишите нам.' });
    expect(parseNewsroomContacts({}).secureDrop).toBe('');
  });

  it('refuses what would mislead or endanger sources, naming the field', () => {
    expect(
      refusal(() => parseNewsroomContacts({ secureDrop: 'securedrop.example.org' })).field,
    ).toBe('secureDrop');
    expect(
      refusal(() =>
        parseNewsroomContacts({
          pgpFingerprint: FINGERPRINT,
          pgpKey: '-----BEGIN PGP PRIVATE KEY BLOCK-----\nx\n-----END PGP PRIVATE KEY BLOCK-----',
        }),
      ).message,
    ).toMatch(/^pgpKey: this is a PRIVATE key: never publish it/);
    expect(refusal(() => parseNewsroomContacts({ pgpKey: KEY })).field).toBe('pgpFingerprint');
    expect(refusal(() => parseNewsroomContacts({ pgpFingerprint: FINGERPRINT })).field).toBe(
      'pgpKey',
    );
    expect(refusal(() => parseNewsroomContacts({ texts: { de: 'Hallo' } })).field).toBe('texts');
  });
});

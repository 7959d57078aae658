import type { ReactNode } from 'react';
import { formatFingerprint, hasContacts, type PersonContacts } from '../core/contacts.js';
import { uiText } from './i18n.js';

// How to reach a journalist, as they publish it: on their page, and in short
// on the contact page. Numbers and fingerprints are text to copy and compare,
// not links: nothing here opens an app or asks another site for anything.

/** A person's contacts as a definition list, under a heading; nothing when they publish none. */
export function PersonContactList({
  contacts,
  language,
}: {
  contacts: PersonContacts;
  language: string;
}): ReactNode {
  if (!hasContacts(contacts)) return null;
  const text = uiText(language);
  return (
    <section className="person-contacts" aria-labelledby="person-contacts-heading">
      <h2 id="person-contacts-heading">{text.authorContacts}</h2>
      <dl>
        {contacts.email ? (
          <>
            <dt>{text.contactEmail}</dt>
            <dd>
              <a href={`mailto:${contacts.email}`}>{contacts.email}</a>
            </dd>
          </>
        ) : null}
        {contacts.signal ? (
          <>
            <dt>{text.contactSignal}</dt>
            <dd>
              <code>{contacts.signal}</code>
            </dd>
          </>
        ) : null}
        {contacts.pgpFingerprint ? (
          <>
            <dt>{text.contactPgp}</dt>
            <dd>
              <span className="fingerprint">
                {text.contactFingerprint}: <code>{formatFingerprint(contacts.pgpFingerprint)}</code>
              </span>
              {contacts.pgpKeyUrl ? (
                <>
                  {' '}
                  <a href={contacts.pgpKeyUrl}>{text.authorKey}</a>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {contacts.links.length > 0 ? (
          <>
            <dt>{text.authorLinks}</dt>
            <dd>
              <ul className="person-links">
                {contacts.links.map((link) => (
                  <li key={link.url}>
                    {/* rel="me": the fediverse and others verify a profile by it. */}
                    <a href={link.url} rel="me noopener">
                      {link.label}
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** One line of a colleague's contacts for the contact page ("Signal: name.01 · E-mail: …"). */
export function ContactSummary({
  contacts,
  language,
}: {
  contacts: PersonContacts;
  language: string;
}): ReactNode {
  const text = uiText(language);
  const parts: ReactNode[] = [];
  if (contacts.signal)
    parts.push(
      <span key="signal">
        {text.contactSignal}: <code>{contacts.signal}</code>
      </span>,
    );
  if (contacts.email)
    parts.push(
      <span key="email">
        {text.contactEmail}: <a href={`mailto:${contacts.email}`}>{contacts.email}</a>
      </span>,
    );
  if (contacts.pgpFingerprint)
    parts.push(
      <span key="pgp">
        {text.contactPgp}: <code>{formatFingerprint(contacts.pgpFingerprint)}</code>
      </span>,
    );
  return parts.flatMap((part, index) => (index === 0 ? [part] : [' · ', part]));
}

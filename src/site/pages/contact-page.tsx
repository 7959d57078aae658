import type { ReactNode } from 'react';
import { formatFingerprint, hasNewsroomChannels, NEWSROOM_KEY_PATH } from '../../core/contacts.js';
import { authorUrl } from '../../core/section-path.js';
import type { Language } from '../../core/types.js';
import type { ContactView } from '../../core/views.js';
import { ContactSummary } from '../contacts.js';
import { uiLanguage, uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';
import { webPage } from '../structured-data.js';

/**
 * /contact: how to reach the newsroom safely. The newsroom's own words, then
 * each channel with what it protects and how to use it (safest first), some
 * plain advice, and the journalists who publish their own contacts.
 */
export function ContactPage({ view, chrome, assets }: PageProps<ContactView>): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  const { contacts } = view;
  // The newsroom's words in the page's language, else in the site's.
  const own =
    contacts.texts[uiLanguage(language) as Language] ?? contacts.texts[chrome.settings.language];
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={text.contact}
      path="/contact"
      description={text.contactIntro}
      structuredData={webPage('ContactPage', text.contact, '/contact', chrome)}
    >
      <h1>{text.contact}</h1>
      {own
        ? own
            .split(/\n\s*\n/)
            // Paragraphs never move: their place is their key.
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
            .map((paragraph, index) => <p key={index}>{paragraph.trim()}</p>)
        : null}
      <p>{text.contactIntro}</p>
      {hasNewsroomChannels(contacts) ? null : <p>{text.contactNone}</p>}
      {contacts.secureDrop ? (
        <section className="contact-channel" aria-labelledby="contact-securedrop">
          <h2 id="contact-securedrop">{text.contactSecureDrop}</h2>
          <p>
            <code className="contact-address">{contacts.secureDrop}</code>
          </p>
          <p>{text.contactSecureDropHow}</p>
        </section>
      ) : null}
      {contacts.signal ? (
        <section className="contact-channel" aria-labelledby="contact-signal">
          <h2 id="contact-signal">{text.contactSignal}</h2>
          <p>
            <code className="contact-address">{contacts.signal}</code>
          </p>
          <p>{text.contactSignalHow}</p>
        </section>
      ) : null}
      {contacts.email || contacts.pgpFingerprint ? (
        <section className="contact-channel" aria-labelledby="contact-email">
          <h2 id="contact-email">{contacts.email ? text.contactEmail : text.contactPgp}</h2>
          {contacts.email ? (
            <>
              <p>
                <a href={`mailto:${contacts.email}`}>{contacts.email}</a>
              </p>
              <p>{text.contactEmailHow}</p>
            </>
          ) : null}
          {contacts.pgpFingerprint ? (
            <>
              <p>
                {text.contactPgp}, {text.contactFingerprint.toLowerCase()}:{' '}
                <code className="contact-address">
                  {formatFingerprint(contacts.pgpFingerprint)}
                </code>
              </p>
              <p>{text.contactPgpHow}</p>
              {contacts.pgpKey ? (
                <p>
                  <a href={NEWSROOM_KEY_PATH} type="application/pgp-keys">
                    {text.contactPgpDownload}
                  </a>
                </p>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="contact-safety">
        <h2 id="contact-safety">{text.contactSafety}</h2>
        <ul>
          <li>{text.contactSafety1}</li>
          <li>{text.contactSafety2}</li>
          <li>{text.contactSafety3}</li>
          <li>{text.contactSafety4}</li>
        </ul>
      </section>
      {view.staff.length > 0 ? (
        <section aria-labelledby="contact-staff">
          <h2 id="contact-staff">{text.contactStaff}</h2>
          <p>{text.contactStaffIntro}</p>
          <ul className="contact-staff">
            {view.staff.map((person) => (
              <li key={person.id}>
                <a href={authorUrl(person.slug)}>{person.name}</a>
                {person.mastheadTitle ? `, ${person.mastheadTitle}` : ''}
                <br />
                <ContactSummary contacts={person.contacts} language={language} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

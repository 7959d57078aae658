import type { ReactNode } from 'react';
import type { NewsletterList } from '../../core/newsletters.js';
import { uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';

/**
 * The newsletter pages a reader sees, all plain forms that work without
 * JavaScript and set no cookie: sign up, "check your inbox", confirm (a
 * button, so that a mail scanner opening the link confirms nothing), and
 * unsubscribe.
 */
export type NewslettersView =
  | {
      step: 'sign-up';
      lists: NewsletterList[];
      isOpen: boolean;
      email?: string;
      picked?: number[];
      problem?: string;
    }
  | { step: 'sent' }
  | { step: 'confirm'; token: string }
  | { step: 'confirmed'; lists: NewsletterList[] }
  | { step: 'unsubscribe'; token: string; preferencesToken: string | null }
  | { step: 'unsubscribed'; preferencesToken: string | null }
  | {
      step: 'preferences';
      token: string;
      address: string;
      lists: (NewsletterList & { isSubscribed: boolean })[];
      isSaved: boolean;
    }
  | { step: 'problem'; problem: string };

export function NewslettersPage({ view, chrome, assets }: PageProps<NewslettersView>): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  const title =
    view.step === 'sent'
      ? text.newsletterSentTitle
      : view.step === 'confirm' || view.step === 'confirmed'
        ? text.newsletterConfirmTitle
        : view.step === 'unsubscribe' || view.step === 'unsubscribed'
          ? text.newsletterUnsubscribeTitle
          : view.step === 'preferences'
            ? text.newsletterPreferencesTitle
            : view.step === 'problem'
              ? text.newsletterProblem
              : text.newsletters;
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={title}
      path="/newsletters"
      description={text.newslettersIntro}
    >
      <h1>{title}</h1>
      {view.step === 'sign-up' ? <SignUp view={view} language={language} /> : null}
      {view.step === 'sent' ? <p>{text.newsletterSent}</p> : null}
      {view.step === 'confirm' ? (
        <form method="post" action="/newsletters/confirm">
          <input type="hidden" name="t" value={view.token} />
          <button type="submit">{text.newsletterConfirmButton}</button>
        </form>
      ) : null}
      {view.step === 'confirmed' ? (
        <>
          <p>{text.newsletterConfirmed}</p>
          <ul>
            {view.lists.map((list) => (
              <li key={list.id}>{list.name}</li>
            ))}
          </ul>
        </>
      ) : null}
      {view.step === 'unsubscribe' ? (
        <>
          <form
            method="post"
            action={`/newsletters/unsubscribe?t=${encodeURIComponent(view.token)}`}
          >
            <button type="submit">{text.newsletterUnsubscribeButton}</button>
          </form>
          <PreferencesLink token={view.preferencesToken} language={language} />
        </>
      ) : null}
      {view.step === 'unsubscribed' ? (
        <>
          <p>{text.newsletterUnsubscribed}</p>
          <PreferencesLink token={view.preferencesToken} language={language} />
        </>
      ) : null}
      {view.step === 'preferences' ? <Preferences view={view} language={language} /> : null}
      {view.step === 'problem' ? <p role="alert">{view.problem}</p> : null}
    </Layout>
  );
}

/**
 * The newsletters as checkboxes named `list` (what /newsletters and the
 * preferences form read), each with its description; `idPrefix` keeps ids
 * apart from other forms on the page.
 */
export function ListChoices<T extends { id: number; name: string; description?: string }>({
  lists,
  isChecked,
  language,
  idPrefix = 'newsletter',
}: {
  lists: T[];
  isChecked: (list: T) => boolean;
  language: string;
  idPrefix?: string;
}): ReactNode {
  return (
    <fieldset>
      <legend>{uiText(language).newsletterChoose}</legend>
      {lists.map((list) => (
        <div key={list.id} className="newsletter-choice">
          <input
            type="checkbox"
            id={`${idPrefix}-${list.id}`}
            name="list"
            value={String(list.id)}
            defaultChecked={isChecked(list)}
          />
          <label htmlFor={`${idPrefix}-${list.id}`}>
            {list.name}
            {list.description ? ` — ${list.description}` : ''}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

function PreferencesLink({
  token,
  language,
}: {
  token: string | null;
  language: string;
}): ReactNode {
  if (!token) return null;
  return (
    <p>
      <a href={`/newsletters/preferences?t=${encodeURIComponent(token)}`}>
        {uiText(language).newsletterPreferencesLink}
      </a>
    </p>
  );
}

function Preferences({
  view,
  language,
}: {
  view: Extract<NewslettersView, { step: 'preferences' }>;
  language: string;
}): ReactNode {
  const text = uiText(language);
  return (
    <form method="post" action="/newsletters/preferences" className="newsletter-form">
      {view.isSaved ? <p role="status">{text.newsletterPreferencesSaved}</p> : null}
      <p>{text.newsletterPreferencesIntro.replace('{address}', view.address)}</p>
      <input type="hidden" name="t" value={view.token} />
      <ListChoices lists={view.lists} isChecked={(list) => list.isSubscribed} language={language} />
      <button type="submit">{text.newsletterPreferencesSave}</button>
    </form>
  );
}

function SignUp({
  view,
  language,
}: {
  view: Extract<NewslettersView, { step: 'sign-up' }>;
  language: string;
}): ReactNode {
  const text = uiText(language);
  if (view.lists.length === 0) return <p>{text.newsletterNone}</p>;
  return (
    <>
      <p>{text.newslettersIntro}</p>
      {view.isOpen ? (
        <form method="post" action="/newsletters" className="newsletter-form">
          {view.problem ? (
            <p role="alert" id="newsletter-problem">
              {view.problem}
            </p>
          ) : null}
          <label htmlFor="newsletter-email">{text.newsletterEmail}</label>
          <input
            id="newsletter-email"
            type="email"
            name="email"
            required
            autoComplete="email"
            defaultValue={view.email ?? ''}
            {...(view.problem ? { 'aria-describedby': 'newsletter-problem' } : {})}
          />
          <ListChoices
            lists={view.lists}
            isChecked={(list) =>
              view.picked ? view.picked.includes(list.id) : view.lists.length === 1
            }
            language={language}
          />
          <button type="submit">{text.newsletterSubscribe}</button>
        </form>
      ) : (
        <>
          <ul>
            {view.lists.map((list) => (
              <li key={list.id}>{list.name}</li>
            ))}
          </ul>
          <p>{text.newsletterClosed}</p>
        </>
      )}
    </>
  );
}

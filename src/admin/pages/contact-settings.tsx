import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import type { NewsroomContacts } from '../../core/contacts.js';
import { LANGUAGES, type Language } from '../../core/types.js';
import { api, messageOf } from '../api.js';
import { type FieldProblem, notSaved, refusedProps } from '../field-problem.js';
import { languageName } from '../languages.js';

// The newsroom's secure channels on /contact (editor-in-chief): what sources
// use to reach it, so each field says plainly what it is for.

type Field = Exclude<keyof NewsroomContacts, 'texts' | 'pgpKey'>;

const FIELDS: { key: Field; label: string; hint: string }[] = [
  {
    key: 'signal',
    label: 'Signal',
    hint: 'A Signal username such as newsroom.01, or a number with +. A username keeps the number private.',
  },
  {
    key: 'secureDrop',
    label: 'SecureDrop address',
    hint: 'The onion address of your SecureDrop (56 letters and digits, then .onion).',
  },
  { key: 'email', label: 'E-mail for tips', hint: '' },
  {
    key: 'pgpFingerprint',
    label: 'PGP key fingerprint',
    hint: '40 characters 0–9 and A–F; spaces are fine. Sources compare it with the key they download.',
  },
];

export function ContactSettings(): ReactNode {
  const headingId = useId();
  const idPrefix = useId();
  const [contacts, setContacts] = useState<NewsroomContacts | null>(null);
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  useEffect(() => {
    api<NewsroomContacts>('GET', '/settings/contact').then(setContacts, (failure: unknown) =>
      setProblem({ field: undefined, text: messageOf(failure) }),
    );
  }, []);
  if (!contacts) return problem ? <p role="alert">{problem.text}</p> : null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      setContacts(await api<NewsroomContacts>('PUT', '/settings/contact', contacts));
      setProblem(null);
      setMessage('Saved: the contact page shows it now.');
    } catch (failure) {
      setMessage('');
      setProblem(notSaved(failure));
    }
  };
  const refused = (field: string) => refusedProps(problem, field, idPrefix);
  const setText = (language: Language, value: string) =>
    setContacts({ ...contacts, texts: { ...contacts.texts, [language]: value } });

  return (
    <section aria-labelledby={headingId} className="contact-settings">
      <h2 id={headingId}>How sources reach the newsroom</h2>
      <p className="hint">
        Shown on the contact page (/contact), linked from the foot of every page. Leave a field
        empty to leave the channel out.
      </p>
      <form onSubmit={(event) => void save(event)}>
        {FIELDS.map(({ key, label, hint }) => (
          <label key={key}>
            {label}
            <input
              type={key === 'email' ? 'email' : 'text'}
              value={contacts[key]}
              onChange={(event) => setContacts({ ...contacts, [key]: event.target.value })}
              {...refused(key)}
            />
            {hint ? <span className="hint">{hint}</span> : null}
          </label>
        ))}
        <label>
          PGP public key (armoured, from -----BEGIN PGP PUBLIC KEY BLOCK-----)
          <textarea
            rows={6}
            value={contacts.pgpKey}
            onChange={(event) => setContacts({ ...contacts, pgpKey: event.target.value })}
            {...refused('pgpKey')}
          />
          <span className="hint">
            The public key only: readers download it from /contact/pgp-key.asc.
          </span>
        </label>
        {LANGUAGES.map((language) => (
          <label key={language}>
            A few words to sources, in {languageName(language)}
            <textarea
              rows={3}
              maxLength={2000}
              value={contacts.texts[language] ?? ''}
              onChange={(event) => setText(language, event.target.value)}
              {...refused(`texts.${language}`)}
            />
          </label>
        ))}
        <button type="submit" className="primary">
          Save contact channels
        </button>
        <p role="status">{message}</p>
        <p className="form-error" role="alert" id={`${idPrefix}-problem`}>
          {problem?.text ?? ''}
        </p>
      </form>
    </section>
  );
}

import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { MAX_BIO_LENGTH, MAX_CONTACT_LINKS } from '../core/contacts.js';
import { api, type MediaItem, messageOf, thumbnailOf } from './api.js';
import { type FieldProblem, notSaved, refusedProps } from './field-problem.js';
import { PhotoPicker } from './photo-picker.js';

// A person's public profile — portrait, biography, contacts — as their author
// page shows it. On the Account page a person edits their own; on the Staff
// screen the editor-in-chief edits anyone's. The server checks every field
// again and names the one it refuses.

type Link = { label: string; url: string };
type Contacts = {
  email: string;
  signal: string;
  pgpFingerprint: string;
  pgpKeyUrl: string;
  links: Link[];
};
type Profile = {
  personId: number;
  name: string;
  slug: string;
  bio: string;
  contacts: Contacts;
  photo: MediaItem | null;
};
type ContactField = Exclude<keyof Contacts, 'links'>;

const CONTACT_FIELDS: { key: ContactField; label: string; hint: string }[] = [
  { key: 'email', label: 'Public e-mail', hint: 'An address you are happy for anyone to see.' },
  {
    key: 'signal',
    label: 'Signal',
    hint: 'A Signal username such as name.01 (keeps your number private), or a number with +.',
  },
  {
    key: 'pgpFingerprint',
    label: 'PGP key fingerprint',
    hint: '40 characters 0–9 and A–F; spaces are fine.',
  },
  {
    key: 'pgpKeyUrl',
    label: 'Where your public key is',
    hint: 'An https:// address, or a path on this site.',
  },
];

export function PublicProfileForm({
  personId,
  heading,
}: {
  personId: number;
  /** "Your public profile", or "Public profile of Ada Lindqvist". */
  heading: string;
}): ReactNode {
  const headingId = useId();
  const idPrefix = useId();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [isPicking, setPicking] = useState(false);
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<FieldProblem | null>(null);

  useEffect(() => {
    setProfile(null);
    setMessage('');
    setProblem(null);
    api<Profile>('GET', `/people/${personId}/profile`).then(setProfile, (failure: unknown) =>
      setProblem({ field: undefined, text: messageOf(failure) }),
    );
  }, [personId]);

  if (!profile) {
    return (
      <section aria-labelledby={headingId}>
        <h2 id={headingId}>{heading}</h2>
        {problem ? <p role="alert">{problem.text}</p> : <p>Loading…</p>}
      </section>
    );
  }

  const setContact = (key: ContactField, value: string) =>
    setProfile({ ...profile, contacts: { ...profile.contacts, [key]: value } });
  const setLink = (index: number, change: Partial<Link>) =>
    setProfile({
      ...profile,
      contacts: {
        ...profile.contacts,
        links: profile.contacts.links.map((link, at) =>
          at === index ? { ...link, ...change } : link,
        ),
      },
    });
  const links = profile.contacts.links;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const saved = await api<Profile>('PATCH', `/people/${personId}/profile`, {
        bio: profile.bio,
        photoMediaId: profile.photo?.id ?? null,
        contacts: {
          ...profile.contacts,
          // A row left empty is not a link.
          links: links.filter((link) => link.label.trim() !== '' || link.url.trim() !== ''),
        },
      });
      setProfile(saved);
      setProblem(null);
      setMessage(`Saved. Readers see it on /authors/${saved.slug}.`);
    } catch (failure) {
      setMessage('');
      setProblem(notSaved(failure));
    }
  };
  const refused = (field: string) => refusedProps(problem, field, idPrefix);
  const photoSrc = profile.photo ? thumbnailOf(profile.photo) : null;

  return (
    <section aria-labelledby={headingId} className="profile-form">
      <h2 id={headingId}>{heading}</h2>
      <p className="hint">
        Shown to everyone on the author page, and your contacts on the newsroom’s contact page.
        Publish only what you are safe to publish.
      </p>
      <form onSubmit={(event) => void save(event)}>
        <fieldset>
          <legend>Photo</legend>
          {profile.photo ? (
            <figure className="profile-photo">
              {photoSrc ? (
                <img className="profile-photo-preview" src={photoSrc} alt={profile.photo.alt} />
              ) : null}
              <figcaption>{profile.photo.caption || profile.photo.alt}</figcaption>
            </figure>
          ) : (
            <p className="hint">No photo.</p>
          )}
          <p className="button-row">
            <button type="button" onClick={() => setPicking(true)}>
              {profile.photo ? 'Change photo' : 'Choose a photo'}
            </button>
            {profile.photo ? (
              <button type="button" onClick={() => setProfile({ ...profile, photo: null })}>
                Remove photo
              </button>
            ) : null}
          </p>
        </fieldset>
        <label>
          Biography
          <textarea
            rows={4}
            maxLength={MAX_BIO_LENGTH}
            value={profile.bio}
            onChange={(event) => setProfile({ ...profile, bio: event.target.value })}
            {...refused('bio')}
          />
        </label>
        <fieldset>
          <legend>Contacts</legend>
          {CONTACT_FIELDS.map(({ key, label, hint }) => (
            <label key={key}>
              {label}
              <input
                type={key === 'email' ? 'email' : 'text'}
                value={profile.contacts[key]}
                onChange={(event) => setContact(key, event.target.value)}
                {...refused(`contacts.${key}`)}
              />
              <span className="hint">{hint}</span>
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Links (website, fediverse, Telegram…)</legend>
          {links.map((link, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, never reordered
            <div key={index} className="profile-link">
              <label>
                Label
                <input
                  value={link.label}
                  maxLength={60}
                  onChange={(event) => setLink(index, { label: event.target.value })}
                  {...refused(`contacts.links.${index}.label`)}
                />
              </label>
              <label>
                Address (https://)
                <input
                  type="url"
                  value={link.url}
                  onChange={(event) => setLink(index, { url: event.target.value })}
                  {...refused(`contacts.links.${index}.url`)}
                />
              </label>
              <button
                type="button"
                onClick={() =>
                  setProfile({
                    ...profile,
                    contacts: { ...profile.contacts, links: links.filter((_, at) => at !== index) },
                  })
                }
              >
                Remove link {index + 1}
              </button>
            </div>
          ))}
          {links.length < MAX_CONTACT_LINKS ? (
            <button
              type="button"
              onClick={() =>
                setProfile({
                  ...profile,
                  contacts: { ...profile.contacts, links: [...links, { label: '', url: '' }] },
                })
              }
            >
              Add a link
            </button>
          ) : (
            <p className="hint">At most {MAX_CONTACT_LINKS} links.</p>
          )}
        </fieldset>
        <button type="submit" className="primary">
          Save public profile
        </button>
        <p role="status">{message}</p>
        <p className="form-error" role="alert" id={`${idPrefix}-problem`}>
          {problem?.text ?? ''}
        </p>
      </form>
      {isPicking ? (
        <PhotoPicker
          mode="one"
          title="Photo for the author page"
          chooseLabel="Use this photo"
          onChoose={([item]) => {
            setPicking(false);
            if (item) setProfile({ ...profile, photo: item });
          }}
          onClose={() => setPicking(false)}
        />
      ) : null}
    </section>
  );
}

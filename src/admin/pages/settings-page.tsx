import { type FormEvent, Fragment, type ReactNode, useEffect, useId, useState } from 'react';
import { LANGUAGES, type Localized } from '../../core/types.js';
import { ApiFailure, api, messageOf, type SiteSettings } from '../api.js';
import { setNewsroomTimeZone } from '../dates.js';
import { languageName } from '../languages.js';
import { ContactSettings } from './contact-settings.js';

/** The settings with the name and tagline on pages in other languages ({"ru": "…"}). */
type Settings = SiteSettings & { names: Localized; taglines: Localized };
type TextKey = 'name' | 'tagline' | 'language' | 'timeZone';

/** The server's refusal, at the field it names ("timeZone", "names.ru"). */
type Refusal = { field: string; message: string };

/**
 * Site name and tagline (in each language), interface language, time zone and
 * mandatory two-factor (editor-in-chief).
 */
export function SettingsPage(): ReactNode {
  const [settings, setSettings] = useState<Settings | null>(null);
  // null until read: saving before then must not switch mandatory two-factor off.
  const [totpRequired, setTotpRequired] = useState<boolean | null>(null);
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const idPrefix = useId();
  const languagesHintId = useId();

  useEffect(() => {
    Promise.all([
      api<Settings>('GET', '/settings/site'),
      api<{ totpRequired: boolean }>('GET', '/settings/security'),
    ]).then(
      ([site, security]) => {
        setSettings(withNames(site));
        setTotpRequired(security.totpRequired);
      },
      (failure: unknown) => setProblem(messageOf(failure)),
    );
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!settings) return;
    try {
      const saved = await api<Settings>('PUT', '/settings/site', settings);
      setSettings(withNames(saved));
      // The app shows its dates in this zone too: from now on, not after a reload.
      setNewsroomTimeZone(saved.timeZone);
      await api('PUT', '/settings/security', { totpRequired });
      setProblem('');
      setRefusal(null);
      setMessage('Settings saved.');
    } catch (failure) {
      const field = failure instanceof ApiFailure ? failure.error.field : undefined;
      const text = messageOf(failure);
      setMessage('');
      setProblem(`Not saved: ${text}`);
      setRefusal(field ? { field, message: text.replace(`${field}: `, '') } : null);
    }
  };
  const set = (key: TextKey) => (event: { target: { value: string } }) =>
    setSettings((current) => (current ? { ...current, [key]: event.target.value } : current));
  const setIn =
    (key: 'names' | 'taglines', language: string) => (event: { target: { value: string } }) =>
      setSettings((current) =>
        current
          ? { ...current, [key]: { ...current[key], [language]: event.target.value } }
          : current,
      );
  /** The props that tie a field to the server's refusal of it, and the refusal's words. */
  const refused = (field: string) => {
    const id = `${idPrefix}-${field.replace('.', '-')}-error`;
    const isRefused = refusal?.field === field;
    return {
      props: {
        'aria-invalid': isRefused || undefined,
        'aria-describedby': isRefused ? id : undefined,
      },
      note: isRefused ? (
        <span id={id} className="form-error settings-field-error">
          {refusal.message}
        </span>
      ) : null,
    };
  };

  if (!settings || totpRequired === null)
    return problem ? <p role="alert">{problem}</p> : <p>Loading…</p>;
  const otherLanguages = LANGUAGES.filter((code) => code !== settings.language);
  const name = refused('name');
  const timeZone = refused('timeZone');
  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      <form onSubmit={(event) => void save(event)}>
        <label>
          Site name
          <input required value={settings.name} onChange={set('name')} {...name.props} />
          {name.note}
        </label>
        <label>
          Tagline
          <input value={settings.tagline} onChange={set('tagline')} />
        </label>
        {otherLanguages.length > 0 ? (
          <fieldset className="settings-languages" aria-describedby={languagesHintId}>
            <legend>On pages in other languages</legend>
            <p id={languagesHintId} className="hint">
              Left empty, a page in another language shows the site name and tagline above.
            </p>
            {otherLanguages.map((code) => {
              const inName = refused(`names.${code}`);
              const inTagline = refused(`taglines.${code}`);
              return (
                <Fragment key={code}>
                  <label>
                    Name in {languageName(code)}
                    <input
                      maxLength={200}
                      value={settings.names[code] ?? ''}
                      placeholder={settings.name}
                      onChange={setIn('names', code)}
                      {...inName.props}
                    />
                    {inName.note}
                  </label>
                  <label>
                    Tagline in {languageName(code)}
                    <input
                      maxLength={200}
                      value={settings.taglines[code] ?? ''}
                      placeholder={settings.tagline}
                      onChange={setIn('taglines', code)}
                      {...inTagline.props}
                    />
                    {inTagline.note}
                  </label>
                </Fragment>
              );
            })}
          </fieldset>
        ) : null}
        <label>
          Interface language of the home and section pages
          <select value={settings.language} onChange={set('language')}>
            <option value="en">English</option>
            <option value="ru">Russian</option>
          </select>
        </label>
        <label>
          Time zone of the newsroom, for dates on the site and in this app (e.g. Europe/Riga)
          <input value={settings.timeZone} onChange={set('timeZone')} {...timeZone.props} />
          {timeZone.note}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={totpRequired}
            onChange={(e) => setTotpRequired(e.target.checked)}
          />
          Require two-factor sign-in for every staff account
        </label>
        <button type="submit" className="primary">
          Save settings
        </button>
        <p role="status">{message}</p>
        <p className="form-error" role="alert">
          {problem}
        </p>
      </form>
      <ContactSettings />
    </>
  );
}

/** The answer with its per-language names, empty where the server sent none. */
function withNames(site: Settings): Settings {
  return { ...site, names: site.names ?? {}, taglines: site.taglines ?? {} };
}

import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, messageOf, type SiteSettings } from '../api.js';
import { setNewsroomTimeZone } from '../dates.js';

/** Site name, tagline, interface language, time zone and mandatory two-factor (editor-in-chief). */
export function SettingsPage(): ReactNode {
  const [settings, setSettings] = useState<SiteSettings | null>(null);
  // null until read: saving before then must not switch mandatory two-factor off.
  const [totpRequired, setTotpRequired] = useState<boolean | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    Promise.all([
      api<SiteSettings>('GET', '/settings/site'),
      api<{ totpRequired: boolean }>('GET', '/settings/security'),
    ]).then(
      ([site, security]) => {
        setSettings(site);
        setTotpRequired(security.totpRequired);
      },
      (failure: unknown) => setMessage(messageOf(failure)),
    );
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!settings) return;
    try {
      const saved = await api<SiteSettings>('PUT', '/settings/site', settings);
      setSettings(saved);
      // The app shows its dates in this zone too: from now on, not after a reload.
      setNewsroomTimeZone(saved.timeZone);
      await api('PUT', '/settings/security', { totpRequired });
      setMessage('Settings saved.');
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const set = (key: keyof SiteSettings) => (event: { target: { value: string } }) =>
    setSettings((current) => (current ? { ...current, [key]: event.target.value } : current));

  if (!settings || totpRequired === null)
    return message ? <p role="alert">{message}</p> : <p>Loading…</p>;
  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      <form onSubmit={(event) => void save(event)}>
        <label>
          Site name
          <input required value={settings.name} onChange={set('name')} />
        </label>
        <label>
          Tagline
          <input value={settings.tagline} onChange={set('tagline')} />
        </label>
        <label>
          Interface language of the home and section pages
          <select value={settings.language} onChange={set('language')}>
            <option value="en">English</option>
            <option value="ru">Russian</option>
          </select>
        </label>
        <label>
          Time zone of the newsroom, for dates on the site and in this app (e.g. Europe/Riga)
          <input value={settings.timeZone} onChange={set('timeZone')} />
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
      </form>
    </>
  );
}

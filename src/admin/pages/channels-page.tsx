import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type Channel, messageOf, type Section } from '../api.js';
import { LANGUAGE_NAMES, languageName } from '../languages.js';
import { useLoad } from '../use-load.js';

/** The form's fields: a channel being added, or one being changed (an empty token keeps the old one). */
type Form = {
  id: number | null;
  name: string;
  chatId: string;
  secret: string;
  language: string;
  sectionIds: number[];
  isDefault: boolean;
};

const EMPTY: Form = {
  id: null,
  name: '',
  chatId: '',
  secret: '',
  language: '',
  sectionIds: [],
  isDefault: true,
};

/** The languages a channel may take: any, or one the site is written in. */
const LANGUAGES: Record<string, string> = { '': 'Any language', ...LANGUAGE_NAMES };

/**
 * Where articles go out besides the site (editor-in-chief): Telegram channels,
 * each with the articles it takes by default (a language, some sections). A
 * bot token is written once and never shown again; changing a channel keeps
 * it unless a new one is typed.
 */
export function ChannelsPage(): ReactNode {
  const channels = useLoad(() => api<{ channels: Channel[] }>('GET', '/channels'), 'channels');
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const [form, setForm] = useState<Form>(EMPTY);
  const [message, setMessage] = useState('');
  const set = <K extends keyof Form>(key: K, value: Form[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const fields = {
      name: form.name,
      chatId: form.chatId,
      language: form.language === '' ? null : form.language,
      sectionIds: form.sectionIds,
      isDefault: form.isDefault,
      ...(form.secret.trim() !== '' ? { secret: form.secret } : {}),
    };
    try {
      if (form.id === null) {
        await api('POST', '/channels', { kind: 'telegram', ...fields });
        setMessage(`Added ${form.name}.`);
      } else {
        await api('PATCH', `/channels/${form.id}`, fields);
        setMessage(`Saved ${form.name}.`);
      }
      setForm(EMPTY);
      channels.reload();
    } catch (failure) {
      setMessage(`Not saved: ${messageOf(failure)}`);
    }
  };
  const remove = async (channel: Channel) => {
    if (!window.confirm(`Remove ${channel.name}? What was posted there stays there.`)) return;
    try {
      await api('DELETE', `/channels/${channel.id}`);
      setMessage(`Removed ${channel.name}.`);
      if (form.id === channel.id) setForm(EMPTY);
      channels.reload();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const sectionNames = (ids: number[]) =>
    ids.length === 0
      ? 'every section'
      : ids
          .map(
            (id) => sections.data?.sections.find((section) => section.id === id)?.name ?? `#${id}`,
          )
          .join(', ');

  if (channels.error) return <p role="alert">{channels.error}</p>;
  if (!channels.data) return <p>Loading…</p>;
  return (
    <>
      <h1 tabIndex={-1}>Channels</h1>
      <p>
        Published articles also go out to these Telegram channels: the lead photo with the headline,
        standfirst and credit, and links to the article and to the list of mirrors. A correction
        edits the post; unpublishing deletes it. The editor who publishes can untick a channel.
      </p>
      {channels.data.channels.length === 0 ? (
        <p>No channel yet.</p>
      ) : (
        <ul className="channel-list">
          {channels.data.channels.map((channel) => (
            <li key={channel.id}>
              <strong>{channel.name}</strong> <code>{channel.chatId}</code>
              <span className="hint">
                {channel.isDefault
                  ? ` Takes ${channel.language ? languageName(channel.language) : 'all'} articles in ${sectionNames(channel.sectionIds)}.`
                  : ' Only when an editor ticks it.'}
                {channel.hasSecret ? '' : ' No bot token: nothing can be sent.'}
              </span>
              <button
                type="button"
                onClick={() =>
                  setForm({
                    id: channel.id,
                    name: channel.name,
                    chatId: channel.chatId,
                    secret: '',
                    language: channel.language ?? '',
                    sectionIds: channel.sectionIds,
                    isDefault: channel.isDefault,
                  })
                }
              >
                Change {channel.name}
              </button>
              <button type="button" className="destructive" onClick={() => void remove(channel)}>
                Remove {channel.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(event) => void save(event)} aria-labelledby="channel-form-heading">
        <h2 id="channel-form-heading">
          {form.id === null ? 'Add a Telegram channel' : `Change ${form.name}`}
        </h2>
        <label>
          Name, as staff will see it
          <input required value={form.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label>
          Channel: its public name (@…) or chat id (-100…)
          <input
            required
            value={form.chatId}
            placeholder="@gazette_news"
            onChange={(e) => set('chatId', e.target.value)}
          />
        </label>
        <label>
          {form.id === null
            ? 'Bot token, from @BotFather'
            : 'New bot token (empty keeps the one set)'}
          <input
            type="password"
            autoComplete="off"
            required={form.id === null}
            value={form.secret}
            onChange={(e) => set('secret', e.target.value)}
          />
        </label>
        <p className="hint">
          Add the bot to the channel as an administrator that may post, edit and delete messages.
          The token is kept on the server and never shown again.
        </p>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.isDefault}
            onChange={(e) => set('isDefault', e.target.checked)}
          />
          Ticked by default when an article it takes is published
        </label>
        <label>
          Articles it takes
          <select value={form.language} onChange={(e) => set('language', e.target.value)}>
            {Object.entries(LANGUAGES).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>In these sections (none ticked: every section)</legend>
          {(sections.data?.sections ?? []).map((section) => (
            <label key={section.id} className="checkbox">
              <input
                type="checkbox"
                checked={form.sectionIds.includes(section.id)}
                onChange={(e) =>
                  set(
                    'sectionIds',
                    e.target.checked
                      ? [...form.sectionIds, section.id]
                      : form.sectionIds.filter((id) => id !== section.id),
                  )
                }
              />
              {section.path}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          {form.id === null ? 'Add the channel' : 'Save the channel'}
        </button>
        {form.id !== null ? (
          <button type="button" onClick={() => setForm(EMPTY)}>
            Cancel
          </button>
        ) : null}
        <p role="status">{message}</p>
      </form>
    </>
  );
}

import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type Channel, messageOf, type NewsletterLists, type Section } from '../api.js';
import { LANGUAGE_NAMES, languageName } from '../languages.js';
import { countOf } from '../plural.js';
import { useLoad } from '../use-load.js';

/** The form's fields: a channel being added, or one being changed (an empty token keeps the old one). */
type Form = {
  id: number | null;
  kind: Channel['kind'];
  name: string;
  chatId: string;
  secret: string;
  /** A newsletter channel's list; null until one is picked. */
  listId: number | null;
  /** The fediverse actor's handle (news in @news@your.domain). */
  handle: string;
  language: string;
  sectionIds: number[];
  isDefault: boolean;
};

const EMPTY: Form = {
  id: null,
  kind: 'telegram',
  name: '',
  chatId: '',
  secret: '',
  listId: null,
  handle: '',
  language: '',
  sectionIds: [],
  isDefault: true,
};

/** The host readers' fediverse apps find the publication at: this site's. */
const HOST = window.location.host;

const READERS = { one: 'reader', other: 'readers' };

/** The languages a channel may take: any, or one the site is written in. */
const LANGUAGES: Record<string, string> = { '': 'Any language', ...LANGUAGE_NAMES };

const KIND_LABELS: Record<Channel['kind'], string> = {
  telegram: 'Telegram',
  newsletter: 'Newsletter',
  fediverse: 'Fediverse',
};

/**
 * Where articles go out besides the site (editor-in-chief): Telegram channels
 * and newsletter lists, each with the articles it takes by default (a
 * language, some sections). A bot token is written once and never shown
 * again; changing a channel keeps it unless a new one is typed. A channel
 * keeps its kind: a Telegram channel never becomes a list, nor the reverse.
 */
export function ChannelsPage(): ReactNode {
  const channels = useLoad(() => api<{ channels: Channel[] }>('GET', '/channels'), 'channels');
  const sections = useLoad(() => api<{ sections: Section[] }>('GET', '/sections'), 'sections');
  const newsletters = useLoad(() => api<NewsletterLists>('GET', '/newsletters'), 'newsletters');
  const lists = newsletters.data?.lists ?? [];
  const [form, setForm] = useState<Form>(EMPTY);
  const [message, setMessage] = useState('');
  const set = <K extends keyof Form>(key: K, value: Form[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const listId = form.listId ?? lists[0]?.id;
    if (form.kind === 'newsletter' && listId === undefined) {
      setMessage('Not saved: add a newsletter list first, under Newsletters.');
      return;
    }
    const fields = {
      name: form.name,
      language: form.language === '' ? null : form.language,
      sectionIds: form.sectionIds,
      isDefault: form.isDefault,
      // A Telegram channel's chat and token; a newsletter's list; the
      // fediverse actor's handle (set once: followers know it by it).
      ...(form.kind === 'telegram'
        ? { chatId: form.chatId, ...(form.secret.trim() !== '' ? { secret: form.secret } : {}) }
        : form.kind === 'newsletter'
          ? { listId }
          : form.id === null
            ? { handle: form.handle }
            : {}),
    };
    try {
      if (form.id === null) {
        await api('POST', '/channels', { kind: form.kind, ...fields });
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
  /** "to the list Morning Brief (2 readers)": where a newsletter channel sends. */
  const listText = (channel: Channel) => {
    const list = lists.find((item) => item.id === channel.listId);
    return list
      ? `to the list ${list.name} (${countOf(list.activeCount, READERS)})`
      : `to list ${channel.listId ?? '?'}`;
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
        Published articles also go out to these channels. A Telegram channel gets the lead photo
        with the headline, standfirst and credit, and links to the article and to the list of
        mirrors; a correction edits the post, unpublishing deletes it. A newsletter channel e-mails
        the article in full to a list’s confirmed readers; an e-mail cannot be changed or taken back
        once sent. The editor who publishes can untick a channel.
      </p>
      {channels.data.channels.length === 0 ? (
        <p>No channel yet.</p>
      ) : (
        <ul className="channel-list">
          {channels.data.channels.map((channel) => (
            <li key={channel.id}>
              <span className={`status channel-kind channel-kind-${channel.kind}`}>
                {KIND_LABELS[channel.kind]}
              </span>{' '}
              <strong>{channel.name}</strong>{' '}
              {channel.kind === 'telegram' ? (
                <code>{channel.chatId}</code>
              ) : channel.kind === 'fediverse' ? (
                <code>
                  @{channel.handle}@{HOST}
                </code>
              ) : (
                <span>{listText(channel)}</span>
              )}
              <span className="hint">
                {channel.isDefault
                  ? ` Takes ${channel.language ? languageName(channel.language) : 'all'} articles in ${sectionNames(channel.sectionIds)}.`
                  : ' Only when an editor ticks it.'}
                {channel.kind === 'telegram' && !channel.hasSecret
                  ? ' No bot token: nothing can be sent.'
                  : ''}
              </span>
              <button
                type="button"
                onClick={() =>
                  setForm({
                    id: channel.id,
                    kind: channel.kind,
                    name: channel.name,
                    chatId: channel.chatId,
                    secret: '',
                    listId: channel.listId,
                    handle: channel.handle ?? '',
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
          {form.id === null
            ? 'Add a channel'
            : `Change ${form.name} (${KIND_LABELS[form.kind].toLowerCase()})`}
        </h2>
        {form.id === null ? (
          <fieldset className="channel-kinds">
            <legend>Kind</legend>
            <label className="choice">
              <input
                type="radio"
                name="channel-kind"
                checked={form.kind === 'telegram'}
                onChange={() => set('kind', 'telegram')}
              />
              Telegram channel
            </label>
            <label className="choice">
              <input
                type="radio"
                name="channel-kind"
                checked={form.kind === 'newsletter'}
                onChange={() => set('kind', 'newsletter')}
              />
              Newsletter by e-mail
            </label>
            <label className="choice">
              <input
                type="radio"
                name="channel-kind"
                checked={form.kind === 'fediverse'}
                onChange={() => set('kind', 'fediverse')}
              />
              The fediverse (Mastodon and others)
            </label>
          </fieldset>
        ) : null}
        <label>
          Name, as staff will see it
          <input required value={form.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        {form.kind === 'telegram' ? (
          <>
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
              Add the bot to the channel as an administrator that may post, edit and delete
              messages. The token is kept on the server and never shown again.
            </p>
          </>
        ) : form.kind === 'fediverse' ? (
          form.id === null ? (
            <>
              <label>
                Handle: the name before @{HOST}
                <input
                  required
                  pattern="[a-z0-9_]{1,30}"
                  value={form.handle}
                  placeholder="news"
                  onChange={(e) => set('handle', e.target.value.toLowerCase())}
                />
              </label>
              <p className="hint">
                People follow the publication as @{form.handle || 'news'}@{HOST}. The handle cannot
                be changed later: followers know the publication by it. Each article it takes goes
                to the followers in full; a correction updates it, unpublishing deletes it.
              </p>
            </>
          ) : (
            <p className="hint">
              Followed as @{form.handle}@{HOST}; the handle stays as it is.
            </p>
          )
        ) : lists.length === 0 ? (
          <p className="warning">
            {newsletters.error
              ? `The newsletter lists could not be read: ${newsletters.error}`
              : 'There is no newsletter list yet: add one under '}
            {newsletters.error ? null : <a href="#/newsletters">Newsletters</a>}
            {newsletters.error ? null : ' first.'}
          </p>
        ) : (
          <>
            <label>
              The list it e-mails
              <select
                value={form.listId ?? lists[0]?.id ?? ''}
                onChange={(e) => set('listId', Number(e.target.value))}
              >
                {lists.map((list) => (
                  <option key={list.id} value={list.id}>
                    {list.name} ({countOf(list.activeCount, READERS)})
                  </option>
                ))}
              </select>
            </label>
            <p className="hint">
              Each article it takes is e-mailed in full, under its headline, to the list’s confirmed
              readers.
              {newsletters.data?.canSend
                ? ''
                : ' This server sends no e-mail yet (MASTHEAD_SMTP_URL and MASTHEAD_MAIL_FROM are not set): nothing will go out until it does.'}
            </p>
          </>
        )}
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

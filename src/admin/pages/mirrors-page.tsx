import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, messageOf } from '../api.js';

type Mirror = { url: string; label: string; isOnion: boolean; addedAt: string };
type Draft = { url: string; label: string };

/**
 * Where else readers find the site (editors): the addresses of mirrors and
 * onion services, published at /mirrors, and the key that signs the mirrors.
 */
export function MirrorsPage(): ReactNode {
  const [rows, setRows] = useState<Draft[] | null>(null);
  const [publicKey, setPublicKey] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    api<{ mirrors: Mirror[]; publicKey: string | null }>('GET', '/mirrors').then(
      (loaded) => {
        setRows(loaded.mirrors.map(({ url, label }) => ({ url, label })));
        setPublicKey(loaded.publicKey);
      },
      (failure: unknown) => setMessage(messageOf(failure)),
    );
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!rows) return;
    try {
      const saved = await api<{ mirrors: Mirror[] }>('PUT', '/mirrors', {
        mirrors: rows.filter((row) => row.url.trim() !== ''),
      });
      setRows(saved.mirrors.map(({ url, label }) => ({ url, label })));
      setMessage(`Saved: ${saved.mirrors.length} addresses, published at /mirrors.`);
    } catch (failure) {
      setMessage(`Not saved: ${messageOf(failure)}`);
    }
  };
  const change = (index: number, key: keyof Draft, value: string) =>
    setRows((current) =>
      current ? current.map((row, at) => (at === index ? { ...row, [key]: value } : row)) : current,
    );

  if (!rows) return message ? <p role="alert">{message}</p> : <p>Loading…</p>;
  return (
    <>
      <h1 tabIndex={-1}>Mirrors</h1>
      <p>
        Addresses where readers can still reach the site when its own domain is blocked: copies
        built with <code>npx masthead mirror build</code> and put on other hosts, or an onion
        service. They are listed at <a href="/mirrors">/mirrors</a>, in /mirrors.json and in a feed;
        an onion address is also offered to Tor Browser on every page.
      </p>
      <form onSubmit={(event) => void save(event)}>
        <fieldset>
          <legend>Addresses</legend>
          {rows.length === 0 ? <p>No mirror yet.</p> : null}
          <ol className="mirror-rows">
            {rows.map((row, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
              <li key={index}>
                <label>
                  Address {index + 1}
                  <input
                    type="url"
                    value={row.url}
                    placeholder="https://copy.example.net/"
                    onChange={(event) => change(index, 'url', event.target.value)}
                  />
                </label>
                <label>
                  Note for readers (optional)
                  <input
                    value={row.label}
                    placeholder="Cloud copy, Europe"
                    onChange={(event) => change(index, 'label', event.target.value)}
                  />
                </label>
                <button
                  type="button"
                  onClick={() => setRows(rows.filter((_row, at) => at !== index))}
                >
                  Remove address {index + 1}
                </button>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => setRows([...rows, { url: '', label: '' }])}>
            Add an address
          </button>
        </fieldset>
        <button type="submit">Save the list</button>
        <p role="status">{message}</p>
      </form>
      <h2>Signing key</h2>
      {publicKey ? (
        <p>
          Mirrors are signed with this key, which the site publishes at /.well-known/masthead-key:{' '}
          <code>{publicKey}</code>
        </p>
      ) : (
        <p>
          There is no signing key yet. On the server, run <code>npx masthead keys init</code>.
        </p>
      )}
    </>
  );
}

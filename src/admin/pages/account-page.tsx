import { type FormEvent, type ReactNode, useState } from 'react';
import { api, messageOf, type Session } from '../api.js';
import { NotificationChoices } from '../notification-choices.js';
import { PublicProfileForm } from '../profile-form.js';
import { useLoad } from '../use-load.js';

/** Two-factor sign-in and "log out everywhere"; required first when the newsroom makes two-factor mandatory. */
export function AccountPage({
  session,
  onChanged,
}: {
  session: Session;
  onChanged: () => Promise<void>;
}): ReactNode {
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState('');

  const begin = async () => {
    try {
      setSetup(await api<{ secret: string; uri: string }>('POST', '/session/totp'));
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!setup) return;
    try {
      await api('POST', '/session/totp/confirm', { code });
      setSetup(null);
      setMessage('Two-factor sign-in is on.');
      await onChanged();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  const everywhere = async () => {
    try {
      await api('POST', '/session/logout-everywhere');
      await onChanged();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Your account</h1>
      {session.mustSetUpTotp ? (
        <p className="warning">
          The newsroom requires two-factor sign-in. Set it up to continue working.
        </p>
      ) : null}
      <section aria-labelledby="totp-heading">
        <h2 id="totp-heading">Two-factor sign-in</h2>
        {session.user.hasTotp ? (
          <p>On: signing in asks for a code from your authenticator app.</p>
        ) : setup ? (
          <form onSubmit={(event) => void confirm(event)}>
            <p>
              Add this key to your authenticator app (or open the link on your phone), then enter
              the code it shows.
            </p>
            <p>
              Key: <code>{setup.secret}</code>
            </p>
            <p>
              <a href={setup.uri}>Open in an authenticator app</a>
            </p>
            <label>
              Six-digit code
              <input
                inputMode="numeric"
                pattern="[0-9]{6}"
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
            <button type="submit">Turn on</button>
          </form>
        ) : (
          <button type="button" onClick={() => void begin()}>
            Set up two-factor sign-in
          </button>
        )}
        <p role="status">{message}</p>
      </section>
      {session.mustSetUpTotp ? null : <NotificationChoices />}
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <p>Lost a laptop or a phone? End every session, this one included.</p>
        <button type="button" onClick={() => void everywhere()}>
          Log out everywhere
        </button>
      </section>
      <PublicProfileForm personId={session.user.personId} heading="Your public profile" />
      <FediverseHandle />
    </>
  );
}

type MyHandle = { handle: string | null; address: string | null; isAvailable: boolean };

/**
 * An author's own account on the fediverse: people who follow it get the
 * articles they write (the publication's account gets them all).
 */
function FediverseHandle(): ReactNode {
  const mine = useLoad(() => api<MyHandle>('GET', '/account/fediverse'), 'my fediverse handle');
  const [handle, setHandle] = useState('');
  const [message, setMessage] = useState('');
  const save = async (value: string | null) => {
    try {
      const saved = await api<MyHandle>('PUT', '/account/fediverse', { handle: value });
      setMessage(
        saved.address ? `Followed as ${saved.address}.` : 'You have no account of your own now.',
      );
      setHandle('');
      mine.reload();
    } catch (failure) {
      setMessage(`Not saved: ${messageOf(failure)}`);
    }
  };
  if (!mine.data?.isAvailable) return null;
  return (
    <section aria-labelledby="fediverse-heading">
      <h2 id="fediverse-heading">On the fediverse</h2>
      {mine.data.address ? (
        <>
          <p>
            People follow you as <code>{mine.data.address}</code> and get each article you write.
          </p>
          <button type="button" className="destructive" onClick={() => void save(null)}>
            Give up this account
          </button>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save(handle);
          }}
        >
          <p>
            An account of your own, beside the publication’s: people who follow it get each article
            you write. Your followers know you by the handle: keep it.
          </p>
          <label>
            Handle (the part before @{window.location.host})
            <input
              required
              pattern="[a-z0-9_]{1,30}"
              value={handle}
              onChange={(event) => setHandle(event.target.value.toLowerCase())}
            />
          </label>
          <button type="submit">Take this handle</button>
        </form>
      )}
      <p role="status">{message}</p>
    </section>
  );
}

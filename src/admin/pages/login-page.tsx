import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiFailure, api, messageOf, type Session } from '../api.js';

/** Sign-in: e-mail and password, then the authenticator code when the account has one. */
export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }): ReactNode {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState('');
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(
        await api<Session>('POST', '/session', { email, password, ...(needsTotp ? { totp } : {}) }),
      );
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.error.code === 'totp_required')
        setNeedsTotp(true);
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <h1 tabIndex={-1}>Sign in to the newsroom</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {needsTotp ? (
          <label>
            Authenticator code
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
            />
          </label>
        ) : null}
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="submit" disabled={isBusy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

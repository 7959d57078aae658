import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiFailure, api, messageOf, type Session, setCsrfToken } from './api.js';

/**
 * Signs in: e-mail (unless it is given) and password, then the authenticator
 * code when the account has one. Used by the sign-in page and by the dialog
 * that asks for the password again over the editor. `children` come first in
 * the form (its heading and words).
 */
export function SignInForm({
  email: givenEmail,
  submitLabel,
  onSignedIn,
  children,
}: {
  email?: string;
  submitLabel: string;
  onSignedIn: (session: Session) => void;
  children?: ReactNode;
}): ReactNode {
  const [typedEmail, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState('');
  const [isBusy, setBusy] = useState(false);
  const email = givenEmail ?? typedEmail;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const session = await api<Session>('POST', '/session', {
        email,
        password,
        ...(needsTotp ? { totp } : {}),
      });
      setCsrfToken(session.csrfToken);
      onSignedIn(session);
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.error.code === 'totp_required')
        setNeedsTotp(true);
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)}>
      {children}
      {givenEmail === undefined ? (
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            required
            value={typedEmail}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
      ) : null}
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
      <button type="submit" className="primary" disabled={isBusy}>
        {submitLabel}
      </button>
    </form>
  );
}

import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiFailure, api, messageOf, type Session, setCsrfToken } from '../api.js';

/**
 * Asks for the password over the editor when the session ended mid-edit
 * (expired, "log out everywhere", a password change elsewhere), so the text
 * on screen is never lost to a sign-in page. The e-mail is the one the editor
 * was signed in with; the authenticator code is asked when the account has one.
 */
export function SignInAgainDialog({
  email,
  onSignedIn,
}: {
  email: string;
  onSignedIn: (session: Session) => void;
}): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState('');
  const [isBusy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

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
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="sign-in-again-heading"
      // Escape would leave the editor with nowhere to save: the dialog stays until signed in.
      onCancel={(event) => event.preventDefault()}
    >
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="sign-in-again-heading">Sign in again to save</h2>
        <p>
          Your session ended. Your changes are safe in this browser and will be saved as soon as you
          sign in as <strong>{email}</strong>.
        </p>
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
          Sign in and save
        </button>
      </form>
    </dialog>
  );
}

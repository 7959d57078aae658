import { type FormEvent, type ReactNode, useState } from 'react';
import { api, messageOf } from '../api.js';

/** The one-time link's page: choose a password, then sign in. */
export function SetPasswordPage({ token }: { token: string }): ReactNode {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [message, setMessage] = useState('');
  const [isDone, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setMessage('The two passwords differ.');
      return;
    }
    try {
      await api('POST', '/password', { token, password });
      setDone(true);
      setMessage('Your password is set. You can sign in now.');
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };

  return (
    <main id="main" className="login">
      <h1 tabIndex={-1}>Choose your password</h1>
      <p role="status">{message}</p>
      {isDone ? (
        <p>
          <a href="#/login">Sign in</a>
        </p>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <label>
            New password (at least 12 characters)
            <input
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <label>
            The same password again
            <input
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </label>
          <button type="submit">Set password</button>
        </form>
      )}
    </main>
  );
}

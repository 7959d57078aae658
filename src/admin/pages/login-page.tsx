import type { ReactNode } from 'react';
import type { Session } from '../api.js';
import { SignInForm } from '../sign-in-form.js';

/** Sign-in: e-mail and password, then the authenticator code when the account has one. */
export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }): ReactNode {
  return (
    <main id="main" className="login">
      <h1 tabIndex={-1}>Sign in to the newsroom</h1>
      <SignInForm submitLabel="Sign in" onSignedIn={onSignedIn} />
    </main>
  );
}

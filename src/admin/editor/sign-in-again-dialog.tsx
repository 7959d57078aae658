import type { ReactNode } from 'react';
import type { Session } from '../api.js';
import { SignInForm } from '../sign-in-form.js';
import { useModal } from '../use-modal.js';

/**
 * Asks for the password over the editor when the session ended mid-edit
 * (expired, "log out everywhere", a password change elsewhere), so the text
 * on screen is never lost to a sign-in page. The e-mail is the one the editor
 * was signed in with.
 */
export function SignInAgainDialog({
  email,
  onSignedIn,
}: {
  email: string;
  onSignedIn: (session: Session) => void;
}): ReactNode {
  const dialog = useModal();
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="sign-in-again-heading"
      // Escape would leave the editor with nowhere to save: the dialog stays until signed in.
      onCancel={(event) => event.preventDefault()}
    >
      <SignInForm email={email} submitLabel="Sign in and save" onSignedIn={onSignedIn}>
        <h2 id="sign-in-again-heading">Sign in again to save</h2>
        <p>
          Your session ended. Your changes are safe in this browser and will be saved as soon as you
          sign in as <strong>{email}</strong>.
        </p>
      </SignInForm>
    </dialog>
  );
}

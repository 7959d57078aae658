import { type ReactNode, useEffect, useState } from 'react';
import {
  NOTIFICATION_KINDS,
  type NotificationChoice,
  type NotificationKind,
} from '../core/desk.js';
import { api, messageOf } from './api.js';

type Choices = Record<NotificationKind, NotificationChoice>;

/**
 * How this person hears of each kind of notification: on their desk in the
 * app, by e-mail (when the newsroom has an e-mail server), both or neither.
 */
export function NotificationChoices(): ReactNode {
  const [choices, setChoices] = useState<Choices | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    api<{ choices: Choices }>('GET', '/notification-choices').then(
      (answer) => setChoices(answer.choices),
      (failure: unknown) => setMessage(messageOf(failure)),
    );
  }, []);
  const change = async (kind: NotificationKind, choice: NotificationChoice) => {
    setMessage('');
    try {
      const answer = await api<{ choices: Choices }>('PUT', '/notification-choices', {
        choices: { [kind]: choice },
      });
      setChoices(answer.choices);
      setMessage('Saved.');
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  return (
    <section aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      <p>
        What you hear of, and how: on your desk in this app, by e-mail (when the newsroom has an
        e-mail server), both or neither.
      </p>
      {choices ? (
        <table className="choice-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">On my desk</th>
              <th scope="col">By e-mail</th>
            </tr>
          </thead>
          <tbody>
            {(Object.entries(NOTIFICATION_KINDS) as [NotificationKind, string][]).map(
              ([kind, label]) => (
                <tr key={kind}>
                  <th scope="row">{label}</th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${label}: on my desk`}
                      checked={choices[kind].inApp}
                      onChange={(e) =>
                        void change(kind, { ...choices[kind], inApp: e.target.checked })
                      }
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${label}: by e-mail`}
                      checked={choices[kind].byEmail}
                      onChange={(e) =>
                        void change(kind, { ...choices[kind], byEmail: e.target.checked })
                      }
                    />
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : null}
      <p role="status">{message}</p>
    </section>
  );
}

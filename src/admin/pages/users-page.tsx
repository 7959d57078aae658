import { type FormEvent, type ReactNode, useState } from 'react';
import { api, messageOf, type User } from '../api.js';
import { TableScroll } from '../table-scroll.js';
import { useLoad } from '../use-load.js';

const ROLES: User['role'][] = ['contributor', 'author', 'editor', 'editor-in-chief'];

/** Staff accounts (editor-in-chief): invite, change roles, disable. */
export function UsersPage(): ReactNode {
  const users = useLoad(() => api<{ users: User[] }>('GET', '/users'), 'users');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<User['role']>('contributor');
  const [message, setMessage] = useState('');
  const [link, setLink] = useState('');

  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const created = await api<{ user: User; passwordLink: string | null }>('POST', '/users', {
        email,
        name,
        role,
      });
      setLink(created.passwordLink ?? '');
      setMessage(
        `Account created for ${created.user.name}. Send them this one-time link to set a password (valid for 7 days):`,
      );
      setEmail('');
      setName('');
      users.reload();
    } catch (failure) {
      setLink('');
      setMessage(messageOf(failure));
    }
  };
  const update = async (user: User, change: { role?: string; disabled?: true }) => {
    try {
      await api('PATCH', `/users/${user.id}`, change);
      setMessage(
        change.disabled
          ? `${user.name} is disabled and signed out everywhere.`
          : `${user.name} is now ${change.role}.`,
      );
      setLink('');
      users.reload();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Staff</h1>
      <form className="inline-form" onSubmit={(event) => void add(event)}>
        <h2>Add a staff member</h2>
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          E-mail
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as User['role'])}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Add</button>
      </form>
      <div role="status">
        <p>{message}</p>
        {link ? (
          <p>
            <code className="password-link">{link}</code>
          </p>
        ) : null}
      </div>
      <TableScroll label="Table of staff">
        <table>
          <caption className="visually-hidden">Staff accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Two-factor</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.users.map((user) => (
              <tr key={user.id}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>
                  <label>
                    <span className="visually-hidden">Role of {user.name}</span>
                    <select
                      value={user.role}
                      disabled={user.disabledAt !== null}
                      onChange={(e) => void update(user, { role: e.target.value })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </label>
                </td>
                <td>{user.hasTotp ? 'on' : 'off'}</td>
                <td>
                  {user.disabledAt ? (
                    'disabled'
                  ) : (
                    <button type="button" onClick={() => void update(user, { disabled: true })}>
                      Disable {user.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

import { type FormEvent, type ReactNode, useState } from 'react';
import { ROLES } from '../../core/policy.js';
import { api, messageOf, type User } from '../api.js';
import { PublicProfileForm } from '../profile-form.js';
import { SortHeader } from '../sort-header.js';
import { compareText, nextSort, type SortOrder, sortRows } from '../sorting.js';
import { TableScroll } from '../table-scroll.js';
import { useLoad } from '../use-load.js';

type StaffColumn = 'name' | 'email' | 'role' | 'totp' | 'account';

const STAFF_COLUMNS: Record<StaffColumn, { label: string; compare: (a: User, b: User) => number }> =
  {
    name: { label: 'Name', compare: (a, b) => compareText(a.name, b.name) },
    email: { label: 'E-mail', compare: (a, b) => compareText(a.email, b.email) },
    // By rank, contributor to editor-in-chief, not by the words' spelling.
    role: { label: 'Role', compare: (a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) },
    totp: { label: 'Two-factor', compare: (a, b) => Number(a.hasTotp) - Number(b.hasTotp) },
    // Active accounts before disabled ones.
    account: {
      label: 'Account',
      compare: (a, b) => Number(a.disabledAt !== null) - Number(b.disabledAt !== null),
    },
  };

/** Staff sorted by `sort`; people with the same role or status stay in name order. */
function sortStaff(users: User[], sort: SortOrder<StaffColumn>): User[] {
  const byName = sortRows(
    users,
    STAFF_COLUMNS.name.compare,
    sort.key === 'name' ? sort.direction : 'asc',
  );
  return sort.key === 'name'
    ? byName
    : sortRows(byName, STAFF_COLUMNS[sort.key].compare, sort.direction);
}

/** Staff accounts (editor-in-chief): invite, change roles, disable. */
export function UsersPage(): ReactNode {
  const users = useLoad(() => api<{ users: User[] }>('GET', '/users'), 'users');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<User['role']>('contributor');
  const [message, setMessage] = useState('');
  const [link, setLink] = useState('');
  // Whose public profile is open below the table (the editor-in-chief edits anyone's).
  const [profileOf, setProfileOf] = useState<User | null>(null);
  const [sort, setSort] = useState<SortOrder<StaffColumn>>({
    key: 'name',
    direction: 'asc',
  });
  const header = (column: StaffColumn) => (
    <SortHeader
      label={STAFF_COLUMNS[column].label}
      column={column}
      sort={sort}
      onSort={(key) => setSort(nextSort(sort, key))}
    />
  );

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
          <caption className="visually-hidden">
            {`Staff accounts, sorted by ${STAFF_COLUMNS[sort.key].label.toLowerCase()} (${sort.direction === 'asc' ? 'ascending' : 'descending'}). The column headers are buttons that sort the table.`}
          </caption>
          <thead>
            <tr>
              {header('name')}
              {header('email')}
              {header('role')}
              {header('totp')}
              {header('account')}
              <th scope="col">Public profile</th>
            </tr>
          </thead>
          <tbody>
            {sortStaff(users.data?.users ?? [], sort).map((user) => (
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
                <td>
                  <button
                    type="button"
                    aria-pressed={profileOf?.id === user.id}
                    onClick={() => setProfileOf(profileOf?.id === user.id ? null : user)}
                  >
                    Public profile of {user.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {profileOf ? (
        <PublicProfileForm
          personId={profileOf.personId}
          heading={`Public profile of ${profileOf.name}`}
        />
      ) : null}
    </>
  );
}

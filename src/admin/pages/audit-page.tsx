import type { ReactNode } from 'react';
import { type AuditEntry, api } from '../api.js';
import { TableScroll } from '../table-scroll.js';
import { useLoad } from '../use-load.js';

/** Who did what, to which item, when (editor-in-chief). */
export function AuditPage(): ReactNode {
  const entries = useLoad(() => api<{ entries: AuditEntry[] }>('GET', '/audit'), 'audit');
  return (
    <>
      <h1 tabIndex={-1}>Audit log</h1>
      {entries.error ? <p role="alert">{entries.error}</p> : null}
      <TableScroll label="Table of staff actions">
        <table>
          <caption className="visually-hidden">Staff actions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Item</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.data?.entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
                </td>
                <td>{entry.userName ?? 'system'}</td>
                <td>{entry.action}</td>
                <td>{entry.subject}</td>
                <td>
                  <code>{JSON.stringify(entry.detail)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

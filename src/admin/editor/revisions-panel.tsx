import { type ReactNode, useState } from 'react';
import { andList } from '../../core/and-list.js';
import { type Article, api, type Doc, messageOf, type Revision } from '../api.js';
import { formatDateTime } from '../dates.js';
import { useLoad } from '../use-load.js';
import { readableArticle, TextDiff } from './text-diff.js';

function readable(revision: Revision): string {
  return readableArticle({ ...revision.snapshot, body: revision.snapshot.body as Doc });
}

/** Every saved version, a word-by-word comparison of any two, and restoring one as a new version. */
export function RevisionsPanel({
  article,
  onRestored,
}: {
  article: Article;
  onRestored: (article: Article) => void;
}): ReactNode {
  const revisions = useLoad(
    () => api<{ revisions: Revision[] }>('GET', `/articles/${article.id}/revisions`),
    `${article.id}-${article.version}`,
  );
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const list = revisions.data?.revisions ?? [];
  const older = list.find((r) => String(r.id) === from) ?? list[1];
  const newer = list.find((r) => String(r.id) === to) ?? list[0];

  const restore = async (revision: Revision) => {
    try {
      onRestored(
        await api<Article>('POST', `/articles/${article.id}/revisions/${revision.id}/restore`, {
          version: article.version,
        }),
      );
      setMessage(`Restored version ${revision.version} as a new version.`);
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };

  return (
    <section aria-labelledby="revisions-heading">
      <h2 id="revisions-heading">History</h2>
      <ol className="revision-list" reversed>
        {list.map((revision) => (
          <li key={revision.id}>
            Version {revision.version}, {formatDateTime(revision.createdAt)}
            {revision.editors
              ? ` by ${andList(revision.editors)}`
              : revision.userName
                ? ` by ${revision.userName}`
                : ''}
            {revision.version !== article.version ? (
              <button type="button" onClick={() => void restore(revision)}>
                Restore version {revision.version}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      <p role="status">{message}</p>
      {list.length > 1 ? (
        <>
          <div className="field-row">
            <label>
              Compare
              <select
                value={from || String(older?.id ?? '')}
                onChange={(e) => setFrom(e.target.value)}
              >
                {list.map((r) => (
                  <option key={r.id} value={String(r.id)}>
                    version {r.version}
                  </option>
                ))}
              </select>
            </label>
            <label>
              with
              <select value={to || String(newer?.id ?? '')} onChange={(e) => setTo(e.target.value)}>
                {list.map((r) => (
                  <option key={r.id} value={String(r.id)}>
                    version {r.version}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {older && newer ? (
            <>
              <h3>
                Changes from version {older.version} to version {newer.version}
              </h3>
              <TextDiff before={readable(older)} after={readable(newer)} />
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

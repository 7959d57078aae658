import { type ReactNode, useState } from 'react';
import { type Article, api, messageOf } from '../api.js';

const LABELS: Record<Article['transitions'][number], string> = {
  submit: 'Submit for review',
  publish: 'Publish',
  schedule: 'Schedule',
  unschedule: 'Cancel the schedule',
  unpublish: 'Unpublish',
  correct: 'Add a correction',
};

/** The workflow buttons the user may press now; refusals are shown in plain words. */
export function TransitionsPanel({
  article,
  onChanged,
  isDirty,
}: {
  article: Article;
  onChanged: (article: Article) => void;
  isDirty: boolean;
}): ReactNode {
  const [message, setMessage] = useState('');
  const [at, setAt] = useState('');
  const [correctionType, setCorrectionType] = useState('correction');
  const [correctionText, setCorrectionText] = useState('');

  const run = async (name: Article['transitions'][number]) => {
    // Name the version on screen: if someone changed the article since, the server refuses.
    let body: object = { version: article.version };
    if (name === 'schedule') {
      if (!at) {
        setMessage('Choose the publication time first.');
        return;
      }
      body = { version: article.version, at: new Date(at).toISOString() };
    }
    if (name === 'correct')
      body = { version: article.version, type: correctionType, text: correctionText };
    try {
      const updated = await api<Article>(
        'POST',
        `/articles/${article.id}/transitions/${name}`,
        body,
      );
      onChanged(updated);
      setMessage(`${LABELS[name]}: done.`);
      if (name === 'correct') setCorrectionText('');
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };

  return (
    <section aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">Workflow</h2>
      {isDirty ? <p className="hint">Save your changes before publishing them.</p> : null}
      {article.scheduledAt ? (
        <p>Scheduled for {new Date(article.scheduledAt).toLocaleString()}.</p>
      ) : null}
      {article.transitions.includes('schedule') ? (
        <label>
          Publication time
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </label>
      ) : null}
      {article.transitions.includes('correct') ? (
        <>
          <label>
            Kind of correction
            <select value={correctionType} onChange={(e) => setCorrectionType(e.target.value)}>
              <option value="correction">Correction</option>
              <option value="clarification">Clarification</option>
              <option value="retraction">Retraction</option>
            </select>
          </label>
          <label>
            Correction text, as readers will see it
            <textarea
              rows={3}
              value={correctionText}
              onChange={(e) => setCorrectionText(e.target.value)}
            />
          </label>
        </>
      ) : null}
      <div className="transition-buttons">
        {article.transitions.map((name) => (
          <button key={name} type="button" onClick={() => void run(name)}>
            {LABELS[name]}
          </button>
        ))}
      </div>
      {article.transitions.length === 0 ? (
        <p className="hint">Nothing to do here for your role.</p>
      ) : null}
      <p role="status">{message}</p>
      {article.corrections.length > 0 ? (
        <>
          <h3>Published corrections</h3>
          <ul>
            {article.corrections.map((correction) => (
              <li key={correction.createdAt}>
                {correction.type}: {correction.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

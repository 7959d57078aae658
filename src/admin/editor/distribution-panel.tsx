import { type ReactNode, useEffect, useState } from 'react';
import { type Article, type ArticleDistribution, api, type Delivery, messageOf } from '../api.js';
import { formatDateTime } from '../dates.js';
import { useLoad } from '../use-load.js';

const ACTIONS: Record<Delivery['action'], string> = {
  post: 'Post',
  edit: 'Edit',
  delete: 'Deletion',
};

/** A call takes 30 s at most: a delivery still being sent a minute after it was due, its server stopped. */
function isStuck(delivery: Delivery): boolean {
  return delivery.state === 'sending' && Date.now() - Date.parse(delivery.nextAt) > 60_000;
}

/** What a delivery's state means to the person reading the panel. */
function stateText(delivery: Delivery): string {
  switch (delivery.state) {
    case 'sent':
      return `sent ${delivery.sentAt ? formatDateTime(delivery.sentAt) : ''}`.trim();
    case 'queued':
      return delivery.attempts > 0
        ? `waiting to try again at ${formatDateTime(delivery.nextAt)}`
        : 'waiting its turn';
    case 'sending':
      return isStuck(delivery)
        ? 'may not have gone: the server stopped while sending. Check the channel before you retry'
        : 'being sent';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'not sent: the article was taken down first';
  }
}

/**
 * Where the article went besides the site (Telegram channels…): each post,
 * edit and deletion, when it went, why one failed, and Retry for those who
 * may publish. Read again every few seconds while something is on its way.
 */
export function DistributionPanel({ article }: { article: Article }): ReactNode {
  const [message, setMessage] = useState('');
  const loaded = useLoad(
    () => api<ArticleDistribution>('GET', `/articles/${article.id}/distribution`),
    `${article.id}:${article.version}:${article.status}`,
  );
  const deliveries = loaded.data?.deliveries ?? [];
  const isMoving = deliveries.some(
    (d) => d.state === 'queued' || (d.state === 'sending' && !isStuck(d)),
  );
  const { reload } = loaded;
  useEffect(() => {
    if (!isMoving) return;
    const timer = setInterval(reload, 4000);
    return () => clearInterval(timer);
  }, [isMoving, reload]);

  if (loaded.error) {
    return (
      <section className="tool-panel" aria-labelledby="distribution-heading">
        <h2 id="distribution-heading">Distribution</h2>
        <p role="alert">Where it went could not be read: {loaded.error}</p>
      </section>
    );
  }
  if (deliveries.length === 0) return null;
  const retry = async (delivery: Delivery) => {
    try {
      await api('POST', `/deliveries/${delivery.id}/retry`);
      setMessage(`Sending to ${delivery.channelName} again.`);
      reload();
    } catch (failure) {
      setMessage(messageOf(failure));
    }
  };
  return (
    <section className="tool-panel" aria-labelledby="distribution-heading">
      <h2 id="distribution-heading">Distribution</h2>
      <ul className="deliveries">
        {deliveries.map((delivery) => (
          <li key={delivery.id} className={`delivery delivery-${delivery.state}`}>
            <strong>{delivery.channelName}</strong>: {ACTIONS[delivery.action]}{' '}
            {stateText(delivery)}
            {delivery.url ? (
              <>
                {' '}
                <a href={delivery.url} target="_blank" rel="noreferrer noopener">
                  View the post
                </a>
              </>
            ) : null}
            {delivery.lastError && delivery.state !== 'sent' ? (
              <span className="delivery-error">{delivery.lastError}</span>
            ) : null}
            {article.transitions.includes('unpublish') ||
            article.transitions.includes('publish') ? (
              delivery.state === 'failed' || isStuck(delivery) ? (
                <button type="button" onClick={() => void retry(delivery)}>
                  Retry {delivery.channelName}
                </button>
              ) : null
            ) : null}
          </li>
        ))}
      </ul>
      <p role="status">{message}</p>
    </section>
  );
}

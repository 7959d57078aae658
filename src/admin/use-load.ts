import { useCallback, useEffect, useState } from 'react';
import { ApiFailure, messageOf } from './api.js';

/**
 * Loads data with `load`, again whenever `key` changes; exposes errors as
 * text, and whether the server refused the caller (403: a panel they may not
 * see is left out rather than shown as failing).
 */
export function useLoad<T>(
  load: () => Promise<T>,
  key: string,
): { data: T | undefined; error: string; isForbidden: boolean; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState('');
  const [isForbidden, setForbidden] = useState(false);
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `generation` decide when to load again
  useEffect(() => {
    let isCurrent = true;
    load().then(
      (value) => {
        if (isCurrent) {
          setData(value);
          setError('');
        }
      },
      (failure: unknown) => {
        if (!isCurrent) return;
        setError(messageOf(failure));
        setForbidden(failure instanceof ApiFailure && failure.status === 403);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, isForbidden, reload };
}

import { useCallback, useEffect, useState } from 'react';
import { messageOf } from './api.js';

/** Loads data with `load`, again whenever `key` changes; exposes errors as text. */
export function useLoad<T>(
  load: () => Promise<T>,
  key: string,
): { data: T | undefined; error: string; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState('');
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
        if (isCurrent) setError(messageOf(failure));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, reload };
}

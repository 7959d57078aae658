import { useEffect, useState } from 'react';
import { api, type MediaItem } from './api.js';

/**
 * The photo with id `id`, for showing an article's chosen photo: found among
 * the photos already at hand (the library's newest 200, one just uploaded),
 * else fetched on its own (`GET /api/media/:id`). An older photo is then shown
 * as it is, not as "no photo". Null while it loads, when `id` is null, or when
 * the photo is gone.
 */
export function usePhoto(
  id: number | null,
  known: readonly (MediaItem | null | undefined)[],
): MediaItem | null {
  const listed = id === null ? null : (known.find((item) => item?.id === id) ?? null);
  const [fetched, setFetched] = useState<MediaItem | null>(null);
  const missing = id !== null && listed === null ? id : null;
  useEffect(() => {
    if (missing === null) return;
    let isCurrent = true;
    api<MediaItem>('GET', `/media/${missing}`).then(
      (item) => {
        if (isCurrent) setFetched(item);
      },
      // A photo deleted meanwhile (404) or a lost connection: shown as none,
      // as before; the save or publish names any real problem.
      () => {},
    );
    return () => {
      isCurrent = false;
    };
  }, [missing]);
  return listed ?? (fetched !== null && fetched.id === id ? fetched : null);
}

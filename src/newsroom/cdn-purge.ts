import { ALL_PAGES, type CacheChange, SITE_TAG } from '../core/cache-tags.js';

/** Where a CDN takes purge requests, and the header that proves they are ours. */
export type CdnPurgeTarget = {
  url: string;
  /** e.g. ["Fastly-Key", "…"]; none when the endpoint is reached over a private network. */
  header: [string, string] | null;
};

// Fastly takes at most 256 keys in one request; other CDNs take as many or more.
const KEYS_PER_REQUEST = 256;

/**
 * Tells a CDN to drop the pages carrying these cache tags, the same names
 * every page sends in its Surrogate-Key header: one POST per 256 tags, the
 * tags space-separated in a Surrogate-Key request header (Fastly's purge by
 * surrogate keys; a Varnish xkey VCL reads the same header). "Everything"
 * purges the `site` tag, which every page carries.
 */
export async function purgeCdn(
  target: CdnPurgeTarget,
  change: CacheChange,
  send: typeof fetch = fetch,
): Promise<void> {
  const tags = change === ALL_PAGES ? [SITE_TAG] : [...change];
  for (let at = 0; at < tags.length; at += KEYS_PER_REQUEST) {
    const response = await send(target.url, {
      method: 'POST',
      headers: {
        'surrogate-key': tags.slice(at, at + KEYS_PER_REQUEST).join(' '),
        ...(target.header ? { [target.header[0]]: target.header[1] } : {}),
      },
      signal: AbortSignal.timeout(10_000),
    });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok)
      throw new Error(`the CDN purge endpoint ${target.url} answered ${response.status}`);
  }
}

import { z } from 'zod';
import { DomainError } from './errors.js';

// The addresses where readers find the newsroom when its own domain is
// blocked: mirrors on cloud domains, an onion service. Editors keep the list;
// the site publishes it (/mirrors, /mirrors.json, /mirrors.xml) and every
// mirror links to it.

export type MirrorAddress = {
  url: string;
  /** What a reader is told about it ("Cloud copy, Europe"). */
  label: string;
  /** An onion service (Tor): the main site names it in Onion-Location. */
  isOnion: boolean;
  /** When an editor added it (ISO time). */
  addedAt: string;
};

const MAX_MIRRORS = 50;

/** The setting that holds the list, as JSON. */
export const MIRROR_LIST_SETTING = 'mirror.list';

export const mirrorListInputSchema = z
  .array(
    z.object({
      url: z.string().max(500),
      label: z.string().max(200).optional(),
    }),
  )
  .max(MAX_MIRRORS);

/**
 * Checks an edited list: each an http(s) address, said once. Addresses kept
 * from the old list keep when they were added; new ones are added `now`.
 */
export function checkMirrorList(
  input: z.infer<typeof mirrorListInputSchema>,
  previous: readonly MirrorAddress[],
  now: string,
): MirrorAddress[] {
  const seen = new Set<string>();
  return input.map((entry, index) => {
    const refuse = (problem: string) =>
      new DomainError('invalid_input', `mirrors.${index}.url: ${problem}`, `mirrors.${index}.url`);
    let url: URL;
    try {
      url = new URL(entry.url.trim());
    } catch {
      throw refuse(`"${entry.url}" is not an address`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw refuse('a mirror is an http:// or https:// address');
    if (url.username || url.password || url.search || url.hash)
      throw refuse('give the address alone, without a query, fragment or password');
    const normal = url.href.endsWith('/') ? url.href : `${url.href}/`;
    if (seen.has(normal)) throw refuse(`${normal} is listed twice`);
    seen.add(normal);
    const isOnion = url.hostname.endsWith('.onion');
    return {
      url: normal,
      label: entry.label?.trim() ?? '',
      isOnion,
      addedAt: previous.find((old) => old.url === normal)?.addedAt ?? now,
    };
  });
}

/** Reads the stored list (a setting holding JSON); a damaged value reads as none. */
export function parseStoredMirrorList(json: string | undefined): MirrorAddress[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  const parsed = z
    .array(
      z.object({ url: z.string(), label: z.string(), isOnion: z.boolean(), addedAt: z.string() }),
    )
    .safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** The Onion-Location value for a page: the same path on the first onion mirror, or null. */
export function onionLocation(mirrors: readonly MirrorAddress[], path: string): string | null {
  const onion = mirrors.find((mirror) => mirror.isOnion);
  return onion ? new URL(path.replace(/^\/+/, ''), onion.url).href : null;
}

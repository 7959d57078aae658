import { readSettings, writeSetting } from '../store/settings.js';
import type { Newsroom } from './newsroom.js';

// The CLI runs in another shell than the server, usually without the server's
// environment: links it prints (a password link from `user add`) must use the
// address readers and staff reach the server at, not one made from the CLI's
// own PORT. The server records its public URL in the database when it starts.

const KEY = 'server.public_url';

/** Records `newsroom.publicUrl` as the address the site is served at (called by a starting server). */
export async function recordServerPublicUrl(newsroom: Newsroom): Promise<void> {
  const settings = await readSettings(newsroom.store.db);
  if (settings.get(KEY) !== newsroom.publicUrl) {
    await writeSetting(newsroom.store.db, KEY, newsroom.publicUrl);
  }
}

/** The public URL the newsroom's server last started with, or null when none has started. */
export async function serverPublicUrl(newsroom: Newsroom): Promise<string | null> {
  return (await readSettings(newsroom.store.db)).get(KEY) ?? null;
}

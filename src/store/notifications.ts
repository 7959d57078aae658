import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// Changes one Masthead process makes, told to the others sharing the same
// database, with no extra service to run: PostgreSQL's LISTEN/NOTIFY here,
// a small table every server polls on SQLite (change-log.ts). Both are a
// `ChangeChannel`, so nothing above the store cares which database it is.

const CHANNEL = 'masthead_changes';
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD = 7900;

export type ChangeChannel = {
  /** Tells every listening process (this one included: listeners skip their own). */
  send: (payload: string) => Promise<void>;
  /**
   * Calls `onMessage` with every payload sent from now on, until `close`;
   * `onMissed` when some may have been lost (treat it as "everything changed").
   */
  listen: (onMessage: (payload: string) => void, onMissed?: () => void) => Promise<void>;
  /** Stops listening once every send already started has ended. */
  close: () => Promise<void>;
};

/**
 * The channel over PostgreSQL's NOTIFY: sends go through `db`; listening
 * takes a connection of its own (opened by `listen`), as LISTEN needs one
 * that stays open.
 */
export function notifyChannel(db: Kysely<Database>, url: string): ChangeChannel {
  const sends = new PendingSends();
  let client: pg.Client | null = null;
  return {
    send: (payload) =>
      sends.track(async () => {
        if (Buffer.byteLength(payload) > MAX_PAYLOAD)
          throw new Error('notification payload too long');
        await sql`select pg_notify(${CHANNEL}, ${payload})`.execute(db);
      }),
    listen: async (onMessage) => {
      const listener = new pg.Client({ connectionString: url });
      // A dropped connection ends the listening; the error must not stop the process.
      listener.on('error', () => {});
      await listener.connect();
      client = listener;
      listener.on('notification', (message) => {
        if (message.channel === CHANNEL && message.payload) onMessage(message.payload);
      });
      await listener.query(`listen ${CHANNEL}`);
    },
    close: async () => {
      await sends.settled();
      await client?.end();
    },
  };
}

/** Sends under way, so that closing waits for them (a CLI's last change must get out). */
export class PendingSends {
  private readonly pending = new Set<Promise<unknown>>();

  track(send: () => Promise<void>): Promise<void> {
    const sent = send();
    const settled = sent.catch(() => {});
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return sent;
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

export { MAX_PAYLOAD as MAX_CHANGE_PAYLOAD };

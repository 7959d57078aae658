import type { Kysely } from 'kysely';
import { type ChangeChannel, PendingSends } from './notifications.js';
import type { Database } from './schema.js';
import { isDatabaseBusy } from './write-retry.js';

// SQLite's stand-in for LISTEN/NOTIFY: each change told to the other
// processes is a row of `change_log`, and every server reads the rows after
// the last one it saw, twice a second. SQLite lets one writer in at a time, so
// ids become visible in order and "id > last seen" never skips a row that
// commits later with a smaller id. Whoever writes a row also deletes the rows
// older than a few minutes, so the table stays small; reading never writes,
// so a poll never waits for the write lock.

/** How often a listener reads the log, in ms. */
const POLL_MS = 500;
/** How long rows are kept, in ms. */
const KEEP_MS = 5 * 60_000;
/** Rows read at once; a longer backlog is read in several reads. */
const BATCH = 200;
/**
 * How long a send keeps trying while another process holds the write lock (a
 * long import): it runs in the background, and a change given up is a page
 * another server keeps showing out of date.
 */
const SEND_WAIT_MS = 60_000;
const SEND_RETRY_MS = 250;

export type ChangeLogOptions = {
  pollMs?: number;
  /**
   * How long rows are kept. A listener that could not read for half of it
   * may have lost rows, and is told so (`onMissed`).
   */
  keepMs?: number;
  /** The wall clock in ms (tests move it). */
  now?: () => number;
};

/** The change channel of a SQLite database: the `change_log` table, polled. */
export function changeLogChannel(
  db: Kysely<Database>,
  options: ChangeLogOptions = {},
): ChangeChannel {
  const pollMs = options.pollMs ?? POLL_MS;
  const keepMs = options.keepMs ?? KEEP_MS;
  const now = options.now ?? Date.now;
  const sends = new PendingSends();
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let isClosed = false;

  const append = async (payload: string) => {
    const at = now();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('change_log')
        .values({ payload, created_at: new Date(at).toISOString() })
        .execute();
      await trx
        .deleteFrom('change_log')
        .where('created_at', '<', new Date(at - keepMs).toISOString())
        .execute();
    });
  };

  const send = (payload: string) =>
    sends.track(async () => {
      const startedAt = Date.now();
      for (;;) {
        try {
          return await append(payload);
        } catch (error) {
          if (!isLockTaken(error) || Date.now() - startedAt > SEND_WAIT_MS) throw error;
          await new Promise((resolve) => setTimeout(resolve, SEND_RETRY_MS));
        }
      }
    });

  const listen = async (onMessage: (payload: string) => void, onMissed?: () => void) => {
    // Changes made before this process listened are no news to its empty cache.
    const newest = await db
      .selectFrom('change_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    let lastId = Number(newest?.id ?? 0);
    let lastReadAt = now();

    const read = async () => {
      const startedAt = now();
      // Rows written since the last read may already be deleted: say so.
      if (startedAt - lastReadAt > keepMs / 2) onMissed?.();
      for (;;) {
        const rows = await db
          .selectFrom('change_log')
          .select(['id', 'payload'])
          .where('id', '>', lastId)
          .orderBy('id')
          .limit(BATCH)
          .execute();
        for (const row of rows) {
          lastId = row.id;
          onMessage(row.payload);
        }
        if (rows.length < BATCH) break;
      }
      lastReadAt = startedAt;
    };

    const schedule = () => {
      if (isClosed) return;
      timer = setTimeout(() => {
        polling = read()
          // A failed read (a busy or closing database) is tried again next time.
          .catch(() => {})
          .finally(() => {
            polling = null;
            schedule();
          });
      }, pollMs);
      // Polling alone never keeps a process alive.
      timer.unref();
    };
    schedule();
  };

  return {
    send,
    listen,
    close: async () => {
      isClosed = true;
      if (timer) clearTimeout(timer);
      await polling;
      await sends.settled();
    },
  };
}

/**
 * True when the write was refused because another process holds the lock:
 * SQLite's SQLITE_BUSY (and kin), or the store's `database_busy` once its own
 * wait for the lock ran out.
 */
function isLockTaken(error: unknown): boolean {
  return isDatabaseBusy(error) || (error as { code?: unknown } | null)?.code === 'database_busy';
}

import pg from 'pg';

// Changes one Masthead process makes, told to the others sharing the same
// PostgreSQL database through LISTEN/NOTIFY: no extra service to run.

const CHANNEL = 'masthead_changes';
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD = 7900;

export type ChangeChannel = {
  /** Tells every listening process (this one included: callers skip their own). */
  publish: (payload: string) => Promise<void>;
  close: () => Promise<void>;
};

/** Listens on the database's change channel; `onMessage` gets every payload published. */
export async function openChangeChannel(
  url: string,
  onMessage: (payload: string) => void,
): Promise<ChangeChannel> {
  const client = new pg.Client({ connectionString: url });
  // A dropped connection ends the listening; the error must not stop the process.
  client.on('error', () => {});
  await client.connect();
  client.on('notification', (message) => {
    if (message.channel === CHANNEL && message.payload) onMessage(message.payload);
  });
  await client.query(`listen ${CHANNEL}`);
  return {
    publish: async (payload) => {
      if (Buffer.byteLength(payload) > MAX_PAYLOAD)
        throw new Error('notification payload too long');
      await client.query('select pg_notify($1, $2)', [CHANNEL, payload]);
    },
    close: () => client.end(),
  };
}

export { MAX_PAYLOAD as MAX_CHANGE_PAYLOAD };

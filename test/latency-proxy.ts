import { createConnection, createServer, type Server, type Socket } from 'node:net';

// A TCP proxy on 127.0.0.1 in front of a test server: every chunk is held for
// `latencyMs` in each direction (in order), and the network can be cut (every
// open connection dropped) and kept down (new ones refused) on demand, as a
// reporter's train goes into a tunnel. Browser contexts reach the server
// through it; the page's cookies do not care about the port.

export type LatencyProxy = {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** Drops every open connection and refuses new ones until `restore`. */
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
};

export async function startLatencyProxy(
  targetPort: number,
  latencyMs: number,
): Promise<LatencyProxy> {
  const open = new Set<Socket>();
  let isDown = false;
  const delayed = (to: Socket) => {
    let last = Promise.resolve();
    return (chunk: Buffer) => {
      const due = Date.now() + latencyMs;
      last = last.then(
        () =>
          new Promise<void>((resolve) => {
            setTimeout(
              () => {
                if (!to.destroyed) to.write(chunk);
                resolve();
              },
              Math.max(0, due - Date.now()),
            );
          }),
      );
    };
  };
  const server: Server = createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    open.add(client);
    open.add(upstream);
    client.on('data', delayed(upstream));
    upstream.on('data', delayed(client));
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    cut: () => {
      isDown = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore: () => {
      isDown = false;
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Newsroom } from '../newsroom/newsroom.js';
import { authenticate } from '../newsroom/staff.js';
import { SESSION_COOKIE } from './admin-api.js';
import type { Peer, SharedDocRooms } from './shared-doc-rooms.js';

// The WebSocket an editor's co-editing connection runs over:
// `GET /api/articles/<id>/shared-text?csrf=<token>` upgraded. Staff only:
// the session cookie, the session's CSRF token and a same-site Origin are
// checked before the upgrade (a WebSocket is not bound by the same-origin
// policy, so another site's page could otherwise open one with the cookie).
// Who may edit the article is the room's check (shared-doc-rooms.ts).

const PATH = /^\/api\/articles\/(\d{1,12})\/shared-text$/;
/** A paste of a long article is one message: generous, but bounded. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Connections that stop answering pings are closed (a laptop shut mid-edit). */
const PING_MS = 30_000;

export function attachSharedDocSockets(
  app: FastifyInstance,
  newsroom: Newsroom,
  rooms: SharedDocRooms,
): void {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const alive = new WeakSet<WebSocket>();
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(request, socket, head).catch(() => refuse(socket, 500, 'Internal Server Error'));
  });

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://masthead.invalid');
    const match = PATH.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'Not Found');
    if (!isSameSite(request, newsroom.publicUrl)) return refuse(socket, 403, 'Forbidden');
    const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const session = token ? await authenticate(newsroom, token) : null;
    if (!token || !session) return refuse(socket, 401, 'Unauthorized');
    if (url.searchParams.get('csrf') !== session.csrfToken || session.mustSetUpTotp)
      return refuse(socket, 403, 'Forbidden');
    const articleId = Number(match[1]);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const peer: Peer = {
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        close: (code, reason) => ws.close(code, reason.slice(0, 120)),
        isOpen: () => ws.readyState === ws.OPEN,
        sessionToken: token,
        actor: {
          userId: session.user.id,
          personId: session.user.personId,
          role: session.user.role,
        },
      };
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      // What arrives before the room has let the peer in waits for it.
      let waiting: Uint8Array[] | null = [];
      ws.on('message', (data: Buffer) => {
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        if (waiting) waiting.push(bytes);
        else rooms.receive(articleId, peer, bytes);
      });
      ws.on('close', () => {
        waiting = null;
        rooms.leave(articleId, peer);
      });
      ws.on('error', () => ws.terminate());
      void rooms
        .join(articleId, peer)
        .then(() => {
          const early = waiting ?? [];
          waiting = null;
          for (const bytes of early) rooms.receive(articleId, peer, bytes);
        })
        .catch(() => ws.terminate());
    });
  }

  const pings = setInterval(() => {
    for (const ws of sockets.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, PING_MS);
  pings.unref();
  // Every change of rights is announced (newsroom.rightsChanged); this catches
  // what expires on its own, such as a session's end.
  const rechecks = setInterval(() => void rooms.checkRights().catch(() => {}), PING_MS);
  rechecks.unref();
  app.addHook('preClose', async () => {
    clearInterval(pings);
    clearInterval(rechecks);
    await rooms.closeAll();
    for (const ws of sockets.clients) ws.terminate();
    sockets.close();
  });
}

/** The Origin is this server's (or the public address it serves): pages of other sites may not connect. */
function isSameSite(request: IncomingMessage, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    const host = new URL(origin).host;
    return host === request.headers.host || host === new URL(publicUrl).host;
  } catch {
    return false;
  }
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

import type { FastifyInstance } from 'fastify';
import type { SignedIn } from './admin-api.js';

// The desk's live updates: `GET /api/desk/events` is a stream of server-sent
// events saying only "changed" whenever something may need someone (a story
// given, a note naming them, an article sent back or submitted), here or in
// another process. The app then reads its count and desk again: the stream
// carries nothing but the fact, so a session that ends meanwhile learns
// nothing from it.

/** A comment now and then keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 25_000;

export class DeskEvents {
  private readonly listeners = new Set<() => void>();
  /** Open streams, ended when the server stops (they would hold it open). */
  readonly streams = new Set<{ end: () => void }>();

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function registerDeskEvents(
  app: FastifyInstance,
  signedIn: SignedIn,
  events: DeskEvents,
): void {
  app.get('/api/desk/events', async (request, reply) => {
    await signedIn(request);
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx and the like would hold the stream back otherwise.
      'x-accel-buffering': 'no',
    });
    stream.write(': connected\n\n');
    const stop = events.listen(() => stream.write('data: changed\n\n'));
    const alive = setInterval(() => stream.write(': still here\n\n'), KEEP_ALIVE_MS);
    alive.unref();
    events.streams.add(stream);
    request.raw.on('close', () => {
      stop();
      clearInterval(alive);
      events.streams.delete(stream);
    });
  });
  app.addHook('preClose', async () => {
    for (const stream of events.streams) stream.end();
  });
}

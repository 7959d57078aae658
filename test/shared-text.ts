import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { plainText } from '../src/core/document.js';
import { SHARED_BODY_FIELD, SHARED_DOC_MESSAGES, snapshotCovers } from '../src/core/shared-doc.js';
import { bodyOfSharedDoc } from '../src/newsroom/shared-docs.js';
import { buildTestServer, type Client, signIn } from './admin.js';
import { openTestNewsroom, type TestNewsroom } from './newsroom.js';

// An editor's co-editing connection without a browser: y-websocket's own
// provider (as the newsroom app uses it) over `ws`, sending the session
// cookie and an Origin as a browser would, typing straight into the Yjs
// document instead of through ProseMirror.

export type SharedTextClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The body's plain text as this editor has it. */
  text: () => string;
  /** Types `value` into paragraph `paragraph` at character `offset` (the end when omitted). */
  type: (value: string, paragraph?: number, offset?: number) => void;
  /** Resolves once the server has stored every change this editor made. */
  stored: () => Promise<void>;
  /** Resolves once the first sync with the server is done. */
  synced: Promise<void>;
  /** How the server ended the connection for good (a 44xx close), if it did. */
  closed: Promise<{ code: number; reason: string }>;
  /** The article versions the server said were saved. */
  savedVersions: number[];
  generation: () => string | null;
  destroy: () => void;
};

export function connectSharedText(
  baseUrl: string,
  articleId: number,
  client: Client,
  options: { origin?: string; name?: string } = {},
): SharedTextClient {
  const origin = options.origin ?? baseUrl;
  class BrowserLikeSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: client.cookie, origin } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(
    `${baseUrl.replace(/^http/, 'ws')}/api/articles/${articleId}`,
    'shared-text',
    doc,
    {
      connect: false,
      params: { csrf: client.csrf },
      WebSocketPolyfill: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    },
  );
  let stored = Y.emptySnapshot;
  let generation: string | null = null;
  const savedVersions: number[] = [];
  const readJson = (decoder: decoding.Decoder) =>
    JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown>;
  provider.messageHandlers[SHARED_DOC_MESSAGES.stored] = (_e, decoder) => {
    stored = Y.decodeSnapshot(decoding.readVarUint8Array(decoder));
  };
  provider.messageHandlers[SHARED_DOC_MESSAGES.hello] = (_e, decoder) => {
    generation = String(readJson(decoder).generation);
  };
  provider.messageHandlers[SHARED_DOC_MESSAGES.saved] = (_e, decoder) => {
    savedVersions.push(Number(readJson(decoder).version));
  };
  provider.awareness.setLocalStateField('user', {
    id: client.userId,
    name: options.name ?? `user ${client.userId}`,
    color: '#000',
  });
  const synced = new Promise<void>((resolve) => {
    provider.once('sync', () => resolve());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    provider.on('closed', (event) => resolve(event));
  });
  provider.connect();
  const fragment = doc.getXmlFragment(SHARED_BODY_FIELD);
  return {
    doc,
    provider,
    text: () => plainText(bodyOfSharedDoc(doc)),
    type: (value, paragraph = 0, offset) => {
      const element = fragment.get(paragraph) as Y.XmlElement;
      let text = element.get(0) as Y.XmlText | undefined;
      if (!text) {
        text = new Y.XmlText();
        element.insert(0, [text]);
      }
      text.insert(offset ?? text.length, value);
    },
    stored: async () => {
      const deadline = Date.now() + 5000;
      while (!snapshotCovers(stored, Y.snapshot(doc))) {
        if (Date.now() > deadline) throw new Error('the server did not store the changes in 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    synced,
    closed,
    savedVersions,
    generation: () => generation,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `check` every 25 ms for up to `ms`; true once it holds. */
export async function eventually(ms: number, check: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A test newsroom served on a port of 127.0.0.1 (WebSockets need a real
 * socket) with an editor and a reporter signed in; `connect` opens a shared
 * text as one of them; `close` ends it all.
 */
export async function openCoEditingSite(): Promise<{
  newsroom: TestNewsroom;
  app: FastifyInstance;
  baseUrl: string;
  editor: Client;
  reporter: Client;
  connect: (articleId: number, client: Client, options?: { origin?: string }) => SharedTextClient;
  close: () => Promise<void>;
}> {
  const newsroom = await openTestNewsroom();
  const app = await buildTestServer(newsroom);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const open: SharedTextClient[] = [];
  return {
    newsroom,
    app,
    baseUrl,
    editor: await signIn(app, newsroom, 'editor', 'Ada Editor'),
    reporter: await signIn(app, newsroom, 'author', 'Rui Reporter'),
    connect: (articleId, client, options) => {
      const connected = connectSharedText(baseUrl, articleId, client, options);
      open.push(connected);
      return connected;
    },
    close: async () => {
      for (const client of open.splice(0)) client.destroy();
      await app.close();
      await newsroom.dispose();
    },
  };
}

import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { plainText } from '../../src/core/document.js';
import { SHARED_BODY_FIELD, SHARED_DOC_CLOSE } from '../../src/core/shared-doc.js';
import {
  bodyOfSharedDoc,
  docOfRows,
  markSharedBodySaved,
  openSharedDoc,
  storeSharedDocUpdate,
  tidySharedDocs,
} from '../../src/newsroom/shared-docs.js';
import { readSharedDoc, type SharedDocRows } from '../../src/store/shared-docs.js';
import { type Client, createDraft, signIn } from '../admin.js';
import type { TestNewsroom } from '../newsroom.js';
import { eventually, openCoEditingSite } from '../shared-text.js';

// Co-editing over the server's own WebSocket: editors' typing reaches each
// other and is stored as it arrives, the body and its revisions are saved
// from the shared text, a body saved another way reaches everyone's editor,
// and only those who may edit the article get in (and stay in).

let site: Awaited<ReturnType<typeof openCoEditingSite>>;
let newsroom: TestNewsroom;
let app: FastifyInstance;
let baseUrl: string;
let editor: Client;
let reporter: Client;

beforeEach(async () => {
  site = await openCoEditingSite();
  ({ newsroom, app, baseUrl, editor, reporter } = site);
});
afterEach(() => site.close());

const connect = (...args: Parameters<typeof site.connect>) => site.connect(...args);

async function article(id: number, as: Client = editor) {
  const response = await as.send('GET', `/api/articles/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    version: number;
    title: string;
    standfirst: string;
    body: Parameters<typeof plainText>[0];
  };
}

describe('typing together', () => {
  it('brings each editor the other’s words within a second and stores the merged text as the body, with both in the revision', async () => {
    const draft = await createDraft(reporter, 'Bridge closes for repairs');
    const a = connect(draft.id, reporter);
    const b = connect(draft.id, editor);
    await Promise.all([a.synced, b.synced]);
    expect(a.text()).toBe('The council met on Tuesday.');

    // Both type at once, at either end of the paragraph.
    a.type(' Repairs take a month.');
    b.type('Update: ', 0, 0);
    const merged = 'Update: The council met on Tuesday. Repairs take a month.';
    expect(await eventually(1000, () => a.text() === merged && b.text() === merged)).toBe(true);
    await Promise.all([a.stored(), b.stored()]);

    // It is saved as the body a moment after the typing stops, as one revision naming both.
    expect(
      await eventually(5000, async () => plainText((await article(draft.id)).body) === merged),
    ).toBe(true);
    type Revision = { editors?: string[]; snapshot: { body: Parameters<typeof plainText>[0] } };
    let newest: Revision | undefined;
    expect(
      await eventually(5000, async () => {
        const revisions = await editor.send('GET', `/api/articles/${draft.id}/revisions`);
        newest = (revisions.json().revisions as Revision[])[0];
        return newest?.editors !== undefined;
      }),
    ).toBe(true);
    expect(newest?.editors?.sort()).toEqual(['Ada Editor', 'Rui Reporter']);
    expect(plainText(newest?.snapshot.body ?? { type: 'doc', content: [] })).toBe(merged);
    // Everyone in the room heard of the save.
    expect(await eventually(1000, () => a.savedVersions.length > 0)).toBe(true);
  });

  it('keeps every word typed while one editor was cut off, and merges it when they are back', async () => {
    const draft = await createDraft(reporter, 'Ferry timetable');
    const a = connect(draft.id, reporter);
    const b = connect(draft.id, editor);
    await Promise.all([a.synced, b.synced]);
    a.provider.disconnect();
    a.type(' Offline words.');
    b.type(' Online words.');
    await b.stored();
    a.provider.connect();
    expect(
      await eventually(3000, () => a.text() === b.text() && a.text().includes('Offline words.')),
    ).toBe(true);
    expect(b.text()).toContain('Online words.');
    // Each sentence once.
    expect(b.text().split('Offline words.').length).toBe(2);
    await a.stored();
  });

  it('stores what was typed before the server lets the editor in, and a reconnecting editor finds it', async () => {
    const draft = await createDraft(reporter, 'Night buses');
    const a = connect(draft.id, reporter);
    await a.synced;
    a.type(' Kept.');
    await a.stored();
    a.destroy();
    const again = connect(draft.id, editor);
    await again.synced;
    expect(again.text()).toBe('The council met on Tuesday. Kept.');
  });
});

describe('the body saved other ways', () => {
  it('brings a restored revision into everyone’s editor as an ordinary change', async () => {
    const draft = await createDraft(reporter, 'Library hours');
    const first = (await editor.send('GET', `/api/articles/${draft.id}/revisions`)).json()
      .revisions[0] as { id: number };
    const a = connect(draft.id, reporter);
    await a.synced;
    a.type(' Typed later.');
    await a.stored();
    await eventually(5000, async () =>
      plainText((await article(draft.id)).body).includes('Typed later.'),
    );
    const current = await article(draft.id);
    const restored = await editor.send(
      'POST',
      `/api/articles/${draft.id}/revisions/${first.id}/restore`,
      { version: current.version },
    );
    expect(restored.statusCode, restored.body).toBe(200);
    expect(await eventually(2000, () => a.text() === 'The council met on Tuesday.')).toBe(true);
  });

  it('publishes the latest stored words when the editor names its text’s state, even though the version moved on', async () => {
    const draft = await createDraft(editor, 'Harbour reopens');
    const opened = await article(draft.id);
    const a = connect(draft.id, editor);
    await a.synced;
    a.type(' Last sentence.');
    const bodyState = Buffer.from(Y.encodeSnapshot(Y.snapshot(a.doc))).toString('base64');
    // Published before the room's own save: the transition reads the shared text itself.
    const published = await editor.send('POST', `/api/articles/${draft.id}/transitions/publish`, {
      version: opened.version,
      bodyState,
      changes: { standfirst: 'A new standfirst.' },
    });
    expect(published.statusCode, published.body).toBe(200);
    const page = await app.inject(published.json().url);
    expect(page.body).toContain('Last sentence.');
    expect(page.body).toContain('A new standfirst.');
  });
});

describe('the stored updates', () => {
  it('are compacted for a document nobody has open, and deleted once saved and old enough', async () => {
    const draft = await createDraft(reporter, 'Tidy text');
    const db = newsroom.store.db;
    const now = newsroom.now();
    const { doc } = await openSharedDoc(db, draft.id, now.toISOString(), newsroom.newId);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    const text = (doc.getXmlFragment(SHARED_BODY_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    for (let i = 0; i < 101; i++) text.insert(text.length, '.');
    let last = 0;
    for (const update of updates)
      last = await storeSharedDocUpdate(db, draft.id, update, reporter.userId, now.toISOString());
    const waiting = async () => (await readSharedDoc(db, draft.id))?.updates.length;
    const rows = async () =>
      (
        await db
          .selectFrom('shared_doc_update')
          .select('id')
          .where('article_id', '=', draft.id)
          .execute()
      ).length;
    expect(await waiting()).toBe(101);

    await tidySharedDocs(db, now);
    expect(await waiting()).toBe(0);
    // Kept a while for processes that read the old state, and until a body holds them.
    expect(await rows()).toBe(101);
    const later = new Date(now.getTime() + 11 * 60_000);
    await tidySharedDocs(db, later);
    expect(await rows()).toBe(101);
    await markSharedBodySaved(db, draft.id, last);
    await tidySharedDocs(db, later);
    expect(await rows()).toBe(0);
    // The text is whole in the compacted state.
    const stored = await readSharedDoc(db, draft.id);
    expect(stored?.updates).toEqual([]);
    expect(plainText(bodyOfSharedDoc(docOfRows(stored as SharedDocRows).doc))).toBe(
      `The council met on Tuesday.${'.'.repeat(101)}`,
    );
  });
});

describe('fields saved on an older version', () => {
  it('merges saves of different fields and refuses one that would overwrite the same field, naming it', async () => {
    const draft = await createDraft(reporter, 'Market day');
    const mine = await editor.send('PATCH', `/api/articles/${draft.id}`, {
      version: draft.version,
      title: 'Market day moves',
    });
    expect(mine.statusCode).toBe(200);
    // The reporter still had the old version: a different field goes through.
    const theirs = await reporter.send('PATCH', `/api/articles/${draft.id}`, {
      version: draft.version,
      title: 'Market day',
      standfirst: 'Stalls move to the square.',
    });
    expect(theirs.statusCode, theirs.body).toBe(200);
    const merged = await article(draft.id);
    expect(merged.title).toBe('Market day moves');
    expect(merged.standfirst).toBe('Stalls move to the square.');
    // The same field changed by both, differently: refused, named.
    const clash = await reporter.send('PATCH', `/api/articles/${draft.id}`, {
      version: draft.version,
      title: 'Market day cancelled',
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toContain('the headline');
  });
});

describe('who gets in', () => {
  it('refuses a connection without a session, with another site’s Origin, or without the CSRF token', async () => {
    const draft = await createDraft(editor, 'Closed meeting');
    const url = `${baseUrl.replace('http', 'ws')}/api/articles/${draft.id}/shared-text`;
    const status = (headers: Record<string, string>, query = `?csrf=${editor.csrf}`) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url + query, { headers });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('error', () => resolve(0));
      });
    expect(await status({ origin: baseUrl })).toBe(401);
    expect(await status({ origin: 'https://elsewhere.example', cookie: editor.cookie })).toBe(403);
    expect(await status({ origin: baseUrl, cookie: editor.cookie }, '?csrf=wrong')).toBe(403);
    expect(await status({ origin: baseUrl, cookie: editor.cookie })).toBe(101);
  });

  it('closes a connection that sends a message it cannot read, and goes on serving', async () => {
    const draft = await createDraft(editor, 'Broken frames');
    const url = `${baseUrl.replace('http', 'ws')}/api/articles/${draft.id}/shared-text?csrf=${editor.csrf}`;
    for (const frame of [
      new Uint8Array([]),
      new Uint8Array([0, 9]),
      new Uint8Array([1, 3, 1, 2]),
    ]) {
      const closed = await new Promise<number>((resolve) => {
        const socket = new WebSocket(url, { headers: { origin: baseUrl, cookie: editor.cookie } });
        socket.on('open', () => setTimeout(() => socket.send(frame), 100));
        socket.on('close', (code) => resolve(code));
      });
      expect(closed).toBe(1007);
    }
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const a = connect(draft.id, editor);
    await a.synced;
    expect(a.text()).toBe('The council met on Tuesday.');
  });

  it('keeps out a contributor from an article they may not edit', async () => {
    const draft = await createDraft(editor, 'Desk only');
    const contributor = await signIn(app, newsroom, 'contributor', 'Cleo Contributor');
    const c = connect(draft.id, contributor);
    // Others' drafts are not even shown to a contributor: the answer is "no such article".
    expect((await c.closed).code).toBe(SHARED_DOC_CLOSE.notFound);
  });

  it('disconnects an editor whose account is disabled, and one whose article left their hands', async () => {
    const draft = await createDraft(reporter, 'Water prices');
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Eve Chief');
    const a = connect(draft.id, reporter);
    const b = connect(draft.id, editor);
    await Promise.all([a.synced, b.synced]);
    const disabled = await chief.send('PATCH', `/api/users/${editor.userId}`, { disabled: true });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect((await b.closed).code).toBe(SHARED_DOC_CLOSE.signedOut);

    // A contributor's own draft is theirs until they submit it to the desk.
    const contributor = await signIn(app, newsroom, 'contributor', 'Cleo Contributor');
    const own = await createDraft(contributor, 'Contributor piece');
    const c = connect(own.id, contributor);
    await c.synced;
    const submitted = await contributor.send('POST', `/api/articles/${own.id}/transitions/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await c.closed).code).toBe(SHARED_DOC_CLOSE.forbidden);
    // The author typing on their own draft stayed connected throughout.
    a.type(' Still here.');
    await a.stored();
  });
});

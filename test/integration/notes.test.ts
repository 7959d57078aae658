import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SHARED_BODY_FIELD } from '../../src/core/shared-doc.js';
import { type Client, createDraft, publishThroughApi, signIn } from '../admin.js';
import type { TestNewsroom } from '../newsroom.js';
import { eventually, openCoEditingSite, type SharedTextClient } from '../shared-text.js';

// Notes on drafts: threads anchored to a passage of the shared text that
// follow its words as others type, replies naming colleagues with @,
// resolving and reopening, who may read and write them, and that readers
// never see one.

let site: Awaited<ReturnType<typeof openCoEditingSite>>;
let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
let reporter: Client;

beforeEach(async () => {
  site = await openCoEditingSite();
  ({ newsroom, app, editor, reporter } = site);
});
afterEach(() => site.close());

type Note = {
  id: number;
  threadId: number | null;
  body: string;
  quote: string;
  passage: string | null;
  resolved: { by: string | null } | null;
  mentions: { name: string }[];
  author: { name: string | null };
};

async function notes(id: number, as: Client = editor): Promise<Note[]> {
  const response = await as.send('GET', `/api/articles/${id}/notes`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().notes;
}

/** Two relative positions around `words` in the first paragraph of the shared text. */
function anchorAround(client: SharedTextClient, words: string) {
  const paragraph = client.doc.getXmlFragment(SHARED_BODY_FIELD).get(0) as Y.XmlElement;
  const text = paragraph.get(0) as Y.XmlText;
  const at = text.toString().indexOf(words);
  expect(at).toBeGreaterThanOrEqual(0);
  return {
    start: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at)),
    end: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at + words.length)),
  };
}

describe('a note on a passage', () => {
  it('follows its words as others type around them, and keeps the quote once they are gone', async () => {
    const draft = await createDraft(reporter, 'Council budget');
    const text = site.connect(draft.id, editor);
    await text.synced;
    const added = await editor.send('POST', `/api/articles/${draft.id}/notes`, {
      body: 'Which Tuesday? Give the date.',
      anchor: anchorAround(text, 'met on Tuesday'),
      quote: 'met on Tuesday',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().note.passage).toBe('met on Tuesday');

    // Someone types before the passage and inside it.
    text.type('Late news: ', 0, 0);
    const paragraph = text.doc.getXmlFragment(SHARED_BODY_FIELD).get(0) as Y.XmlElement;
    const words = paragraph.get(0) as Y.XmlText;
    words.insert(words.toString().indexOf('Tuesday'), 'last ');
    await text.stored();
    const [moved] = await notes(draft.id);
    expect(moved?.passage).toBe('met on last Tuesday');
    expect(moved?.quote).toBe('met on Tuesday');

    // Its words deleted: the note stays, with what they said.
    const start = words.toString().indexOf('met on last Tuesday');
    words.delete(start, 'met on last Tuesday'.length);
    await text.stored();
    const [orphan] = await notes(draft.id);
    expect(orphan?.passage).toBeNull();
    expect(orphan?.quote).toBe('met on Tuesday');
    expect(orphan?.body).toBe('Which Tuesday? Give the date.');
  });
});

describe('threads', () => {
  it('takes replies naming colleagues with @, and is resolved and reopened by those who may', async () => {
    const draft = await createDraft(reporter, 'Port strike');
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Eve Chief');
    const first = (
      await editor.send('POST', `/api/articles/${draft.id}/notes`, {
        body: 'Is the union’s figure checked? @Rui Reporter',
      })
    ).json().note as Note;
    expect(first.mentions.map((m) => m.name)).toEqual(['Rui Reporter']);
    const reply = await reporter.send('POST', `/api/articles/${draft.id}/notes`, {
      body: 'Yes, with the port authority. @eve chief may want to see it.',
      threadId: first.id,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect((reply.json().note as Note).mentions.map((m) => m.name)).toEqual(['Eve Chief']);

    // A reply to a reply, or to another article's thread, is refused.
    const other = await createDraft(editor, 'Another story');
    const stray = await editor.send('POST', `/api/articles/${other.id}/notes`, {
      body: 'Wrong place',
      threadId: first.id,
    });
    expect(stray.statusCode).toBe(404);

    // The article's writer resolves it; the editor reopens it.
    const resolved = await reporter.send(
      'POST',
      `/api/articles/${draft.id}/notes/${first.id}/resolve`,
    );
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((resolved.json().note as Note).resolved?.by).toBe('Rui Reporter');
    const reopened = await editor.send(
      'POST',
      `/api/articles/${draft.id}/notes/${first.id}/reopen`,
    );
    expect((reopened.json().note as Note).resolved).toBeNull();
    // Replies are not threads of their own.
    const replyId = (reply.json().note as Note).id;
    const notThread = await editor.send(
      'POST',
      `/api/articles/${draft.id}/notes/${replyId}/resolve`,
    );
    expect(notThread.statusCode).toBe(400);

    // Only a note's writer changes it.
    const foreign = await chief.send('PATCH', `/api/articles/${draft.id}/notes/${first.id}`, {
      body: 'Rewritten',
    });
    expect(foreign.statusCode).toBe(403);
    const own = await editor.send('PATCH', `/api/articles/${draft.id}/notes/${first.id}`, {
      body: 'Is the union’s figure checked?',
    });
    expect((own.json().note as Note).mentions).toEqual([]);

    // The editor-in-chief sees every note; the audit log has them as sentences' items.
    expect((await notes(draft.id, chief)).map((note) => note.id)).toEqual([first.id, replyId]);
  });

  it('keeps other writers out: a draft not theirs is not there, a published one has no notes for them', async () => {
    const draft = await createDraft(editor, 'Desk draft');
    const contributor = await signIn(app, newsroom, 'contributor', 'Cleo Contributor');
    expect((await contributor.send('GET', `/api/articles/${draft.id}/notes`)).statusCode).toBe(404);
    const published = await publishThroughApi(editor, { title: 'Out now', section: 'news' });
    const read = await contributor.send('GET', `/api/articles/${published.id}/notes`);
    expect(read.statusCode).toBe(403);
    const write = await contributor.send('POST', `/api/articles/${published.id}/notes`, {
      body: 'Let me in',
    });
    expect(write.statusCode).toBe(403);
    // Without the CSRF token nothing is written.
    const forged = await editor.send(
      'POST',
      `/api/articles/${draft.id}/notes`,
      { body: 'Forged' },
      { csrf: null },
    );
    expect(forged.statusCode).toBe(403);
  });
});

describe('readers', () => {
  it('never see a note: not on the page, in feeds, in the sitemap or in the ninjs export', async () => {
    const published = await publishThroughApi(editor, { title: 'Harbour opens', section: 'news' });
    const secret = 'SOURCE-IS-THE-HARBOUR-MASTER';
    const added = await editor.send('POST', `/api/articles/${published.id}/notes`, {
      body: `Off the record: ${secret}`,
    });
    expect(added.statusCode).toBe(201);
    for (const path of [published.url, '/', '/feed.xml', '/news/feed.atom', '/sitemap.xml']) {
      const page = await app.inject(path);
      expect(page.statusCode, path).toBeLessThan(400);
      expect(page.body, path).not.toContain(secret);
    }
    const ninjs = await editor.send('GET', `/api/articles/${published.id}.ninjs.json`);
    expect(ninjs.statusCode).toBe(200);
    expect(ninjs.body).not.toContain(secret);
  });
});

describe('live', () => {
  it('tells the people in the article that its notes changed', async () => {
    const draft = await createDraft(reporter, 'Ferry fares');
    const text = site.connect(draft.id, reporter);
    await text.synced;
    let heard = 0;
    text.provider.messageHandlers[104] = () => {
      heard += 1;
    };
    await editor.send('POST', `/api/articles/${draft.id}/notes`, { body: 'Check the fares.' });
    expect(await eventually(2000, () => heard > 0)).toBe(true);
  });
});

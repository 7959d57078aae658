import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/newsroom/newsletters.js';
import { buildTestServer, type Client, createDraft, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// The desk: what needs each person. Notifications for a mention, a story
// given, an article sent back or submitted, in the app and by e-mail as each
// chose; stories given as placeholders and started by their writer; each
// person's start screen and the count beside it.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
let reporter: Client;
const mail: MailMessage[] = [];

beforeEach(async () => {
  newsroom = await openTestNewsroom();
  mail.length = 0;
  newsroom.mailer = {
    send: async (message) => {
      mail.push(message);
    },
  };
  app = await buildTestServer(newsroom);
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
  reporter = await signIn(app, newsroom, 'author', 'Rui Reporter');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

type Notification = { kind: string; text: string; articleId: number | null; isRead: boolean };

async function notifications(as: Client) {
  const response = await as.send('GET', '/api/notifications');
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { notifications: Notification[]; unread: number };
}

async function count(as: Client): Promise<number> {
  return (await as.send('GET', '/api/desk/count')).json().count;
}

describe('notifications', () => {
  it('tells a colleague named in a note, lists the note on their desk, and forgets it once read', async () => {
    const draft = await createDraft(reporter, 'Water prices');
    await editor.send('POST', `/api/articles/${draft.id}/notes`, {
      body: '@Rui Reporter which utility?',
    });
    const { notifications: list, unread } = await notifications(reporter);
    expect(unread).toBe(1);
    expect(list[0]).toMatchObject({ kind: 'mention', articleId: draft.id, isRead: false });
    expect(list[0]?.text).toContain('Ada Editor named you in a note on “Water prices”');
    // The writer of the note is not told of their own words.
    expect((await notifications(editor)).unread).toBe(0);
    expect(await count(reporter)).toBe(1);
    const desk = (await reporter.send('GET', '/api/desk')).json();
    expect(desk.mentions.map((item: { id: number }) => item.id)).toEqual([draft.id]);
    // Read by opening the article (the editor says so), or all at once.
    await reporter.send('POST', '/api/notifications/read', { articleId: draft.id + 1000 });
    expect(await count(reporter)).toBe(1);
    await reporter.send('POST', '/api/notifications/read', { articleId: draft.id });
    expect(await count(reporter)).toBe(0);
  });

  it('tells the writers of an article sent back, with the note, and the editors of one submitted', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Eve Chief');
    const draft = await createDraft(reporter, 'Harbour fees');
    await reporter.send('POST', `/api/articles/${draft.id}/transitions/submit`);
    for (const desk of [editor, chief]) {
      const [first] = (await notifications(desk)).notifications;
      expect(first).toMatchObject({ kind: 'submitted', articleId: draft.id });
    }
    // Editors count what waits for review besides their unread notifications.
    expect(await count(editor)).toBe(2);
    const editorDesk = (await editor.send('GET', '/api/desk')).json();
    expect(editorDesk.forReview.map((item: { id: number }) => item.id)).toEqual([draft.id]);

    await editor.send('POST', `/api/articles/${draft.id}/transitions/send-back`, {
      note: 'Name the harbour master.',
    });
    const [back] = (await notifications(reporter)).notifications;
    expect(back?.kind).toBe('sent-back');
    expect(back?.text).toBe('Ada Editor sent “Harbour fees” back to you: Name the harbour master.');
    const writerDesk = (await reporter.send('GET', '/api/desk')).json();
    expect(writerDesk.sentBack[0]).toMatchObject({
      id: draft.id,
      detail: '“Name the harbour master.”',
    });
  });

  it('sends e-mail for the kinds a person chose, and keeps out of the app what they turned off there', async () => {
    const chosen = await reporter.send('PUT', '/api/notification-choices', {
      choices: { mention: { inApp: false, byEmail: true } },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().choices.mention).toEqual({ inApp: false, byEmail: true });
    expect(chosen.json().choices['sent-back']).toEqual({ inApp: true, byEmail: false });
    const draft = await createDraft(reporter, 'Bus lanes');
    await editor.send('POST', `/api/articles/${draft.id}/notes`, {
      body: '@Rui Reporter check this',
    });
    expect((await notifications(reporter)).unread).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mail).toHaveLength(1);
    expect(mail[0]?.to).toBe('rui.reporter@news.example');
    expect(mail[0]?.text).toContain(`/admin/#/articles/${draft.id}`);
    const refused = await reporter.send('PUT', '/api/notification-choices', {
      choices: { gossip: { inApp: true, byEmail: true } },
    });
    expect(refused.statusCode).toBe(400);
  });
});

describe('who hears of a draft', () => {
  it('tells nobody of a draft they may not open: a note naming them does not, an article is not given to them', async () => {
    const contributor = await signIn(app, newsroom, 'contributor', 'Cleo Contributor');
    const draft = await createDraft(editor, 'Secret budget leak');
    const added = await editor.send('POST', `/api/articles/${draft.id}/notes`, {
      body: '@Cleo Contributor should not see this',
    });
    expect(added.json().note.mentions).toEqual([]);
    expect((await notifications(contributor)).notifications).toEqual([]);
    const given = await editor.send('POST', '/api/assignments', {
      assigneeId: contributor.userId,
      articleId: draft.id,
    });
    expect(given.statusCode).toBe(400);
    expect(given.json().error.message).toContain('add them to its byline first');
  });
});

describe('stories given to writers', () => {
  it('gives a placeholder with a note and deadline, tells the writer, and lets them start writing it', async () => {
    const given = await editor.send('POST', '/api/assignments', {
      assigneeId: reporter.userId,
      title: 'Night buses return',
      note: 'Ride the first one.',
      deadline: '2026-03-02T16:00:00Z',
    });
    expect(given.statusCode, given.body).toBe(201);
    const assignment = given.json().assignment;
    expect(assignment).toMatchObject({
      title: 'Night buses return',
      note: 'Ride the first one.',
      article: null,
      assignee: { userId: reporter.userId, name: 'Rui Reporter' },
      assignedBy: 'Ada Editor',
    });
    const [told] = (await notifications(reporter)).notifications;
    expect(told?.text).toBe(
      'Ada Editor gave you a story: “Night buses return” (Ride the first one.)',
    );
    const mine = (await reporter.send('GET', '/api/assignments')).json().assignments;
    expect(mine.map((a: { id: number }) => a.id)).toEqual([assignment.id]);

    const started = await reporter.send('POST', `/api/assignments/${assignment.id}/start`);
    expect(started.statusCode, started.body).toBe(200);
    const articleId = started.json().articleId as number;
    const article = (await reporter.send('GET', `/api/articles/${articleId}`)).json();
    expect(article.title).toBe('Night buses return');
    expect(article.authors.map((a: { name: string }) => a.name)).toEqual(['Rui Reporter']);
    // Starting again opens the same article.
    expect(
      (await reporter.send('POST', `/api/assignments/${assignment.id}/start`)).json().articleId,
    ).toBe(articleId);
    const done = await reporter.send('POST', `/api/assignments/${assignment.id}/done`);
    expect(done.json().assignment.doneAt).not.toBeNull();
    expect((await reporter.send('GET', '/api/assignments')).json().assignments).toEqual([]);
  });

  it('lets only editors give stories, and a writer see only their own', async () => {
    const refused = await reporter.send('POST', '/api/assignments', {
      assigneeId: editor.userId,
      title: 'Not mine to give',
    });
    expect(refused.statusCode).toBe(403);
    const other = await signIn(app, newsroom, 'author', 'Oda Other');
    await editor.send('POST', '/api/assignments', { assigneeId: other.userId, title: 'For Oda' });
    expect((await reporter.send('GET', '/api/assignments')).json().assignments).toEqual([]);
    expect((await editor.send('GET', '/api/assignments')).json().assignments).toHaveLength(1);
    const stranger = (await editor.send('GET', '/api/assignments')).json().assignments[0].id;
    expect((await reporter.send('POST', `/api/assignments/${stranger}/start`)).statusCode).toBe(
      404,
    );
    const untitled = await editor.send('POST', '/api/assignments', { assigneeId: other.userId });
    expect(untitled.statusCode).toBe(400);
    expect(untitled.json().error.field).toBe('title');
  });
});

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTrash } from '../../src/newsroom/articles.js';
import { uploadImage } from '../../src/newsroom/upload-media.js';
import {
  buildTestServer,
  type Client,
  createDraft,
  PASSWORD,
  signIn,
  simpleBody,
} from '../admin.js';
import { FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// GET /api/audit: filters by who acted, the kind of action and one item,
// applied by the server and kept while paging back in time; and the names of
// the items the entries are about, now or (when gone) as last recorded.

type Entry = {
  id: number;
  userId: number | null;
  userName: string | null;
  action: string;
  subject: string;
  subjectLabel: string | null;
  isSubjectGone: boolean;
  detail: Record<string, unknown>;
};
type Answer = { entries: Entry[]; nextBefore: number | null };

let newsroom: TestNewsroom;
let app: FastifyInstance;
let chief: Client;
let editor: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
  chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Chief');
  editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function audit(query = ''): Promise<Answer> {
  const response = await chief.send('GET', `/api/audit${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const actions = (answer: Answer) => answer.entries.map((entry) => entry.action);

describe('GET /api/audit filters', () => {
  it('lists only what one person did, or what the system did by itself', async () => {
    const mine = await createDraft(editor, 'Bridge inspection finds cracks');
    await chief.send('PATCH', `/api/users/${editor.userId}`, { role: 'editor' });

    const byEditor = await audit(`?user=${editor.userId}`);
    expect(byEditor.entries.length).toBeGreaterThan(0);
    expect(new Set(byEditor.entries.map((entry) => entry.userId))).toEqual(
      new Set([editor.userId]),
    );
    expect(actions(byEditor).slice(0, 2)).toEqual(['article.create', 'session.login']);
    expect(byEditor.entries[0]?.subject).toBe(`article:${mine.id}`);

    // The test accounts were added by the system (as `masthead user add` does).
    const bySystem = await audit('?user=system');
    expect(bySystem.entries.map((entry) => [entry.action, entry.userId])).toContainEqual([
      'user.add',
      null,
    ]);
    expect(bySystem.entries.every((entry) => entry.userId === null)).toBe(true);
  });

  it('lists one kind of action: articles, photos, staff, site and settings, or signing in', async () => {
    await createDraft(editor, 'Bridge inspection finds cracks');
    await chief.send('PATCH', `/api/users/${editor.userId}`, { role: 'editor-in-chief' });
    await chief.send('PUT', '/api/settings/site', { tagline: 'News from the river towns' });

    expect(actions(await audit('?kind=articles'))).toEqual(['article.create']);
    expect(actions(await audit('?kind=staff')).slice(0, 1)).toEqual(['user.role']);
    expect(new Set(actions(await audit('?kind=staff')))).toEqual(
      new Set(['user.role', 'user.add']),
    );
    expect(actions(await audit('?kind=site'))).toEqual(['settings.site']);
    expect(new Set(actions(await audit('?kind=sign-in')))).toEqual(new Set(['session.login']));
    expect(actions(await audit('?kind=photos'))).toEqual([]);
  });

  it('lists the history of one item, named as it is called now', async () => {
    const watched = await createDraft(editor, 'Bridge inspection finds cracks');
    const other = await createDraft(editor, 'Ferry timetable changes');
    const edited = await editor.send('PATCH', `/api/articles/${watched.id}`, {
      version: watched.version,
      title: 'Bridge closed after inspection finds cracks',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    await editor.send('PATCH', `/api/articles/${other.id}`, {
      version: other.version,
      standfirst: 'Fewer crossings in winter.',
    });

    const history = await audit(`?subject=article:${watched.id}`);
    expect(actions(history)).toEqual(['article.edit', 'article.create']);
    for (const entry of history.entries) {
      expect(entry.subject).toBe(`article:${watched.id}`);
      expect(entry.subjectLabel).toBe('Bridge closed after inspection finds cracks');
      expect(entry.isSubjectGone).toBe(false);
    }
    // Filters combine: this item, by this person, of this kind.
    expect(
      actions(await audit(`?subject=article:${watched.id}&user=${chief.userId}&kind=articles`)),
    ).toEqual([]);
  });

  it('pages back in time with nextBefore, keeping the filters', async () => {
    for (const title of ['One', 'Two', 'Three', 'Four', 'Five'])
      await createDraft(editor, `${title} bridge`);
    const first = await audit('?kind=articles&limit=2');
    expect(first.entries.map((entry) => entry.subjectLabel)).toEqual([
      'Five bridge',
      'Four bridge',
    ]);
    expect(first.nextBefore).toBe(first.entries[1]?.id);
    const second = await audit(`?kind=articles&limit=2&before=${first.nextBefore}`);
    expect(second.entries.map((entry) => entry.subjectLabel)).toEqual([
      'Three bridge',
      'Two bridge',
    ]);
    const last = await audit(`?kind=articles&limit=2&before=${second.nextBefore}`);
    expect(last.entries.map((entry) => entry.subjectLabel)).toEqual(['One bridge']);
    expect(last.nextBefore).toBeNull();
  });

  it('refuses a filter it does not know, naming it', async () => {
    for (const [query, field] of [
      ['?kind=everything', 'kind'],
      ['?user=ana', 'user'],
      ['?before=yesterday', 'before'],
      ['?limit=500', 'limit'],
      ['?subject=Article%2012', 'subject'],
    ]) {
      const response = await chief.send('GET', `/api/audit${query}`);
      expect([
        response.statusCode,
        response.json().error.code,
        response.json().error.field,
      ]).toEqual([400, 'invalid_input', field]);
    }
    expect((await editor.send('GET', '/api/audit?kind=articles')).statusCode).toBe(403);
  });
});

describe('GET /api/audit item names', () => {
  it('names articles, people, pages, sections, photos and tags as they are called now', async () => {
    const section = await editor.send('POST', '/api/sections', { name: 'Rivers' });
    expect(section.statusCode, section.body).toBe(201);
    await editor.send('PATCH', `/api/sections/${section.json().path}`, {
      name: 'Rivers and lakes',
    });
    const page = await editor.send('POST', '/api/pages', {
      title: 'Corrections policy',
      kind: 'page',
      language: 'en',
      body: simpleBody,
    });
    expect(page.statusCode, page.body).toBe(201);
    const tagged = await editor.send('POST', '/api/articles', {
      title: 'Floods reach the old town',
      section: 'news/politics',
      language: 'en',
      body: simpleBody,
      tags: ['high water'],
    });
    expect(tagged.statusCode, tagged.body).toBe(201);
    const renamed = await editor.send('PATCH', '/api/tags/high-water', { name: 'High water' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const photo = await uploadImage(
      newsroom,
      { userId: editor.userId, personId: editor.personId, role: 'editor' },
      {
        bytes: await sharp({
          create: { width: 40, height: 30, channels: 3, background: '#357' },
        })
          .png()
          .toBuffer(),
        alt: 'The old town square under water',
        credit: 'Ada Editor',
      },
    );
    await chief.send('PATCH', `/api/users/${editor.userId}`, { role: 'editor' });

    const labels = new Map(
      (await audit()).entries.map((entry) => [entry.subject, entry.subjectLabel]),
    );
    expect(labels.get(`section:${section.json().id}`)).toBe('Rivers and lakes');
    expect(labels.get(`page:${page.json().id}`)).toBe('Corrections policy');
    expect(labels.get(`article:${tagged.json().id}`)).toBe('Floods reach the old town');
    expect(labels.get('tag:high-water')).toBe('High water');
    expect(labels.get(`media:${photo.id}`)).toBe('The old town square under water');
    expect(labels.get(`user:${editor.userId}`)).toBe('Ada Editor');
  });

  it('keeps the recorded name of an article deleted for good, marked as gone', async () => {
    const doomed = await createDraft(editor, 'A story nobody wanted');
    const trashed = await editor.send('POST', `/api/articles/${doomed.id}/transitions/trash`);
    expect(trashed.statusCode, trashed.body).toBe(200);
    newsroom.now = () => new Date(FIXED_NOW.getTime() + 31 * 24 * 3600 * 1000);
    expect(await emptyTrash(newsroom)).toEqual([doomed.id]);
    // Back to now, while the chief's session still lasts.
    newsroom.now = () => FIXED_NOW;

    const history = await audit(`?subject=article:${doomed.id}`);
    expect(actions(history)).toEqual(['article.delete', 'article.trash', 'article.create']);
    for (const entry of history.entries) {
      expect([entry.subjectLabel, entry.isSubjectGone]).toEqual(['A story nobody wanted', true]);
    }
  });

  it('records failed sign-ins, with the account when there is one and nothing typed', async () => {
    for (const email of ['ada.editor@news.example', 'nobody@news.example']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email, password: 'wrong password!!' },
      });
      expect(response.statusCode).toBe(401);
    }
    const failed = (await audit('?kind=sign-in')).entries.filter(
      (entry) => entry.action === 'session.login-failed',
    );
    expect(failed.map((entry) => [entry.subject, entry.userId, entry.detail])).toEqual([
      ['account:unknown', null, { reason: 'password' }],
      [`user:${editor.userId}`, null, { reason: 'password' }],
    ]);
    expect(failed[1]?.subjectLabel).toBe('Ada Editor');
    // The account's history shows the attempt on it.
    expect(actions(await audit(`?subject=user:${editor.userId}`))).toContain(
      'session.login-failed',
    );
  });
});

describe('the session and the newsroom time zone', () => {
  it('tells the app the newsroom time zone when signing in and when asked', async () => {
    const set = await chief.send('PUT', '/api/settings/site', { timeZone: 'Europe/Riga' });
    expect(set.statusCode, set.body).toBe(200);
    expect((await editor.send('GET', '/api/session')).json().timeZone).toBe('Europe/Riga');
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'ada.editor@news.example', password: PASSWORD },
    });
    expect(signedIn.json().timeZone).toBe('Europe/Riga');
  });
});

describe('what an edit records', () => {
  it('names only the fields that changed, though the editor sends them all with each save', async () => {
    const draft = await createDraft(editor, 'Bridge inspection finds cracks');
    const everything = {
      title: 'Bridge inspection finds cracks',
      standfirst: 'Engineers closed one lane.',
      section: 'news/politics',
      language: 'en',
      body: simpleBody,
      authors: [{ personId: editor.personId, label: null }],
      sources: [],
      tags: [],
      leadMediaId: null,
      metaTitle: '',
      metaDescription: '',
      socialImageId: null,
    };
    const saved = await editor.send('PATCH', `/api/articles/${draft.id}`, {
      version: draft.version,
      ...everything,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const published = await editor.send('POST', `/api/articles/${draft.id}/transitions/publish`, {
      version: saved.json().version,
    });
    // On a published article the edit is held back: compared with the live text it changes.
    await editor.send('PATCH', `/api/articles/${draft.id}`, {
      version: published.json().version,
      ...everything,
      metaTitle: 'Cracks found in the river bridge',
    });
    const edits = (await audit(`?subject=article:${draft.id}`)).entries.filter(
      (entry) => entry.action === 'article.edit',
    );
    expect(edits.map((entry) => entry.detail.changed)).toEqual([['metaTitle'], ['standfirst']]);
    expect(edits[0]?.detail.pending).toBe(true);
  });
});

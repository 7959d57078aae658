import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServer } from '../../src/main.js';
import {
  createArticle,
  publishDueArticles,
  transitionArticle,
} from '../../src/newsroom/articles.js';
import { updateMedia } from '../../src/newsroom/media-library.js';
import type { Newsroom } from '../../src/newsroom/newsroom.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { installSampleContent } from '../../src/newsroom/sample-content.js';
import { addUser } from '../../src/newsroom/staff.js';
import { openStore } from '../../src/store/database.js';
import { mediaFilesAt } from '../../src/store/media-files.js';
import { simpleBody } from '../admin.js';
import { FIXED_NOW, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let first: TestNewsroom;
afterEach(async () => {
  await first.dispose();
});

const HOUR = 3_600_000;

describe('scheduled publishing', () => {
  it('publishes an article whose time passed while the server was down, as soon as it starts', async () => {
    first = await openTestNewsroom(FIXED_NOW);
    await installSampleContent(first);
    const { user } = await addUser(first, SYSTEM_ACTOR, {
      email: 'ed@news.example',
      name: 'Ed Itor',
      role: 'editor',
      password: 'a long enough password',
    });
    const editor = { userId: user.id, personId: user.personId, role: user.role };
    const article = await createArticle(first, editor, {
      title: 'Budget vote tonight',
      standfirst: '',
      section: 'news/politics',
      language: 'en',
      body: simpleBody,
      sources: [],
      tags: [],
      leadMediaId: null,
    });
    const at = new Date(FIXED_NOW.getTime() + HOUR).toISOString();
    await transitionArticle(first, editor, article.id, { name: 'schedule', at });
    await first.store.close();

    // The restart: the same data, two hours later.
    const later = new Date(FIXED_NOW.getTime() + 2 * HOUR);
    const reopen = () =>
      openStore({
        databaseUrl: first.databaseUrl,
        databaseFile: join(first.dataDir, 'masthead.sqlite'),
      });
    const store = await reopen();
    const restarted: Newsroom = {
      ...first,
      store,
      mediaFiles: mediaFilesAt(join(first.dataDir, 'media'), join(first.dataDir, 'originals')),
      now: () => later,
    };
    const config = loadConfig({
      MASTHEAD_DATA: first.dataDir,
      LOG_LEVEL: 'silent',
      ...(first.databaseUrl ? { DATABASE_URL: first.databaseUrl } : {}),
    });
    const server = await createServer(restarted, config);
    try {
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await server.inject(article.url)).statusCode;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(200);
      const row = await store.db
        .selectFrom('article')
        .select(['status', 'published_at'])
        .where('id', '=', article.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'published', published_at: later.toISOString() });
      const audit = await store.db
        .selectFrom('audit_log')
        .select(['action', 'user_id'])
        .where('subject', '=', `article:${article.id}`)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit).toEqual({ action: 'article.publish', user_id: null });
    } finally {
      await server.close();
    }
    // dispose() closes the first store again: reopen a handle it can close.
    first = { ...first, store: await reopen() };
  });

  it('sends a due article a rule now refuses back to draft, once, with the reason in the audit log', async () => {
    first = await openTestNewsroom(FIXED_NOW);
    await installSampleContent(first);
    const photo = await first.store.db
      .selectFrom('media')
      .select('id')
      .where('credit_json', '!=', '[]')
      .where('is_own_photo', '=', 0)
      .executeTakeFirstOrThrow();
    const person = await first.store.db.selectFrom('person').select('id').executeTakeFirstOrThrow();
    const article = await createArticle(first, SYSTEM_ACTOR, {
      title: 'Lighthouse keeper retires after forty years',
      standfirst: '',
      section: 'news/politics',
      language: 'en',
      body: simpleBody,
      authors: [{ personId: person.id, label: null }],
      sources: [],
      tags: [],
      leadMediaId: photo.id,
    });
    const at = new Date(FIXED_NOW.getTime() + HOUR).toISOString();
    await transitionArticle(first, SYSTEM_ACTOR, article.id, { name: 'schedule', at });
    // Someone removes the photo's credit before the time comes.
    await updateMedia(first, SYSTEM_ACTOR, photo.id, { credit: '' });

    const later: Newsroom = { ...first, now: () => new Date(FIXED_NOW.getTime() + 2 * HOUR) };
    expect(await publishDueArticles(later)).toEqual([]);
    expect(await publishDueArticles(later)).toEqual([]);

    const row = await first.store.db
      .selectFrom('article')
      .select(['status', 'scheduled_at', 'published_at'])
      .where('id', '=', article.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'draft', scheduled_at: null, published_at: null });
    const audit = await first.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail_json'])
      .where('subject', '=', `article:${article.id}`)
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual([
      'article.create',
      'article.schedule',
      'article.publish-failed',
      'article.unschedule',
    ]);
    expect(JSON.parse(audit[2]?.detail_json ?? '{}')).toMatchObject({
      reason: 'lead_photo_needs_credit',
    });
  });
});

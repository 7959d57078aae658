import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, type Client, publishThroughApi, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
let editor: Client;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
  editor = await signIn(app, newsroom, 'editor', 'Rel Editor');
  for (const name of ['News', 'Opinion'])
    expect((await editor.send('POST', '/api/sections', { name })).statusCode).toBe(201);
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const relatedOn = async (url: string) =>
  parse((await app.inject(url)).body)
    .querySelectorAll('.related li a')
    .map((link) => link.getAttribute('href'));

describe('related articles', () => {
  it('suggests stories on the same topics first, then from the same section, in its language', async () => {
    const story = await publishThroughApi(editor, {
      title: 'The port closes',
      section: 'news',
      tags: ['Port', 'Ferries'],
    });
    const sameSection = await publishThroughApi(editor, {
      title: 'Rain all week',
      section: 'news',
    });
    const oneTopic = await publishThroughApi(editor, {
      title: 'Port workers vote',
      section: 'opinion',
      tags: ['Port'],
    });
    const twoTopics = await publishThroughApi(editor, {
      title: 'Ferries and the port',
      section: 'opinion',
      tags: ['Ferries', 'Port'],
    });
    await publishThroughApi(editor, {
      title: 'Порт закрыт',
      section: 'news',
      tags: ['Port'],
      language: 'ru',
    });
    await publishThroughApi(editor, { title: 'Unrelated opinion', section: 'opinion' });
    expect(await relatedOn(story.url)).toEqual([twoTopics.url, oneTopic.url, sameSection.url]);
    // Unpublishing one takes it off the list at once (the page is tagged with it).
    const unpublished = await editor.send(
      'POST',
      `/api/articles/${oneTopic.id}/transitions/unpublish`,
    );
    expect(unpublished.statusCode, unpublished.body).toBe(200);
    expect(await relatedOn(story.url)).toEqual([twoTopics.url, sameSection.url]);
  });
});

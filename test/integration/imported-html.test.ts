import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, signIn } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// An `html` block (markup kept from an import) is stored as it came; whatever
// reached the database, readers, feeds and partners get it sanitized. Here a
// hostile block arrives through the admin API, not through an importer.

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

const HOSTILE =
  '<table onclick="steal()"><tr><td style="background:url(https://tracker.example/t.gif)">Turnout 61%</td></tr></table>' +
  '<script>steal()</script><iframe src="https://tracker.example/frame"></iframe>' +
  '<img src="https://tracker.example/pixel.gif"><a href="javascript:steal()">click</a>' +
  '<p><a href="https://results.example/">full results</a></p>';

describe('kept HTML from outside', () => {
  it('reaches the page, the feeds and the ninjs export sanitized, whatever was stored', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
    const created = await editor.send('POST', '/api/articles', {
      title: 'Turnout in the port district',
      standfirst: 'Figures from the election commission.',
      section: 'news/world',
      language: 'en',
      body: {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'The figures:' }] },
          { type: 'html', attrs: { html: HOSTILE, label: 'table' } },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, url } = created.json() as { id: number; url: string };
    expect((await editor.send('POST', `/api/articles/${id}/transitions/publish`)).statusCode).toBe(
      200,
    );
    const answers = [
      ['page', await app.inject(url)],
      ['RSS', await app.inject('/feed.xml')],
      ['Atom', await app.inject('/feed.atom')],
      ['JSON Feed', await app.inject('/feed.json')],
      ['ninjs', await editor.send('GET', `/api/articles/${id}.ninjs.json`)],
    ] as const;
    for (const [name, answer] of answers) {
      expect(answer.statusCode, name).toBe(200);
      expect(answer.body, name).toContain('Turnout 61%');
      // (The page's own JSON-LD is a <script type=…>: only a bare <script> is foreign.)
      for (const banned of [
        'steal()',
        'tracker.example',
        '<script>',
        '<iframe',
        'javascript:',
        'onclick',
      ]) {
        expect(answer.body.includes(banned), `${banned} in the ${name}`).toBe(false);
      }
    }
    // What is safe stays: the link to the results.
    expect(answers[0][1].body).toContain('<a href="https://results.example/">full results</a>');
  });
});

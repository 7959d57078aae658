import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { addUser, disableUser } from '../../src/newsroom/staff.js';
import { updatePersonProfile } from '../../src/store/people.js';
import { buildTestServer, signIn } from '../admin.js';
import { countRows, openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';
import { checkWellFormed, xpathInFile } from '../xml.js';

// The export is read back by an independent XML parser, libxml2 (test/xml.ts),
// with XPath counts compared to the database.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let workDir: string;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
  workDir = await mkdtemp(join(tmpdir(), 'masthead-wxr-'));
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
  await rm(workDir, { recursive: true, force: true });
});

async function xpath(file: string, expression: string): Promise<string> {
  return (await xpathInFile(file, expression)).trim();
}
const wp = (name: string) => `*[local-name()='${name}']`;

describe('masthead export wxr', () => {
  it('writes every article, page, photo, section, tag and person as well-formed WXR 1.2', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Tomas Reyes');
    const draft = await editor.send('POST', '/api/articles', {
      title: 'A draft about the harbour',
      section: 'news/world',
      language: 'en',
      body: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Unfinished.' }] }],
      },
      tags: ['Harbour'],
    });
    expect(draft.statusCode).toBe(201);
    const file = join(workDir, 'site.wxr');
    const { code, lines } = await runCliOn(newsroom, ['export', 'wxr', file]);
    expect(code, lines.join('\n')).toBe(0);

    await checkWellFormed(file);
    const rows = await countRows(newsroom);
    const count = async (expression: string) => Number(await xpath(file, `count(${expression})`));
    expect(await count(`//item[${wp('post_type')}='post']`)).toBe(rows.article);
    expect(await count(`//item[${wp('post_type')}='page']`)).toBe(rows.page);
    expect(await count(`//item[${wp('post_type')}='attachment']`)).toBe(rows.media);
    expect(await count(`//channel/${wp('category')}`)).toBe(rows.section);
    expect(await count(`//channel/${wp('author')}`)).toBe(rows.person);
    expect(await count(`//channel/${wp('tag')}`)).toBeGreaterThanOrEqual(1);
    // Nested sections keep their parent; states map to WordPress's.
    expect(
      await xpath(
        file,
        `string(//${wp('category')}[${wp('category_nicename')}='news-politics']/${wp('category_parent')})`,
      ),
    ).toBe('news');
    const draftItem = `//item[title='A draft about the harbour']`;
    expect(await xpath(file, `string(${draftItem}/${wp('status')})`)).toBe('draft');
    expect(await xpath(file, `string(${draftItem}/category[@domain='post_tag'])`)).toBe('Harbour');
    expect(
      await xpath(
        file,
        `string(${draftItem}/*[local-name()='encoded' and namespace-uri()='http://purl.org/rss/1.0/modules/content/'])`,
      ),
    ).toBe('<p>Unfinished.</p>');
    // A photo's credit chain travels in its post meta.
    const text = await readFile(file, 'utf8');
    expect(text).toContain('<wp:meta_key>_masthead_credit_chain</wp:meta_key>');
    expect(lines.at(-1)).toBe(`exported the site as WordPress WXR 1.2 into ${file}`);
  });

  it('carries staff e-mails and public contacts, but not those of someone who left', async () => {
    const contacts = {
      email: 'tips@news.example',
      signal: '+37255501234',
      pgpFingerprint: '',
      pgpKeyUrl: '',
      links: [],
    };
    for (const [name, email] of [
      ['Mara Lind', 'mara.lind@news.example'],
      ['Olga Vaher', 'olga.vaher@news.example'],
    ] as const) {
      const { user } = await addUser(newsroom, SYSTEM_ACTOR, {
        email,
        name,
        role: 'author',
        password: 'a long enough password 1',
      });
      await updatePersonProfile(newsroom.store.db, user.personId, { contacts });
    }
    // Olga left: the contact page no longer offers her to sources.
    await disableUser(newsroom, SYSTEM_ACTOR, 'olga.vaher@news.example');
    const file = join(workDir, 'site.wxr');
    const { code, lines } = await runCliOn(newsroom, ['export', 'wxr', file]);
    expect(code, lines.join('\n')).toBe(0);
    const author = (login: string, field: string) =>
      xpath(
        file,
        `string(//${wp('author')}[${wp('author_login')}='${login}']/*[local-name()='${field}'])`,
      );
    expect(await author('mara-lind', 'author_email')).toBe('mara.lind@news.example');
    expect(JSON.parse(await author('mara-lind', 'contacts'))).toEqual(contacts);
    expect(await author('olga-vaher', 'author_display_name')).toBe('Olga Vaher');
    expect(await author('olga-vaher', 'author_email')).toBe('');
    expect(await author('olga-vaher', 'contacts')).toBe('');
  });
});

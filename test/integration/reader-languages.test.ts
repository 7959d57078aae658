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
  app = await buildTestServer(newsroom);
  editor = await signIn(app, newsroom, 'editor', 'Menu Editor');
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

async function page(path: string) {
  const response = await app.inject(path);
  expect(response.statusCode, path).toBe(200);
  return parse(response.body);
}
const texts = (root: ReturnType<typeof parse>, selector: string) =>
  root.querySelectorAll(selector).map((element) => element.text.trim());

describe('reader pages in the reader’s language', () => {
  it('shows Russian pages with Russian furniture: name, tagline, sections, breadcrumbs', async () => {
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Chief Editor');
    const settings = await chief.send('PUT', '/api/settings/site', {
      taglines: { ru: 'Новости без границ' },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json().taglines).toEqual({ ru: 'Новости без границ' });
    const named = await editor.send('PATCH', '/api/sections/news/world', {
      names: { ru: 'Мир' },
    });
    expect(named.statusCode, named.body).toBe(200);
    const story = await publishThroughApi(editor, {
      title: 'Паром снова ходит',
      section: 'news/world',
      language: 'ru',
    });
    const ru = await page('/ru');
    expect(ru.querySelector('.site-tagline')?.text).toBe('Новости без границ');
    expect(texts(ru, '.site-nav a')).toContain('Новости');
    const article = await page(story.url);
    expect(article.querySelector('html')?.getAttribute('lang')).toBe('ru');
    expect(
      article.querySelectorAll('.breadcrumbs a').map((a) => [a.text, a.getAttribute('href')]),
    ).toEqual([
      ['Новости', '/ru/news'],
      ['Мир', '/ru/news/world'],
    ]);
    // English pages keep the English names and addresses.
    const en = await page('/news/world');
    expect(texts(en, 'h1')).toEqual(['World']);
    expect(en.querySelector('.site-nav a')?.getAttribute('href')).toBe('/news');
    // Only interface languages, and a name too long is refused, naming it.
    const wrong = await editor.send('PATCH', '/api/sections/news/world', { names: { de: 'Welt' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('names');
  });

  it('lets editors set each language’s menus, shown in place of the sections', async () => {
    const saved = await editor.send('PUT', '/api/menus/ru', {
      main: [
        { label: 'Главное', url: '/ru' },
        { label: 'Война', url: '/ru/tags/war' },
      ],
      footer: [{ label: 'Связаться с редакцией', url: 'mailto:tips@lantern.example' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const ru = await page('/ru');
    expect(texts(ru, '.site-nav a')).toEqual(['Главное', 'Война']);
    expect(texts(ru, '.footer-links a')).toContain('Связаться с редакцией');
    // English pages keep the sections.
    expect(texts(await page('/'), '.site-nav a')).toContain('News');
    const menus = (await editor.send('GET', '/api/menus')).json().menus;
    expect(menus.en).toEqual({ main: [], footer: [] });
    expect(menus.ru.main).toHaveLength(2);
    const bad = await editor.send('PUT', '/api/menus/ru', {
      main: [{ label: 'Bad', url: 'javascript:alert(1)' }],
      footer: [],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('main.0.url');
    const author = await signIn(app, newsroom, 'author', 'An Author');
    expect((await author.send('PUT', '/api/menus/ru', { main: [], footer: [] })).statusCode).toBe(
      403,
    );
  });
});

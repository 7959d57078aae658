import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestServer } from '../admin.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// The README's promises about a fresh install (`npm start`: the sample
// newsroom), read from the README itself so that the two cannot drift apart:
// every address under "Reaching readers" answers, and every search example
// ("`strikes` finds `strike`") finds what it says.

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's section under the heading `## title`, up to the next one. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`README has no section "${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

const readersSection = section('Reaching readers');
const addresses = [
  ...new Set([...readersSection.matchAll(/`(\/[^`\s]*)`/g)].map((m) => m[1] ?? '/')),
];
const searchExamples = [...readersSection.matchAll(/`([^`]+)` finds `([^`]+)`/g)].map(
  (m) => [m[1] ?? '', m[2] ?? ''] as const,
);

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeAll(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom); // with the sample content, as `npm start`
});
afterAll(async () => {
  await app.close();
  await newsroom.dispose();
});

describe('the README on the sample site', () => {
  it('names addresses and search examples to check', () => {
    expect(addresses).toContain('/tags/port/feed.json');
    expect(searchExamples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(addresses)('answers %s', async (address) => {
    const response = await app.inject(address);
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
  });

  it('lists the tags in the sitemap index, with the topic the README names', async () => {
    const index = (await app.inject('/sitemap.xml')).body;
    expect(index).toContain('<loc>https://news.example/sitemaps/tags.xml</loc>');
    const tags = await app.inject('/sitemaps/tags.xml');
    expect(tags.statusCode).toBe(200);
    expect(tags.body).toContain('<loc>https://news.example/tags/port</loc>');
    const feed = (await app.inject('/tags/port/feed.json')).json();
    expect(feed.items.length).toBeGreaterThan(0);
    // The topics the quick start names.
    for (const tag of ['/tags/port', '/tags/transport']) {
      expect(README).toContain(`\`${tag}\``);
      expect((await app.inject(tag)).statusCode, tag).toBe(200);
    }
  });

  it.each(searchExamples)('finds "%s" as the README says ("%s")', async (query, word) => {
    const response = await app.inject(`/api/search?q=${encodeURIComponent(query)}`);
    expect(response.statusCode).toBe(200);
    const { results } = response.json() as {
      results: {
        titleParts: { text: string; isMatch: boolean }[];
        snippet: { text: string; isMatch: boolean }[];
      }[];
    };
    const marked = results.flatMap((result) =>
      [...result.titleParts, ...result.snippet]
        .filter((part) => part.isMatch)
        .map((part) => part.text.toLowerCase()),
    );
    expect(marked).toContain(word);
  });

  it('counts the results in words that agree with the number', async () => {
    const one = await app.inject(`/search?q=${encodeURIComponent('Saaremund')}`);
    expect(one.body).toContain('1 article found');
    const several = await app.inject('/search?q=transport'); // a tag of two articles
    expect(several.body).toMatch(/[2-9] articles found/);
  });
});

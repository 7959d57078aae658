import { describe, expect, it } from 'vitest';
import { ALL_PAGES } from '../../src/core/cache-tags.js';
import { purgeCdn } from '../../src/newsroom/cdn-purge.js';

// What goes to a CDN's purge endpoint: tags in batches it accepts, and a clear
// error when it refuses.

function recorder(status = 200) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const send = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string> });
    return new Response(null, { status });
  }) as typeof fetch;
  return { calls, send };
}

describe('purgeCdn', () => {
  it('sends the tags in batches of 256, with the authentication header', async () => {
    const { calls, send } = recorder();
    const tags = Array.from({ length: 300 }, (_, index) => `a:/news/story-${index}`);
    await purgeCdn({ url: 'https://cdn.example/purge', header: ['Fastly-Key', 'k'] }, tags, send);
    expect(calls.map((call) => call.headers['surrogate-key']?.split(' ').length)).toEqual([
      256, 44,
    ]);
    expect(calls.flatMap((call) => call.headers['surrogate-key']?.split(' '))).toEqual(tags);
    expect(calls.every((call) => call.headers['Fastly-Key'] === 'k')).toBe(true);
  });

  it('purges "everything" as the site tag every page carries', async () => {
    const { calls, send } = recorder();
    await purgeCdn({ url: 'https://cdn.example/purge', header: null }, ALL_PAGES, send);
    expect(calls).toEqual([
      { url: 'https://cdn.example/purge', headers: { 'surrogate-key': 'site' } },
    ]);
  });

  it('fails naming the endpoint and its answer when the CDN refuses', async () => {
    const { send } = recorder(403);
    await expect(
      purgeCdn({ url: 'https://cdn.example/purge', header: null }, ['l:home'], send),
    ).rejects.toThrow('the CDN purge endpoint https://cdn.example/purge answered 403');
  });
});

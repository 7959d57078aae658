import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { articleView, assets, chrome, editor } from '../../test/site-fixtures.js';
import { docFromParagraphs } from '../core/document.js';
import { arrangeLiveEntries, type LiveEntry, type LiveView } from '../core/live.js';
import type { ArticleView } from '../core/views.js';
import { liveUpdate } from './live-blog.js';
import { liveStructuredData, renderLiveFeed } from './live-data.js';
import { ArticlePage } from './pages/article-page.js';
import { renderHtml } from './render-page.js';
import { articleStructuredData } from './structured-data.js';

function entry(id: number, createdAt: string, fields: Partial<LiveEntry> = {}): LiveEntry {
  return {
    id,
    articleId: 3,
    author: { ...editor, id: 2, name: 'Ada Lindqvist', slug: 'ada-lindqvist' },
    title: '',
    body: docFromParagraphs([`Update number ${id}.`]),
    isKeyEvent: false,
    isPinned: false,
    version: 1,
    createdAt,
    updatedAt: createdAt,
    ...fields,
  };
}

// Written out of order on purpose: the page sorts them.
const ENTRIES = [
  entry(1, '2026-03-06T09:00:00.000Z', { title: 'Polls open', isKeyEvent: true }),
  entry(3, '2026-03-06T11:30:00.000Z', { isKeyEvent: true }),
  entry(2, '2026-03-06T10:15:00.000Z', { title: 'How to vote', isPinned: true }),
  entry(4, '2026-03-06T12:45:00.000Z', { title: 'Turnout <high>' }),
];

function liveView(live: Partial<LiveView> = {}, language = 'en'): ArticleView {
  const view = articleView({ language });
  return {
    ...view,
    live: {
      state: 'live',
      startedAt: '2026-03-06T08:55:00.000Z',
      endedAt: null,
      entries: ENTRIES,
      media: [],
      ...live,
    },
  };
}

function render(view: ArticleView, isMirror = false) {
  return parse(
    renderHtml(ArticlePage({ view, chrome: { ...chrome, isMirror }, assets, isPrintView: false })),
  );
}

describe('arrangeLiveEntries', () => {
  it('puts the pinned entry first, alone, and the rest newest first', () => {
    const { pinned, keyEvents, stream } = arrangeLiveEntries(ENTRIES);
    expect(pinned?.id).toBe(2);
    expect(keyEvents.map((e) => e.id)).toEqual([3, 1]);
    expect(stream.map((e) => e.id)).toEqual([4, 3, 1]);
  });
});

describe('the live blog on an article page', () => {
  it('shows the badge, key events, the pinned entry and the entries newest first', () => {
    const root = render(liveView());
    expect(root.querySelector('.live-badge')?.text).toBe('Live');
    const keyLinks = root.querySelectorAll('.live-key-events a');
    expect(keyLinks.map((a) => a.getAttribute('href'))).toEqual(['#entry-3', '#entry-1']);
    // An entry without a title is summed up by its first words.
    expect(keyLinks[0]?.text).toContain('Update number 3.');
    expect(keyLinks[1]?.text).toContain('Polls open');
    const articles = root.querySelectorAll('.live-blog article');
    expect(articles.map((a) => a.id)).toEqual(['entry-2', 'entry-4', 'entry-3', 'entry-1']);
    expect(articles[0]?.classList.contains('live-pinned')).toBe(true);
    const newest = root.querySelector('#entry-4');
    expect(newest?.querySelector('time')?.getAttribute('datetime')).toBe(
      '2026-03-06T12:45:00.000Z',
    );
    expect(newest?.querySelector('time')?.text).toBe('12:45 UTC');
    expect(newest?.querySelector('h3')?.text).toBe('Turnout <high>');
    expect(newest?.querySelector('.live-entry-author')?.getAttribute('href')).toBe(
      '/authors/ada-lindqvist',
    );
    expect(newest?.querySelector('.article-body p')?.text).toBe('Update number 4.');
    // Polling and the feed while live, on the site's own pages.
    const section = root.querySelector('.live-blog');
    expect(section?.getAttribute('data-live-url')).toBe('/news/politics/council-votes/live.json');
    expect(JSON.parse(section?.getAttribute('data-live-forms') ?? '{}').one).toBe(
      'Show {count} new update',
    );
    expect(root.querySelector('[data-live-new]')?.hasAttribute('hidden')).toBe(true);
    expect(
      root
        .querySelector('link[rel=alternate][type="application/atom+xml"][href$="/live.atom"]')
        ?.getAttribute('href'),
    ).toBe('/news/politics/council-votes/live.atom');
  });

  it('never polls on a mirror', () => {
    const root = render(liveView(), true);
    expect(root.querySelector('[data-live-url]')).toBeNull();
    expect(root.querySelector('[data-live-new]')).toBeNull();
    expect(root.querySelectorAll('.live-blog article')).toHaveLength(4);
  });

  it('once ended is the record: no badge, no polling, when it ended', () => {
    const root = render(liveView({ state: 'ended', endedAt: '2026-03-06T18:00:00.000Z' }));
    expect(root.querySelector('.live-badge')).toBeNull();
    expect(root.querySelector('[data-live-url]')).toBeNull();
    expect(root.querySelector('link[href$="/live.atom"]')).toBeNull();
    expect(root.querySelector('.live-ended')?.text).toContain('Live coverage ended');
    expect(root.querySelector('.live-ended time')?.getAttribute('datetime')).toBe(
      '2026-03-06T18:00:00.000Z',
    );
    expect(root.querySelectorAll('.live-blog article')).toHaveLength(4);
  });

  it('speaks Russian on a Russian article', () => {
    const root = render(liveView({}, 'ru'));
    expect(root.querySelector('.live-badge')?.text).toBe('Онлайн');
    expect(root.querySelector('#live-heading')?.text).toBe('Онлайн-трансляция');
    expect(root.querySelector('#live-key-events-heading')?.text).toBe('Главное');
    const forms = JSON.parse(
      root.querySelector('.live-blog')?.getAttribute('data-live-forms') ?? '{}',
    );
    expect(forms.few).toBe('Показать {count} новых сообщения');
    const ended = render(liveView({ state: 'ended', endedAt: '2026-03-06T18:00:00.000Z' }, 'ru'));
    expect(ended.querySelector('.live-ended')?.text).toContain('Трансляция завершена');
  });

  it('dates the entries of another day than the newest', () => {
    const root = render(liveView({ entries: [...ENTRIES, entry(5, '2026-03-07T08:00:00.000Z')] }));
    expect(root.querySelector('#entry-5 time')?.text).toBe('08:00 UTC');
    expect(root.querySelector('#entry-1 time')?.text).toContain('6 March 2026');
  });

  it('renders nothing of it for an ordinary article', () => {
    const root = render(articleView());
    expect(root.querySelector('.live-blog')).toBeNull();
    expect(root.querySelector('.live-badge')).toBeNull();
  });
});

describe('the live endpoint', () => {
  it('carries the newest entries as the page renders them, the pinned one left out', () => {
    const update = liveUpdate(liveView().live as LiveView, 'en', 'UTC');
    expect(update.state).toBe('live');
    expect(update.entries.map((e) => e.id)).toEqual([4, 3, 1]);
    const fragment = parse(update.entries[0]?.html ?? '');
    expect(fragment.querySelector('article')?.id).toBe('entry-4');
    expect(fragment.querySelector('h3')?.text).toBe('Turnout <high>');
    expect(update.entries[0]?.html).toContain('Turnout &lt;high&gt;');
  });
});

describe('live coverage for machines', () => {
  it('is a LiveBlogPosting with its coverage times and updates newest first', () => {
    const ended = liveView({ state: 'ended', endedAt: '2026-03-06T18:00:00.000Z' });
    const graph = articleStructuredData(ended, chrome, 'https://gazette.example/icon.svg')[
      '@graph'
    ] as Record<string, unknown>[];
    const posting = graph[0] as Record<string, unknown>;
    expect(posting['@type']).toBe('LiveBlogPosting');
    expect(posting.coverageStartTime).toBe('2026-03-06T08:55:00.000Z');
    expect(posting.coverageEndTime).toBe('2026-03-06T18:00:00.000Z');
    expect(posting.dateModified).toBe('2026-03-06T12:45:00.000Z');
    const updates = posting.liveBlogUpdate as Record<string, unknown>[];
    expect(updates.map((update) => update.url)).toEqual([
      'https://gazette.example/news/politics/council-votes#entry-4',
      'https://gazette.example/news/politics/council-votes#entry-3',
      'https://gazette.example/news/politics/council-votes#entry-2',
      'https://gazette.example/news/politics/council-votes#entry-1',
    ]);
    expect(updates[0]).toMatchObject({
      '@type': 'BlogPosting',
      headline: 'Turnout <high>',
      datePublished: '2026-03-06T12:45:00.000Z',
      articleBody: 'Update number 4.',
      author: { '@type': 'Person', name: 'Ada Lindqvist' },
    });
    // While live there is no end time yet.
    expect(liveStructuredData(liveView(), chrome.publicUrl)?.coverageEndTime).toBeUndefined();
    // An ordinary article stays a NewsArticle.
    const plain = articleStructuredData(articleView(), chrome, '')['@graph'] as Record<
      string,
      unknown
    >[];
    expect(plain[0]?.['@type']).not.toBe('LiveBlogPosting');
  });

  it('caps the updates it lists', () => {
    const many = Array.from({ length: 70 }, (_, index) =>
      entry(index + 1, new Date(Date.UTC(2026, 2, 6, 9, index)).toISOString()),
    );
    const data = liveStructuredData(liveView({ entries: many }), chrome.publicUrl);
    const updates = data?.liveBlogUpdate as { url: string }[];
    expect(updates).toHaveLength(50);
    expect(updates[0]?.url).toMatch(/#entry-70$/);
  });

  it('has an Atom feed of the entries', () => {
    const atom = renderLiveFeed(liveView(), chrome, { logoUrl: 'https://gazette.example/i.svg' });
    const root = parse(atom ?? '');
    const ids = root.querySelectorAll('entry > id').map((id) => id.text);
    expect(ids[0]).toBe('https://gazette.example/news/politics/council-votes#entry-4');
    expect(ids).toHaveLength(4);
    expect(atom).toContain('Update number 4.');
    expect(renderLiveFeed(articleView(), chrome, { logoUrl: '' })).toBeNull();
  });
});

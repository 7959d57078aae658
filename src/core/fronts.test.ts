import { describe, expect, it } from 'vitest';
import {
  defaultFrontLayout,
  type FrontLayout,
  type FrontStory,
  fillFront,
  frontArticleIds,
  frontLayoutSchema,
  parseStoredFrontLayout,
  storiesNeeded,
  withoutRepeatedPhotos,
} from './fronts.js';
import type { Media, Section } from './types.js';

const section: Section = {
  id: 1,
  parentId: null,
  slug: 'news',
  path: 'news',
  name: 'News',
  names: {},
  position: 0,
};

function story(id: number, lead: Media | null = null): FrontStory {
  return {
    articleId: id,
    isPinned: false,
    title: `Story ${id}`,
    url: `/news/story-${id}`,
    standfirst: '',
    language: 'en',
    publishedAt: '2026-12-01T10:00:00.000Z',
    section,
    lead,
    bylines: [],
    label: null,
  };
}

function sources(latest: number[], pinned: number[] = [], bySection: number[] = []) {
  return {
    pinned: new Map(pinned.map((id) => [id, story(id)])),
    latest: latest.map((id) => story(id)),
    mostRead: [story(9), story(1)],
    bySection: new Map([[1, bySection.map((id) => story(id))]]),
  };
}

const ids = (slots: (FrontStory | null)[]) => slots.map((slot) => slot?.articleId ?? null);

describe('fillFront', () => {
  it('keeps pinned stories in their slots and fills the others from the newest not yet shown', () => {
    const layout: FrontLayout = {
      blocks: [
        { kind: 'lead', heading: '', slots: [5] },
        { kind: 'secondary', heading: '', slots: [null, 2, null] },
      ],
    };
    const [lead, secondary] = fillFront(layout, sources([1, 2, 3, 4], [5, 2]));
    expect(lead?.kind === 'lead' && ids(lead.slots)).toEqual([5]);
    expect(lead?.kind === 'lead' && lead.slots[0]?.isPinned).toBe(true);
    // 2 is pinned lower down, so the first empty slot skips it.
    expect(secondary?.kind === 'secondary' && ids(secondary.slots)).toEqual([1, 2, 3]);
    expect(secondary?.kind === 'secondary' && secondary.slots[0]?.isPinned).toBe(false);
  });

  it('fills a slot itself when its article is pinned twice or is no longer published', () => {
    const layout: FrontLayout = {
      blocks: [{ kind: 'secondary', heading: '', slots: [7, 7, 8] }],
    };
    // 8 is not among the published pinned articles any more.
    const [block] = fillFront(layout, sources([1, 2, 7], [7]));
    expect(block?.kind === 'secondary' && ids(block.slots)).toEqual([7, 1, 2]);
  });

  it('leaves a slot empty when nothing is left, and modules take what the slots left', () => {
    const layout: FrontLayout = {
      blocks: [
        { kind: 'latest', heading: '', count: 3 },
        { kind: 'row', heading: 'More', slots: [null, null] },
        { kind: 'section', heading: '', sectionId: 1, count: 2 },
        { kind: 'most-read', heading: '', count: 1 },
        { kind: 'banner', tone: 'breaking', text: 'Now', url: '' },
      ],
    };
    const [latest, row, sectionBlock, mostRead, banner] = fillFront(
      layout,
      sources([1, 2, 3, 4], [], [2, 4, 6]),
    );
    // The row above in importance fills first even though the list comes first on the page.
    expect(row?.kind === 'row' && ids(row.slots)).toEqual([1, 2]);
    expect(latest?.kind === 'latest' && latest.stories.map((s) => s.articleId)).toEqual([3, 4]);
    expect(
      sectionBlock?.kind === 'section' && sectionBlock.stories.map((s) => s.articleId),
    ).toEqual([6]);
    expect(mostRead?.kind === 'most-read' && mostRead.stories.map((s) => s.articleId)).toEqual([9]);
    expect(banner).toEqual({ kind: 'banner', tone: 'breaking', text: 'Now', url: '' });
    const empty = fillFront(
      { blocks: [{ kind: 'lead', heading: '', slots: [null] }] },
      sources([]),
    );
    expect(empty[0]?.kind === 'lead' && empty[0].slots).toEqual([null]);
    expect(frontArticleIds(empty)).toEqual([]);
  });
});

describe('front layouts', () => {
  it('refuses what a front cannot hold, naming the rule', () => {
    const tooMany = frontLayoutSchema.safeParse({
      blocks: [{ kind: 'lead', slots: [1, 2] }],
    });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.message).toBe('a lead block holds at most 1 story');
    // Scripts, and addresses a browser reads as another site's, are no banner links.
    for (const url of [
      'javascript:alert(1)',
      '//evil.example/x',
      '/\\evil.example/x',
      '/\t/evil.example',
    ]) {
      const badLink = frontLayoutSchema.safeParse({
        blocks: [{ kind: 'banner', tone: 'notice', text: 'x', url }],
      });
      expect(badLink.error?.issues[0]?.path, url).toEqual(['blocks', 0, 'url']);
    }
    expect(
      frontLayoutSchema.safeParse({
        blocks: [{ kind: 'banner', tone: 'notice', text: 'x', url: '/news/bridge' }],
      }).success,
    ).toBe(true);
    expect(parseStoredFrontLayout('{"blocks":[{"kind":"carousel"}]}')).toBeNull();
    expect(parseStoredFrontLayout('not json')).toBeNull();
  });

  it('arranges a home page and a section page by default, and knows how many stories they need', () => {
    const home = defaultFrontLayout('home', [1, 2]);
    expect(home.blocks.map((block) => block.kind)).toEqual([
      'lead',
      'secondary',
      'latest',
      'most-read',
      'section',
      'section',
    ]);
    expect(defaultFrontLayout('section', [1]).blocks.map((block) => block.kind)).toEqual([
      'lead',
      'secondary',
    ]);
    // Five slots, then the latest list's six.
    expect(storiesNeeded(home)).toBe(11);
    expect(parseStoredFrontLayout(JSON.stringify(home))).toEqual(home);
  });

  it('shows a photo once per page', () => {
    const photo = { id: 3, file: 'a.jpg' } as Media;
    const seen = new Set<number>();
    const first = withoutRepeatedPhotos([story(1, photo), story(2, photo)], seen);
    expect(first.map((item) => item.lead?.id ?? null)).toEqual([3, null]);
    expect(withoutRepeatedPhotos([story(4, photo)], seen)[0]?.lead).toBeNull();
  });
});

import { z } from 'zod';
import { isNavigationHref } from './links.js';
import type { Teaser } from './views.js';

// A front is the home page or a section's page as editors arrange it, one per
// language: a column of blocks. Story blocks hold slots; a slot either names
// an article (pinned by an editor) or is left empty and takes the newest
// published article not already on the front. Modules (latest, most read, a
// section's newest) fill themselves. The arrangement is stored as JSON and
// read through `parseFrontLayout`, so a stored front is checked like a sent one.

/** Blocks that hold stories, and how many each may hold. */
export const STORY_BLOCKS = {
  /** The lead story: the largest photo and headline on the page. */
  lead: { min: 1, max: 1 },
  /** Stories next in importance, two to four across. */
  secondary: { min: 2, max: 4 },
  /** A row of smaller teasers, with an optional heading. */
  row: { min: 2, max: 8 },
} as const;
export type StoryBlockKind = keyof typeof STORY_BLOCKS;

export const MODULE_MAX = 10;
export const MAX_BLOCKS = 30;

const slotSchema = z.number().int().positive().nullable();
const headingSchema = z.string().trim().max(80).default('');

function storyBlockSchema<Kind extends StoryBlockKind>(kind: Kind) {
  const { min, max } = STORY_BLOCKS[kind];
  return z.object({
    kind: z.literal(kind),
    heading: headingSchema,
    slots: z
      .array(slotSchema)
      .min(min, `a ${kind} block holds at least ${min} ${min === 1 ? 'story' : 'stories'}`)
      .max(max, `a ${kind} block holds at most ${max} ${max === 1 ? 'story' : 'stories'}`),
  });
}

const countSchema = z.number().int().min(1).max(MODULE_MAX);

export const frontBlockSchema = z.discriminatedUnion('kind', [
  storyBlockSchema('lead'),
  storyBlockSchema('secondary'),
  storyBlockSchema('row'),
  z.object({ kind: z.literal('latest'), heading: headingSchema, count: countSchema }),
  z.object({ kind: z.literal('most-read'), heading: headingSchema, count: countSchema }),
  z.object({
    kind: z.literal('section'),
    heading: headingSchema,
    sectionId: z.number().int().positive(),
    count: countSchema,
  }),
  z.object({
    kind: z.literal('banner'),
    /** Breaking news (red, "Breaking") or a pinned notice. */
    tone: z.enum(['breaking', 'notice']),
    text: z.string().trim().min(1, 'a banner needs its text').max(200),
    /** Where the banner leads ("/news/…", a web address); "" for none. */
    url: z
      .string()
      .trim()
      .max(500)
      .refine(
        (url) => url === '' || isNavigationHref(url),
        'a banner link is a site address ("/news/…") or a web address',
      )
      .default(''),
  }),
]);

export const frontLayoutSchema = z.object({
  blocks: z.array(frontBlockSchema).max(MAX_BLOCKS, `a front has at most ${MAX_BLOCKS} blocks`),
});

export type FrontBlock = z.infer<typeof frontBlockSchema>;
export type FrontLayout = z.infer<typeof frontLayoutSchema>;
export type StoryBlock = Extract<FrontBlock, { kind: StoryBlockKind }>;

export function isStoryBlock(block: FrontBlock): block is StoryBlock {
  return block.kind in STORY_BLOCKS;
}

/**
 * A stored front, read back: null when it no longer parses (written by a
 * later version, say), so the page falls back to the default arrangement
 * rather than failing.
 */
export function parseStoredFrontLayout(json: string): FrontLayout | null {
  try {
    const parsed = frontLayoutSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * What a front shows before any editor arranged it: the newest story as the
 * lead and the next four beside it; the home page adds the latest and the
 * most read, and a block for each top section. A section's page lists the
 * rest of its articles below its front.
 */
export function defaultFrontLayout(
  kind: 'home' | 'section',
  topSectionIds: readonly number[],
): FrontLayout {
  const stories: FrontBlock[] = [
    { kind: 'lead', heading: '', slots: [null] },
    { kind: 'secondary', heading: '', slots: [null, null, null, null] },
  ];
  if (kind === 'section') return { blocks: stories };
  return {
    blocks: [
      ...stories,
      { kind: 'latest', heading: '', count: 6 },
      { kind: 'most-read', heading: '', count: 5 },
      ...topSectionIds.map((sectionId) => ({
        kind: 'section' as const,
        heading: '',
        sectionId,
        count: 4,
      })),
    ],
  };
}

/** The article ids editors pinned anywhere on a front. */
export function pinnedArticleIds(layout: FrontLayout): number[] {
  return [
    ...new Set(
      layout.blocks.flatMap((block) =>
        isStoryBlock(block) ? block.slots.filter((id): id is number => id !== null) : [],
      ),
    ),
  ];
}

/** Every story a filled front shows, wherever. */
export function frontStories(blocks: readonly FilledBlock[]): FrontStory[] {
  return blocks.flatMap((block) => {
    if (block.kind === 'banner') return [];
    const stories = 'slots' in block ? block.slots : block.stories;
    return stories.filter((story): story is FrontStory => story !== null);
  });
}

/** Every article a filled front shows. */
export function frontArticleIds(blocks: readonly FilledBlock[]): number[] {
  return frontStories(blocks).map((story) => story.articleId);
}

/** A teaser as a front shows it: pinned by an editor, or filled in from the newest. */
export type FrontStory = Teaser & { articleId: number; isPinned: boolean };

/**
 * A block as filled, in the layout's order (one for each block, empty ones
 * included, so the admin shows each slot beside what fills it). A story
 * block's `slots` match its slots: null where nothing is left to fill one.
 */
export type FilledBlock =
  | { kind: StoryBlockKind; heading: string; slots: (FrontStory | null)[] }
  | { kind: 'latest' | 'most-read'; heading: string; stories: FrontStory[] }
  | { kind: 'section'; heading: string; sectionId: number; stories: FrontStory[] }
  | { kind: 'banner'; tone: 'breaking' | 'notice'; text: string; url: string };

/** What a front is filled from, read by the caller (articles in the front's scope only). */
export type FrontSources = {
  /** Pinned articles that are published and in scope, by id. */
  pinned: ReadonlyMap<number, FrontStory>;
  /** The newest published articles in scope, newest first. */
  latest: readonly FrontStory[];
  /** The most read of late, most read first. */
  mostRead: readonly FrontStory[];
  /** Each section block's newest articles, newest first, by section id. */
  bySection: ReadonlyMap<number, readonly FrontStory[]>;
};

/**
 * Fills a front. Story slots first, top to bottom: a pinned article keeps its
 * slot (once: pinned twice, the lower slot fills itself); an empty slot, or
 * one whose article is no longer published, takes the newest article not yet
 * on the front. Then the modules: "latest" lists the newest stories the slots
 * left, section blocks skip every story shown above them, and "most read" is
 * a ranking that shows what it is, repeats included.
 */
export function fillFront(layout: FrontLayout, sources: FrontSources): FilledBlock[] {
  const shown = new Set<number>();
  // Pinned stories are taken before any empty slot fills, wherever they sit.
  for (const id of pinnedArticleIds(layout)) if (sources.pinned.has(id)) shown.add(id);
  const placed = new Set<number>();
  let next = 0;
  const newest = (): FrontStory | null => {
    while (next < sources.latest.length) {
      const story = sources.latest[next++];
      if (story && !shown.has(story.articleId)) {
        shown.add(story.articleId);
        return story;
      }
    }
    return null;
  };
  const slots = layout.blocks.map((block) =>
    isStoryBlock(block)
      ? block.slots.map((id): FrontStory | null => {
          const pinned = id === null || placed.has(id) ? undefined : sources.pinned.get(id);
          if (!pinned) {
            const story = newest();
            return story ? { ...story, isPinned: false } : null;
          }
          placed.add(pinned.articleId);
          return { ...pinned, isPinned: true };
        })
      : [],
  );
  const unshown = (stories: readonly FrontStory[], count: number): FrontStory[] => {
    const taken = stories.filter((story) => !shown.has(story.articleId)).slice(0, count);
    for (const story of taken) shown.add(story.articleId);
    return taken;
  };
  const fill = (block: FrontBlock, index: number): FilledBlock => {
    switch (block.kind) {
      case 'lead':
      case 'secondary':
      case 'row':
        return { kind: block.kind, heading: block.heading, slots: slots[index] ?? [] };
      case 'latest':
        return {
          kind: 'latest',
          heading: block.heading,
          stories: unshown(sources.latest, block.count),
        };
      case 'most-read':
        return {
          kind: 'most-read',
          heading: block.heading,
          stories: sources.mostRead.slice(0, block.count),
        };
      case 'section':
        return {
          kind: 'section',
          heading: block.heading,
          sectionId: block.sectionId,
          stories: unshown(sources.bySection.get(block.sectionId) ?? [], block.count),
        };
      case 'banner':
        return { kind: 'banner', tone: block.tone, text: block.text, url: block.url };
    }
  };
  return layout.blocks.map(fill);
}

/**
 * How many of the newest articles a front needs: one for each slot (a pinned
 * article may be among the newest and be skipped), then the longest latest list.
 */
export function storiesNeeded(layout: FrontLayout): number {
  let slots = 0;
  let list = 0;
  for (const block of layout.blocks) {
    if (isStoryBlock(block)) slots += block.slots.length;
    else if (block.kind === 'latest') list = Math.max(list, block.count);
  }
  return slots + pinnedArticleIds(layout).length + list;
}

/**
 * The same photo never shows twice on a page (one agency picture on two
 * stories side by side): teasers after the first that shows it go without.
 */
export function withoutRepeatedPhotos<Item extends Pick<Teaser, 'lead'>>(
  items: readonly Item[],
  seen: Set<number> = new Set(),
): Item[] {
  return items.map((item) => {
    if (!item.lead?.file) return item;
    if (seen.has(item.lead.id)) return { ...item, lead: null };
    seen.add(item.lead.id);
    return item;
  });
}

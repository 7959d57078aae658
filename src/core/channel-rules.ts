import type { Channel } from './distribution.js';

// The rule for which channels take an article by default, apart from the
// channel schemas (zod) so that the newsroom app can apply it to the article
// on screen without carrying the validators.

/**
 * Whether a channel takes an article by default: its language matches (or
 * the channel takes any), and its section is one of the channel's or below
 * one (`sectionPath` lists the article's section and its ancestors' ids).
 */
export function channelTakes(
  channel: Pick<Channel, 'language' | 'sectionIds' | 'isDefault'>,
  article: { language: string; sectionPath: readonly number[] },
): boolean {
  if (!channel.isDefault) return false;
  if (channel.language !== null && channel.language !== article.language) return false;
  return (
    channel.sectionIds.length === 0 ||
    channel.sectionIds.some((id) => article.sectionPath.includes(id))
  );
}

/**
 * The ids of the section at `path` and of every section above it
 * ("news/politics" is in "news" too), as `channelTakes` wants them.
 */
export function sectionAncestry(
  sections: readonly { id: number; path: string }[],
  path: string,
): number[] {
  return sections
    .filter((section) => path === section.path || path.startsWith(`${section.path}/`))
    .map((section) => section.id);
}

import { DomainError } from './errors.js';
import { slugify } from './slug.js';
import type { Tag } from './types.js';

// A tag is known by its slug: "Climate", "climate" and "CLIMATE " are one tag,
// so that a future tag page gathers every article that means the same topic.

/**
 * Tag names as staff typed them → tags with slugs, in the order given, one per
 * slug (the first spelling wins). Throws `invalid_input` on field `tags` for a
 * name that yields no slug (only punctuation or symbols).
 */
export function tagsFromNames(names: readonly string[]): Tag[] {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    // Inner runs of spaces come from pasting; they would make "New  York" a
    // different-looking name for the same slug.
    const name = raw.trim().replace(/\s+/g, ' ');
    const slug = slugify(name);
    if (slug === '') {
      throw new DomainError(
        'invalid_input',
        `the tag "${name}" needs at least one letter or digit`,
        'tags',
      );
    }
    if (seen.has(slug)) continue;
    seen.add(slug);
    tags.push({ name, slug });
  }
  return tags;
}

import { z } from 'zod';
import { isNavigationHref } from './links.js';
import {
  LANGUAGES,
  type Language,
  type Localized,
  type Section,
  type SiteSettings,
} from './types.js';

// Names readers see in their language: a section's, the site's, the tagline,
// and the menus. Each falls back to the one in the site's own language.

export const localizedSchema = z
  .record(z.string(), z.string().trim().max(200))
  .refine(
    (value) => Object.keys(value).every((key) => (LANGUAGES as readonly string[]).includes(key)),
    `names are given in ${LANGUAGES.join(' or ')}`,
  )
  .transform((value) => {
    // An emptied field falls back to the site's own name: it is not kept.
    const kept: Localized = {};
    for (const [key, text] of Object.entries(value)) if (text) kept[key as Language] = text;
    return kept;
  });

/** A stored JSON object of names, read leniently: anything unexpected is ignored. */
export function parseLocalized(json: string | undefined | null): Localized {
  if (!json) return {};
  try {
    const parsed = localizedSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function sectionName(section: Pick<Section, 'name' | 'names'>, language: string): string {
  return section.names[language as Language] || section.name;
}

export function siteName(settings: SiteSettings, language: string): string {
  return settings.names[language as Language] || settings.name;
}

export function siteTagline(settings: SiteSettings, language: string): string {
  return settings.taglines[language as Language] ?? settings.tagline;
}

/** A menu entry: what it says and where it leads (a site address or an https:// one). */
export type MenuLink = { label: string; url: string };
export type Menu = { main: MenuLink[]; footer: MenuLink[] };

const menuLinkSchema = z.object({
  label: z.string().trim().min(1, 'a menu entry needs its words').max(60),
  url: z
    .string()
    .trim()
    .min(1, 'a menu entry needs an address')
    .max(500)
    .refine(
      isNavigationHref,
      'a menu entry leads to a site address ("/news"), a web address or a mailto: address',
    ),
});

export const menuSchema = z.object({
  main: z.array(menuLinkSchema).max(12, 'the main menu holds at most 12 entries'),
  footer: z.array(menuLinkSchema).max(20, 'the footer holds at most 20 links'),
});

/** Menus per language: a language without its own shows the sections (main) and no extra links. */
export type Menus = Partial<Record<Language, Menu>>;

export function parseStoredMenu(json: string | undefined): Menu | null {
  if (!json) return null;
  try {
    const parsed = menuSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

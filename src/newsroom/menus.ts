import { ALL_PAGES } from '../core/cache-tags.js';
import { DomainError } from '../core/errors.js';
import { type Menu, menuSchema } from '../core/localized.js';
import { plainIssueMessage } from '../core/plain-errors.js';
import { can } from '../core/policy.js';
import { LANGUAGES, type Language } from '../core/types.js';
import { recordAudit } from '../store/audit.js';
import { readSettings, writeSetting } from '../store/settings.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { menuSetting, readMenus } from './read-site.js';

// The main navigation and the footer's own links, per language (editors).
// A language without a main menu shows its top sections, as before.

function mayEditMenus(actor: StaffActor): void {
  if (!can(actor, 'page.manage'))
    throw new DomainError('not_allowed_for_role', 'only editors change the menus');
}

function languageOf(language: string): Language {
  if (!(LANGUAGES as readonly string[]).includes(language))
    throw new DomainError(
      'not_found',
      `there are menus in ${LANGUAGES.join(' and ')}, not "${language}"`,
    );
  return language as Language;
}

/** Every language's menus; empty lists where none was made. */
export async function getMenusForStaff(
  newsroom: Newsroom,
  actor: StaffActor,
): Promise<Record<Language, Menu>> {
  mayEditMenus(actor);
  const menus = readMenus(await readSettings(newsroom.store.db));
  return Object.fromEntries(
    LANGUAGES.map((language) => [language, menus[language] ?? { main: [], footer: [] }]),
  ) as Record<Language, Menu>;
}

/** Replaces a language's menus; every page shows them, so every page is purged. */
export async function updateMenu(
  newsroom: Newsroom,
  actor: StaffActor,
  language: string,
  input: unknown,
): Promise<Menu> {
  mayEditMenus(actor);
  const key = languageOf(language);
  const parsed = menuSchema.safeParse(input, { error: plainIssueMessage });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path ?? []).map(String).join('.') || undefined;
    throw new DomainError(
      'invalid_input',
      `${field ? `${field}: ` : ''}${issue?.message ?? 'not a menu'}`,
      field,
    );
  }
  const menu = parsed.data;
  await newsroom.store.db.transaction().execute(async (trx) => {
    await writeSetting(trx, menuSetting(key), JSON.stringify(menu));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'menu.update',
      subject: 'site',
      detail: { language: key, main: menu.main.length, footer: menu.footer.length },
      at: newsroom.now().toISOString(),
    });
  });
  newsroom.changed?.(ALL_PAGES);
  return menu;
}

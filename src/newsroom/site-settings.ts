import { ALL_PAGES } from '../core/cache-tags.js';
import { isTimeZone } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { localizedSchema } from '../core/localized.js';
import { can } from '../core/policy.js';
import { LANGUAGES, type Localized, type SiteSettings } from '../core/types.js';
import { recordAudit } from '../store/audit.js';
import { writeSetting } from '../store/settings.js';
import type { Newsroom, StaffActor } from './newsroom.js';
import { readSiteSettings, SITE_NAMES_SETTING, SITE_TAGLINES_SETTING } from './read-site.js';

type TextSetting = Exclude<keyof SiteSettings, 'names' | 'taglines'>;

const KEYS: Record<TextSetting, string> = {
  name: 'site.name',
  tagline: 'site.tagline',
  language: 'site.language',
  timeZone: 'site.time_zone',
};

/** What staff may change: the texts, and the name and tagline per language. */
export type SiteSettingsChange = Partial<Record<TextSetting, string>> & {
  names?: unknown;
  taglines?: unknown;
};

function checkedLocalized(input: unknown, field: 'names' | 'taglines'): Localized {
  const parsed = localizedSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [field, ...(issue?.path ?? []).map(String)].join('.');
  throw new DomainError('invalid_input', `${path}: ${issue?.message ?? 'not names'}`, path);
}

/** The site's name, tagline, interface language and time zone. */
export async function getSiteSettings(newsroom: Newsroom): Promise<SiteSettings> {
  return await readSiteSettings(newsroom.store.db);
}

/** Changes site settings (editor-in-chief only), with an audit entry naming what changed. */
async function writeUpdateSiteSettings(
  newsroom: Newsroom,
  actor: StaffActor,
  changes: SiteSettingsChange,
): Promise<SiteSettings> {
  if (!can(actor, 'settings.manage')) {
    throw new DomainError(
      'not_allowed_for_role',
      'only the editor-in-chief changes the site settings',
    );
  }
  if (changes.name !== undefined && changes.name.trim() === '') {
    throw new DomainError('invalid_input', 'the site needs a name', 'name');
  }
  if (
    changes.language !== undefined &&
    !(LANGUAGES as readonly string[]).includes(changes.language)
  ) {
    throw new DomainError(
      'invalid_input',
      `the interface speaks ${LANGUAGES.join(' or ')}`,
      'language',
    );
  }
  if (changes.timeZone !== undefined && !isTimeZone(changes.timeZone)) {
    throw new DomainError(
      'invalid_input',
      `"${changes.timeZone}" is not a time zone such as Europe/Riga`,
      'timeZone',
    );
  }
  const names = changes.names === undefined ? undefined : checkedLocalized(changes.names, 'names');
  const taglines =
    changes.taglines === undefined ? undefined : checkedLocalized(changes.taglines, 'taglines');
  await newsroom.store.db.transaction().execute(async (trx) => {
    for (const key of Object.keys(KEYS) as TextSetting[]) {
      const value = changes[key];
      if (value !== undefined)
        await writeSetting(trx, KEYS[key], key === 'name' ? value.trim() : value);
    }
    if (names) await writeSetting(trx, SITE_NAMES_SETTING, JSON.stringify(names));
    if (taglines) await writeSetting(trx, SITE_TAGLINES_SETTING, JSON.stringify(taglines));
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'settings.site',
      subject: 'settings',
      detail: { changed: Object.keys(changes) },
      at: newsroom.now().toISOString(),
    });
  });
  return await getSiteSettings(newsroom);
}

/** The settings are in every page’s chrome. */
export async function updateSiteSettings(
  newsroom: Newsroom,
  actor: StaffActor,
  changes: SiteSettingsChange,
): Promise<SiteSettings> {
  const result = await writeUpdateSiteSettings(newsroom, actor, changes);
  newsroom.changed?.(ALL_PAGES);
  return result;
}

import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Dialect } from './dialect.js';
import * as initial from './migrations/001-initial.js';
import * as newsroom from './migrations/002-newsroom.js';
import * as tags from './migrations/003-tags.js';
import * as totpStep from './migrations/004-totp-step.js';
import * as photoMetadata from './migrations/005-photo-metadata.js';
import * as search from './migrations/006-search.js';
import * as imports from './migrations/007-imports.js';
import * as importVersions from './migrations/008-import-versions.js';
import * as pendingChanges from './migrations/009-pending-changes.js';
import * as previewLinks from './migrations/010-preview-links.js';
import * as photoFocus from './migrations/011-photo-focus.js';
import * as searchAndSocial from './migrations/012-search-and-social.js';
import * as changeLog from './migrations/013-change-log.js';
import * as importJournal from './migrations/014-import-journal.js';
import * as distribution from './migrations/015-distribution.js';
import * as newsletters from './migrations/016-newsletters.js';
import * as newsletterSends from './migrations/017-newsletter-sends.js';
import * as fediverse from './migrations/018-fediverse.js';
import * as fediverseFollows from './migrations/019-fediverse-follows.js';
import * as fediverseAuthors from './migrations/020-fediverse-authors.js';
import * as fronts from './migrations/021-fronts.js';
import * as articleLabel from './migrations/022-article-label.js';
import * as liveCoverage from './migrations/023-live-coverage.js';
import * as localizedNames from './migrations/024-localized-names.js';
import * as personProfile from './migrations/025-person-profile.js';
import * as sharedDocs from './migrations/026-shared-docs.js';
import * as articleNotes from './migrations/027-article-notes.js';
import * as desk from './migrations/028-desk.js';
import * as audience from './migrations/029-audience.js';
import type { Database } from './schema.js';

// Listed by hand, in order: no directory scanning, so bundling and tsx both work.
const MIGRATIONS = {
  '001-initial': initial,
  '002-newsroom': newsroom,
  '003-tags': tags,
  '004-totp-step': totpStep,
  '005-photo-metadata': photoMetadata,
  '006-search': search,
  '007-imports': imports,
  '008-import-versions': importVersions,
  '009-pending-changes': pendingChanges,
  '010-preview-links': previewLinks,
  '011-photo-focus': photoFocus,
  '012-search-and-social': searchAndSocial,
  '013-change-log': changeLog,
  '014-import-journal': importJournal,
  '015-distribution': distribution,
  '016-newsletters': newsletters,
  '017-newsletter-sends': newsletterSends,
  '018-fediverse': fediverse,
  '019-fediverse-follows': fediverseFollows,
  '020-fediverse-authors': fediverseAuthors,
  '021-fronts': fronts,
  '022-article-label': articleLabel,
  '023-live-coverage': liveCoverage,
  '024-localized-names': localizedNames,
  '025-person-profile': personProfile,
  '026-shared-docs': sharedDocs,
  '027-article-notes': articleNotes,
  '028-desk': desk,
  '029-audience': audience,
};

function provider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(MIGRATIONS)) {
        out[name] = { up: (db) => migration.up(db, dialect) };
      }
      return out;
    },
  };
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: provider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Brings the schema up to `name` and no further: for tests of a migration
 * that moves rows (they write what an older Masthead wrote, then migrate).
 */
export async function migrateUpTo(
  db: Kysely<Database>,
  dialect: Dialect,
  name: keyof typeof MIGRATIONS,
): Promise<void> {
  const { error } = await new Migrator({ db, provider: provider(dialect) }).migrateTo(name);
  if (error) throw new Error(`database migration to ${name} failed: ${String(error)}`);
}

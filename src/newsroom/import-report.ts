import { createHash } from 'node:crypto';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../core/article-input.js';

// What every importer reports, and how it reads its input. The report follows
// one form whatever the format: one line per item, then a summary.

export type ReportLine = {
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
  /** What the item is: 'article', 'page', 'media', 'section', 'person', 'tag', or the source's own kind ("nav_menu_item #12"). */
  entity: string;
  /** The public path, or a label for items that have none. */
  target: string;
  /** A remark; for a skipped item, the reason. */
  note?: string;
};

/** "created article /news/politics/slug (note)", "skipped item X: reason": one line of an import report. */
export function formatReportLine(line: ReportLine): string {
  const base = `${line.action} ${line.entity} ${line.target}`;
  if (line.action === 'skipped') return `${base}: ${line.note ?? 'not imported'}`;
  return line.note ? `${base} (${line.note})` : base;
}

/** A file to import, opened afresh for each pass an importer makes over it. */
export type ImportSource = {
  name: string;
  /** Size in bytes when known, for the progress bar. */
  size: number | null;
  open: () => AsyncIterable<Uint8Array>;
};

export type ImportProgress = {
  pass: number;
  passes: number;
  bytes: number;
  totalBytes: number | null;
  /** Items read so far in this pass. */
  items: number;
};

export type ImportResult = {
  lines: ReportLine[];
  /** Constructs not converted one to one, with counts ("kept as HTML: table" → 2). */
  notes: Map<string, number>;
  /** Old addresses recorded to redirect to the imported pages. */
  redirects: number;
};

/** The summary after the lines: counts by action, then what was not converted. */
export function summarize(name: string, result: ImportResult): string[] {
  const count = (action: ReportLine['action']) =>
    result.lines.filter((line) => line.action === action).length;
  const skipped = count('skipped') > 0 ? `, ${count('skipped')} skipped` : '';
  const out = [
    `imported ${name}: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged${skipped}`,
  ];
  if (result.redirects > 0)
    out.push(`${result.redirects} old addresses now redirect to their new pages`);
  if (result.notes.size > 0) {
    out.push('not converted one to one:');
    for (const [what, n] of [...result.notes].sort((a, b) => b[1] - a[1]))
      out.push(`  ${n} × ${what}`);
  }
  return out;
}

/** A hash of what a source says about an item: equal hashes mean nothing to update. */
export function contentHashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

// An archive may hold more than the editor takes: what is kept is kept, and
// the report says where the editor will ask for less before its next change.
export const NOTE_MANY_TAGS = `article with more than ${MAX_TAGS} tags, more than the editor takes (all kept: remove some before changing its tags)`;
export const NOTE_LONG_TAG = `tag name over ${MAX_TAG_LENGTH} characters, longer than the editor takes (kept as it was)`;

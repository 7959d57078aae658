import { parse } from 'csv-parse/sync';
import { DomainError } from '../core/errors.js';
import { normalizeEmail } from '../core/newsletters.js';

// Subscriber lists exported by other newsletter services, as CSV: Ghost's
// members export (email, subscribed_to_emails, …), Substack's (email,
// email_disabled, …), or any file with an "email" column (or addresses in the
// first column and no header). Each row is read to an address and whether
// its reader still wants e-mail; what cannot be used is named by line.

export type SubscriberRow = { line: number; email: string };
export type SkippedRow = { line: number; value: string; reason: string };
export type SubscriberCsv = { rows: SubscriberRow[]; skipped: SkippedRow[] };

const FALSE = new Set(['false', '0', 'no', 'n']);
const TRUE = new Set(['true', '1', 'yes', 'y']);

/** Reads a subscriber CSV; throws a DomainError naming the file and line when it cannot be used at all. */
export function readSubscriberCsv(text: string, fileName: string): SubscriberCsv {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new DomainError(
      'invalid_input',
      `${fileName}: not a CSV file we can read: ${(error as Error).message}`,
    );
  }
  const records = parsed.map((item) => item.record);
  const [first = []] = records;
  const header = first.map((cell) => cell.toLowerCase());
  const hasHeader = !first.some((cell) => normalizeEmail(cell) !== null);
  const column = (name: string) => header.indexOf(name);
  const emailAt = hasHeader
    ? ['email', 'email address', 'e-mail'].map(column).find((i) => i >= 0)
    : 0;
  if (emailAt === undefined)
    throw new DomainError(
      'invalid_input',
      `${fileName}: line 1: no "email" column (the columns are ${first.join(', ')})`,
    );
  // Ghost: subscribed_to_emails false means the member turned e-mail off.
  const ghostSubscribed = hasHeader ? column('subscribed_to_emails') : -1;
  // Substack: email_disabled true means the reader turned e-mail off.
  const substackDisabled = hasHeader ? column('email_disabled') : -1;
  const rows: SubscriberRow[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  parsed.slice(hasHeader ? 1 : 0).forEach(({ record, info }) => {
    // The file's own line (blank lines are skipped, not counted out).
    const line = info.lines;
    const value = record[emailAt] ?? '';
    const email = normalizeEmail(value);
    if (!email) {
      skipped.push({ line, value, reason: 'not an e-mail address' });
      return;
    }
    const subscribed = (record[ghostSubscribed] ?? '').toLowerCase();
    const disabled = (record[substackDisabled] ?? '').toLowerCase();
    if (
      (ghostSubscribed >= 0 && FALSE.has(subscribed)) ||
      (substackDisabled >= 0 && TRUE.has(disabled))
    ) {
      skipped.push({ line, value, reason: 'turned newsletters off in the service it came from' });
      return;
    }
    if (seen.has(email)) {
      skipped.push({ line, value, reason: 'the same address again in this file' });
      return;
    }
    seen.add(email);
    rows.push({ line, email });
  });
  return { rows, skipped };
}

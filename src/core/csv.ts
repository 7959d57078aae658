/**
 * One CSV cell: quoted when it holds a quote, comma or line break (RFC 4180);
 * null is empty. Text a spreadsheet would run as a formula (= + - @ first) is
 * kept as text behind an apostrophe.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV lines from a header and rows, each line ended by a line feed. */
export function csvText(
  header: readonly string[],
  rows: readonly (string | number | null)[][],
): string {
  return `${[header.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n')}\n`;
}

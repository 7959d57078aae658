/** One CSV cell: quoted when it holds a quote, comma or line break (RFC 4180); null is empty. */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV lines from a header and rows, each line ended by a line feed. */
export function csvText(
  header: readonly string[],
  rows: readonly (string | number | null)[][],
): string {
  return `${[header.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n')}\n`;
}

/**
 * JSON inside a <script> element: "<" is escaped so that no text in the data
 * (a headline containing "</script>") can end the element early, and the two
 * line separators JavaScript reads as line ends are escaped too.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// The tags field is one line of text, "Budget, Local elections": easier to type
// and paste than a widget per tag. The server still decides what is one tag.

/** "Budget, , Local elections " → ["Budget", "Local elections"]: trimmed, empty pieces dropped. */
export function parseTagList(text: string): string[] {
  return text
    .split(',')
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
}

/** The field's text for these tags. */
export function formatTagList(tags: readonly string[]): string {
  return tags.join(', ');
}

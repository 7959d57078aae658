/**
 * Moves the keyboard to the first of these elements that is on the page and
 * usable (a disabled button is passed over). After a move or a removal the
 * element that had focus is gone or elsewhere: the screen names where focus
 * goes next, in order of preference, and calls this once it re-rendered.
 */
export function focusFirst(ids: readonly string[]): void {
  for (const id of ids) {
    const target = document.getElementById(id);
    if (target && !(target instanceof HTMLButtonElement && target.disabled)) {
      target.focus();
      return;
    }
  }
}

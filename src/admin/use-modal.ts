import { type RefObject, useEffect, useRef } from 'react';

/**
 * Opens a <dialog> as a modal once it is on the page: the browser then keeps
 * the focus inside it and the page behind it inert. When it closes, or leaves
 * the page while still open (the browser then gives the focus back to
 * nothing), the focus goes back to what had it before, such as the button
 * that opened it, so keyboard and screen-reader users are not left at the
 * top of the page.
 */
export function useModal(): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement;
    if (!element.open) element.showModal();
    const giveFocusBack = () => {
      // Only a focus that was lost with the dialog: one that something took
      // on purpose since (the text a photo was inserted into) stays where it is.
      const active = document.activeElement;
      const isLost = active === null || active === document.body || element.contains(active);
      if (isLost && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
    element.addEventListener('close', giveFocusBack);
    return () => {
      element.removeEventListener('close', giveFocusBack);
      giveFocusBack();
    };
  }, []);
  return dialog;
}

import { type RefObject, useEffect, useRef } from 'react';

/**
 * Opens a <dialog> as a modal once it is on the page: the browser then keeps
 * the focus inside it and the page behind it inert.
 */
export function useModal(): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return dialog;
}

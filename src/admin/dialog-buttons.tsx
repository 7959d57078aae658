import type { ReactNode } from 'react';

/** A dialog's two buttons: the action it is for, then the way out ("Cancel", "Not yet"). */
export function DialogButtons({
  action,
  onAction,
  cancel = 'Cancel',
  onCancel,
  isActionDisabled = false,
  isCancelDisabled = false,
}: {
  action: string;
  onAction: () => void;
  cancel?: string;
  onCancel: () => void;
  isActionDisabled?: boolean;
  isCancelDisabled?: boolean;
}): ReactNode {
  return (
    <p className="dialog-buttons">
      <button type="button" className="primary" disabled={isActionDisabled} onClick={onAction}>
        {action}
      </button>{' '}
      <button type="button" disabled={isCancelDisabled} onClick={onCancel}>
        {cancel}
      </button>
    </p>
  );
}

/** "Insert gallery (3 photos)": the count once there is more than one. */
export function withPhotoCount(label: string, count: number): string {
  return count > 1 ? `${label} (${count} photos)` : label;
}

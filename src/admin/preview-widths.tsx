import type { ReactNode } from 'react';

/** The widths a preview is shown at, in CSS pixels: a phone's and a desktop's. */
export const PREVIEW_WIDTHS = { phone: 375, desktop: 1280 } as const;
export type PreviewWidth = keyof typeof PREVIEW_WIDTHS;

const LABELS: Record<PreviewWidth, string> = { phone: 'Phone', desktop: 'Desktop' };

/** The Phone / Desktop switch in a preview's toolbar: one pressed button per width. */
export function PreviewWidths({
  width,
  onChange,
}: {
  width: PreviewWidth;
  onChange: (width: PreviewWidth) => void;
}): ReactNode {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Width</legend>
      {(Object.keys(PREVIEW_WIDTHS) as PreviewWidth[]).map((name) => (
        <button
          key={name}
          type="button"
          aria-pressed={width === name}
          onClick={() => onChange(name)}
        >
          {LABELS[name]}
        </button>
      ))}
    </fieldset>
  );
}

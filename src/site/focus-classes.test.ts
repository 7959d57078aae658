import { describe, expect, it } from 'vitest';
import { focusClasses } from './components.js';

describe('focusClasses', () => {
  it('names the nearest tenth of each axis, so the stylesheet needs only 22 classes', () => {
    expect(focusClasses({ x: 34, y: 86 })).toBe('focus-x-30 focus-y-90');
    expect(focusClasses({ x: 0, y: 100 })).toBe('focus-x-0 focus-y-100');
  });

  it('adds nothing for a photo without a focal point: the crop keeps the centre', () => {
    expect(focusClasses(null)).toBe('');
  });
});

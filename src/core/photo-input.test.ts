import { describe, expect, it } from 'vitest';
import { checkFocus } from './photo-input.js';

describe('checkFocus', () => {
  it('keeps a point in whole percent and takes null as the centre', () => {
    expect(checkFocus({ x: 0, y: 100 })).toEqual({ x: 0, y: 100 });
    expect(checkFocus({ x: 35, y: 20 })).toEqual({ x: 35, y: 20 });
    expect(checkFocus(null)).toBeNull();
  });

  it('names the field when a point is outside the picture or not whole percent', () => {
    for (const focus of [
      { x: 101, y: 5 },
      { x: -1, y: 5 },
      { x: 2.5, y: 5 },
      { x: '5', y: 5 },
      {},
    ]) {
      expect(() => checkFocus(focus)).toThrow(/^focus: give x and y as whole percent/);
    }
  });
});

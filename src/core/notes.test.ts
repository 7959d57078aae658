import { describe, expect, it } from 'vitest';
import { mentionedIn } from './notes.js';

describe('whom a note names', () => {
  it('finds “@Full Name” in any case, the longest name first, each once', () => {
    const staff = new Map([
      [1, 'Ana'],
      [2, 'Ana Petrova'],
      [3, 'Rui Reporter'],
    ]);
    expect(mentionedIn('@ana petrova, and @Rui Reporter twice: @Rui Reporter', staff)).toEqual([
      2, 3,
    ]);
    expect(mentionedIn('Ask @Ana about it', staff)).toEqual([1]);
    expect(mentionedIn('No one: ana@example.org', staff)).toEqual([]);
  });
});

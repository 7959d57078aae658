import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainIssueMessage } from './plain-errors.js';

function messageOf(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value, { error: plainIssueMessage });
  return result.success ? undefined : result.error.issues[0]?.message;
}

describe('request errors in plain words', () => {
  it('says what is too long, too many or missing, without the library’s wording', () => {
    expect(messageOf(z.string().max(300), 'x'.repeat(301))).toBe(
      'too long, at most 300 characters',
    );
    expect(messageOf(z.array(z.string()).max(2), ['a', 'b', 'c'])).toBe('too many, at most 2');
    expect(messageOf(z.string().min(1), '')).toBe('must not be empty');
    expect(messageOf(z.object({ title: z.string() }), {})).toBe('is missing');
    expect(messageOf(z.number(), 'seven')).toBe('must be a number');
    expect(messageOf(z.iso.datetime({ offset: true }), 'tomorrow')).toBe(
      'must be a date and time such as 2026-12-06T18:00:00+02:00',
    );
    expect(messageOf(z.enum(['draft', 'published']), 'gone')).toBe(
      'must be one of "draft", "published"',
    );
  });

  it('says "more than" and "less than" where the limit itself is refused', () => {
    expect(messageOf(z.number().int().positive(), 0)).toBe('must be more than 0');
    expect(messageOf(z.number().lt(5), 5)).toBe('must be less than 5');
    expect(messageOf(z.number().max(5), 6)).toBe('too large, at most 5');
    expect(messageOf(z.string().regex(/^[a-z]+$/), 'A1')).toBe('is not in the expected form');
    expect(messageOf(z.union([z.literal('system'), z.number()]), true)).toBe(
      'is not one of the accepted forms',
    );
  });

  it('leaves a message the schema gives itself', () => {
    expect(messageOf(z.string().min(1, 'choose a section'), '')).toBe('choose a section');
  });
});

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

  it('leaves a message the schema gives itself', () => {
    expect(messageOf(z.string().min(1, 'choose a section'), '')).toBe('choose a section');
  });
});

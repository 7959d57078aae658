import type { z } from 'zod';

// What a request got wrong, in words a reporter reads in the newsroom app:
// zod's own messages ("Too big: expected string to have <=300 characters")
// are a library talking. Used as the error map where requests are parsed; a
// message a schema gives itself ("choose a section") still wins.

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
  null: 'null',
};

const FORMAT_NAMES: Record<string, string> = {
  datetime: 'a date and time such as 2026-12-06T18:00:00+02:00',
  date: 'a date such as 2026-12-06',
  email: 'an e-mail address',
  url: 'a web address',
  uuid: 'a UUID',
};

/** One issue in plain words, to follow the field's name ("title: too long, at most 300 characters"). */
export function plainIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'too_big': {
      const most = String(issue.maximum);
      if (issue.origin === 'string') return `too long, at most ${most} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `too many, at most ${most}`;
      return issue.inclusive === false ? `must be less than ${most}` : `too large, at most ${most}`;
    }
    case 'too_small': {
      const least = String(issue.minimum);
      if (issue.origin === 'string')
        return least === '1' ? 'must not be empty' : `too short, at least ${least} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${least}`;
      return issue.inclusive === false
        ? `must be more than ${least}`
        : `too small, at least ${least}`;
    }
    case 'invalid_type':
      if (issue.input === undefined) return 'is missing';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? 'is not in the expected form'
        : `must be ${FORMAT_NAMES[issue.format] ?? `in the form of ${issue.format}`}`;
    case 'invalid_union':
      return 'is not one of the accepted forms';
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `has fields Masthead does not know: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

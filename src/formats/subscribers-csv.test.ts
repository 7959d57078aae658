import { describe, expect, it } from 'vitest';
import { readSubscriberCsv } from './subscribers-csv.js';

describe('subscriber CSV', () => {
  it('reads bare addresses without a header, and quoted fields', () => {
    expect(readSubscriberCsv('one@a.example\n"Two@A.example"\n\nnot mail\n', 'list.csv')).toEqual({
      rows: [
        { line: 1, email: 'one@a.example' },
        { line: 2, email: 'two@a.example' },
      ],
      skipped: [{ line: 4, value: 'not mail', reason: 'not an e-mail address' }],
    });
  });

  it('names the file and the columns when there is no address column', () => {
    expect(() => readSubscriberCsv('name,city\nAnn,Riga\n', 'people.csv')).toThrow(
      'people.csv: line 1: no "email" column (the columns are name, city)',
    );
  });

  it('refuses what is not CSV, naming the file', () => {
    expect(() => readSubscriberCsv('email\n"unclosed@a.example\n', 'broken.csv')).toThrow(
      /^broken\.csv: not a CSV file we can read/,
    );
  });
});

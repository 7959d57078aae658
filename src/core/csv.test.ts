import { describe, expect, it } from 'vitest';
import { csvCell, csvText } from './csv.js';

describe('CSV', () => {
  it('quotes what needs quoting and keeps formulas as text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('=HYPERLINK("http://x.example")')).toBe('"\'=HYPERLINK(""http://x.example"")"');
    expect(csvCell('+1 ferry')).toBe("'+1 ferry");
    expect(csvCell('@reader')).toBe("'@reader");
    expect(csvText(['a', 'b'], [['x', 1]])).toBe('a,b\nx,1\n');
  });
});

import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8Offset } from './utf8.js';

describe('firstInvalidUtf8Offset', () => {
  it('returns the length for valid text, multi-byte characters included', () => {
    const bytes = new TextEncoder().encode('aé“€”𝄞я');
    expect(firstInvalidUtf8Offset(bytes)).toBe(bytes.length);
  });

  it('finds a stray continuation byte, an overlong form, a surrogate and a truncated sequence', () => {
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0xe0, 0x80, 0x80]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0x62, 0xe2, 0x80]))).toBe(2);
  });
});

describe('decodeUtf8', () => {
  it('drops a byte-order mark', () => {
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]), 'f.txt')).toBe('a');
  });

  it('names the file, the line and the offset of a bad byte', () => {
    expect(() => decodeUtf8(Uint8Array.from([0x61, 0x0a, 0x62, 0xc0, 0x41]), 'f.txt')).toThrow(
      'f.txt: line 2: not valid UTF-8 (bad byte 0xc0 at offset 3)',
    );
  });
});

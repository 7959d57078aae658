import { describe, expect, it } from 'vitest';
import { embedProvider } from './embeds.js';

describe('embedProvider', () => {
  it('recognises allow-listed providers over https, with or without www', () => {
    expect(embedProvider('https://www.youtube.com/watch?v=abc')?.name).toBe('YouTube');
    expect(embedProvider('https://youtu.be/abc')?.name).toBe('YouTube');
    expect(embedProvider('https://t.me/channel/123')?.name).toBe('Telegram');
    expect(embedProvider('https://x.com/user/status/1')?.name).toBe('X');
  });

  it('refuses other hosts, look-alikes, plain http and non-URLs', () => {
    expect(embedProvider('https://evil.example/youtube.com')).toBeNull();
    expect(embedProvider('https://youtube.com.evil.example/watch')).toBeNull();
    expect(embedProvider('http://www.youtube.com/watch?v=abc')).toBeNull();
    expect(embedProvider('javascript:alert(1)')).toBeNull();
    expect(embedProvider('not a url')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  internalPath,
  MIRROR_KEY_PATH,
  mirrorFileOf,
  publicPathOf,
  relativeLink,
} from './mirror-paths.js';

describe('mirror paths', () => {
  it('stores pages as folders with index.html, and files under their own names', () => {
    expect(mirrorFileOf('/')).toBe('index.html');
    expect(mirrorFileOf('/news/world/harbour-strike')).toBe('news/world/harbour-strike/index.html');
    expect(mirrorFileOf('/ru')).toBe('ru/index.html');
    expect(mirrorFileOf('/feed.xml')).toBe('feed.xml');
    expect(mirrorFileOf('/tags/port/feed.json')).toBe('tags/port/feed.json');
    expect(mirrorFileOf('/media/0a1b-320.avif')).toBe('media/0a1b-320.avif');
    expect(mirrorFileOf(MIRROR_KEY_PATH)).toBe('.well-known/masthead-key');
    for (const path of ['/', '/news/world/harbour-strike', '/feed.xml', MIRROR_KEY_PATH])
      expect(publicPathOf(mirrorFileOf(path))).toBe(path);
  });

  it('links one file to another relatively, at any depth', () => {
    expect(relativeLink('index.html', 'news/index.html')).toBe('news/index.html');
    expect(relativeLink('news/world/story/index.html', 'assets/site.css')).toBe(
      '../../../assets/site.css',
    );
    expect(relativeLink('news/index.html', 'news/world/index.html')).toBe('world/index.html');
    expect(relativeLink('news/world/index.html', 'news/index.html')).toBe('../index.html');
    expect(relativeLink('news/index.html', 'news/index.html')).toBe('index.html');
    expect(relativeLink('index.html', 'index.html')).toBe('index.html');
  });

  it('follows root-relative links only, keeping fragments and the search query', () => {
    expect(internalPath('/news#top')).toEqual({ path: '/news', rest: '#top' });
    expect(internalPath('/news/story?print')).toEqual({ path: '/news/story', rest: '' });
    expect(internalPath('/search?q=port')).toEqual({ path: '/search', rest: '?q=port' });
    expect(internalPath('/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8')).toEqual({
      path: '/новости',
      rest: '',
    });
    expect(internalPath('https://news.example/news')).toBeNull();
    expect(internalPath('//cdn.example/x.js')).toBeNull();
    expect(internalPath('#main')).toBeNull();
    expect(internalPath('/a/../../etc/passwd')).toBeNull();
    expect(internalPath('/%E0%A4%A')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  EMBED_PLAYER_ORIGINS,
  EMBED_THUMBNAIL_BASES,
  embedPlayable,
  embedPlayerUrl,
  embedProvider,
  embedThumbnailSource,
} from './embeds.js';

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

describe('embedPlayable', () => {
  it('reads a YouTube video id from every kind of YouTube address', () => {
    const id = 'dQw4w9WgXcQ';
    for (const url of [
      `https://www.youtube.com/watch?v=${id}`,
      `https://youtube.com/watch?v=${id}&t=42s`,
      `https://m.youtube.com/watch?v=${id}`,
      `https://youtu.be/${id}`,
      `https://www.youtube.com/embed/${id}`,
      `https://www.youtube.com/shorts/${id}`,
      `https://www.youtube.com/live/${id}`,
    ])
      expect(embedPlayable(url), url).toEqual({ player: 'youtube', id });
  });

  it('refuses YouTube addresses that name no single video', () => {
    expect(embedPlayable('https://www.youtube.com/watch?v=short')).toBeNull();
    expect(embedPlayable('https://www.youtube.com/@channel')).toBeNull();
    expect(embedPlayable('https://www.youtube.com/playlist?list=PL123')).toBeNull();
    expect(embedPlayable('https://youtu.be/dQw4w9WgXcQ"onload')).toBeNull();
  });

  it('reads a Vimeo number and a SoundCloud track path', () => {
    expect(embedPlayable('https://vimeo.com/76979871')).toEqual({
      player: 'vimeo',
      id: '76979871',
    });
    expect(embedPlayable('https://vimeo.com/channels/staffpicks/76979871')).toEqual({
      player: 'vimeo',
      id: '76979871',
    });
    expect(embedPlayable('https://vimeo.com/about')).toBeNull();
    expect(embedPlayable('https://soundcloud.com/lantern-radio/morning-show?in=x')).toEqual({
      player: 'soundcloud',
      id: '/lantern-radio/morning-show',
    });
    expect(embedPlayable('https://soundcloud.com/lantern-radio')).toBeNull();
  });

  it('never makes a post playable', () => {
    expect(embedPlayable('https://t.me/channel/123')).toBeNull();
    expect(embedPlayable('https://x.com/user/status/1')).toBeNull();
    expect(embedPlayable('https://www.instagram.com/p/abc/')).toBeNull();
    expect(embedPlayable('https://evil.example/watch?v=dQw4w9WgXcQ')).toBeNull();
  });
});

describe('embedPlayerUrl', () => {
  it('uses each provider’s privacy-friendlier player, on the origins the CSP allows', () => {
    const urls = [
      embedPlayerUrl({ player: 'youtube', id: 'dQw4w9WgXcQ' }),
      embedPlayerUrl({ player: 'vimeo', id: '76979871' }),
      embedPlayerUrl({ player: 'soundcloud', id: '/lantern-radio/morning-show' }),
    ];
    expect(urls).toEqual([
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1',
      'https://player.vimeo.com/video/76979871?dnt=1&autoplay=1',
      'https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Flantern-radio%2Fmorning-show&auto_play=true',
    ]);
    expect(urls.map((url) => new URL(url).origin)).toEqual([...EMBED_PLAYER_ORIGINS]);
  });
});

describe('embedThumbnailSource', () => {
  const bases = {
    youtubeImages: 'http://127.0.0.1:9/yt/',
    vimeo: 'http://127.0.0.1:9/vimeo',
    soundcloud: 'http://127.0.0.1:9/sc',
  };

  it('names YouTube’s picture, and Vimeo’s and SoundCloud’s oEmbed, on the given bases', () => {
    expect(embedThumbnailSource('https://youtu.be/dQw4w9WgXcQ', bases)).toEqual({
      image: 'http://127.0.0.1:9/yt/vi/dQw4w9WgXcQ/hqdefault.jpg',
    });
    expect(embedThumbnailSource('https://vimeo.com/76979871', bases)).toEqual({
      oembed: 'http://127.0.0.1:9/vimeo/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871',
    });
    expect(embedThumbnailSource('https://soundcloud.com/a/b', bases)).toEqual({
      oembed: 'http://127.0.0.1:9/sc/oembed?format=json&url=https%3A%2F%2Fsoundcloud.com%2Fa%2Fb',
    });
    expect(embedThumbnailSource('https://youtu.be/dQw4w9WgXcQ', EMBED_THUMBNAIL_BASES)).toEqual({
      image: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
    });
  });

  it('has none for posts', () => {
    expect(embedThumbnailSource('https://t.me/channel/123', bases)).toBeNull();
  });
});

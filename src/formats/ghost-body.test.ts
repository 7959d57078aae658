import { describe, expect, it } from 'vitest';
import { ghostBodyHtml, ghostUrl, lexicalToHtml, mobiledocToHtml } from './ghost-body.js';

describe('Ghost bodies as HTML', () => {
  it('writes Lexical text formats, links, headings and numbered lists that start late', () => {
    const notes = new Map<string, number>();
    const html = lexicalToHtml(
      JSON.stringify({
        root: {
          children: [
            {
              type: 'paragraph',
              children: [
                { type: 'extended-text', text: 'bold & <italic>', format: 3 },
                { type: 'linebreak' },
                {
                  type: 'link',
                  url: '__GHOST_URL__/about/',
                  children: [{ type: 'text', text: 'about', format: 0 }],
                },
                { type: 'text', text: 'struck', format: 4 },
              ],
            },
            { type: 'extended-heading', tag: 'h3', children: [{ type: 'text', text: 'Next' }] },
            {
              type: 'list',
              listType: 'number',
              start: 4,
              children: [{ type: 'listitem', children: [{ type: 'text', text: 'four' }] }],
            },
          ],
        },
      }),
      notes,
      'https://old.example',
    );
    expect(html).toBe(
      '<p><em><strong>bold &amp; &lt;italic&gt;</strong></em><br><a href="https://old.example/about/">about</a><s>struck</s></p>' +
        '<h3>Next</h3><ol start="4"><li>four</li></ol>',
    );
    expect(notes.size).toBe(0);
  });

  it('opens and closes Mobiledoc markups as its markers say, and turns soft returns into line breaks', () => {
    const html = mobiledocToHtml(
      JSON.stringify({
        version: '0.3.1',
        atoms: [['soft-return', '', {}]],
        cards: [['hr', {}]],
        markups: [['strong'], ['a', ['href', 'https://example.org/', 'onclick', 'x()']]],
        sections: [
          [
            1,
            'p',
            [
              [0, [0], 0, 'Bold '],
              [0, [1], 2, 'and linked'],
              [1, [], 0, 0],
              [0, [], 0, 'plain'],
            ],
          ],
          [3, 'ol', [[[0, [], 0, 'one']], [[0, [], 0, 'two']]]],
          [10, 0],
          [1, 'aside', [[0, [], 0, 'pulled']]],
        ],
      }),
      new Map(),
      null,
    );
    // Attributes are kept as written here; html-to-doc keeps only what Masthead allows (no onclick).
    expect(html).toBe(
      '<p><strong>Bold <a href="https://example.org/" onclick="x()">and linked</a></strong><br>plain</p>' +
        '<ol><li>one</li><li>two</li></ol><hr><blockquote><p>pulled</p></blockquote>',
    );
  });

  it('counts every card it does not convert one to one, and one it does not know', () => {
    const notes = new Map<string, number>();
    const html = lexicalToHtml(
      JSON.stringify({
        root: {
          children: [
            { type: 'paywall' },
            { type: 'email', html: '<p>Only in the e-mail</p>' },
            { type: 'transistor', url: 'https://example.org/pod' },
            { type: 'transistor', url: 'https://example.org/pod2' },
          ],
        },
      }),
      notes,
      null,
    );
    expect(html).toBe('');
    expect(Object.fromEntries(notes)).toEqual({
      'Ghost members-only divider (left out: Masthead articles are public)': 1,
      'Ghost email card (newsletter-only text, left out of the web page)': 1,
      'Ghost transistor card (left out: Masthead has no such block)': 2,
    });
  });

  it('falls back from an unreadable Lexical body to Mobiledoc, then to the HTML, saying so', () => {
    const notes = new Map<string, number>();
    const body = ghostBodyHtml(
      { lexical: '{"root": 5}', mobiledoc: 'not json', html: '<p>__GHOST_URL__/x.jpg</p>' },
      notes,
      null,
    );
    expect(body).toEqual({ html: '<p>/x.jpg</p>', source: 'html' });
    expect([...notes.keys()]).toEqual([
      'post whose lexical body could not be read (its HTML was imported instead)',
      'post whose mobiledoc body could not be read (its HTML was imported instead)',
    ]);
  });

  it('puts the old site in front of Ghost’s own addresses, and leaves others alone', () => {
    expect(ghostUrl('__GHOST_URL__/content/images/a.jpg', 'https://old.example/')).toBe(
      'https://old.example/content/images/a.jpg',
    );
    expect(ghostUrl('__GHOST_URL__/content/images/a.jpg', null)).toBe('/content/images/a.jpg');
    expect(ghostUrl('https://cdn.example/a.jpg', 'https://old.example')).toBe(
      'https://cdn.example/a.jpg',
    );
  });
});

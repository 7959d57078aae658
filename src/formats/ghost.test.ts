import { describe, expect, it } from 'vitest';
import { looksLikeGhost, parseGhostExport } from './ghost.js';

const post = (fields: Record<string, unknown>) => ({
  id: 'p1',
  title: 'Title',
  slug: 'title',
  status: 'published',
  html: '<p>x</p>',
  ...fields,
});

describe('Ghost exports', () => {
  it('recognises an export from its start, and not other JSON', () => {
    expect(looksLikeGhost('{"db":[{"meta":{"exported_on":1700000000000,"version":"5.96.0"}')).toBe(
      true,
    );
    expect(looksLikeGhost('{\n  "meta": {"exported_on": 1400000000000, "version": "000"},')).toBe(
      true,
    );
    expect(looksLikeGhost('{"uri":"urn:x","type":"text","headlines":[]}')).toBe(false);
    expect(looksLikeGhost('<rss></rss>')).toBe(false);
  });

  it('reads Ghost 1–3 single authors and a 0.x export without the "db" wrapper', () => {
    const site = parseGhostExport(
      JSON.stringify({
        meta: { exported_on: 1400000000000, version: '003' },
        data: {
          posts: [post({ author_id: 7, page: 1, published_at: '2014-05-01 10:00:00' })],
          users: [{ id: 7, name: 'Old Author', slug: 'old-author' }],
        },
      }),
      'old.json',
    );
    expect(site.postAuthors.get('p1')).toEqual(['7']);
    expect(site.posts[0]?.page).toBe(true);
    expect(site.posts[0]?.published_at).toBe('2014-05-01T10:00:00.000Z');
  });

  it('names the tables it does not read, but not Ghost’s machinery and logs', () => {
    const site = parseGhostExport(
      JSON.stringify({
        db: [
          {
            meta: { version: '5.0.0' },
            data: {
              posts: [post({})],
              roles: [{ id: 'r' }],
              migrations: [{ id: 1 }],
              members_login_events: [{ id: 1 }],
              comments: [{ id: 'c' }],
              custom_field_values: [{ id: 1 }, { id: 2 }],
              empty_table: [],
            },
          },
        ],
      }),
      'x.json',
    );
    expect([...site.otherTables]).toEqual([
      ['comments', 1],
      ['custom_field_values', 2],
    ]);
  });

  it('refuses a file that is not an export, a table that is not a list, and a post twice', () => {
    expect(() => parseGhostExport('{"db": []}', 'a.json')).toThrow(
      'a.json: not a Ghost export (no "db[0].data" holding the site\'s tables)',
    );
    expect(() =>
      parseGhostExport(JSON.stringify({ db: [{ data: { posts: {} } }] }), 'b.json'),
    ).toThrow('b.json: db[0].data.posts is not a list of rows');
    expect(() =>
      parseGhostExport(
        JSON.stringify({ db: [{ data: { posts: [post({}), post({})] } }] }),
        'c.json',
      ),
    ).toThrow('c.json: db[0].data.posts holds id p1 twice');
    expect(() =>
      parseGhostExport(
        JSON.stringify({ db: [{ data: { tags: [{ id: 't', name: '', slug: 'x' }] } }] }),
        'd.json',
      ),
    ).toThrow('d.json: db[0].data.tags[0].name (“x”): a tag needs a name');
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import { formatReportLine } from '../../src/newsroom/import-report.js';
import { openTestNewsroom, runCliOn, type TestNewsroom } from '../newsroom.js';

// Wire imports that keep what the agency sent and say truthfully what changed:
// written for the issue on agency-format fidelity (see also import-wire.test.ts).

let newsroom: TestNewsroom;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
});
afterEach(async () => {
  await newsroom.dispose();
});

/** A ninjs 2.x item with no version: only its uri identifies it. */
function unversioned(uri: string, headline: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    uri,
    type: 'text',
    headlines: [{ role: 'main', value: headline }],
    bodies: [{ role: 'main', contenttype: 'text/html', value: `<p>${headline}.</p>` }],
    ...extra,
  });
}

describe('re-importing wire items without a version', () => {
  it('reports unchanged the second time, when several files share an unversioned uri', async () => {
    const dir = join(newsroom.dataDir, 'wire-drop');
    await mkdir(dir);
    await writeFile(join(dir, 'a.json'), unversioned('urn:example:same', 'Ferry runs late'));
    await writeFile(join(dir, 'b.json'), unversioned('urn:example:same', 'Ferry runs later still'));
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify({
        uri: 'urn:example:photo',
        type: 'picture',
        headlines: [{ value: 'The ferry' }],
        renditions: [{ name: 'original', href: 'https://example.com/ferry.jpg' }],
      }),
    );
    await writeFile(
      join(dir, 'd.json'),
      JSON.stringify({
        uri: 'urn:example:photo',
        type: 'picture',
        headlines: [{ value: 'The ferry at dusk' }],
        renditions: [{ name: 'original', href: 'https://example.com/ferry.jpg' }],
      }),
    );
    const first = await runCliOn(newsroom, ['import', dir]);
    expect(first.code).toBe(0);
    expect(first.lines.filter((line) => line.startsWith('imported '))).toEqual([
      'imported a.json: 1 created, 0 updated, 0 unchanged',
      'imported b.json: 0 created, 1 updated, 0 unchanged',
      'imported c.json: 1 created, 0 updated, 0 unchanged',
      'imported d.json: 0 created, 1 updated, 0 unchanged',
    ]);
    const again = await runCliOn(newsroom, ['import', dir]);
    expect(again.code).toBe(0);
    expect(again.lines.filter((line) => line.startsWith('imported '))).toEqual([
      'imported a.json: 0 created, 0 updated, 1 unchanged',
      'imported b.json: 0 created, 0 updated, 1 unchanged',
      'imported c.json: 0 created, 0 updated, 1 unchanged',
      'imported d.json: 0 created, 0 updated, 1 unchanged',
    ]);
    // The last copy read stays: the draft was not turned back to an earlier one.
    const article = await newsroom.store.db
      .selectFrom('article')
      .select('title')
      .where('origin', '=', 'agency')
      .execute();
    expect(article.map((row) => row.title)).toEqual(['Ferry runs later still']);
  });

  it('still reinstates a withdrawn unversioned story sent usable again with a text it had', async () => {
    const send = async (extra: Record<string, unknown>) =>
      (
        await importSource(
          newsroom,
          bytesSource(
            'item.json',
            Buffer.from(unversioned('urn:example:back', 'Dam holds', extra)),
          ),
        )
      ).lines.map(formatReportLine);
    expect(await send({})).toEqual([expect.stringMatching(/^created article /)]);
    expect(await send({ pubstatus: 'withheld' })).toEqual([
      expect.stringMatching(/^updated article .*withheld by the agency: do not publish/),
    ]);
    expect(await send({})).toEqual([expect.stringMatching(/^updated article /)]);
    expect(await send({})).toEqual([expect.stringMatching(/^unchanged article /)]);
  });
});

describe('what a wire item carries besides its text', () => {
  const picture = (uri: string, name: string) => ({
    uri,
    name,
    type: 'picture',
    headlines: [{ value: `Picture ${name}` }],
    renditions: [{ name: 'original', href: `https://example.com/${name}.jpg`, width: 800 }],
  });

  it('keeps every associated picture, never a portrait as the lead, and people, organisations, places and located as tags', async () => {
    const item = {
      uri: 'urn:example:rich',
      version: '1',
      type: 'composite',
      headlines: [{ role: 'main', value: 'Mayor opens the new bridge' }],
      bodies: [{ role: 'main', contenttype: 'text/html', value: '<p>Traffic flows.</p>' }],
      located: 'Rotterdam',
      // A name with no letter or digit Masthead can slug is left out, not fatal.
      people: [{ name: 'Ahmed Aboutaleb' }, { name: '习近平' }],
      organisations: [{ name: 'Port of Rotterdam' }],
      places: [{ name: 'Rotterdam' }, { name: 'Netherlands' }],
      associations: [
        picture('urn:example:rich:portrait', 'portrait'),
        picture('urn:example:rich:1', 'featureimage'),
        picture('urn:example:rich:2', 'gallery'),
      ],
    };
    const result = await importSource(
      newsroom,
      bytesSource('rich.json', Buffer.from(JSON.stringify(item))),
    );
    const lines = result.lines.map(formatReportLine);
    // Before: only the first picture (the portrait) was kept, and it was the lead.
    expect(lines.filter((line) => line.startsWith('created media'))).toHaveLength(3);
    expect([...result.notes.keys()]).toEqual([
      expect.stringMatching(/^agency tag \(person, organisation or place\) left out/),
    ]);
    const db = newsroom.store.db;
    const mediaOf = async (uri: string) =>
      (
        await db
          .selectFrom('import_ref')
          .select('entity_id')
          .where('format', '=', 'wire')
          .where('external_id', '=', uri)
          .executeTakeFirstOrThrow()
      ).entity_id;
    const article = await db
      .selectFrom('article')
      .select(['id', 'lead_media_id'])
      .where('origin', '=', 'agency')
      .executeTakeFirstOrThrow();
    expect(article.lead_media_id).toBe(await mediaOf('urn:example:rich:1'));
    const tags = await db
      .selectFrom('article_tag')
      .innerJoin('tag', 'tag.id', 'article_tag.tag_id')
      .select('tag.name')
      .where('article_tag.article_id', '=', article.id)
      .orderBy('article_tag.position')
      .execute();
    // Before: none; "Rotterdam" (a place, and where it was filed) once.
    expect(tags.map((tag) => tag.name)).toEqual([
      'Ahmed Aboutaleb',
      'Port of Rotterdam',
      'Rotterdam',
      'Netherlands',
    ]);
  });
});

describe('NewsML-G2 files Masthead used to misread', () => {
  const G2 = 'http://iptc.org/std/nar/2006-10-01/';
  const g2 = (encoding: string, inner: string) =>
    `<?xml version="1.0" encoding="${encoding}"?>\n<newsMessage xmlns="${G2}"><itemSet>${inner}</itemSet></newsMessage>`;
  const text = `<newsItem guid="urn:example:g2:text" version="1">
  <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
  <contentMeta><headline>Café owners in Göttingen protest</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Straße closed – for now.</p></body></html></inlineXML></contentSet>
</newsItem>`;
  const video = `<newsItem guid="urn:example:g2:video" version="1">
  <itemMeta><itemClass qcode="ninat:video"/></itemMeta>
  <contentMeta><headline>Protest footage</headline></contentMeta>
  <contentSet><remoteContent href="https://example.com/v.mp4" contenttype="video/mp4"/></contentSet>
</newsItem>`;

  it('imports a message declared ISO-8859-1, skipping its video with the kind named', async () => {
    // windows-1252 bytes, as agencies mean by ISO-8859-1 (the dash is 0x96).
    const latin = Buffer.from(g2('ISO-8859-1', `${text}${video}`).replace('–', '\u0096'), 'latin1');
    const result = await importSource(newsroom, bytesSource('wire.xml', latin));
    expect(result.lines.map(formatReportLine)).toEqual([
      expect.stringMatching(/^created article \/news\/cafe-owners-in-gottingen-protest /),
      'skipped video urn:example:g2:video: a NewsML-G2 video item (ninat:video): Masthead imports text and pictures only',
    ]);
    const article = await newsroom.store.db
      .selectFrom('article')
      .select(['title', 'body_json'])
      .where('origin', '=', 'agency')
      .executeTakeFirstOrThrow();
    expect(article.title).toBe('Café owners in Göttingen protest');
    expect(article.body_json).toContain('Straße closed – for now.');
  });

  it('imports a newsItem that forgot its namespace', async () => {
    const bare = `<?xml version="1.0" encoding="UTF-8"?>\n${text}`;
    const result = await importSource(newsroom, bytesSource('bare.xml', Buffer.from(bare)));
    expect(result.lines.map(formatReportLine)).toEqual([
      expect.stringMatching(/^created article \/news\/cafe-owners-in-gottingen-protest /),
    ]);
  });
});

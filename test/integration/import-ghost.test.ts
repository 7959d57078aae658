import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocNode } from '../../src/core/document.js';
import { bytesSource, importSource } from '../../src/newsroom/import-file.js';
import {
  formatReportLine,
  NOTE_LONG_TAG,
  NOTE_MANY_TAGS,
} from '../../src/newsroom/import-report.js';
import { updatePage } from '../../src/newsroom/manage-site.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { buildTestServer, signIn } from '../admin.js';
import {
  card,
  type ExportInput,
  ghostExport,
  ghostId,
  heading,
  lexical,
  link,
  list,
  mobiledoc,
  paragraph,
  text,
} from '../ghost-export.js';
import { postUpload } from '../multipart.js';
import {
  countRows,
  openTestNewsroom,
  runCliOn,
  type TestNewsroom,
  tableChecksums,
} from '../newsroom.js';

// Ghost exports generated as Ghost writes them (test/ghost-export.ts): every
// card, every kind of tag, authors, members and the old addresses, for Ghost
// 4 (Mobiledoc), 5 and 6 (Lexical), plus damaged files.

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

function importGhost(json: string, options: { oldSiteUrl?: string } = {}) {
  return importSource(newsroom, bytesSource('ghost-export.json', Buffer.from(json)), options);
}

const ada = {
  id: ghostId(),
  name: 'Ada Lindqvist',
  slug: 'ada',
  bio: 'Covers the port.',
  profileImage: '__GHOST_URL__/content/images/2024/01/ada.jpg',
  website: 'https://ada.example.org',
};
const ben = { id: ghostId(), name: 'Ben Okafor', slug: 'ben-okafor' };
const port = { id: ghostId(), name: 'Port', slug: 'port' };
const strikes = { id: ghostId(), name: 'Strikes', slug: 'tag1' };
const internal = {
  id: ghostId(),
  name: '#newsletter-only',
  slug: 'hash-newsletter-only',
  visibility: 'internal' as const,
};

function cardsStory() {
  return {
    title: 'Dockers vote to strike',
    slug: 'dockers-vote',
    excerpt: 'The union gave the port a week.',
    featureImage: '__GHOST_URL__/content/images/2024/01/cranes.jpg',
    featureAlt: 'Cranes at dusk',
    featureCaption: 'The container terminal on <b>Monday</b>',
    tags: [port.id, strikes.id, internal.id],
    authors: [ada.id, ben.id],
    metaTitle: 'Dockers strike vote: what it means',
    metaDescription: 'The union’s vote, explained.',
    ogTitle: 'Strike!',
    featured: true,
    lexical: lexical(
      paragraph(
        text('Workers '),
        text('voted', 1),
        text(' on '),
        text('Friday', 2),
        text(', said '),
        link('https://union.example.org/vote', text('the union')),
        text('.'),
      ),
      heading('h2', text('What happens next')),
      list('number', [[text('Talks')], [text('A vote')]], 3),
      card('image', {
        src: '__GHOST_URL__/content/images/2024/01/gate.jpg',
        alt: 'The gate',
        caption: 'The north gate, closed',
        href: 'https://union.example.org/gallery',
        width: 1200,
        height: 800,
      }),
      card('gallery', {
        images: [
          {
            src: '__GHOST_URL__/content/images/g1.jpg',
            alt: 'One',
            caption: 'First',
            width: 600,
            height: 400,
          },
          {
            src: '__GHOST_URL__/content/images/g2.jpg',
            alt: 'Two',
            caption: '',
            width: 600,
            height: 400,
          },
        ],
        caption: 'The picket line',
      }),
      card('embed', {
        url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
        embedType: 'video',
        html: '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
        caption: 'The vote, filmed',
      }),
      card('bookmark', {
        url: 'https://union.example.org/statement',
        metadata: { title: 'The statement', description: 'What the union wants' },
        caption: '',
      }),
      card('callout', {
        calloutEmoji: '💡',
        calloutText: '<span>Talks resume Monday.</span>',
        backgroundColor: 'grey',
      }),
      card('toggle', {
        heading: '<span>Who is striking?</span>',
        content: '<p>Crane and lashing crews.</p>',
      }),
      card('html', { html: '<table><tr><td>Berth</td><td>Ships</td></tr></table>' }),
      card('markdown', { markdown: 'A **markdown** note with [a link](https://example.org/md).' }),
      card('header', {
        size: 'small',
        style: 'dark',
        header: 'Strike watch',
        subheader: 'Every day at noon',
        buttonEnabled: true,
        buttonUrl: 'https://example.org/watch',
        buttonText: 'Follow',
      }),
      card('button', {
        buttonText: 'Read the letter',
        buttonUrl: 'https://example.org/letter',
        alignment: 'center',
      }),
      card('codeblock', { code: 'berths = 12', language: 'python', caption: '' }),
      card('paywall', {}),
      card('signup', { header: 'Join us' }),
      paragraph(text('The end.')),
    ),
    html: '<p>Rendered by Ghost</p>',
  };
}

function fullExport(major: 4 | 5 | 6): ExportInput {
  const newsletter = { id: ghostId(), name: 'Harbour Morning' };
  return {
    major,
    users: [ada, ben],
    tags: [port, strikes, internal],
    newsletters: [newsletter],
    members: [
      {
        id: ghostId(),
        email: 'reader.one@example.net',
        newsletters: [newsletter.id],
        subscribed: true,
      },
      { id: ghostId(), email: 'reader.two@example.net', newsletters: [], subscribed: false },
      {
        id: ghostId(),
        email: 'Reader.Three@Example.net',
        newsletters: [newsletter.id],
        subscribed: true,
        emailDisabled: true,
      },
    ],
    posts: [
      major === 4
        ? {
            ...cardsStory(),
            lexical: undefined,
            mobiledoc: mobiledoc(
              ['Workers voted on Friday.'],
              [
                [
                  'image',
                  {
                    src: '__GHOST_URL__/content/images/2024/01/gate.jpg',
                    alt: 'The gate',
                    caption: 'The north gate, closed',
                  },
                ],
                ['markdown', { markdown: 'A **markdown** note.\n\n- one\n- two' }],
                ['hr', {}],
              ],
            ),
          }
        : cardsStory(),
      {
        title: 'A draft about tugs',
        slug: 'tugs',
        status: 'draft',
        publishedAt: null,
        tags: [port.id],
        authors: [ben.id],
        lexical: lexical(paragraph(text('Not yet.'))),
        html: '<p>Not yet.</p>',
      },
      {
        title: 'For members',
        slug: 'members-story',
        visibility: 'members',
        tags: [strikes.id],
        authors: [ada.id],
        lexical: lexical(paragraph(text('Paid words.'))),
        html: '<p>Paid words.</p>',
      },
      {
        title: 'About us',
        slug: 'about',
        type: 'page' as const,
        authors: [ada.id],
        lexical: lexical(paragraph(text('We report on the harbour.'))),
        html: '<p>We report on the harbour.</p>',
      },
      {
        title: 'Untagged note',
        slug: 'untagged',
        authors: [ben.id],
        lexical: lexical(paragraph(text('No tags at all.'))),
        html: '<p>No tags at all.</p>',
      },
    ],
    extra: { snippets: [{ id: ghostId(), name: 'Footer' }], custom_table: [{ id: 1 }] },
  };
}

function types(nodes: DocNode[] | undefined): string[] {
  return (nodes ?? []).map((node) => node.type);
}

describe('Ghost import', () => {
  it('imports a Ghost 5 export: every card mapped or reported, tags, authors, pictures, old addresses and members', async () => {
    const result = await importGhost(ghostExport(fullExport(5)), {
      oldSiteUrl: 'https://harbour.example.org',
    });
    const report = result.lines.map(formatReportLine);
    const notes = Object.fromEntries(result.notes);

    // Sections from primary tags, the rest tags at their Ghost slugs, internal ones skipped.
    expect(report).toContain('created section /port');
    expect(report).toContain('created tag /tags/tag1');
    expect(report).toContain(
      'skipped tag “#newsletter-only”: an internal Ghost tag, never shown to readers',
    );
    expect(notes['internal Ghost tag on a post (not imported)']).toBe(1);

    const articles = await newsroom.store.db
      .selectFrom('article')
      .selectAll()
      .orderBy('id')
      .execute();
    expect(articles.map((article) => [article.slug, article.status])).toEqual([
      ['dockers-vote', 'published'],
      ['tugs', 'draft'],
      ['members-story', 'draft'],
      ['untagged', 'published'],
    ]);
    expect(report.find((line) => line.includes('members-story'))).toContain(
      'for members only in Ghost: imported as a draft',
    );
    const story = articles[0];
    if (!story) throw new Error('no story');
    expect(story.title).toBe('Dockers vote to strike');
    expect(story.standfirst).toBe('The union gave the port a week.');
    expect(story.published_at).toBe('2024-01-20T08:00:00.000Z');
    expect([story.meta_title, story.meta_description]).toEqual([
      'Dockers strike vote: what it means',
      'The union’s vote, explained.',
    ]);
    expect(notes['Ghost social-card text (not imported: cards show the article’s own)']).toBe(1);
    expect(notes['featured post in Ghost (place it on a front page)']).toBe(1);
    const body = JSON.parse(story.body_json) as { content: DocNode[] };
    const kinds = types(body.content);
    expect(kinds.slice(0, 3)).toEqual(['paragraph', 'heading', 'orderedList']);
    expect(body.content[2]?.attrs?.start).toBe(3);
    expect(kinds).toContain('image');
    expect(kinds).toContain('embed');
    expect(kinds).toContain('table');
    expect(kinds.at(-1)).toBe('paragraph');
    const firstParagraph = JSON.stringify(body.content[0]);
    expect(firstParagraph).toContain('"bold"');
    expect(firstParagraph).toContain('"italic"');
    expect(firstParagraph).toContain('https://union.example.org/vote');
    const all = JSON.stringify(body);
    for (const words of [
      'The vote, filmed',
      'The statement',
      'Talks resume Monday.',
      'Who is striking?',
      'Crane and lashing crews.',
      'markdown',
      'https://example.org/md',
      'Strike watch',
      'Every day at noon',
      'https://example.org/watch',
      'Read the letter',
      'The picket line',
    ])
      expect(all, words).toContain(words);
    expect(all).not.toContain('Rendered by Ghost');
    expect(notes['Ghost bookmark card (as a link with its title and description)']).toBe(1);
    expect(notes['Ghost callout card (as a block quotation; its colour is not kept)']).toBe(1);
    expect(notes['Ghost members-only divider (left out: Masthead articles are public)']).toBe(1);
    expect(notes['Ghost signup card (left out: Masthead has no such block)']).toBe(1);
    expect(notes['Ghost table “custom_table” (not imported)']).toBe(1);
    expect(notes['post without a public tag (filed under News)']).toBe(1);
    expect(notes['Ghost table “snippets” (not imported)']).toBe(1);
    expect(notes['Ghost site setting (not imported: only the title and language are read)']).toBe(
      1,
    );
    // Ghost's machinery (roles, permissions, migrations) is not the newsroom's.
    expect(Object.keys(notes).some((note) => /roles|permissions|migrations/.test(note))).toBe(
      false,
    );

    // The feature image is the lead photo, with its alt and caption; pictures are fetched later from the old site.
    const lead = await newsroom.store.db
      .selectFrom('media')
      .selectAll()
      .where('id', '=', story.lead_media_id ?? 0)
      .executeTakeFirstOrThrow();
    expect([lead.alt, lead.caption, lead.source_url]).toEqual([
      'Cranes at dusk',
      'The container terminal on Monday',
      'https://harbour.example.org/content/images/2024/01/cranes.jpg',
    ]);
    const sources = (
      await newsroom.store.db.selectFrom('media').select('source_url').execute()
    ).map((row) => row.source_url);
    expect(sources).toContain('https://harbour.example.org/content/images/2024/01/gate.jpg');
    expect(sources).toContain('https://harbour.example.org/content/images/g2.jpg');
    expect(sources.every((url) => !url.includes('__GHOST_URL__'))).toBe(true);

    // Authors: the byline in Ghost's order, bios, portraits, websites; no staff accounts.
    const byline = await newsroom.store.db
      .selectFrom('article_author')
      .innerJoin('person', 'person.id', 'article_author.person_id')
      .select(['person.name', 'person.bio', 'person.photo_media_id', 'person.contacts'])
      .where('article_id', '=', story.id)
      .orderBy('article_author.position')
      .execute();
    expect(byline.map((person) => person.name)).toEqual(['Ada Lindqvist', 'Ben Okafor']);
    expect(byline[0]?.bio).toBe('Covers the port.');
    expect(byline[0]?.photo_media_id).not.toBeNull();
    expect(byline[0]?.contacts).toContain('https://ada.example.org');
    const accounts = await newsroom.store.db
      .selectFrom('user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(accounts.n)).toBe(0);

    // Pages are pages; old addresses lead to the new ones.
    expect(report).toContain('created page /about');
    for (const [old, now] of [
      ['/dockers-vote/', '/port/dockers-vote'],
      ['/tag/tag1/', '/tags/tag1'],
      ['/tag/port/', '/port'],
      ['/author/ada/', '/authors/ada'],
    ] as const) {
      const response = await app.inject({ method: 'GET', url: old });
      expect(response.statusCode, old).toBe(301);
      expect(response.headers.location, old).toBe(now);
    }
    expect((await app.inject({ method: 'GET', url: '/port/dockers-vote' })).statusCode).toBe(200);

    // Members: the subscribed one is on the list of the same name; the others are counted.
    const subscriptions = await newsroom.store.db
      .selectFrom('subscription')
      .innerJoin('subscriber', 'subscriber.id', 'subscription.subscriber_id')
      .innerJoin('newsletter_list', 'newsletter_list.id', 'subscription.list_id')
      .select(['subscriber.email', 'subscription.state', 'newsletter_list.name'])
      .execute();
    expect(subscriptions).toEqual([
      { email: 'reader.one@example.net', state: 'active', name: 'Harbour Morning' },
    ]);
    expect(notes['Ghost member subscribed to no newsletter (not added)']).toBe(1);
    expect(notes['Ghost member whose e-mail bounced or complained (not subscribed)']).toBe(1);
  });

  it('changes nothing when the same export is imported again', async () => {
    const json = ghostExport(fullExport(5));
    await importGhost(json);
    const before = await tableChecksums(newsroom);
    const again = await importGhost(json);
    expect(
      again.lines
        .filter((line) => line.action === 'created' || line.action === 'updated')
        .map(formatReportLine),
    ).toEqual([]);
    expect(await tableChecksums(newsroom)).toEqual(before);
    expect(again.redirects).toBe(0);
  });

  it('takes brackets literally, keeps only the old site’s canonical addresses, and says why a page waits', async () => {
    const input = fullExport(5);
    input.posts = [
      {
        title: 'Election night',
        slug: 'election',
        authors: [ben.id],
        lexical: lexical(paragraph(text('Results.'))),
        html: '<p>Results.</p>',
        canonicalUrl: '__GHOST_URL__/2024/election-night/',
      },
      {
        title: 'How to embed',
        slug: 'how-to-embed',
        authors: [ben.id],
        lexical: lexical(paragraph(text('Type [gallery] or [video] there; see [contact_form].'))),
        html: '<p>x</p>',
        canonicalUrl: 'https://partner.example/election/',
      },
      {
        title: 'Supporters',
        slug: 'supporters',
        type: 'page' as const,
        visibility: 'paid',
        lexical: lexical(paragraph(text('Thanks.'))),
        html: '<p>Thanks.</p>',
      },
    ];
    const result = await importGhost(ghostExport(input));
    const row = await newsroom.store.db
      .selectFrom('article')
      .select('body_json')
      .where('slug', '=', 'how-to-embed')
      .executeTakeFirstOrThrow();
    expect(row.body_json).toContain('Type [gallery] or [video] there; see [contact_form].');
    // The partner's address is not this site's: its path stays the other story's.
    const election = await app.inject({ method: 'GET', url: '/election/' });
    expect(election.headers.location).toBe('/news/election');
    const canonical = await app.inject({ method: 'GET', url: '/2024/election-night/' });
    expect(canonical.headers.location).toBe('/news/election');
    expect(result.lines.map(formatReportLine)).toContain(
      'skipped Ghost page “Supporters”: for paid only in Ghost, and Masthead pages are public: add it when it is ready',
    );
  });

  it('keeps every tag of a post, and says where the editor takes fewer or shorter ones', async () => {
    const input = fullExport(5);
    const many = Array.from({ length: 32 }, (_, i) => ({
      id: ghostId(),
      name: i === 0 ? `A tag named at length, ${'very '.repeat(12)}long` : `Topic ${i}`,
      slug: `topic-${i}`,
    }));
    input.tags = [...input.tags, ...many];
    input.posts = [
      {
        title: 'Everything at once',
        slug: 'everything',
        tags: [port.id, ...many.map((tag) => tag.id)],
        authors: [ada.id],
        lexical: lexical(paragraph(text('All of it.'))),
        html: '<p>All of it.</p>',
      },
    ];
    const result = await importGhost(ghostExport(input));
    expect(result.notes.get(NOTE_MANY_TAGS)).toBe(1);
    expect(result.notes.get(NOTE_LONG_TAG)).toBe(1);
    const kept = await newsroom.store.db
      .selectFrom('article_tag')
      .innerJoin('article', 'article.id', 'article_tag.article_id')
      .where('article.slug', '=', 'everything')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(32);
  });

  it('updates the text of a post changed in Ghost since, keeping its address and state', async () => {
    const input = fullExport(5);
    await importGhost(ghostExport(input));
    const story = input.posts[0];
    if (!story) throw new Error('no story');
    story.title = 'Dockers vote to strike from Monday';
    story.slug = 'dockers-vote-monday';
    const result = await importGhost(ghostExport(input));
    const changed = result.lines
      .filter((line) => line.action === 'created' || line.action === 'updated')
      .map(formatReportLine);
    expect(changed).toEqual([
      'updated article /port/dockers-vote (its text; address and state kept)',
    ]);
    const row = await newsroom.store.db
      .selectFrom('article')
      .select(['title', 'slug'])
      .where('slug', '=', 'dockers-vote')
      .executeTakeFirstOrThrow();
    expect(row.title).toBe('Dockers vote to strike from Monday');
    // Its new Ghost address leads to it too.
    const response = await app.inject({ method: 'GET', url: '/dockers-vote-monday/' });
    expect(response.headers.location).toBe('/port/dockers-vote');
  });

  it('leaves a page the newsroom edited since the import alone when the export is imported again', async () => {
    const input = fullExport(5);
    await importGhost(ghostExport(input));
    newsroom.now = () => new Date('2026-03-02T12:00:00.000Z');
    await updatePage(newsroom, SYSTEM_ACTOR, 'about', { title: 'About the Ledger' });
    const about = input.posts.find((post) => post.slug === 'about');
    if (!about) throw new Error('no about page');
    about.lexical = lexical(paragraph(text('We report on the harbour and the islands.')));
    const result = await importGhost(ghostExport(input));
    expect(result.lines.map(formatReportLine)).toContain(
      'unchanged page /about (edited in Masthead since it was imported: the file’s version was not applied)',
    );
    const page = await newsroom.store.db
      .selectFrom('page')
      .select(['title', 'body_json'])
      .where('slug', '=', 'about')
      .executeTakeFirstOrThrow();
    expect(page.title).toBe('About the Ledger');
    expect(page.body_json).not.toContain('islands');
  });

  it('reads Ghost 4 Mobiledoc bodies and its one-newsletter members, and Ghost 6 Lexical', async () => {
    await importGhost(ghostExport(fullExport(4)));
    const story = await newsroom.store.db
      .selectFrom('article')
      .select('body_json')
      .where('slug', '=', 'dockers-vote')
      .executeTakeFirstOrThrow();
    const body = JSON.parse(story.body_json) as { content: DocNode[] };
    expect(types(body.content)).toEqual([
      'paragraph',
      'image',
      'paragraph',
      'bulletList',
      'horizontalRule',
    ]);
    expect(JSON.stringify(body)).toContain('"bold"');
    const lists = await newsroom.store.db.selectFrom('newsletter_list').select('name').execute();
    expect(lists).toEqual([{ name: 'The Harbour Ledger' }]);
    expect(await newsroom.store.db.selectFrom('subscriber').select('email').execute()).toEqual([
      { email: 'reader.one@example.net' },
    ]);

    const fresh = await openTestNewsroom();
    try {
      await importSource(
        fresh,
        bytesSource('ghost6.json', Buffer.from(ghostExport(fullExport(6)))),
      );
      const six = await fresh.store.db
        .selectFrom('article')
        .select('body_json')
        .where('slug', '=', 'dockers-vote')
        .executeTakeFirstOrThrow();
      expect(
        types((JSON.parse(six.body_json) as { content: DocNode[] }).content).slice(0, 3),
      ).toEqual(['paragraph', 'heading', 'orderedList']);
    } finally {
      await fresh.dispose();
    }
  });

  it('falls back to Ghost’s HTML when a Lexical body cannot be read, and says so', async () => {
    const input = fullExport(5);
    input.posts = [
      {
        title: 'Broken body',
        slug: 'broken',
        authors: [ben.id],
        lexical: undefined,
        html: '<p>Kept from the HTML.</p>',
      },
    ];
    const json = ghostExport(input).replace('"lexical":null', '"lexical":"{not json"');
    const result = await importGhost(json);
    expect(
      result.notes.get('post whose lexical body could not be read (its HTML was imported instead)'),
    ).toBe(1);
    const row = await newsroom.store.db
      .selectFrom('article')
      .select('body_json')
      .where('slug', '=', 'broken')
      .executeTakeFirstOrThrow();
    expect(row.body_json).toContain('Kept from the HTML.');
  });

  it('imports from the command line, with the old site’s address for its pictures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'masthead-ghost-'));
    try {
      const file = join(dir, 'harbour.ghost.2024-03-01.json');
      await writeFile(file, ghostExport(fullExport(5)));
      const refused = await runCliOn(newsroom, [
        'import',
        file,
        '--old-site',
        'harbour.example.org',
      ]);
      expect(refused.code).toBe(2);
      expect(refused.lines.join('\n')).toContain('--old-site must be the old site');
      const { code, lines } = await runCliOn(newsroom, [
        'import',
        file,
        '--old-site',
        'https://harbour.example.org',
      ]);
      expect(code, lines.join('\n')).toBe(0);
      expect(lines).toContain('created article /port/dockers-vote');
      const sources = await newsroom.store.db.selectFrom('media').select('source_url').execute();
      expect(sources.length).toBeGreaterThan(0);
      expect(
        sources.every((row) => row.source_url.startsWith('https://harbour.example.org/')),
      ).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes an upload from editors, and readers’ addresses only from the editor-in-chief', async () => {
    const file = (name: string) => [
      {
        name: 'file',
        filename: name,
        contentType: 'application/json',
        bytes: Buffer.from(ghostExport(fullExport(5))),
      },
    ];
    const editor = await signIn(app, newsroom, 'editor', 'Lena Ortiz');
    const byEditor = await postUpload(app, editor, file('editor.json'), '/api/imports');
    expect(byEditor.statusCode, byEditor.body).toBe(200);
    expect(
      byEditor.json().notes[
        'Ghost member (not imported: only the editor-in-chief adds readers’ addresses)'
      ],
    ).toBe(3);
    const subscribers = () => newsroom.store.db.selectFrom('subscriber').select('email').execute();
    expect(await subscribers()).toEqual([]);
    // Nor a way to reach an author on the contact page, nor their portrait.
    expect(
      byEditor.json().notes[
        'author portrait or website (left out: only the editor-in-chief imports people’s public profiles)'
      ],
    ).toBeGreaterThan(0);
    const profiles = await newsroom.store.db
      .selectFrom('person')
      .select(['contacts', 'photo_media_id'])
      .execute();
    expect(profiles.filter((person) => person.contacts.includes('Website'))).toEqual([]);
    expect(profiles.filter((person) => person.photo_media_id !== null)).toEqual([]);
    const chief = await signIn(app, newsroom, 'editor-in-chief', 'Mira Solberg');
    const byChief = await postUpload(app, chief, file('chief.json'), '/api/imports');
    expect(byChief.statusCode, byChief.body).toBe(200);
    expect(await subscribers()).toEqual([{ email: 'reader.one@example.net' }]);
  });

  it('refuses a damaged export naming the place, and writes nothing', async () => {
    const before = await countRows(newsroom);
    const good = ghostExport(fullExport(5));
    await expect(importGhost(good.slice(0, good.length - 40))).rejects.toThrow(
      /ghost-export\.json: not valid JSON/,
    );
    const noSlug = JSON.parse(good) as { db: { data: { posts: Record<string, unknown>[] } }[] };
    const second = noSlug.db[0]?.data.posts[1];
    if (second) second.slug = null;
    await expect(importGhost(JSON.stringify(noSlug))).rejects.toThrow(
      /ghost-export\.json: db\[0\]\.data\.posts\[1\]\.slug: /,
    );
    const badDate = JSON.parse(good) as { db: { data: { posts: Record<string, unknown>[] } }[] };
    const first = badDate.db[0]?.data.posts[0];
    if (first) first.published_at = 'last Tuesday';
    await expect(importGhost(JSON.stringify(badDate))).rejects.toThrow(
      /posts\[0\]\.published_at \(“dockers-vote”\): "last Tuesday" is not a date/,
    );
    expect(await countRows(newsroom)).toEqual(before);
  });
});

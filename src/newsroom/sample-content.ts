import { ALL_PAGES } from '../core/cache-tags.js';
import type { CreditChain } from '../core/credit.js';
import { type Doc, heading, link, paragraph, quote, text } from '../core/document.js';
import type { ImportBundle } from '../core/import-bundle.js';
import { listPublishedArticles } from '../store/articles.js';
import { listSections, updateSectionNames } from '../store/sections.js';
import { readSettings, writeSetting } from '../store/settings.js';
import { CONTACT_SETTINGS } from './contact-settings.js';
import { applyImportBundle, type ReportLine } from './import-items.js';
import type { Newsroom } from './newsroom.js';
import { SITE_NAMES_SETTING, SITE_TAGLINES_SETTING } from './read-site.js';
import { drawCouncilHall, drawFerryQuay, drawNewsroomDesk } from './sample-drawings.js';

// A fictional newsroom, "The Lantern", so that a fresh install shows every
// feature of a reader page. Places and people are invented.

const INSTALLED_KEY = 'sample_content.installed_at';
const HOUR = 3_600_000;

/**
 * Fills an empty site with the sample newsroom, once. A site that has ever had
 * sample content installed, or that already has articles, is left alone.
 */
export async function installSampleContent(newsroom: Newsroom): Promise<ReportLine[]> {
  const db = newsroom.store.db;
  const settings = await readSettings(db);
  if (settings.has(INSTALLED_KEY)) return [];
  if ((await listPublishedArticles(db, { limit: 1 })).length > 0) return [];
  const now = newsroom.now();
  const lines = await applyImportBundle(newsroom, sampleBundle(now));
  const site: [string, string][] = [
    ['site.name', 'The Lantern'],
    [
      'site.tagline',
      'Independent reporting from Velmora and the islands, wherever we have to publish it from.',
    ],
    ['site.language', 'en'],
    ['site.time_zone', 'Europe/Riga'],
    // Russian pages get Russian furniture: the name, the tagline, the sections.
    [SITE_NAMES_SETTING, JSON.stringify({ ru: 'Фонарь' })],
    [
      SITE_TAGLINES_SETTING,
      JSON.stringify({
        ru: 'Независимые репортажи из Вельморы и с островов, откуда бы нам ни пришлось их публиковать.',
      }),
    ],
    // Only an address that can reach no one (.example): a sample must never
    // point a source at a real Signal account or onion service.
    [CONTACT_SETTINGS.email, 'tips@lantern.example'],
    [INSTALLED_KEY, now.toISOString()],
  ];
  for (const [key, value] of site) await writeSetting(db, key, value);
  for (const section of await listSections(db)) {
    const ru = RUSSIAN_SECTION_NAMES[section.path];
    if (ru) await updateSectionNames(db, section.id, { ru });
  }
  newsroom.changed?.(ALL_PAGES);
  return lines;
}

const RUSSIAN_SECTION_NAMES: Record<string, string> = {
  news: 'Новости',
  'news/politics': 'Политика',
  'news/world': 'В мире',
  opinion: 'Мнения',
};

function doc(...content: Doc['content']): Doc {
  return { type: 'doc', content };
}

function credit(...parts: [CreditChain[number]['role'], string][]): CreditChain {
  return parts.map(([role, name]) => ({ role, name }));
}

/** The sample newsroom as an import bundle, dated relative to `now`. */
export function sampleBundle(now: Date): ImportBundle {
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR).toISOString();
  return {
    format: 'sample',
    people: [
      { key: 'castell', name: 'Mira Castell', bio: '', mastheadTitle: 'Editor in chief' },
      { key: 'feld', name: 'Jonas Feld', bio: '', mastheadTitle: 'Deputy editor' },
      { key: 'lindqvist', name: 'Ada Lindqvist', bio: '', mastheadTitle: 'Politics correspondent' },
      { key: 'koski', name: 'Maarit Koski', bio: '', mastheadTitle: 'Photo editor' },
      { key: 'sokolova', name: 'Ирина Соколова', bio: '', mastheadTitle: null },
      { key: 'okafor', name: 'Daniel Okafor', bio: '', mastheadTitle: null },
    ],
    pages: [
      {
        slug: 'masthead',
        title: 'Masthead',
        kind: 'masthead',
        language: 'en',
        isPlaceholder: false,
        body: doc(
          paragraph(
            'The Lantern is an independent newsroom covering Velmora and the islands. Our reporters work from three countries; our editors decide what we publish, and nobody else.',
          ),
          paragraph(
            'Write to the newsroom at ',
            text('newsroom@lantern.example', [link('mailto:newsroom@lantern.example')]),
            '.',
          ),
        ),
      },
      {
        slug: 'terms-of-use',
        title: 'Terms of use',
        kind: 'legal',
        language: 'en',
        isPlaceholder: false,
        body: doc(
          paragraph(
            'You may quote our articles with a link to the original. Republishing an article in full needs our written permission, except under the partner agreements listed on this page.',
          ),
          paragraph(
            'Photographs belong to the photographers and agencies credited under them; their licences do not extend to you.',
          ),
        ),
      },
      {
        slug: 'privacy-policy',
        title: 'Privacy policy',
        kind: 'legal',
        language: 'en',
        isPlaceholder: false,
        body: doc(
          paragraph(
            'Reading The Lantern leaves no trace with us beyond an ordinary server log, which we keep for seven days to fend off attacks. We set no cookies for readers, run no analytics scripts and load nothing from other companies’ servers.',
          ),
          paragraph(
            'Our own server counts how often each page is read, so that we know which stories matter to you. For each page and hour it adds up views by where readers came from (a search engine, Telegram, our newsletter, another site’s name — never the address of the page that linked to us), the first language your browser asks for and whether it is a phone, tablet or computer. It never stores your IP address, your browser’s description, the words you searched for or anything else that could tell you apart from other readers.',
          ),
          paragraph(
            'To know roughly how many people read us each day, the server mixes your address and browser with a random key that it makes every morning and throws away at midnight, together with the day’s mixes; after that nobody, not even we, can link a visit to you. Crawlers and link previews are not counted. We keep the numbers for two years.',
          ),
          paragraph(
            'If you write to us, we keep your message only as long as the story it concerns needs it.',
          ),
        ),
      },
    ],
    media: [
      {
        key: 'council',
        alt: 'The domed council hall of Velmora at dusk, lamps lit on the square in front of it.',
        caption: 'Velmora’s council hall on the evening of the vote.',
        credit: credit(
          ['agency', 'Baltic Picture Agency'],
          ['photographer', 'Tomas Reyes'],
          ['distributor', 'Northlight Images'],
          ['pool', 'City Hall Pool'],
        ),
        bytes: drawCouncilHall(),
      },
      {
        key: 'ferry',
        alt: 'A red-funnelled ferry moored at an empty quay under a grey sky, gulls overhead.',
        caption: 'The Saaremund ferry has not left the quay since Monday.',
        credit: credit(['photographer', 'Maarit Koski'], ['agency', 'The Lantern']),
        bytes: drawFerryQuay(),
      },
      {
        key: 'desk',
        alt: 'A notebook and a stack of newspapers on a wooden desk under a reading lamp.',
        caption: 'Corrections are written where the story was: at the reporter’s desk.',
        credit: credit(['photographer', 'Jonas Feld'], ['agency', 'The Lantern']),
        bytes: drawNewsroomDesk(),
      },
    ],
    articles: [
      {
        externalId: 'council-contracts',
        sectionNames: ['News', 'Politics'],
        title: 'Velmora council agrees to publish every contract it signs',
        standfirst:
          'After two years of pressure from residents and reporters, the city will put contracts above 5,000 euros online within ten days of signing.',
        language: 'en',
        leadMediaKey: 'council',
        authors: [{ personKey: 'lindqvist', label: null }],
        sources: [
          { name: 'Velmora City Council, minutes of the session of 12 November', url: null },
          { name: 'Open Contracting Data Standard', url: 'https://standard.open-contracting.org/' },
        ],
        publishedAt: ago(3),
        tags: ['Velmora', 'Public money', 'Transparency'],
        body: doc(
          paragraph(
            'Velmora’s city council voted 23 to 4 on Tuesday evening to publish every contract it signs worth more than 5,000 euros, ending a practice under which residents had to file a formal request — and often wait months — to see how public money was spent.',
          ),
          paragraph(
            'The new rule takes effect in January. Contracts will appear on the city’s website within ten working days of signature, with only the personal data of private individuals removed.',
          ),
          quote(
            [
              'For two years we were told this was technically impossible. It turned out to be a question of will, not of software.',
            ],
            { speaker: 'Irena Vass, council member', source: 'council session, 12 November' },
          ),
          paragraph(
            'The vote follows a series of reports by The Lantern on the city’s road-repair tenders, in which the same three companies won 41 of 44 contracts over four years.',
          ),
          heading(2, 'What will be published'),
          paragraph(
            'According to the minutes of the session, the published record will include the contract itself, its annexes, the list of bidders and the reasons for the choice. Data will follow the ',
            text('Open Contracting Data Standard', [
              link('https://standard.open-contracting.org/'),
            ]),
            ', so that journalists and watchdogs can compare Velmora’s spending with other cities.',
          ),
          paragraph(
            'Four council members voted against, arguing that publication would discourage small companies from bidding. The mayor’s office said it would review the rule after a year.',
          ),
        ),
      },
      {
        externalId: 'council-contracts-ru',
        translationOf: 'council-contracts',
        sectionNames: ['News', 'Politics'],
        title: 'Вельмора будет публиковать все муниципальные контракты',
        standfirst:
          'Городской совет обязал мэрию выкладывать договоры дороже 5000 евро в течение десяти дней после подписания.',
        language: 'ru',
        leadMediaKey: null,
        authors: [{ personKey: 'sokolova', label: null }],
        sources: [{ name: 'Протокол заседания городского совета Вельморы, 12 ноября', url: null }],
        publishedAt: ago(2),
        tags: ['Городской совет', 'Прозрачность'],
        body: doc(
          paragraph(
            'Городской совет Вельморы во вторник вечером 23 голосами против 4 решил публиковать все контракты дороже 5000 евро. До сих пор, чтобы увидеть такой договор, жителям приходилось подавать официальный запрос и ждать ответа месяцами.',
          ),
          quote(
            [
              'Два года нам говорили, что это технически невозможно. Оказалось, что дело не в программах, а в желании.',
            ],
            {
              speaker: 'Ирена Васс, депутат городского совета',
              source: 'заседание совета 12 ноября',
            },
          ),
          paragraph(
            'Новое правило вступит в силу в январе. Вместе с договором будут публиковаться приложения, список участников торгов и обоснование выбора подрядчика.',
          ),
        ),
      },
      {
        externalId: 'ferry-strike',
        sectionNames: ['News', 'World'],
        title: 'Ferry strike leaves three island villages short of fuel and medicine',
        standfirst:
          'Crews on the Saaremund line walked out on Monday over unpaid overtime; talks resume on Thursday.',
        language: 'en',
        leadMediaKey: 'ferry',
        authors: [
          { personKey: 'okafor', label: null },
          { personKey: 'koski', label: 'Photographs by' },
        ],
        sources: [],
        publishedAt: ago(20),
        tags: ['Islands', 'Port', 'Strikes', 'Transport'],
        body: doc(
          paragraph(
            'No ferry has reached the islands of Saaremund, Kiel and Väike since Monday morning, when 62 crew members of the state ferry company stopped work over overtime they say has gone unpaid since spring.',
          ),
          paragraph(
            'The island pharmacy in Saaremund ran out of insulin on Wednesday. A coast-guard boat delivered a week’s supply that evening, the regional health office said.',
          ),
          quote(['We are not striking against the islanders. Half of us are islanders.'], {
            speaker: 'Karl Meri, ferry engineer',
          }),
          paragraph(
            'The ferry company said it would present a new offer when talks resume on Thursday.',
          ),
          // An embed reaches readers as a facade: nothing loads from the provider
          // until they press Play (a fictional video, so no thumbnail to fetch).
          {
            type: 'embed',
            attrs: {
              url: 'https://www.youtube.com/watch?v=lanternQuay',
              title: 'The empty quay at Saaremund, filmed by our reporter',
            },
          },
        ),
      },
      {
        externalId: 'border-queues',
        sectionNames: ['News', 'World'],
        title: 'Border crossing reopens after nine days, but queues stretch for kilometres',
        standfirst: '',
        language: 'en',
        leadMediaKey: null,
        authors: [{ personKey: 'okafor', label: null }],
        sources: [],
        publishedAt: ago(30),
        tags: ['Borders', 'Transport'],
        body: doc(
          paragraph(
            'The southern crossing at Harju reopened at dawn on Sunday after a nine-day closure that neither government has explained. By noon the line of lorries waiting to cross was eleven kilometres long.',
          ),
          paragraph(
            'Drivers told The Lantern they had been sent back without a written reason. Several said they had slept in their cabs for a week on the other side.',
          ),
        ),
      },
      {
        externalId: 'why-corrections',
        sectionNames: ['Opinion'],
        title: 'Why we print our corrections at the top, not the bottom',
        standfirst:
          'A newsroom that hides its mistakes asks readers to trust it blindly. We would rather be checked.',
        language: 'en',
        leadMediaKey: 'desk',
        authors: [{ personKey: 'castell', label: null }],
        sources: [],
        publishedAt: ago(48),
        tags: ['Corrections', 'Transparency'],
        body: doc(
          paragraph(
            'Every newsroom makes mistakes. What distinguishes one from another is what it does next: quietly edit the sentence and hope nobody noticed, or tell readers what was wrong and what is right.',
          ),
          paragraph(
            'From this week, when we correct a fact in an article, the correction will appear at the top of the article, dated, in plain words. The corrected article keeps its address, so links shared last month still lead to the right text.',
          ),
          paragraph(
            'We are a small newsroom working far from the city we write about. Our readers cannot walk into our office. The least we owe them is a record of our own errors that anyone can read.',
          ),
        ),
      },
    ],
  };
}

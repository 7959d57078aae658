import type { ImportBundle, ImportedArticle } from '../src/core/import-bundle.js';

// A generated corpus of news articles in English and Russian for the search
// tests and the search benchmark: deterministic (a seeded generator), each
// article about a few topics written in varying inflections, so the expected
// result of a stemmed query is known exactly.

/** Each topic's word in every form the corpus uses; a search for one form must find them all. */
export const TOPICS = {
  en: {
    strike: ['strike', 'strikes', 'striking'],
    embassy: ['embassy', 'embassies'],
    port: ['port', 'ports'],
    council: ['council', 'councils'],
    ferry: ['ferry', 'ferries'],
    border: ['border', 'borders'],
    budget: ['budget', 'budgets'],
    court: ['court', 'courts'],
    hospital: ['hospital', 'hospitals'],
    election: ['election', 'elections'],
  },
  ru: {
    посольство: ['посольство', 'посольства', 'посольству', 'посольством'],
    забастовка: ['забастовка', 'забастовки', 'забастовку', 'забастовкой'],
    порт: ['порт', 'порта', 'порту', 'портом'],
    совет: ['совет', 'совета', 'совету', 'советом'],
    граница: ['граница', 'границы', 'границу', 'границей'],
    бюджет: ['бюджет', 'бюджета', 'бюджету', 'бюджетом'],
    суд: ['суд', 'суда', 'суду', 'судом'],
    больница: ['больница', 'больницы', 'больницу', 'больницей'],
    выборы: ['выборы', 'выборов', 'выборам', 'выборами'],
  },
} as const;

const FILLER = {
  en: [
    'the',
    'officials',
    'said',
    'on',
    'Tuesday',
    'that',
    'residents',
    'were',
    'told',
    'little',
    'about',
    'plans',
    'for',
    'the',
    'coming',
    'week',
  ],
  ru: [
    'во',
    'вторник',
    'чиновники',
    'сообщили',
    'что',
    'жителям',
    'почти',
    'ничего',
    'не',
    'рассказали',
    'о',
    'планах',
    'на',
    'неделю',
  ],
};

/** The phrase some English articles hold word for word; others hold both words apart. */
export const PHRASE = ['night', 'shift'] as const;

/** mulberry32: a small seeded generator, so every run builds the same corpus. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Corpus = {
  bundle: ImportBundle;
  /** For each language and topic, how many articles mention it. */
  topicCounts: Record<string, Record<string, number>>;
  /** English articles holding the phrase "night shift" together, and those holding both words apart. */
  phraseTogether: number;
  phraseApart: number;
};

/** `count` articles, alternating English and Russian, published one hour apart before `now`. */
export function searchCorpus(count: number, now: Date, paragraphs = 3): Corpus {
  const random = generator(20261124);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const topicCounts: Record<string, Record<string, number>> = { en: {}, ru: {} };
  let phraseTogether = 0;
  let phraseApart = 0;
  const articles: ImportedArticle[] = [];
  for (let n = 0; n < count; n++) {
    const language = n % 2 === 0 ? 'en' : 'ru';
    const topics = TOPICS[language] as Record<string, readonly string[]>;
    const chosen = [...new Set([pick(Object.keys(topics)), pick(Object.keys(topics))])];
    const counts = topicCounts[language] ?? {};
    for (const topic of chosen) counts[topic] = (counts[topic] ?? 0) + 1;
    const sentence = () => {
      const words = Array.from({ length: 10 }, () => pick(FILLER[language]));
      words.splice(3, 0, pick(topics[pick(chosen)] ?? []));
      return `${words.join(' ')}.`;
    };
    const texts = Array.from({ length: paragraphs }, () =>
      Array.from({ length: 4 }, sentence).join(' '),
    );
    if (language === 'en' && n % 10 === 0) {
      texts.push(`Workers on the ${PHRASE.join(' ')} walked out.`);
      phraseTogether++;
    } else if (language === 'en' && n % 10 === 2) {
      texts.push(`The ${PHRASE[1]} changed; the ${PHRASE[0]} was quiet.`);
      phraseApart++;
    }
    articles.push({
      externalId: `corpus-${n}`,
      sectionNames: ['News'],
      title: `${language === 'en' ? 'Report' : 'Репортаж'} ${n}: ${chosen.map((t) => topics[t]?.[0]).join(', ')}`,
      standfirst: '',
      language,
      body: {
        type: 'doc',
        content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
      },
      leadMediaKey: null,
      authors: [{ personKey: 'desk', label: null }],
      sources: [],
      publishedAt: new Date(now.getTime() - (n + 1) * 3600_000).toISOString(),
    });
  }
  return {
    bundle: {
      format: 'corpus',
      people: [{ key: 'desk', name: 'Corpus Desk', bio: '', mastheadTitle: null }],
      pages: [],
      media: [],
      articles,
    },
    topicCounts,
    phraseTogether,
    phraseApart,
  };
}

import { parseCreditLine } from '../core/credit.js';
import { docFromParagraphs, paragraph } from '../core/document.js';
import { DomainError } from '../core/errors.js';
import type {
  ImportBundle,
  ImportedMedia,
  ImportedPage,
  ImportedPerson,
} from '../core/import-bundle.js';
import { slugify } from '../core/slug.js';
import { decodeUtf8 } from './utf8.js';

/**
 * The seed page format: the text of a news article page as a reader's browser
 * copies it. Blocks are separated by blank lines:
 *
 *   NewsPolitics                       section names run together (breadcrumbs)
 *   Headline
 *   Alt text. Photo: A / B / C         the photo line, printed twice on the page:
 *   Caption. Photo: A / B / C          once as the image's alt text, once as its caption
 *   Body paragraph …                   one block per paragraph
 *   shareprint                         the share/print buttons' labels: page chrome
 *   Editor in chief — Name. Terms of use. Privacy policy.    the footer
 */
export const SEED_FORMAT = 'seed';

type Block = { text: string; line: number };

const CHROME_LINE = /^share\s*print$/i;
const PHOTO_LINE = /^(.*?)\s*(?:Photo|Фото):\s*(.+)$/u;
// Section names are capitalised words run together: "NewsPolitics", "НовостиПолитика".
const BREADCRUMB_LINE = /^\p{Lu}[\p{L}\p{M} ]{0,80}$/u;
const MASTHEAD_ENTRY = /^(.+?)\s+[—–-]\s+(.+)$/u;
// A masthead entry names a role ("Editor in chief — Name"); other "X — Y" text is not staff.
const MASTHEAD_ROLE =
  /(editor|chief|publisher|director|founder|producer|correspondent|reporter|редактор|главн|директор|издатель|основател|корреспондент)/iu;
// Sentences end at a full stop, but not after an initial ("Kirill A. Martynov").
const SENTENCE_END = /(?<!(?:^|\s)\p{Lu}\.)(?<=\.)\s+/u;
// Footer links are short labels ("Terms of use"); longer text and © lines are not pages.
const MAX_PAGE_LINK_WORDS = 5;

/** True when `text` has the shape of a seed page (used to detect the format). */
export function looksLikeSeedPage(text: string): boolean {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const first = lines.find((line) => line !== '') ?? '';
  return BREADCRUMB_LINE.test(first) && lines.some((line) => CHROME_LINE.test(line));
}

/** Splits run-together section names: "NewsPolitics" → ["News", "Politics"]. */
export function splitBreadcrumb(line: string): string[] {
  return line
    .split(/(?<=[\p{Ll}\p{M}])(?=\p{Lu})/u)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Parses a seed page into an import bundle; throws a DomainError naming the file and line. */
export function parseSeedPage(bytes: Uint8Array, fileName: string): ImportBundle {
  const text = decodeUtf8(bytes, fileName);
  const fail = (line: number, problem: string): never => {
    throw new DomainError('malformed_file', `${fileName}: line ${line}: ${problem}`);
  };
  const blocks = toBlocks(text);
  const chromeIndex = blocks.findIndex((block) => CHROME_LINE.test(firstLine(block.text)));
  if (chromeIndex < 0) fail(lastLine(text), 'no share/print line ("shareprint") ends the article');
  const content = blocks.slice(0, chromeIndex);

  const breadcrumb = content[0];
  if (!breadcrumb || !BREADCRUMB_LINE.test(breadcrumb.text)) {
    return fail(breadcrumb?.line ?? 1, 'expected the section path first (such as "NewsPolitics")');
  }
  const sectionNames = splitBreadcrumb(breadcrumb.text);
  const unsluggable = sectionNames.find((name) => slugify(name) === '');
  if (unsluggable !== undefined) {
    fail(
      breadcrumb.line,
      `section "${unsluggable}" has no Latin or Cyrillic letters or digits to put in a URL`,
    );
  }

  const headline = content[1];
  if (!headline || PHOTO_LINE.test(headline.text)) {
    return fail(
      headline?.line ?? breadcrumb.line + 1,
      'the headline is missing after the section path',
    );
  }

  let cursor = 2;
  const photoLines: { description: string; credit: string }[] = [];
  while (photoLines.length < 2) {
    const match = PHOTO_LINE.exec(content[cursor]?.text ?? '');
    if (!match) break;
    photoLines.push({ description: (match[1] ?? '').trim(), credit: (match[2] ?? '').trim() });
    cursor++;
  }

  const paragraphs = content.slice(cursor).map((block) => block.text);
  if (paragraphs.length === 0) {
    fail(
      blocks[chromeIndex]?.line ?? 1,
      'the article body is empty: no paragraph before the share/print line',
    );
  }

  const language = guessLanguage(`${headline.text} ${paragraphs.join(' ')}`);
  const media: ImportedMedia[] = [];
  const [alt, caption] = photoLines;
  if (alt) {
    media.push({
      key: 'lead',
      alt: alt.description,
      // The page prints the line twice (alt text, then caption): one photo, stored once.
      caption: (caption ?? alt).description,
      credit: parseCreditLine((caption ?? alt).credit),
      bytes: null,
    });
  }

  const footer = blocks
    .slice(chromeIndex)
    .map((block) => block.text.replace(/^share\s*print\s*/i, ''))
    .join(' ');
  const { people, pages } = parseFooter(footer, language);
  const title = headline.text;
  return {
    format: SEED_FORMAT,
    people,
    pages,
    media,
    articles: [
      {
        // The export's file name is the page's only stable identity: a corrected
        // headline or a moved section must update the article, not add another.
        externalId: fileStem(fileName),
        sectionNames,
        title,
        standfirst: '',
        language,
        body: docFromParagraphs(paragraphs),
        leadMediaKey: alt ? 'lead' : null,
        authors: [],
        sources: [],
        publishedAt: null,
      },
    ],
  };
}

function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') {
      current = null;
      return;
    }
    if (current && !CHROME_LINE.test(line)) {
      // A wrapped line continues its paragraph.
      current.text = `${current.text}\n${line}`;
      return;
    }
    current = { text: line, line: index + 1 };
    blocks.push(current);
  });
  // Lines inside a paragraph block are soft wraps; the chrome block keeps its lines.
  return blocks.map((block) =>
    CHROME_LINE.test(firstLine(block.text))
      ? block
      : { ...block, text: block.text.replace(/\n/g, ' ') },
  );
}

/** "000_987c6400eb76061d.txt" → "000_987c6400eb76061d". */
function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).at(-1) ?? fileName;
  return base.replace(/\.[^.]*$/, '') || base;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function lastLine(text: string): number {
  return text.split('\n').length;
}

/** The footer holds masthead entries ("Editor in chief — Name") and links to pages. */
function parseFooter(
  footer: string,
  language: string,
): { people: ImportedPerson[]; pages: ImportedPage[] } {
  const people: ImportedPerson[] = [];
  const pages: ImportedPage[] = [];
  const placeholder = (slug: string, title: string, kind: ImportedPage['kind']): ImportedPage => ({
    slug,
    title,
    kind,
    language,
    body: { type: 'doc', content: [paragraph(placeholderText(language))] },
    isPlaceholder: true,
  });
  const sentences = footer
    .split(SENTENCE_END)
    .map((sentence) => sentence.replace(/\.$/, '').trim())
    .filter((sentence) => sentence !== '');
  for (const sentence of sentences) {
    const entry = MASTHEAD_ENTRY.exec(sentence);
    if (entry && MASTHEAD_ROLE.test(entry[1] ?? '')) {
      const name = (entry[2] ?? '').trim();
      people.push({ key: slugify(name), name, bio: '', mastheadTitle: (entry[1] ?? '').trim() });
      continue;
    }
    const isPageLink =
      !entry && !sentence.startsWith('©') && sentence.split(/\s+/).length <= MAX_PAGE_LINK_WORDS;
    if (isPageLink && slugify(sentence) !== '')
      pages.push(placeholder(slugify(sentence), sentence, 'legal'));
  }
  // The footer's masthead line links to the masthead page, which lists the staff.
  if (people.length > 0) {
    pages.unshift(placeholder('masthead', language === 'ru' ? 'Редакция' : 'Masthead', 'masthead'));
  }
  return { people, pages };
}

function placeholderText(language: string): string {
  return language === 'ru'
    ? 'Текст этой страницы ещё не написан. Редакция может добавить его в панели управления.'
    : 'The text of this page has not been written yet. Editors can add it in the newsroom.';
}

/** "ru" when most letters are Cyrillic, otherwise "en". */
export function guessLanguage(text: string): string {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return cyrillic > latin ? 'ru' : 'en';
}

import { describe, expect, it } from 'vitest';
import { articleView, chrome, photo } from '../../test/site-fixtures.js';
import { articleStructuredData, imageObject } from './structured-data.js';

const FILE = 'abcdefabcdefabcdefabcdefabcdefab.jpg';
const stored = { ...photo, file: FILE, width: 3000, height: 2000 };

describe('imageObject', () => {
  it('carries the credit line, the photographer, the copyright notice and a ≥1200 px preview', () => {
    expect(imageObject({ ...stored, copyright: '© Sputnik' }, chrome)).toEqual({
      '@type': 'ImageObject',
      contentUrl: 'https://gazette.example/media/abcdefabcdefabcdefabcdefabcdefab-1280.jpg',
      url: 'https://gazette.example/media/abcdefabcdefabcdefabcdefabcdefab-1280.jpg',
      width: 1280,
      height: 853,
      caption: 'The hall on the evening of the vote.',
      description: 'A hall at dusk.',
      creditText: 'EPA / Grigory Sysoev / Sputnik / Kremlin',
      creator: { '@type': 'Person', name: 'Grigory Sysoev' },
      copyrightNotice: '© Sputnik',
    });
  });

  it('credits the newsroom for its own uncredited photo, and says how an image was made', () => {
    const own = {
      ...stored,
      credit: [],
      isOwnPhoto: true,
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    };
    expect(imageObject(own, chrome)).toMatchObject({
      creditText: 'The Test Gazette',
      creator: { '@type': 'Organization', name: 'The Test Gazette' },
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    });
  });

  it('falls back to the IPTC creator, and gives nothing for a photo without its file', () => {
    expect(imageObject({ ...stored, credit: [], creator: 'Jane Roe' }, chrome)).toMatchObject({
      creator: { '@type': 'Person', name: 'Jane Roe' },
    });
    expect(imageObject(photo, chrome)).toBeNull();
  });
});

describe('articleStructuredData', () => {
  it('describes the article as a NewsArticle with its images, publisher and breadcrumbs', () => {
    const view = articleView({}, stored);
    view.tags = [{ slug: 'council', name: 'Council' }];
    view.corrections = [
      {
        type: 'correction',
        text: 'The vote was on Tuesday.',
        createdAt: '2026-02-16T09:00:00.000Z',
      },
    ];
    view.modifiedAt = '2026-02-16T09:00:00.000Z';
    const data = articleStructuredData(view, chrome, 'https://gazette.example/assets/icon.svg');
    const [article, breadcrumbs] = data['@graph'] as Record<string, unknown>[];
    expect(data['@context']).toBe('https://schema.org');
    expect(article).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'Council votes <to> publish “every” contract',
      mainEntityOfPage: 'https://gazette.example/news/politics/council-votes',
      inLanguage: 'en',
      datePublished: '2026-02-15T12:00:00.000Z',
      dateModified: '2026-02-16T09:00:00.000Z',
      articleSection: 'Politics',
      keywords: ['Council'],
      author: [{ '@type': 'Person', name: 'Ada Lindqvist' }],
      publisher: {
        '@type': 'NewsMediaOrganization',
        name: 'The Test Gazette',
        logo: { '@type': 'ImageObject', url: 'https://gazette.example/assets/icon.svg' },
        masthead: 'https://gazette.example/masthead',
        correctionsPolicy: 'https://gazette.example/corrections',
      },
      correction: [
        {
          '@type': 'CorrectionComment',
          text: 'The vote was on Tuesday.',
          datePublished: '2026-02-16T09:00:00.000Z',
        },
      ],
    });
    const images = (article?.image ?? []) as { creditText: string }[];
    expect(images[0]?.creditText).toBe('EPA / Grigory Sysoev / Sputnik / Kremlin');
    expect(breadcrumbs).toEqual({
      '@type': 'BreadcrumbList',
      itemListElement: [
        { '@type': 'ListItem', position: 1, name: 'News', item: 'https://gazette.example/news' },
        {
          '@type': 'ListItem',
          position: 2,
          name: 'Politics',
          item: 'https://gazette.example/news/politics',
        },
        {
          '@type': 'ListItem',
          position: 3,
          name: 'Council votes <to> publish “every” contract',
          item: 'https://gazette.example/news/politics/council-votes',
        },
      ],
    });
  });

  it('types a labelled article as schema.org’s opinion or analysis subtype of NewsArticle', () => {
    const typeOf = (label: 'opinion' | 'analysis' | null) => {
      const data = articleStructuredData(articleView({ label }), chrome, 'https://x.example/i.svg');
      return (data['@graph'] as Record<string, unknown>[])[0]?.['@type'];
    };
    expect(typeOf('opinion')).toBe('OpinionNewsArticle');
    expect(typeOf('analysis')).toBe('AnalysisNewsArticle');
    expect(typeOf(null)).toBe('NewsArticle');
  });
});

import { describe, expect, it } from 'vitest';
import { creditChainFrom, photoMetadataFrom, repairIptcText } from './photo-metadata.js';

// The shape the metadata reader (exifr, mergeOutput: false) returns for a photo
// carrying both IPTC IIM and XMP; IIM text arrives mis-decoded as Latin-1.
const latin1 = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));
const raw = {
  iptc: {
    Byline: latin1('Григорий Сысоев'),
    Credit: 'EPA / Sputnik / Kremlin',
    Source: 'Sputnik',
    Caption: latin1('Алиев и Путин в Душанбе'),
    Keywords: ['Azerbaijan', latin1('Россия')],
  },
  Iptc4xmpCore: { AltTextAccessibility: { lang: 'x-default', value: 'Two men shake hands' } },
  Iptc4xmpExt: {
    DigitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
  },
  dc: { rights: { lang: 'x-default', value: '© Sputnik' } },
  photoshop: { Credit: 'EPA/Sputnik' },
};

describe('photoMetadataFrom', () => {
  it('reads every field, repairing IIM text that is really UTF-8', () => {
    expect(photoMetadataFrom(raw)).toEqual({
      creator: 'Григорий Сысоев',
      creditLine: 'EPA / Sputnik / Kremlin',
      source: 'Sputnik',
      copyright: '© Sputnik',
      caption: 'Алиев и Путин в Душанбе',
      alt: 'Two men shake hands',
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
      keywords: ['Azerbaijan', 'Россия'],
    });
  });

  it('prefers XMP where both say something, and copes with nothing at all', () => {
    const both = photoMetadataFrom({
      ...raw,
      dc: { ...raw.dc, creator: 'Grigory Sysoev', description: { value: 'In English' } },
    });
    expect(both.creator).toBe('Grigory Sysoev');
    expect(both.caption).toBe('In English');
    expect(photoMetadataFrom({})).toEqual({
      creator: '',
      creditLine: '',
      source: '',
      copyright: '',
      caption: '',
      alt: '',
      digitalSourceType: '',
      keywords: [],
    });
  });
});

describe('repairIptcText', () => {
  it('leaves ASCII, real Latin-1 and already-correct text alone', () => {
    expect(repairIptcText('Reuters')).toBe('Reuters');
    expect(repairIptcText('Café Müller')).toBe('Café Müller');
    expect(repairIptcText('Сысоев')).toBe('Сысоев');
  });
});

describe('creditChainFrom', () => {
  it('builds the seed page’s four-part chain from a credit line and a creator', () => {
    expect(
      creditChainFrom({ creator: 'Grigory Sysoev', creditLine: 'EPA / Sputnik / Kremlin' }),
    ).toEqual([
      { name: 'EPA', role: 'agency' },
      { name: 'Grigory Sysoev', role: 'photographer' },
      { name: 'Sputnik', role: 'distributor' },
      { name: 'Kremlin', role: 'pool' },
    ]);
  });

  it('does not repeat a photographer the line already names, and credits a lone photographer', () => {
    expect(
      creditChainFrom({ creator: 'Jane Doe', creditLine: 'AP / Jane Doe' }).map((p) => p.name),
    ).toEqual(['AP', 'Jane Doe']);
    expect(creditChainFrom({ creator: 'Jane Doe', creditLine: '' })).toEqual([
      { name: 'Jane Doe', role: 'photographer' },
    ]);
    expect(creditChainFrom({ creator: '', creditLine: '' })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  creditChainFrom,
  decodeXmlEntities,
  isCutOffPrefix,
  photoMetadataFrom,
  repairIptcText,
} from './photo-metadata.js';

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
    // A last "ë" looks like the first byte of a cut character; it is Latin-1.
    expect(repairIptcText('Zoë')).toBe('Zoë');
  });

  it('drops a character cut in half at the field limit, keeping the rest', () => {
    // 32 bytes of "EPA / Григорий Сысоев": the cut falls inside "е".
    const bytes = new TextEncoder().encode('EPA / Григорий Сысоев').slice(0, 32);
    expect(repairIptcText(String.fromCharCode(...bytes))).toBe('EPA / Григорий Сысо');
  });
});

describe('XMP text', () => {
  it('is stored as written, not as escaped XML', () => {
    const metadata = photoMetadataFrom({
      Iptc4xmpCore: {
        AltTextAccessibility: {
          lang: 'x-default',
          value: '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Tom’s&quot;',
        },
      },
      dc: {
        description: { lang: 'x-default', value: 'Fish &amp;amp; chips' },
        creator: ['Grigory &#x421;ysoev'],
        rights: { lang: 'x-default', value: '&#169; Sputnik' },
        subject: 'R&amp;D',
      },
      photoshop: { Credit: 'AP &amp; Reuters', Source: 'Sputnik &apos;Pool&apos;' },
    });
    expect(metadata).toMatchObject({
      alt: '<img src=x onerror=alert(1)> & "Tom’s"',
      // Decoded once: the photographer typed "&amp;".
      caption: 'Fish &amp; chips',
      creator: 'Grigory Сysoev',
      copyright: '© Sputnik',
      creditLine: 'AP & Reuters',
      source: "Sputnik 'Pool'",
      keywords: ['R&D'],
    });
  });

  it('decodes the five XML entities and character references, and leaves the rest', () => {
    expect(decodeXmlEntities('&lt;b&gt; &amp; &quot; &apos; &#65;&#x42;')).toBe('<b> & " \' AB');
    expect(decodeXmlEntities('&nbsp; &#0; &#xD800; &#x110000; & alone')).toBe(
      '&nbsp; &#0; &#xD800; &#x110000; & alone',
    );
  });
});

describe('the credit line', () => {
  const latin1Bytes = (text: string, limit: number) =>
    String.fromCharCode(...new TextEncoder().encode(text).slice(0, limit));

  it('takes XMP when IIM holds its first 32 bytes: the seed page’s chain keeps "Kremlin"', () => {
    const whole = 'EPA / Grigory Sysoev / Sputnik / Kremlin';
    expect(new TextEncoder().encode(whole).length).toBe(40);
    const metadata = photoMetadataFrom({
      iptc: { Credit: 'EPA / Grigory Sysoev / Sputnik /' },
      photoshop: { Credit: whole },
    });
    expect(metadata.creditLine).toBe(whole);
    expect(creditChainFrom(metadata).map((part) => part.name)).toEqual([
      'EPA',
      'Grigory Sysoev',
      'Sputnik',
      'Kremlin',
    ]);
  });

  it('takes XMP when the cut fell inside a character, as raw bytes or as exiftool’s "."', () => {
    const whole = 'EPA / Григорий Сысоев / Sputnik';
    const rawCut = latin1Bytes(whole, 32);
    expect(
      photoMetadataFrom({ iptc: { Credit: rawCut }, photoshop: { Credit: whole } }),
    ).toMatchObject({ creditLine: whole });
    // exiftool replaces the half character's byte with ".".
    const dotted = `${latin1Bytes(whole, 31)}.`;
    expect(isCutOffPrefix(dotted, whole, 32)).toBe(true);
    // Without XMP, the cut IIM line is still read, minus the broken character.
    expect(photoMetadataFrom({ iptc: { Credit: rawCut } }).creditLine).toBe('EPA / Григорий Сысо');
  });

  it('keeps IIM when it is not a cut: shorter than its limit, or a different text', () => {
    expect(isCutOffPrefix('AP', 'APA / Jane Doe', 32)).toBe(false);
    expect(isCutOffPrefix('EPA / Sputnik / Kremlin', 'EPA/Sputnik', 32)).toBe(false);
    expect(
      isCutOffPrefix('EPA / Grigory Sysoev / Sputnik /', 'Reuters / Grigory Sysoev / Kremlin', 32),
    ).toBe(false);
    // A full 32-byte IIM line that XMP only repeats.
    const full = 'EPA / Grigory Sysoev / Sputnik /';
    expect(isCutOffPrefix(full, full, 32)).toBe(false);
    // Dots that are the text's own, before ASCII, are no cut character.
    expect(
      isCutOffPrefix('EPA / Grigory Sysoev / Sputnik..', 'EPA / Grigory Sysoev / Sputnik / X', 32),
    ).toBe(false);
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

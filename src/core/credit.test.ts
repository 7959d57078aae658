import { describe, expect, it } from 'vitest';
import { formatCreditChain, parseCreditLine, parseTypedCreditLine } from './credit.js';

describe('parseCreditLine', () => {
  it('reads agency, photographer, distributor and pool in order', () => {
    expect(parseCreditLine('EPA / Grigory Sysoev / Sputnik / Kremlin')).toEqual([
      { name: 'EPA', role: 'agency' },
      { name: 'Grigory Sysoev', role: 'photographer' },
      { name: 'Sputnik', role: 'distributor' },
      { name: 'Kremlin', role: 'pool' },
    ]);
  });

  it('reads a photographer credited alone', () => {
    expect(parseCreditLine('Maarit Koski')).toEqual([
      { name: 'Maarit Koski', role: 'photographer' },
    ]);
  });

  it('marks parts it cannot place as "other" rather than guessing', () => {
    expect(parseCreditLine('Reuters / handout')).toEqual([
      { name: 'Reuters', role: 'agency' },
      { name: 'handout', role: 'other' },
    ]);
  });

  it('ignores empty parts and stray spaces', () => {
    expect(parseCreditLine(' AP /  / John Smith ').map((part) => part.name)).toEqual([
      'AP',
      'John Smith',
    ]);
  });
});

describe('formatCreditChain', () => {
  it('prints the chain as agencies do, round-tripping the parsed line', () => {
    const line = 'EPA / Grigory Sysoev / Sputnik / Kremlin';
    expect(formatCreditChain(parseCreditLine(line))).toBe(line);
  });
});

describe('parseTypedCreditLine', () => {
  it('gives each part the role its place in the form label names', () => {
    // The line that stored the agency as photographer when roles were guessed.
    expect(parseTypedCreditLine('Lantern Photo / Jonas Feld')).toEqual([
      { name: 'Lantern Photo', role: 'agency' },
      { name: 'Jonas Feld', role: 'photographer' },
    ]);
    expect(parseTypedCreditLine('A / B / C / D / E')).toEqual([
      { name: 'A', role: 'agency' },
      { name: 'B', role: 'photographer' },
      { name: 'C', role: 'distributor' },
      { name: 'D', role: 'pool' },
      { name: 'E', role: 'other' },
    ]);
  });

  it('reads a single name as an import would: a personal name is the photographer', () => {
    expect(parseTypedCreditLine(' Jonas Feld ')).toEqual([
      { name: 'Jonas Feld', role: 'photographer' },
    ]);
    expect(parseTypedCreditLine('')).toEqual([]);
  });
});

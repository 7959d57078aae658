import { describe, expect, it } from 'vitest';
import { formatCreditChain, parseCreditLine } from './credit.js';

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

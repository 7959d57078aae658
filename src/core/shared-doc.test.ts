import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PERSON_COLOURS, personColour, snapshotCovers } from './shared-doc.js';

describe('whether what the server stored covers the words on screen', () => {
  it('counts insertions and deletions: a deleted sentence is not saved until the server has the deletion', () => {
    const mine = new Y.Doc();
    mine.getText('t').insert(0, 'The bridge stays shut until March.');
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(mine));
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(mine))).toBe(true);

    // A deletion leaves the state vector as it was.
    const before = Y.encodeStateVector(mine);
    mine.getText('t').delete(0, 4);
    expect(Y.encodeStateVector(mine)).toEqual(before);
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(mine))).toBe(false);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(server)));
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(mine))).toBe(true);

    // A new word on screen is not covered until the server has it.
    mine.getText('t').insert(0, 'Now ');
    expect(snapshotCovers(Y.snapshot(server), Y.snapshot(mine))).toBe(false);
  });

  it('gives each person one of the colours, the same everywhere', () => {
    expect(personColour(3)).toBe(personColour(3));
    expect(new Set(Array.from({ length: 20 }, (_, i) => personColour(i))).size).toBe(
      PERSON_COLOURS,
    );
  });
});

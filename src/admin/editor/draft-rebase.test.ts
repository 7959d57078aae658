import { describe, expect, it } from 'vitest';
import { rebaseDraft } from './draft-rebase.js';

const base = {
  title: 'Bridge closes',
  standfirst: 'For a month.',
  section: 'news',
  language: 'en',
  slug: 'bridge-closes',
  body: { type: 'doc', content: [{ type: 'paragraph' }] },
  authors: [{ personId: 1, label: null, name: 'Ada' }],
  sources: [],
  tags: ['roads'],
  leadMediaId: null,
  metaTitle: '',
  metaDescription: '',
  socialImageId: null,
  label: null,
};

describe('carrying the draft on screen over to a newer server copy', () => {
  it('takes the others’ changes to fields this person left alone and keeps the fields they are changing', () => {
    const mine = { ...base, title: 'Bridge closes for repairs' };
    const theirs = { ...base, standfirst: 'Until March.', tags: ['roads', 'city'] };
    const next = rebaseDraft(mine, base, theirs);
    expect(next.title).toBe('Bridge closes for repairs');
    expect(next.standfirst).toBe('Until March.');
    expect(next.tags).toEqual(['roads', 'city']);
  });

  it('treats what was just sent as saved, and leaves a shared body alone', () => {
    const sent = { ...base, title: 'Sent title' };
    const onScreen = { ...sent, body: { type: 'doc', content: [] } };
    const saved = { ...base, title: 'Sent title', standfirst: 'Theirs.' };
    const next = rebaseDraft(onScreen, base, saved, { sent, keepBody: true });
    expect(next.standfirst).toBe('Theirs.');
    expect(next.body).toEqual({ type: 'doc', content: [] });
  });

  it('compares bylines by person and label, not by the names a copy carries', () => {
    const onScreen = { ...base, authors: [{ personId: 1, label: null, name: '' }] };
    const theirs = { ...base, authors: [{ personId: 2, label: null, name: 'Rui' }] };
    expect(rebaseDraft(onScreen, base, theirs).authors).toEqual(theirs.authors);
  });
});

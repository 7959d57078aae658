import { diffWords } from 'diff';
import type { ReactNode } from 'react';
import type { Doc } from '../api.js';

/** The plain text of a document, one block per line. */
function textOf(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const { text, content } = node as { text?: string; content?: unknown[] };
  if (typeof text === 'string') return text;
  const isBlockList = (content ?? []).some((child) => (child as { type?: string }).type !== 'text');
  return (content ?? []).map(textOf).join(isBlockList ? '\n' : '');
}

/** Headline, standfirst and body as one readable text, for comparing versions. */
export function readableArticle(version: { title: string; standfirst: string; body: Doc }): string {
  return `${version.title}\n${version.standfirst}\n\n${textOf(version.body)}`;
}

/** A word-by-word comparison: insertions underlined, deletions struck through. */
export function TextDiff({ before, after }: { before: string; after: string }): ReactNode {
  return (
    <p className="diff">
      {diffWords(before, after).map((part, index) =>
        part.added ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: diff parts are positional
          <ins key={index}>{part.value}</ins>
        ) : part.removed ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: diff parts are positional
          <del key={index}>{part.value}</del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: diff parts are positional
          <span key={index}>{part.value}</span>
        ),
      )}
    </p>
  );
}

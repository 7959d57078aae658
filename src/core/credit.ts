import { z } from 'zod';

/**
 * A photo credit is an ordered chain, as agencies print it: the agency that
 * sells the picture, the photographer, the distributor it came through, the
 * pool it was shot for. Ghost and WordPress flatten this into the caption;
 * Masthead keeps the parts so that feeds, JSON-LD and print can each use them.
 */
export const CREDIT_ROLES = ['agency', 'photographer', 'distributor', 'pool', 'other'] as const;
export type CreditRole = (typeof CREDIT_ROLES)[number];

export const creditPartSchema = z.object({
  name: z.string().trim().min(1),
  role: z.enum(CREDIT_ROLES),
});
export type CreditPart = z.infer<typeof creditPartSchema>;

export const creditChainSchema = z.array(creditPartSchema);
export type CreditChain = CreditPart[];

// Organisations that commonly appear in credit lines. A part that is one of
// these is an agency (first) or a distributor (later); anything else shaped like
// a personal name is the photographer. Editors correct the guess in the admin.
const KNOWN_AGENCIES = new Set(
  [
    'AFP',
    'AP',
    'EPA',
    'Reuters',
    'Getty Images',
    'Getty',
    'Sputnik',
    'TASS',
    'RIA Novosti',
    'ANP',
    'dpa',
    'ANSA',
    'Xinhua',
    'Anadolu',
    'NTB',
    'TT',
    'SIPA',
    'Scanpix',
    'Shutterstock',
    'Alamy',
    'AP Photo',
    'EPA-EFE',
    'EFE',
    'Kommersant',
    'Reuters Pictures',
  ].map((name) => name.toLowerCase()),
);

function looksLikePersonalName(name: string): boolean {
  const words = name.split(/\s+/);
  return words.length >= 2 && words.every((word) => /^\p{Lu}[\p{L}'’.-]*$/u.test(word));
}

/**
 * Splits a printed credit ("EPA / Grigory Sysoev / Sputnik / Kremlin") into an
 * ordered chain and guesses each part's role from its position and shape.
 */
export function parseCreditLine(line: string): CreditChain {
  const names = line
    .split('/')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  let seenPhotographer = false;
  let seenDistributor = false;
  return names.map((name, index): CreditPart => {
    const isAgency = KNOWN_AGENCIES.has(name.toLowerCase());
    if (isAgency && index === 0) return { name, role: 'agency' };
    if (isAgency) {
      seenDistributor = true;
      return { name, role: 'distributor' };
    }
    if (!seenPhotographer && looksLikePersonalName(name)) {
      seenPhotographer = true;
      return { name, role: 'photographer' };
    }
    // An institution after the distributor is the pool the picture was made for.
    if (seenDistributor && index === names.length - 1) return { name, role: 'pool' };
    return { name, role: 'other' };
  });
}

/** The roles a typed credit line's parts take, in the order the form's label names them. */
const TYPED_ORDER: readonly CreditRole[] = ['agency', 'photographer', 'distributor', 'pool'];

/**
 * A credit line typed by staff under the label "Agency / Photographer /
 * Distributor / Pool": each part takes the role its place names (a fifth and
 * later part is "other"). A single name says nothing by its place, so it is
 * read as an import's line would be (a personal name is the photographer).
 */
export function parseTypedCreditLine(line: string): CreditChain {
  const names = line
    .split('/')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (names.length < 2) return parseCreditLine(line);
  return names.map((name, index) => ({ name, role: TYPED_ORDER[index] ?? 'other' }));
}

/** The credit as printed under a photo: the parts' names joined by " / ". */
export function formatCreditChain(chain: CreditChain): string {
  return chain.map((part) => part.name).join(' / ');
}

/** Who took the photo: the chain's photographer part, else what the file's IPTC By-line said ('' when neither). */
export function photographerOf(media: { credit: CreditChain; creator: string }): string {
  return media.credit.find((part) => part.role === 'photographer')?.name ?? media.creator;
}

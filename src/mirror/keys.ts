import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../core/errors.js';

// The newsroom's mirror signing key: Ed25519, the private half in the data
// directory (never in a mirror, never in a backup), readable by its owner
// only. The public half is written as "ed25519 <base64url of the 32 bytes>",
// short enough to print, paste into a chat, or read out over the phone.

const PREFIX = 'ed25519';

/** Where the private key lives: `<data>/keys/mirror-signing-key.pem`. */
export function signingKeyFile(dataDir: string): string {
  return join(dataDir, 'keys', 'mirror-signing-key.pem');
}

export type SigningKey = { privateKey: KeyObject; publicKey: string };

/**
 * Makes a new key pair and stores the private half (0600, in a 0700 folder).
 * Refuses to replace an existing key unless `replace`: mirrors signed with it
 * would stop verifying against the published key.
 */
export async function createSigningKey(dataDir: string, replace: boolean): Promise<SigningKey> {
  const file = signingKeyFile(dataDir);
  const existing = await readFile(file).catch(() => null);
  if (existing && !replace)
    throw new DomainError(
      'conflict',
      `${file} already holds a signing key; mirrors signed with it verify only against it. Pass --replace to make a new one anyway.`,
    );
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await mkdir(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  // writeFile keeps the mode of a file that already existed: set it again.
  await chmod(file, 0o600);
  return { privateKey, publicKey: publicKeyText(publicKey) };
}

/** Reads the newsroom's signing key, or says how to make one. */
export async function readSigningKey(dataDir: string): Promise<SigningKey> {
  const file = signingKeyFile(dataDir);
  const pem = await readFile(file, 'utf8').catch(() => null);
  if (pem === null)
    throw new DomainError(
      'not_found',
      `there is no signing key at ${file}: run "npx masthead keys init" first`,
    );
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new DomainError('invalid_input', `${file} is not an Ed25519 private key`);
  return { privateKey, publicKey: publicKeyText(createPublicKey(privateKey)) };
}

/** "ed25519 <base64url>" for a public key. */
export function publicKeyText(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return `${PREFIX} ${jwk.x}`;
}

/** Reads "ed25519 <base64url>" (or the base64url alone) back into a key, or says what is wrong. */
export function parsePublicKey(text: string): KeyObject {
  const parts = text.trim().split(/\s+/);
  const encoded = parts.length === 2 && parts[0] === PREFIX ? parts[1] : parts[0];
  if (parts.length > 2 || !encoded || !/^[A-Za-z0-9_-]{43}$/.test(encoded))
    throw new DomainError(
      'invalid_input',
      `"${text.trim().slice(0, 80)}" is not a Masthead public key (expected "${PREFIX} " and 43 base64url characters)`,
    );
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: encoded }, format: 'jwk' });
}

/** The signature of `bytes`, as manifest.sig holds it (base64 and a newline). */
export function signBytes(bytes: Buffer, key: KeyObject): string {
  return `${sign(null, bytes, key).toString('base64')}\n`;
}

/** True when `signature` (manifest.sig's text) is `key`'s signature of `bytes`. */
export function checkSignature(bytes: Buffer, signature: string, key: KeyObject): boolean {
  const raw = Buffer.from(signature.trim(), 'base64');
  if (raw.length !== 64) return false;
  return verify(null, bytes, key, raw);
}

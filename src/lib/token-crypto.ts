import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Workspaces' bot tokens at rest: AES-256-GCM under a key from the environment
 * (TOKEN_ENCRYPTION_KEYS), the workspace's team id as additional data, so a sealed token copied
 * onto another team's row does not open. Stored as iv (12 bytes) | tag (16) | ciphertext, with
 * the id of the key that sealed it beside it.
 *
 * Several keys may be given: the first seals, every one opens. Rotating is putting a new key
 * first, re-sealing what the old one sealed (`npm run rotate-tokens`), then dropping the old.
 */
export interface TokenKeys {
  /** The key new tokens are sealed with (the first given). */
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** A key list that cannot be used. The message names the rule, never a key's bytes. */
export class TokenKeysInvalid extends Error {
  override name = 'TokenKeysInvalid';
}

/** A sealed token that will not open: its key is not configured any more, or the bytes were changed. */
export class TokenUnreadable extends Error {
  override name = 'TokenUnreadable';
  constructor(
    readonly reason: 'unknown_key' | 'tampered',
    readonly keyId: string,
  ) {
    super(reason === 'unknown_key' ? `the token was sealed with key "${keyId}", which TOKEN_ENCRYPTION_KEYS no longer lists` : `the sealed token does not open with key "${keyId}": it was changed, or belongs to another workspace`);
  }
}

/** `id:base64,id:base64`: each key 32 random bytes in base64; the first seals, all open. */
export function parseTokenKeys(text: string): TokenKeys {
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) throw new TokenKeysInvalid('expected id:base64-key entries, separated by commas');
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const b64 = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) throw new TokenKeysInvalid('each entry is id:base64-key, the id 1 to 32 letters, digits, dots, dashes or underscores');
    if (keys.has(id)) throw new TokenKeysInvalid(`key id "${id}" is listed twice`);
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES) throw new TokenKeysInvalid(`key "${id}" is not 32 bytes in base64 (make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")`);
    keys.set(id, key);
    current ??= id;
  }
  return { current: current!, keys };
}

/** Seals a token for one workspace with the current key. */
export function sealToken(k: TokenKeys, teamId: string, token: string): { keyId: string; sealed: Buffer } {
  const key = k.keys.get(k.current)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(teamId, 'utf8'));
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return { keyId: k.current, sealed: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

/** Opens a sealed token of `teamId`; throws TokenUnreadable when it cannot. */
export function openToken(k: TokenKeys, teamId: string, keyId: string, sealed: Buffer): string {
  const key = k.keys.get(keyId);
  if (!key) throw new TokenUnreadable('unknown_key', keyId);
  if (sealed.length <= IV_BYTES + TAG_BYTES) throw new TokenUnreadable('tampered', keyId);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(teamId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenUnreadable('tampered', keyId);
  }
}

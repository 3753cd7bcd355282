import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openToken, parseTokenKeys, sealToken, TokenKeysInvalid, TokenUnreadable } from '../../src/lib/token-crypto.js';

const key = () => randomBytes(32).toString('base64');
const TOKEN = 'xoxb-1111-2222-abcdefABCDEF';

describe('bot tokens sealed at rest', () => {
  const k1 = key();
  const keys = parseTokenKeys(`k1:${k1}`);

  it('opens what it sealed, and the sealed bytes do not contain the token', () => {
    const { keyId, sealed } = sealToken(keys, 'T1', TOKEN);
    expect(keyId).toBe('k1');
    expect(sealed.includes(Buffer.from(TOKEN))).toBe(false);
    expect(sealed.includes(Buffer.from('xoxb-'))).toBe(false);
    expect(openToken(keys, 'T1', keyId, sealed)).toBe(TOKEN);
    // A fresh IV each time: sealing twice gives different bytes.
    expect(sealToken(keys, 'T1', TOKEN).sealed.equals(sealed)).toBe(false);
  });

  it('refuses a key id it does not have', () => {
    const { sealed } = sealToken(keys, 'T1', TOKEN);
    const err = (() => {
      try {
        openToken(keys, 'T1', 'k0', sealed);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TokenUnreadable);
    expect((err as TokenUnreadable).reason).toBe('unknown_key');
  });

  it('refuses changed bytes, a truncated value, and a token sealed for another workspace', () => {
    const { keyId, sealed } = sealToken(keys, 'T1', TOKEN);
    for (const i of [0, 13, 30, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[i] = bad[i]! ^ 0x01;
      expect(() => openToken(keys, 'T1', keyId, bad), `byte ${i}`).toThrow(TokenUnreadable);
    }
    expect(() => openToken(keys, 'T1', keyId, sealed.subarray(0, 20))).toThrow(TokenUnreadable);
    expect(() => openToken(keys, 'T2', keyId, sealed)).toThrow(/belongs to another workspace/);
    // Same bytes under another key with the same id: does not open either.
    expect(() => openToken(parseTokenKeys(`k1:${key()}`), 'T1', keyId, sealed)).toThrow(TokenUnreadable);
  });

  it('rotates: with a new key first, new tokens are sealed with it and the old key still opens what it sealed', () => {
    const old = sealToken(keys, 'T1', TOKEN);
    const rotated = parseTokenKeys(`k2:${key()}, k1:${k1}`);
    expect(rotated.current).toBe('k2');
    expect(openToken(rotated, 'T1', old.keyId, old.sealed)).toBe(TOKEN);
    const fresh = sealToken(rotated, 'T1', TOKEN);
    expect(fresh.keyId).toBe('k2');
    // Once the old key is dropped, only what the new one sealed opens.
    const after = parseTokenKeys(`k2:${rotated.keys.get('k2')!.toString('base64')}`);
    expect(openToken(after, 'T1', fresh.keyId, fresh.sealed)).toBe(TOKEN);
    expect(() => openToken(after, 'T1', old.keyId, old.sealed)).toThrow(/no longer lists/);
  });

  it('refuses a key list it cannot use, without repeating the key', () => {
    const short = randomBytes(16).toString('base64');
    const cases: [string, RegExp][] = [
      ['', /id:base64-key entries/],
      [k1, /each entry is id:base64-key/],
      [`:${k1}`, /each entry is id:base64-key/],
      [`k1:${short}`, /key "k1" is not 32 bytes/],
      [`k1:not base64!`, /key "k1" is not 32 bytes/],
      [`k1:${k1},k1:${key()}`, /listed twice/],
      [`a key:${k1}`, /each entry is id:base64-key/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseTokenKeys(text), text).toThrow(TokenKeysInvalid);
      expect(() => parseTokenKeys(text), text).toThrow(message);
      try {
        parseTokenKeys(text);
      } catch (e) {
        expect((e as Error).message).not.toContain(k1);
        expect((e as Error).message).not.toContain(short);
      }
    }
  });
});

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt } from 'node:crypto';

/**
 * The pieces of two-factor sign-in that need no database: the TOTP secret sealed at rest, recovery codes and
 * their hashes, and what a typed code looks like. TOTP itself (RFC 6238: SHA-1, 6 digits, 30 s) is otplib's.
 */

export const TOTP_PERIOD_SECONDS = 30;
/** One step either side of now: a phone's clock a little off still signs in. */
export const TOTP_TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

const IV_BYTES = 12;
const TAG_BYTES = 16;
// Without 0/O and 1/I/L, so a code read off paper is typed right.
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** The key that seals TOTP secrets: derived from the data-at-rest key, never that key itself. */
export function totpKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'mentorportal:totp-secret', 32));
}

/** AES-256-GCM, stored as iv | tag | ciphertext. */
export function sealSecret(secret: string, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

export function openSecret(sealed: Buffer, key: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** Ten codes of 10 characters (about 49 bits each), shown as `XXXXX-XXXXX`. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A recovery code as typed (any case, with or without the dash and blanks) to its stored hash. */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(`recovery:${code.toUpperCase().replace(/[\s-]/g, '')}`).digest('hex');
}

export type TypedCode = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string } | null;

/** Six digits are a TOTP code; ten letters and digits (dash and blanks ignored) a recovery code; anything else neither. */
export function readCode(value: unknown): TypedCode {
  if (typeof value !== 'string') return null;
  const compact = value.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
  if (compact.length === 10 && [...compact.toUpperCase()].every((char) => RECOVERY_ALPHABET.includes(char))) return { kind: 'recovery', code: compact };
  return null;
}

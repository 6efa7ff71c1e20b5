import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { RuleError } from '../common/errors/rule-error';
import { GrantsErrorCode } from './grants.errors';

/**
 * CPR numbers (personnummer): format checks, masking, encryption at rest and a keyed lookup hash.
 * Pure functions; the key is the app's 32-byte `cprEncryptionKey`. A CPR number is never logged.
 * Since 2007 CPR numbers need not pass the modulus-11 check, so only the date part is checked.
 */

const CPR_PATTERN = /^(\d{2})(\d{2})(\d{2})-?(\d{4})$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The century of a CPR number's birth year from its 7th digit (CPR-kontoret's table). */
function birthYear(yy: number, seventh: number): number {
  if (seventh <= 3) return 1900 + yy;
  if (seventh === 4 || seventh === 9) return (yy <= 36 ? 2000 : 1900) + yy;
  return (yy <= 57 ? 2000 : 1800) + yy;
}

/** DDMMYY-SSSS or DDMMYYSSSS with a real birth date; no modulus-11 check. */
export function isValidCprFormat(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CPR_PATTERN.exec(value.trim());
  if (!match) return false;
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = birthYear(Number(match[3]), Number(match[4][0]));
  if (month < 1 || month > 12 || day < 1) return false;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= lastDay;
}

/** The ten digits without a hyphen; throws on an invalid number (without echoing it). */
export function normalizeCpr(value: string): string {
  // The number comes from a caseworker or the case system; the error never carries it.
  if (!isValidCprFormat(value)) throw new RuleError(GrantsErrorCode.CprFormat, 'not a valid CPR number', { field: 'cpr' });
  return value.trim().replace('-', '');
}

/** The birth date of a valid CPR number (the century from its 7th digit), for figures computed server-side only. */
export function birthDateOfCpr(value: string): string {
  const match = CPR_PATTERN.exec(normalizeCpr(value)) as RegExpExecArray;
  const year = birthYear(Number(match[3]), Number(match[4][0]));
  return `${String(year).padStart(4, '0')}-${match[2]}-${match[1]}`;
}

/** `0102031234` → `010203-XXXX`. */
export function maskCpr(value: string): string {
  return `${normalizeCpr(value).slice(0, 6)}-XXXX`;
}

function assertKey(key: Buffer): void {
  // The configuration is checked at boot (CPR_ENCRYPTION_KEY): another length here is a bug.
  if (key.length !== 32) throw new Error('the CPR encryption key must be 32 bytes');
}

/** AES-256-GCM with a random 12-byte IV; stored as iv | tag | ciphertext. */
export function encryptCpr(cpr: string, key: Buffer): Buffer {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(normalizeCpr(cpr), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** The normalized CPR number; throws when the data was tampered with or the key is wrong. */
export function decryptCpr(stored: Buffer, key: Buffer): string {
  assertKey(key);
  // The portal wrote every stored value: a short one is damaged data, like a failed tag check below.
  if (stored.length <= IV_BYTES + TAG_BYTES) throw new Error('the encrypted CPR number is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, IV_BYTES));
  decipher.setAuthTag(stored.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(stored.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The lookup key derived from the encryption key (HKDF-SHA256, info `cpr-lookup`), so the two are never the same. */
function lookupKey(key: Buffer): Buffer {
  assertKey(key);
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'cpr-lookup', 32));
}

/** HMAC-SHA256 of the normalized CPR number, hex: finds a citizen by CPR without decrypting every row. */
export function cprLookupHash(cpr: string, key: Buffer): string {
  return createHmac('sha256', lookupKey(key)).update(normalizeCpr(cpr)).digest('hex');
}

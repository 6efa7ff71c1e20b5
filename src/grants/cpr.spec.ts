import { randomBytes } from 'node:crypto';
import { cprLookupHash, decryptCpr, encryptCpr, isValidCprFormat, maskCpr, normalizeCpr } from './cpr';

const KEY = Buffer.alloc(32, 7);

describe('CPR numbers', () => {
  it.each(['0102031234', '010203-1234', '290200-4000', '311299-1234', ' 0102031234 '])('accepts %s', (cpr) => {
    expect(isValidCprFormat(cpr)).toBe(true);
  });

  it.each([
    ['0102031', 'too short'],
    ['01020312345', 'too long'],
    ['010203 1234', 'space instead of hyphen'],
    ['3202031234', 'day 32'],
    ['0013031234', 'month 0'],
    ['0113031234', 'month 13'],
    ['0001031234', 'day 0'],
    ['3104031234', '31 April'],
    ['2902011234', '29 February 1901 (not a leap year)'],
    ['2902000123', '29 February 1900 (7th digit 0: born 1900, not a leap year)'],
    ['abcdefghij', 'letters'],
  ])('refuses %s (%s)', (cpr, why) => {
    expect({ cpr, why, valid: isValidCprFormat(cpr) }).toEqual({ cpr, why, valid: false });
  });

  it('refuses non-strings', () => {
    expect(isValidCprFormat(102031234)).toBe(false);
    expect(isValidCprFormat(null)).toBe(false);
  });

  it('does not apply the modulus-11 check (numbers issued since 2007 may fail it)', () => {
    expect(isValidCprFormat('0102031235')).toBe(true);
  });

  it('normalizes and masks', () => {
    expect(normalizeCpr('010203-1234')).toBe('0102031234');
    expect(maskCpr('0102031234')).toBe('010203-XXXX');
    expect(maskCpr('010203-1234')).toBe('010203-XXXX');
    expect(() => normalizeCpr('3202031234')).toThrow('not a valid CPR number');
    // A rule error the caller can be told about, without the number in it.
    expect(() => normalizeCpr('3202031234')).toThrow(expect.objectContaining({ code: 'cpr_format', values: {} }));
  });

  it('encrypts with a random IV and decrypts back to the normalized number', () => {
    const a = encryptCpr('010203-1234', KEY);
    const b = encryptCpr('0102031234', KEY);
    expect(a.equals(b)).toBe(false);
    expect(a.length).toBe(12 + 16 + 10);
    expect(a.toString('latin1')).not.toContain('0102031234');
    expect(decryptCpr(a, KEY)).toBe('0102031234');
    expect(decryptCpr(b, KEY)).toBe('0102031234');
  });

  it('refuses a tampered ciphertext or a wrong key', () => {
    const stored = encryptCpr('0102031234', KEY);
    const tampered = Buffer.from(stored);
    tampered[tampered.length - 1] ^= 1;
    expect(() => decryptCpr(tampered, KEY)).toThrow();
    expect(() => decryptCpr(stored, randomBytes(32))).toThrow();
    expect(() => encryptCpr('0102031234', Buffer.alloc(16))).toThrow('32 bytes');
  });

  it('hashes for lookup: stable, keyed, the same for both spellings, and not a plain HMAC with the encryption key', () => {
    const hash = cprLookupHash('0102031234', KEY);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(cprLookupHash('010203-1234', KEY)).toBe(hash);
    expect(cprLookupHash('0102031234', Buffer.alloc(32, 8))).not.toBe(hash);
    expect(cprLookupHash('0102031235', KEY)).not.toBe(hash);
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    expect(createHmac('sha256', KEY).update('0102031234').digest('hex')).not.toBe(hash);
  });
});

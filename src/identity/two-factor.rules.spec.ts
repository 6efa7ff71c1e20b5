import { randomBytes } from 'node:crypto';
import { newRecoveryCodes, openSecret, readCode, recoveryCodeHash, sealSecret, totpKey } from './two-factor.rules';

describe('two-factor pieces', () => {
  it('seals a TOTP secret so that only the derived key opens it, and a changed byte is noticed', () => {
    const key = totpKey(randomBytes(32));
    const sealed = sealSecret('JBSWY3DPEHPK3PXP', key);
    expect(openSecret(sealed, key)).toBe('JBSWY3DPEHPK3PXP');
    expect(sealed.toString('utf8')).not.toContain('JBSWY3DPEHPK3PXP');
    expect(() => openSecret(sealed, totpKey(randomBytes(32)))).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => openSecret(tampered, key)).toThrow();
  });

  it('derives a key other than the data key it comes from', () => {
    const dataKey = randomBytes(32);
    expect(totpKey(dataKey).equals(dataKey)).toBe(false);
    expect(totpKey(dataKey).equals(totpKey(dataKey))).toBe(true);
  });

  it('makes ten distinct recovery codes that hash the same however they are typed', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
    expect(recoveryCodeHash('abcde-fghjk')).toBe(recoveryCodeHash('ABCDE FGHJK'));
    expect(recoveryCodeHash('ABCDEFGHJK')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells a TOTP code from a recovery code and refuses anything else', () => {
    expect(readCode(' 123 456 ')).toEqual({ kind: 'totp', code: '123456' });
    expect(readCode('abcde-fghjk')).toEqual({ kind: 'recovery', code: 'abcdefghjk' });
    expect(readCode('12345')).toBeNull();
    expect(readCode('ABCDE-FGHJ1')).toBeNull();
    expect(readCode(123456)).toBeNull();
  });
});

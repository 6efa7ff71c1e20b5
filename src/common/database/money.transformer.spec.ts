import { RuleError } from '../errors/rule-error';
import { moneyTransformer, readOre } from './money.transformer';

describe('moneyTransformer', () => {
  it('writes øre as decimal strings', () => {
    expect(moneyTransformer.to(25_000)).toBe('25000');
    expect(moneyTransformer.to(-1)).toBe('-1');
    expect(moneyTransformer.to(0)).toBe('0');
    expect(moneyTransformer.to(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(moneyTransformer.to(null)).toBeNull();
    expect(moneyTransformer.to(undefined)).toBeUndefined();
  });

  it.each([0.5, 12.34, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('refuses to write %p, a bug where it is reached', (value) => {
    expect(() => moneyTransformer.to(value)).toThrow('Amount in øre must be a safe integer');
    expect(() => moneyTransformer.to(value)).not.toThrow(RuleError);
  });

  it('reads bigint strings as numbers', () => {
    expect(moneyTransformer.from('25000')).toBe(25_000);
    expect(moneyTransformer.from('-125')).toBe(-125);
    expect(moneyTransformer.from(null)).toBeNull();
  });

  it('refuses a sum beyond the safe range as a rule error: users entered the amounts', () => {
    expect(() => moneyTransformer.from('9007199254740992')).toThrow(RuleError);
    expect(() => moneyTransformer.from('9007199254740992')).toThrow(expect.objectContaining({ code: 'beyond_safe_range', values: { value: '9007199254740992' } }));
  });

  it.each(['12.5', '1e3', ''])('refuses to read %p, which no bigint column holds', (value) => {
    expect(() => moneyTransformer.from(value)).toThrow('is not an integer');
    expect(() => moneyTransformer.from(value)).not.toThrow(RuleError);
  });
});

describe('readOre', () => {
  it('reads øre from a raw row as a bigint text or a number, and refuses what is not a safe integer', () => {
    expect([readOre('-12345'), readOre(0), readOre('9007199254740991')]).toEqual([-12345, 0, 9007199254740991]);
    expect(() => readOre('9007199254740992')).toThrow(RuleError);
    expect(() => readOre('12.5')).toThrow('is not an integer');
  });
});

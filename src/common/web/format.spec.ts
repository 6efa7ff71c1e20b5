import { formatHundredths, formatKroner, parseHundredths, parseKroner } from './format';

describe('formatKroner', () => {
  it.each([
    [0, '0,00 kr.'],
    [5, '0,05 kr.'],
    [25000, '250,00 kr.'],
    [123450, '1.234,50 kr.'],
    [100000000, '1.000.000,00 kr.'],
    [-123450, '-1.234,50 kr.'],
  ])('%d øre → %s', (ore, text) => {
    expect(formatKroner(ore)).toBe(text);
  });
  it('refuses anything but whole øre', () => {
    expect(() => formatKroner(1.5)).toThrow(RangeError);
  });
});

describe('parseKroner', () => {
  it.each([
    ['250', 25000],
    ['250,00', 25000],
    ['250,5', 25050],
    [' 1.234,50 ', 123450],
    ['1234,50', 123450],
    ['1.000.000', 100000000],
    ['0,01', 1],
  ])('%s → %d øre', (text, ore) => {
    expect(parseKroner(text)).toBe(ore);
  });
  it.each(['', 'abc', '250.00', '250,001', '-5', '1,2,3', '12.34,00', '1e3'])('refuses %s', (text) => {
    expect(parseKroner(text)).toBeNull();
  });
});

describe('parseHundredths and formatHundredths', () => {
  it('parses with at most two decimals', () => {
    expect(parseHundredths('25')).toBe(2500);
    expect(parseHundredths('2,5')).toBe(250);
    expect(parseHundredths('2,75')).toBe(275);
    expect(parseHundredths('2.5')).toBeNull();
  });
  it('formats without trailing zeros', () => {
    expect(formatHundredths(2500)).toBe('25');
    expect(formatHundredths(250)).toBe('2,5');
    expect(formatHundredths(275)).toBe('2,75');
  });
});

describe('formatKroner in Danish and English', () => {
  it('formats Danish and English kroner with integer arithmetic', () => {
    expect(formatKroner(123_456, 'da')).toBe('1.234,56 kr.');
    expect(formatKroner(123_456, 'en')).toBe('DKK 1,234.56');
    expect(formatKroner(5, 'da')).toBe('0,05 kr.');
    expect(formatKroner(-2_500_000, 'en')).toBe('-DKK 25,000.00');
    expect(formatKroner(100_000_000, 'da')).toBe('1.000.000,00 kr.');
  });
});

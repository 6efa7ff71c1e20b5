import { formatHundredths, formatKroner, formatMinutes, parseHundredths, parseKroner } from './format';

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
    expect(() => formatKroner(1.5)).toThrow('formatKroner needs a whole number of øre');
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

describe('formatKroner styles', () => {
  it.each([
    [125_000_000, 'da', '1.250.000 kr.'],
    [125_000_000, 'en', 'DKK 1,250,000'],
    [149, 'da', '1 kr.'],
    [150, 'da', '2 kr.'],
    [-150, 'en', '-DKK 2'],
    [-40, 'da', '0 kr.'],
    [0, 'en', 'DKK 0'],
  ] as const)('whole: %d øre (%s) → %s', (ore, language, text) => {
    expect(formatKroner(ore, language, 'whole')).toBe(text);
  });
  it.each([
    [65_000_000, '650000'],
    [65_000_050, '650000,50'],
    [5, '0,05'],
    [-125_005, '-1250,05'],
    [0, '0'],
  ])('field: %d øre → %s, the same in both languages', (ore, text) => {
    expect(formatKroner(ore, 'da', 'field')).toBe(text);
    expect(formatKroner(ore, 'en', 'field')).toBe(text);
  });
  it('refuses a fraction of an øre in every style', () => {
    expect(() => formatKroner(1.5, 'da', 'whole')).toThrow('formatKroner needs a whole number of øre');
    expect(() => formatKroner(1.5, 'da', 'field')).toThrow('formatKroner needs a whole number of øre');
  });
});

describe('formatMinutes', () => {
  it.each([
    [90, 'da', '1,5'],
    [20, 'da', '0,33'],
    [50, 'en', '0.83'],
    [60, 'da', '1'],
    [1, 'da', '0,02'],
    [75, 'en', '1.25'],
    [60_030, 'da', '1.000,5'],
    [60_030, 'en', '1,000.5'],
    [-90, 'da', '-1,5'],
    [0, 'da', '0'],
  ] as const)('hours: %d min (%s) → %s', (minutes, language, text) => {
    expect(formatMinutes(minutes, { as: 'hours', language })).toBe(text);
  });
  it('hours without grouping, for form fields', () => {
    expect(formatMinutes(60_030, { as: 'hours', language: 'da', grouping: false })).toBe('1000,5');
    expect(formatMinutes(450, { as: 'hours', language: 'da', grouping: false })).toBe('7,5');
  });
  it.each([
    [90, '1:30'],
    [7, '0:07'],
    [-15, '-0:15'],
    [6_000, '100:00'],
  ])('clock: %d min → %s', (minutes, text) => {
    expect(formatMinutes(minutes, { as: 'clock' })).toBe(text);
  });
  it('count groups the minutes the language\'s way', () => {
    expect(formatMinutes(12_345, { as: 'count', language: 'da' })).toBe('12.345');
    expect(formatMinutes(12_345, { as: 'count', language: 'en' })).toBe('12,345');
    expect(formatMinutes(-1_000, { as: 'count', language: 'da' })).toBe('-1.000');
    expect(formatMinutes(999, { as: 'count', language: 'en' })).toBe('999');
  });
  it.each([
    [150, '2 timer 30 minutter'],
    [60, '1 time'],
    [61, '1 time 1 minut'],
    [45, '45 minutter'],
    [0, ''],
  ])('words: %d min → %s', (minutes, text) => {
    expect(formatMinutes(minutes, { as: 'words' })).toBe(text);
  });
  it('phrase picks the catalogue key by what the duration has', () => {
    const t = (key: string, params?: Record<string, unknown>) => `${key}${JSON.stringify(params)}`;
    const keys = { hours: 'h', minutesOnly: 'm', hoursAndMinutes: 'hm' };
    expect(formatMinutes(120, { as: 'phrase', t, keys })).toBe('h{"h":2}');
    expect(formatMinutes(0, { as: 'phrase', t, keys })).toBe('h{"h":0}');
    expect(formatMinutes(45, { as: 'phrase', t, keys })).toBe('m{"m":45}');
    expect(formatMinutes(150, { as: 'phrase', t, keys })).toBe('hm{"h":2,"m":30}');
  });
});

import { formatDecimal, formatHours, formatPercent, formatTimestamp, formatWholeKroner, financeErrorText, type Translate } from './finance-view';

const catalogue: Record<string, string> = {
  'finance.field.month': 'Måned',
};
const t: Translate = (key, params = {}) => (catalogue[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));

describe('finance page formatting', () => {
  it('shows minutes as hours and minutes, as the statements print them', () => {
    expect(formatHours(90, 'da')).toBe('1:30');
    expect(formatHours(90, 'en')).toBe('1:30');
    expect(formatHours(645, 'da')).toBe('10:45');
    expect(formatHours(1, 'da')).toBe('0:01');
    expect(formatHours(120, 'da')).toBe('2:00');
    expect(formatHours(0, 'da')).toBe('0:00');
    expect(formatHours(-45, 'da')).toBe('-0:45');
  });

  it('shows the reports’ ratios with the language’s decimal mark', () => {
    expect(formatDecimal(1.5, 2, 'da')).toBe('1,50');
    expect(formatDecimal(1.5, 2, 'en')).toBe('1.50');
    expect(formatPercent(87.5, 'da')).toBe('87,5 %');
    expect(formatPercent(100, 'en')).toBe('100.0 %');
    expect(formatPercent(null, 'da')).toBe('–');
  });

  it('shows whole kroner for chart axes', () => {
    expect(formatWholeKroner(125_000_000, 'da')).toBe('1.250.000 kr.');
    expect(formatWholeKroner(125_000_000, 'en')).toBe('DKK 1,250,000');
    expect(formatWholeKroner(149, 'da')).toBe('1 kr.');
    expect(formatWholeKroner(150, 'da')).toBe('2 kr.');
    expect(formatWholeKroner(0, 'da')).toBe('0 kr.');
    expect(formatWholeKroner(-250, 'da')).toBe('-3 kr.');
  });

  it('shows instants in Copenhagen time, summer and winter', () => {
    expect(formatTimestamp('2026-07-01T10:05:00.000Z')).toBe('2026-07-01 12:05');
    expect(formatTimestamp('2026-11-30T23:30:00.000Z')).toBe('2026-12-01 00:30');
    expect(formatTimestamp(null)).toBe('–');
  });
});

describe('the finance pages’ errors', () => {
  it('put the heading of what was tried over the texts, and each field by its label', () => {
    const text = financeErrorText('billing', t);
    expect(text.heading).toBe('finance.error.billing');
    expect(text.fieldLabel?.('month')).toBe('Måned');
    expect(text.fieldLabel?.('kind')).toBeUndefined();
  });
});

import type { ErrorBody } from '../errors/http-exception.filter';
import { formatDecimal, formatHours, formatPercent, formatTimestamp, formatWholeKroner, localizeFinanceError, type Translate } from './finance-view';

const catalogue: Record<string, string> = {
  'finance.error.billing': 'Månedsafregningen kunne ikke startes.',
  'finance.field.month': 'Måned',
  'finance.rule.not_in_future': 'ligger i fremtiden (i dag er {today}).',
  'finance.rule.draft_only': 'anmodningen har status »{status}«; kun en kladde kan indsendes.',
  'finance.claim_status.submitted': 'Indsendt',
  'finance.claim_status.draft': 'Kladde',
  'finance.rule.refund_claim_transition': 'refusionsanmodningen er »{from}« og kan ikke blive »{to}«.',
};
const t: Translate = (key, params = {}) => (catalogue[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));

describe('finance page formatting', () => {
  it('shows minutes as hours with up to two decimals, rounded half up', () => {
    expect(formatHours(90, 'da')).toBe('1,5');
    expect(formatHours(90, 'en')).toBe('1.5');
    expect(formatHours(20, 'da')).toBe('0,33');
    expect(formatHours(40, 'da')).toBe('0,67');
    expect(formatHours(1, 'da')).toBe('0,02');
    expect(formatHours(120, 'da')).toBe('2');
    expect(formatHours(0, 'da')).toBe('0');
    expect(formatHours(-45, 'da')).toBe('-0,75');
    expect(formatHours(6_000_000, 'da')).toBe('100.000');
    expect(formatHours(6_000_000, 'en')).toBe('100,000');
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

describe('localized errors', () => {
  it('names the field, fills the rule’s numbers and keeps the service’s message where the catalogue has none', () => {
    const body: ErrorBody = {
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The month cannot be billed',
      details: [
        { field: 'month', rule: 'not_in_future', message: '2027-01 has not begun', values: { month: '2027-01', today: '2026-11-25' } },
        { field: 'kind', rule: 'something_new', message: 'kind is odd' },
      ],
    };
    expect(localizeFinanceError(body, 'billing', t, 'da')).toEqual({
      ...body,
      message: 'Månedsafregningen kunne ikke startes.',
      details: [
        { field: 'Måned', rule: 'not_in_future', message: 'ligger i fremtiden (i dag er 2026-11-25).', values: body.details[0].values },
        { field: 'kind', rule: 'something_new', message: 'kind is odd' },
      ],
    });
  });

  it('shows a status by its name, and falls back when the rule’s numbers are missing', () => {
    const body: ErrorBody = { statusCode: 409, error: 'Conflict', message: 'x', details: [{ field: 'status', rule: 'draft_only', message: 'the claim is submitted', values: { status: 'submitted' } }, { rule: 'draft_only', message: 'no longer a draft' }] };
    const localized = localizeFinanceError(body, 'submit', t, 'da');
    expect(localized.details.map((d) => d.message)).toEqual(['anmodningen har status »Indsendt«; kun en kladde kan indsendes.', 'no longer a draft']);
  });

  it('names both states of a refund claim’s refused transition by their names', () => {
    const body: ErrorBody = { statusCode: 409, error: 'Conflict', message: 'x', details: [{ field: 'status', rule: 'refund_claim_transition', message: 'a refund claim that is submitted cannot become draft', values: { from: 'submitted', to: 'draft' } }] };
    expect(localizeFinanceError(body, 'submit', t, 'da').details.map((d) => d.message)).toEqual(['refusionsanmodningen er »Indsendt« og kan ikke blive »Kladde«.']);
  });
});

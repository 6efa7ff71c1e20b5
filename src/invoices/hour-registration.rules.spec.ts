import { monthAsReceivedInvoice, registrationDateProblems } from './hour-registration.rules';

describe('registrationDateProblems', () => {
  const context = { today: '2026-11-25', grantStart: '2026-09-01' };

  it('takes any day from the grant’s start to today', () => {
    for (const date of ['2026-09-01', '2026-10-15', '2026-11-25']) expect(registrationDateProblems(date, context)).toEqual([]);
  });

  it('refuses a day after today', () => {
    expect(registrationDateProblems('2026-11-26', context)).toEqual([
      { field: 'date', rule: 'not_in_future', message: 'the session on 2026-11-26 lies after today (2026-11-25)', values: { date: '2026-11-26', today: '2026-11-25' } },
    ]);
    expect(registrationDateProblems('2030-01-07', context)).toMatchObject([{ rule: 'not_in_future' }]);
  });

  it('refuses a day before the grant starts', () => {
    expect(registrationDateProblems('2026-08-31', context)).toEqual([
      { field: 'date', rule: 'before_grant', message: 'the session on 2026-08-31 lies before the grant starts (2026-09-01)', values: { date: '2026-08-31', start: '2026-09-01' } },
    ]);
    expect(registrationDateProblems('1999-12-31', context)).toMatchObject([{ rule: 'before_grant' }]);
  });

  it('names the future first when a grant starts after today', () => {
    expect(registrationDateProblems('2026-12-01', { today: '2026-11-25', grantStart: '2027-01-01' })).toMatchObject([{ rule: 'not_in_future' }]);
  });
});

describe('monthAsReceivedInvoice', () => {
  it('makes a month of registered sessions the received invoice SB-<month> for the whole month, its totals its lines’', () => {
    const session = { lineNo: 2, grantReference: 'MS-2026-000123', date: '2026-10-06', minutes: 30, rateOre: 25_000, amountOre: 12_500, contactForm: 'in_person' as const, transport: null, description: null };
    expect(monthAsReceivedInvoice('2026-10', '2026-11-02', [session])).toEqual({
      source: 'registration',
      documentType: 'invoice',
      invoiceNumber: 'SB-2026-10',
      issueDate: '2026-11-02',
      currency: 'DKK',
      seller: { cvr: null, gln: null, name: null },
      period: { from: '2026-10-01', to: '2026-10-31' },
      lines: [session],
      totals: null,
      billingReferences: [],
    });
  });
});

import { checkOpenForChange, checkTermination, commitmentPeriodOf, commitmentUse, expiryMark, grantStartRefusals, lastDayOf, agreementTransitionProblem, type AgreementTermFacts } from './agreement-term.rules';
import { agreementKpis, contactWeeks } from './agreement-kpi.rules';
import { checkDocumentBytes } from './contract-document.rules';

const agreement = (overrides: Partial<AgreementTermFacts> = {}): AgreementTermFacts => ({ reference: 'RA-2026-01', status: 'in_force', validFrom: '2026-01-01', validTo: '2027-02-28', terminatedOn: null, ...overrides });

describe('agreement term rules', () => {
  it('takes changes until the last day, none after it or once terminated', () => {
    expect(checkOpenForChange(agreement(), '2027-02-28')).toEqual([]);
    expect(checkOpenForChange(agreement(), '2027-03-01')).toEqual([expect.objectContaining({ field: 'validTo', rule: 'agreement_ended', values: { reference: 'RA-2026-01', validTo: '2027-02-28' } })]);
    expect(checkOpenForChange(agreement({ status: 'terminated', terminatedOn: '2026-06-30' }), '2026-03-01')).toEqual([
      expect.objectContaining({ field: 'status', rule: 'agreement_terminated', values: { reference: 'RA-2026-01', terminatedOn: '2026-06-30' } }),
    ]);
  });

  it('terminates from a day inside the period: the first day and the last day are allowed', () => {
    expect(checkTermination(agreement(), '2025-12-31')).toEqual([expect.objectContaining({ field: 'terminatedOn', rule: 'termination_before_start', values: { terminatedOn: '2025-12-31', validFrom: '2026-01-01' } })]);
    expect(checkTermination(agreement(), '2026-01-01')).toEqual([]);
    expect(checkTermination(agreement(), '2027-02-28')).toEqual([]);
    expect(checkTermination(agreement(), '2027-03-01')).toEqual([expect.objectContaining({ rule: 'termination_after_end' })]);
    expect(lastDayOf(agreement({ terminatedOn: '2026-06-30' }))).toBe('2026-06-30');
    expect(lastDayOf(agreement())).toBe('2027-02-28');
  });

  it('moves an agreement in force to terminated by procurement or admin, once', () => {
    expect(agreementTransitionProblem('in_force', 'terminated', 'procurement')).toBeNull();
    expect(agreementTransitionProblem('in_force', 'terminated', 'admin')).toBeNull();
    expect(agreementTransitionProblem('in_force', 'terminated', 'caseworker')).toEqual(expect.objectContaining({ rule: 'agreement_transition_role' }));
    expect(agreementTransitionProblem('terminated', 'terminated', 'procurement')).toEqual(expect.objectContaining({ rule: 'agreement_transition', values: { from: 'terminated', to: 'terminated' } }));
  });

  it('lets a grant start on the termination day, not the day after, and none under a deactivated supplier', () => {
    const terminated = agreement({ status: 'terminated', terminatedOn: '2026-06-30' });
    const active = { name: 'Mentorhuset ApS', active: true };
    expect(grantStartRefusals(terminated, active, '2026-06-30')).toEqual([]);
    expect(grantStartRefusals(terminated, active, '2026-07-01')).toEqual([expect.objectContaining({ field: 'start', rule: 'agreement_terminated', values: { reference: 'RA-2026-01', terminatedOn: '2026-06-30', start: '2026-07-01' } })]);
    expect(grantStartRefusals(agreement(), { ...active, active: false }, '2026-03-01')).toEqual([expect.objectContaining({ field: 'agreementId', rule: 'supplier_deactivated' })]);
  });

  it.each([
    ['2026-11-29', null],
    ['2026-11-30', { mark: 90, daysLeft: 90 }],
    ['2026-12-29', { mark: 90, daysLeft: 61 }],
    ['2026-12-30', { mark: 60, daysLeft: 60 }],
    ['2027-01-29', { mark: 30, daysLeft: 30 }],
    ['2027-02-28', { mark: 30, daysLeft: 0 }],
    ['2027-03-01', null],
  ] as Array<[string, { mark: number; daysLeft: number } | null]>)('on %s an agreement ending 2027-02-28 has reached %j', (today, expected) => {
    expect(expiryMark(agreement(), today)).toEqual(expected);
  });

  it('warns nothing of a terminated agreement', () => {
    expect(expiryMark(agreement({ status: 'terminated', terminatedOn: '2027-01-31' }), '2027-01-29')).toBeNull();
  });

  it('finds the commitment period of a day: month, quarter (leap February included) and year', () => {
    expect(commitmentPeriodOf('2028-02-15', 'month')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(commitmentPeriodOf('2026-11-20', 'quarter')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(commitmentPeriodOf('2026-03-31', 'quarter')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(commitmentPeriodOf('2026-07-01', 'quarter')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(commitmentPeriodOf('2026-07-01', 'year')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('gives a commitment’s use in minutes and whole percent rounded down', () => {
    expect(commitmentUse(24_000, 135)).toEqual({ usedMinutes: 135, leftMinutes: 23_865, percent: 0 });
    expect(commitmentUse(600, 599)).toEqual({ usedMinutes: 599, leftMinutes: 1, percent: 99 });
    expect(commitmentUse(600, 660)).toEqual({ usedMinutes: 660, leftMinutes: 0, percent: 110 });
  });

  it('accepts a contract document only as a PDF of at most the limit', () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    expect(checkDocumentBytes(pdf, 100)).toEqual([]);
    expect(checkDocumentBytes(Buffer.alloc(0), 100)).toEqual([expect.objectContaining({ rule: 'document_missing' })]);
    expect(checkDocumentBytes(Buffer.concat([pdf, Buffer.alloc(100 - pdf.length + 1)]), 100)).toEqual([expect.objectContaining({ rule: 'document_too_large', values: { maxBytes: 100 } })]);
    expect(checkDocumentBytes(Buffer.concat([pdf, Buffer.alloc(100 - pdf.length)]), 100)).toEqual([]);
    expect(checkDocumentBytes(Buffer.from('PK\u0003\u0004 not a pdf %%EOF'), 100)).toEqual([expect.objectContaining({ rule: 'document_not_pdf' })]);
    expect(checkDocumentBytes(Buffer.from('%PDF-1.7\ncut off'), 100)).toEqual([expect.objectContaining({ rule: 'document_not_pdf' })]);
  });
});

describe('agreement KPIs', () => {
  const weeks = (from: string, to: string, contact: string[]) => ({ from, to, minutesByMonday: new Map(contact.map((monday) => [monday, 45])) });

  it('counts the whole weeks before this week, from the grant’s first week to its last day', () => {
    // Friday 2026-11-20: the last counted week is the one of Monday 2026-11-09.
    expect(contactWeeks(weeks('2026-09-01', '2027-02-28', ['2026-09-28']), '2026-11-20')).toEqual({ weeks: 11, withContact: 1 });
    expect(contactWeeks(weeks('2026-09-01', '2026-09-13', ['2026-09-07', '2026-09-14']), '2026-11-20')).toEqual({ weeks: 2, withContact: 1 });
    expect(contactWeeks(weeks('2026-11-16', '2027-02-28', []), '2026-11-20')).toEqual({ weeks: 0, withContact: 0 });
  });

  it('gives shares in whole percent rounded down, null when nothing counts', () => {
    expect(agreementKpis([weeks('2026-09-01', '2027-02-28', ['2026-09-28', '2026-10-05'])], { submitted: 3, late: 1, overdue: 1 }, '2026-11-20')).toEqual({
      contactWeeks: 11,
      weeksWithContact: 2,
      contactPercent: 18,
      reportsDue: 4,
      reportsOnTime: 2,
      reportsOnTimePercent: 50,
    });
    expect(agreementKpis([], { submitted: 0, late: 0, overdue: 0 }, '2026-11-20')).toEqual({ contactWeeks: 0, weeksWithContact: 0, contactPercent: null, reportsDue: 0, reportsOnTime: 0, reportsOnTimePercent: null });
  });
});

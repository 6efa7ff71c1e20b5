import type { MentorType } from '../rules/rule-set';
import type { Rate } from '../suppliers/rate-card.rules';
import { budgetReport, grantCommitment, type BudgetDelivery, type BudgetInput, type CommitmentGrant } from './budget.rules';
import type { ReportSupplier } from './report-supplier';

const TODAY = '2026-11-25';

// Retention at 450 kr./hour until further notice; holistic at 400 kr./hour, regulated to 420 kr./hour from 16 December.
const RATES: Rate[] = [
  { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', validTo: null, rateOre: 45_000 },
  { mentorType: 'holistic', serviceLevel: 1, validFrom: '2026-01-01', validTo: '2026-12-15', rateOre: 40_000 },
  { mentorType: 'holistic', serviceLevel: 1, validFrom: '2026-12-16', validTo: null, rateOre: 42_000 },
];

function grant(patch: Partial<CommitmentGrant> = {}): CommitmentGrant {
  return {
    grantId: 'g-1',
    reference: 'MS-2026-000001',
    supplierId: 'sup-a',
    mentorType: 'retention',
    serviceLevel: 1,
    minutesPerWeek: 60,
    start: '2026-09-01',
    end: '2027-02-28',
    rates: RATES,
    ...patch,
  };
}

const SUPPLIERS: ReportSupplier[] = [
  { id: 'sup-a', name: 'Mentorhuset ApS', kind: 'mentor_supplier' },
  { id: 'sup-b', name: 'Byggefirma A/S', kind: 'partner_company' },
  { id: 'sup-c', name: 'Ørestad Mentor', kind: 'mentor_supplier' },
];

const spent = (date: string, approvedOre: number, mentorType: MentorType, supplierId: string): BudgetDelivery => ({ date, approvedOre, mentorType, supplierId });

describe('grantCommitment: the remaining granted minutes of an active grant, priced', () => {
  it('counts from today to year end, month by month: whole minutes first, then øre', () => {
    const commitment = grantCommitment(grant(), 2026, TODAY);
    expect(commitment.pieces).toEqual([
      // 25–30 November: 60 × 6 / 7 = 51.43 → 51 minutes; 51 × 450 kr. / 60 = 382.50 kr.
      { month: '2026-11', from: '2026-11-25', to: '2026-11-30', days: 6, minutes: 51, rateOre: 45_000, ore: 38_250 },
      // December: 60 × 31 / 7 = 265.71 → 266 minutes = 1,995.00 kr.
      { month: '2026-12', from: '2026-12-01', to: '2026-12-31', days: 31, minutes: 266, rateOre: 45_000, ore: 199_500 },
    ]);
    expect(commitment.unpricedDays).toBe(0);
  });

  it('starts at the grant’s start when it lies ahead, and splits a month at a price regulation', () => {
    const commitment = grantCommitment(grant({ mentorType: 'holistic', minutesPerWeek: 90, start: '2026-12-01', end: '2027-05-31' }), 2026, TODAY);
    expect(commitment.pieces).toEqual([
      // 90 × 15 / 7 = 192.86 → 193 minutes × 400 kr. / 60 = 1,286.666… → 1,286.67 kr.
      { month: '2026-12', from: '2026-12-01', to: '2026-12-15', days: 15, minutes: 193, rateOre: 40_000, ore: 128_667 },
      // 90 × 16 / 7 = 205.71 → 206 minutes × 420 kr. / 60 = 1,442.00 kr.
      { month: '2026-12', from: '2026-12-16', to: '2026-12-31', days: 16, minutes: 206, rateOre: 42_000, ore: 144_200 },
    ]);
  });

  it('counts a later year from 1 January, February of 28 days included', () => {
    expect(grantCommitment(grant(), 2027, TODAY).pieces.map((p) => [p.month, p.days, p.minutes, p.ore])).toEqual([
      ['2027-01', 31, 266, 199_500],
      ['2027-02', 28, 240, 180_000],
    ]);
  });

  it('commits nothing for a grant that ended before today or a year already past', () => {
    expect(grantCommitment(grant({ end: '2026-10-31' }), 2026, TODAY).pieces).toEqual([]);
    expect(grantCommitment(grant({ start: '2025-09-01', end: '2026-02-28' }), 2025, TODAY).pieces).toEqual([]);
  });

  it('counts today as a remaining day', () => {
    expect(grantCommitment(grant({ end: TODAY }), 2026, TODAY).pieces).toEqual([{ month: '2026-11', from: TODAY, to: TODAY, days: 1, minutes: 9, rateOre: 45_000, ore: 6_750 }]);
  });

  it('leaves days without a rate in force at 0 øre and counts them as unpriced', () => {
    const gap: Rate[] = [
      { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-01-01', validTo: '2026-12-10', rateOre: 45_000 },
      { mentorType: 'retention', serviceLevel: 1, validFrom: '2026-12-20', validTo: null, rateOre: 46_000 },
    ];
    const commitment = grantCommitment(grant({ start: '2026-12-01', rates: gap }), 2026, TODAY);
    expect(commitment.pieces.map((p) => [p.from, p.to, p.minutes, p.rateOre, p.ore])).toEqual([
      ['2026-12-01', '2026-12-10', 86, 45_000, 64_500], // 60 × 10 / 7 = 85.71 → 86
      ['2026-12-11', '2026-12-19', 77, null, 0], // 60 × 9 / 7 = 77.14 → 77
      ['2026-12-20', '2026-12-31', 103, 46_000, 78_967], // 60 × 12 / 7 = 102.86 → 103; 103 × 460 / 60 = 789.666… → 789.67 kr.
    ]);
    expect(commitment.unpricedDays).toBe(9);
    // A mentor type the card does not price at all.
    expect(grantCommitment(grant({ mentorType: 'discharge', start: '2026-12-20', end: '2026-12-31' }), 2026, TODAY)).toMatchObject({ unpricedDays: 12, pieces: [{ minutes: 103, rateOre: null, ore: 0 }] });
  });
});

describe('budgetReport: spent, committed and forecast month by month', () => {
  const input: BudgetInput = {
    year: 2026,
    today: TODAY,
    budget: { budgetOre: 1_000_000, frameOre: 300_000 },
    deliveries: [
      spent('2026-03-02', 90_000, 'retention', 'sup-c'),
      spent('2026-06-10', 67_500, 'retention', 'sup-c'),
      spent('2026-10-05', 45_000, 'retention', 'sup-a'),
      spent('2026-10-12', 45_000, 'retention', 'sup-a'),
      // A credit of the session of 12 October, at that session's date.
      spent('2026-10-12', -45_000, 'retention', 'sup-a'),
      spent('2026-10-05', 45_000, 'retention', 'sup-a'),
      spent('2026-10-19', 45_000, 'retention', 'sup-a'),
      spent('2026-10-07', 40_000, 'holistic', 'sup-a'),
      spent('2026-10-06', 25_000, 'company', 'sup-b'),
      spent('2026-10-13', 18_750, 'company', 'sup-b'),
      // Another year: left out.
      spent('2025-12-31', 99_999, 'retention', 'sup-c'),
    ],
    grants: [grant({ grantId: 'g-3', reference: 'MS-2026-000003', mentorType: 'holistic', minutesPerWeek: 90, start: '2026-12-01', end: '2027-05-31' })],
    suppliers: SUPPLIERS,
  };

  it('adds spent (credits negative) and committed into a forecast against the budget', () => {
    const report = budgetReport(input);
    expect(report).toMatchObject({ year: 2026, today: TODAY, budgetOre: 1_000_000, frameOre: 300_000, forecastMethod: 'spent_plus_committed', unpricedGrants: [] });
    // 376 250 spent + 272 867 committed = 649 117; 1 000 000 − 649 117 = 350 883; 64.9117 % → 64.9.
    expect(report.totals).toEqual({ spentOre: 376_250, committedOre: 272_867, forecastOre: 649_117, budgetLeftAfterForecastOre: 350_883, forecastPercentOfBudget: 64.9 });
    expect(report.months.map((m) => [m.month, m.spentOre, m.committedOre, m.forecastOre, m.cumulativeForecastOre])).toEqual([
      ['2026-01', 0, 0, 0, 0],
      ['2026-02', 0, 0, 0, 0],
      ['2026-03', 90_000, 0, 90_000, 90_000],
      ['2026-04', 0, 0, 0, 90_000],
      ['2026-05', 0, 0, 0, 90_000],
      ['2026-06', 67_500, 0, 67_500, 157_500],
      ['2026-07', 0, 0, 0, 157_500],
      ['2026-08', 0, 0, 0, 157_500],
      ['2026-09', 0, 0, 0, 157_500],
      ['2026-10', 218_750, 0, 218_750, 376_250],
      ['2026-11', 0, 0, 0, 376_250],
      ['2026-12', 0, 272_867, 272_867, 649_117],
    ]);
  });

  it('breaks spent and committed down per mentor type (in the domain’s order) and per supplier (by name)', () => {
    const report = budgetReport(input);
    expect(report.byMentorType.map((r) => [r.mentorType, r.spentOre, r.committedOre, r.forecastOre])).toEqual([
      ['retention', 292_500, 0, 292_500],
      ['company', 43_750, 0, 43_750],
      ['holistic', 40_000, 272_867, 312_867],
    ]);
    expect(report.byMentorType[2].months.find((m) => m.month === '2026-10')).toEqual({ month: '2026-10', spentOre: 40_000, committedOre: 0, forecastOre: 40_000 });
    expect(report.bySupplier.map((r) => [r.supplierName, r.supplierKind, r.spentOre, r.committedOre, r.forecastOre])).toEqual([
      ['Byggefirma A/S', 'partner_company', 43_750, 0, 43_750],
      ['Mentorhuset ApS', 'mentor_supplier', 175_000, 272_867, 447_867],
      ['Ørestad Mentor', 'mentor_supplier', 157_500, 0, 157_500],
    ]);
    expect(report.bySupplier[1].months.map((m) => m.forecastOre).reduce((a, b) => a + b, 0)).toBe(447_867);
  });

  it('answers without a budget, and lists active grants whose remaining days lack a rate', () => {
    const report = budgetReport({ ...input, budget: null, grants: [...input.grants, grant({ reference: 'MS-2026-000009', mentorType: 'release', start: '2026-12-20', end: '2026-12-31' })] });
    expect(report).toMatchObject({ budgetOre: null, frameOre: null, totals: { budgetLeftAfterForecastOre: null, forecastPercentOfBudget: null } });
    expect(report.unpricedGrants).toEqual([{ grantReference: 'MS-2026-000009', days: 12 }]);
    expect(report.byMentorType.map((r) => r.mentorType)).toEqual(['retention', 'company', 'holistic', 'release']);
  });

  it('shows a forecast above the budget as a negative amount left', () => {
    const report = budgetReport({ ...input, budget: { budgetOre: 600_000, frameOre: null } });
    expect(report.totals).toMatchObject({ budgetLeftAfterForecastOre: -49_117, forecastPercentOfBudget: 108.2 });
  });
});

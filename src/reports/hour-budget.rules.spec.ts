import { hourBudgetReport, reviewReasons } from './hour-budget.rules';

const suppliers = [
  { id: 's-a', name: 'Alfa Mentor', kind: 'mentor_supplier' as const },
  { id: 's-b', name: 'Beta Mentor', kind: 'mentor_supplier' as const },
];

describe('reviewReasons', () => {
  it.each([
    [240, '2026-01-01', '2026-06-30', []],
    [241, '2026-01-01', '2026-03-31', ['above_4_hours_a_week']],
    [60, '2026-01-01', '2026-07-01', ['longer_than_6_months']],
    [300, '2026-08-31', '2027-02-28', ['above_4_hours_a_week', 'longer_than_6_months']],
  ] as const)('%i min/week from %s to %s: %j', (minutesPerWeek, start, end, reasons) => {
    expect(reviewReasons({ minutesPerWeek, start, end })).toEqual(reasons);
  });
});

describe('hourBudgetReport', () => {
  const report = hourBudgetReport({
    year: 2026,
    budgets: [
      { mentorType: 'holistic', supplierId: 's-a', minutes: 1_000 },
      { mentorType: 'holistic', supplierId: 's-b', minutes: 500 },
    ],
    grants: [
      // 1–31 December 2026: 31 days; 90 × 31 / 7 = 398.57 → 399.
      { reference: 'MS-2026-000001', supplierId: 's-a', mentorType: 'holistic', minutesPerWeek: 90, start: '2026-12-01', end: '2027-05-31' },
    ],
    deliveries: [
      { supplierId: 's-a', mentorType: 'holistic', minutes: 60 },
      { supplierId: 's-a', mentorType: 'holistic', minutes: -15 },
    ],
    suppliers,
  });

  it('counts a grant’s minutes inside the year only, and deliveries less credits', () => {
    expect(report.rows).toEqual([
      { mentorType: 'holistic', supplierId: 's-a', supplierName: 'Alfa Mentor', budgetMinutes: 1_000, grantedMinutes: 399, deliveredMinutes: 45, leftAfterGrantedMinutes: 601, grantedPercentOfBudget: 39.9 },
      { mentorType: 'holistic', supplierId: 's-b', supplierName: 'Beta Mentor', budgetMinutes: 500, grantedMinutes: 0, deliveredMinutes: 0, leftAfterGrantedMinutes: 500, grantedPercentOfBudget: 0 },
    ]);
  });

  it('sums supplier budgets when the type has no all-supplier budget; averages hours a week; six months exactly is no review', () => {
    expect(report.totals).toEqual({ budgetMinutes: 1_500, grantedMinutes: 399, deliveredMinutes: 45 });
    expect(report.averageGrantedHoursPerWeek).toBe(1.5);
    expect(report.review).toEqual([]);
  });

  it('has no average without grants', () => {
    expect(hourBudgetReport({ year: 2026, budgets: [], grants: [], deliveries: [], suppliers }).averageGrantedHoursPerWeek).toBeNull();
  });
});

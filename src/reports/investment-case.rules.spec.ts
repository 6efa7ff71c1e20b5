import { breakEvenTenths, investmentCase, type InvestmentCaseInput } from './investment-case.rules';

const input: InvestmentCaseInput = {
  year: 2026,
  benefit: 'cash_benefit',
  monthlyBenefitOre: 13_000_00,
  monthlyBenefitSource: 'rule_data',
  monthlyBenefitExample: true,
  monthsOnBenefitAtStart: 12,
  byMentorType: [
    { mentorType: 'holistic', amountOre: 60_000_00, citizens: 4 },
    { mentorType: 'retention', amountOre: 1_000_001, citizens: 2 },
    { mentorType: 'company', amountOre: 0, citizens: 0 },
  ],
  enteredCostPerCitizenOre: null,
};

describe('breakEvenTenths', () => {
  it('divides the cost by the monthly net cost in tenths of a month, rounding half up', () => {
    // 15 / 100 = 0.15 month = 1.5 tenths → 2; 125 / 1,000 = 1.25 tenths → 1.
    expect(breakEvenTenths(15, 100)).toBe(2);
    expect(breakEvenTenths(125, 1_000)).toBe(1);
    expect(breakEvenTenths(15_000_00, 9_100_00)).toBe(16);
  });

  it('has no answer without a monthly net cost', () => {
    expect(breakEvenTenths(15_000_00, 0)).toBeNull();
  });
});

describe('investmentCase', () => {
  it('nets the benefit of the refund at the time on benefit and gives the months to break even per mentor type', () => {
    const result = investmentCase(input);
    // 12 months on benefit: 30 % refund; 13,000.00 kr. × 70 % = 9,100.00 kr. a month.
    expect(result).toMatchObject({ refundPercent: 30, netMonthlyBenefitOre: 9_100_00, monthlyBenefitSource: 'rule_data', monthlyBenefitExample: true });
    expect(result.rows).toEqual([
      // 60,000.00 / 4 = 15,000.00 kr.; 15,000.00 / 9,100.00 = 1.648 months → 16 tenths (1.6 months).
      { mentorType: 'holistic', amountOre: 60_000_00, citizens: 4, costPerCitizenOre: 15_000_00, costSource: 'portal', breakEvenTenthsOfMonth: 16 },
      // 10,000.01 / 2 = 5,000.005 kr. → 5,000.01 (half up); 5,000.01 / 9,100.00 = 0.549 months → 5 tenths.
      { mentorType: 'retention', amountOre: 1_000_001, citizens: 2, costPerCitizenOre: 500_001, costSource: 'portal', breakEvenTenthsOfMonth: 5 },
      { mentorType: 'company', amountOre: 0, citizens: 0, costPerCitizenOre: null, costSource: 'portal', breakEvenTenthsOfMonth: null },
    ]);
  });

  it('rounds the net monthly cost half up to whole øre', () => {
    // 13,000.01 kr. × 70 % = 9,100.007 kr. → 9,100.01.
    expect(investmentCase({ ...input, monthlyBenefitOre: 13_000_01 }).netMonthlyBenefitOre).toBe(9_100_01);
  });

  it('steps the refund by the time on benefit at start', () => {
    const net = (months: number) => investmentCase({ ...input, monthsOnBenefitAtStart: months });
    // 80 % refund: 13,000 × 20 % = 2,600 kr.; 40 %: 7,800 kr.; 30 %: 9,100 kr.; 20 %: 10,400 kr.
    expect([0, 1, 2, 6, 7, 12, 13, 48].map((m) => [net(m).refundPercent, net(m).netMonthlyBenefitOre])).toEqual([
      [80, 2_600_00],
      [80, 2_600_00],
      [40, 7_800_00],
      [40, 7_800_00],
      [30, 9_100_00],
      [30, 9_100_00],
      [20, 10_400_00],
      [20, 10_400_00],
    ]);
    // A course of 15,000 kr. after 2 years: 15,000 / 10,400 = 1.442 → 14 tenths.
    expect(net(24).rows[0].breakEvenTenthsOfMonth).toBe(14);
  });

  it('uses an entered cost per citizen for every mentor type, "what if"', () => {
    const result = investmentCase({ ...input, enteredCostPerCitizenOre: 20_000_00, monthlyBenefitOre: 10_000_00, monthlyBenefitSource: 'entered', monthlyBenefitExample: false });
    // 10,000 × 70 % = 7,000 kr.; 20,000 / 7,000 = 2.857 months → 29 tenths.
    expect(result.netMonthlyBenefitOre).toBe(7_000_00);
    expect(result.rows.map((r) => [r.mentorType, r.costPerCitizenOre, r.costSource, r.breakEvenTenthsOfMonth])).toEqual([
      ['holistic', 20_000_00, 'entered', 29],
      ['retention', 20_000_00, 'entered', 29],
      ['company', 20_000_00, 'entered', 29],
    ]);
  });

  it('has no break-even with no benefit to save', () => {
    expect(investmentCase({ ...input, monthlyBenefitOre: 0 }).rows[0]).toMatchObject({ costPerCitizenOre: 15_000_00, breakEvenTenthsOfMonth: null });
  });
});

import { BENEFIT_RATE_VERSIONS, BENEFIT_REFUND_STAIRCASE, benefitRatesOn, benefitRefundPercent, type BenefitRateVersion } from './benefit-rates';

describe('benefit rates as dated rule data', () => {
  it('has no rates before the first version, and the 2026 example rates from 1 January 2026', () => {
    expect(benefitRatesOn('2025-12-31')).toBeNull();
    const rates = benefitRatesOn('2026-01-01');
    expect(rates).toBe(BENEFIT_RATE_VERSIONS[0]);
    expect(rates?.monthlyOre).toEqual({ cash_benefit: 1_300_000, education_benefit: 700_000, resource_course_benefit: 1_300_000 });
    expect(rates?.example).toBe(true);
    expect(rates?.source).toMatch(/Beskæftigelsesministeriet/);
    expect(benefitRatesOn('2027-06-30')).toBe(rates);
  });

  it('takes the latest version in force on the day, whatever the order of the list', () => {
    const v = (validFrom: string, cash: number): BenefitRateVersion => ({ validFrom, monthlyOre: { cash_benefit: cash, education_benefit: 1, resource_course_benefit: 1 }, source: 'test', example: false });
    const versions = [v('2027-01-01', 1_350_000), v('2026-01-01', 1_300_000)];
    expect(benefitRatesOn('2026-12-31', versions)?.monthlyOre.cash_benefit).toBe(1_300_000);
    expect(benefitRatesOn('2027-01-01', versions)?.monthlyOre.cash_benefit).toBe(1_350_000);
  });

  it('steps the refund of benefits 80 / 40 / 30 / 20 % by whole months on benefit', () => {
    expect([0, 1, 2, 6, 7, 12, 13, 120].map(benefitRefundPercent)).toEqual([80, 80, 40, 40, 30, 30, 20, 20]);
    expect(BENEFIT_REFUND_STAIRCASE.at(-1)).toEqual({ upToMonths: null, refundPercent: 20 });
  });
});

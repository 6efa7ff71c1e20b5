import { capBelowRate, capInForce, checkNewCap, type Cap } from './price-cap.rules';
import type { Rate } from './rate-card.rules';

const cap = (validFrom: string, rateOre: number, serviceLevel = 1): Cap => ({ mentorType: 'retention', serviceLevel, validFrom, rateOre });
const rate = (validFrom: string, validTo: string | null, rateOre: number, serviceLevel = 1): Rate & { agreementReference: string } => ({ mentorType: 'retention', serviceLevel, validFrom, validTo, rateOre, agreementReference: 'RA-1' });

describe('the price cap in force', () => {
  it('is the latest cap started on or before the date', () => {
    const caps = [cap('2026-01-01', 50_000), cap('2027-01-01', 46_000)];
    expect(capInForce(caps, 'retention', 1, '2026-12-31')).toEqual(caps[0]);
    expect(capInForce(caps, 'retention', 1, '2027-01-01')).toEqual(caps[1]);
    expect(capInForce(caps, 'retention', 1, '2025-12-31')).toBeNull();
    expect(capInForce(caps, 'retention', 2, '2027-01-01')).toBeNull();
  });
});

describe('a cap below a rate', () => {
  it('flags the rate with the lowest cap below it on some day of its period', () => {
    const caps = [cap('2026-01-01', 50_000), cap('2027-01-01', 46_000), cap('2027-07-01', 45_000)];
    expect(capBelowRate(caps, rate('2026-01-01', null, 46_395))).toEqual(caps[2]);
    expect(capBelowRate(caps, rate('2026-01-01', '2026-12-31', 46_395))).toBeNull();
    expect(capBelowRate(caps, rate('2026-01-01', '2027-06-30', 46_395))).toEqual(caps[1]);
    expect(capBelowRate(caps, rate('2026-01-01', '2027-06-30', 46_000))).toBeNull();
    expect(capBelowRate(caps, rate('2027-01-01', null, 45_500))).toEqual(caps[2]);
  });

  it('is refused when it reaches back over a day the rate was in force, and accepted from a later day', () => {
    const existing = [cap('2026-01-01', 50_000)];
    const rates = [rate('2026-01-01', null, 46_395), rate('2026-01-01', null, 40_000, 2)];
    expect(checkNewCap(existing, cap('2026-11-25', 46_394), rates, '2026-11-25')).toEqual([
      expect.objectContaining({ rule: 'cap_below_rate_in_use', values: { agreementReference: 'RA-1', rateOre: 46_395, priceCapOre: 46_394, from: '2026-11-25', today: '2026-11-25' } }),
    ]);
    expect(checkNewCap(existing, cap('2026-11-26', 46_394), rates, '2026-11-25')).toEqual([]);
    expect(checkNewCap(existing, cap('2026-01-01', 46_395), rates, '2026-11-25')).toEqual([]);
  });

  it('is accepted over a rate that ended before the cap starts, or that starts after today', () => {
    expect(checkNewCap([], cap('2026-06-01', 40_000), [rate('2026-01-01', '2026-05-31', 46_395)], '2026-11-25')).toEqual([]);
    expect(checkNewCap([], cap('2026-06-01', 40_000), [rate('2027-01-01', null, 46_395)], '2026-11-25')).toEqual([]);
  });

  it('only reaches to the next cap: a cap from 2025 below a rate from 2026 is refused only if no later cap covers 2026', () => {
    const later = [cap('2026-01-01', 50_000)];
    expect(checkNewCap(later, cap('2025-01-01', 40_000), [rate('2026-01-01', null, 46_395)], '2026-11-25')).toEqual([]);
    expect(checkNewCap([], cap('2025-01-01', 40_000), [rate('2026-01-01', null, 46_395)], '2026-11-25').map((p) => p.values?.from)).toEqual(['2026-01-01']);
  });
});

import { RuleError } from '../common/errors/rule-error';
import {
  averageOre,
  daysInclusive,
  meanRounded,
  medianRounded,
  minutesOverDays,
  monthsOfYear,
  overlap,
  percentOneDecimal,
  ratioTwoDecimals,
  sumOre,
  yearPeriod,
} from './report-arithmetic.rules';

describe('yearPeriod and monthsOfYear', () => {
  it('spans 1 January to 31 December in twelve months', () => {
    expect(yearPeriod(2026)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(monthsOfYear(2028)).toEqual(['2028-01', '2028-02', '2028-03', '2028-04', '2028-05', '2028-06', '2028-07', '2028-08', '2028-09', '2028-10', '2028-11', '2028-12']);
  });

  it('refuses a year that is not a whole four-digit year', () => {
    expect(() => yearPeriod(2026.5)).toThrow(RuleError);
    expect(() => yearPeriod(999)).toThrow(RuleError);
  });
});

describe('daysInclusive and overlap', () => {
  it('counts both ends, month ends and leap days included', () => {
    expect(daysInclusive('2026-02-01', '2026-02-28')).toBe(28);
    expect(daysInclusive('2028-02-01', '2028-02-29')).toBe(29);
    expect(daysInclusive('2026-03-02', '2026-08-31')).toBe(183);
    expect(daysInclusive('2026-05-05', '2026-05-05')).toBe(1);
    expect(daysInclusive('2026-05-06', '2026-05-05')).toBe(0);
  });

  it('clips a period to a window, or says they do not meet', () => {
    expect(overlap('2026-03-15', '2026-05-10', '2026-04-01', '2026-04-30')).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(overlap('2025-11-01', '2026-01-31', '2026-01-01', '2026-12-31')).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(overlap('2026-12-31', '2027-06-30', '2026-01-01', '2026-12-31')).toEqual({ from: '2026-12-31', to: '2026-12-31' });
    expect(overlap('2026-12-01', '2027-05-31', '2026-01-01', '2026-11-25')).toBeNull();
  });
});

describe('minutesOverDays: a weekly allowance over whole days', () => {
  it('is minutes per week × days / 7, rounded half up to whole minutes', () => {
    expect(minutesOverDays(60, 7)).toBe(60);
    expect(minutesOverDays(60, 31)).toBe(266); // 265.71
    expect(minutesOverDays(60, 6)).toBe(51); // 51.43
    expect(minutesOverDays(90, 15)).toBe(193); // 192.86
    expect(minutesOverDays(120, 183)).toBe(3137); // 3137.14
    expect(minutesOverDays(1, 3)).toBe(0); // 0.43
    expect(minutesOverDays(1, 4)).toBe(1); // 0.57
    expect(minutesOverDays(60, 0)).toBe(0);
  });

  it('refuses negative or fractional input', () => {
    expect(() => minutesOverDays(-1, 3)).toThrow(RuleError);
    expect(() => minutesOverDays(60, 1.5)).toThrow(RuleError);
  });
});

describe('averageOre', () => {
  it('divides and rounds half up to whole øre (halves away from zero)', () => {
    expect(averageOre(376_250, 4)).toBe(94_063); // 94 062.5
    expect(averageOre(100, 3)).toBe(33);
    expect(averageOre(200, 3)).toBe(67);
    expect(averageOre(-5, 2)).toBe(-3);
  });

  it('is null when nobody is counted', () => {
    expect(averageOre(10, 0)).toBeNull();
  });
});

describe('meanRounded and medianRounded', () => {
  it('gives whole numbers, halves rounded up', () => {
    expect(meanRounded([61, 76, 81, 61, 183])).toBe(92); // 92.4
    expect(meanRounded([1, 2])).toBe(2); // 1.5
    expect(meanRounded([])).toBeNull();
  });

  it('takes the middle value, or the rounded mean of the middle two, of unsorted input', () => {
    expect(medianRounded([183, 61, 76, 81, 61])).toBe(76);
    expect(medianRounded([183, 61])).toBe(122);
    expect(medianRounded([10, 3, 1, 2])).toBe(3); // (2 + 3) / 2 = 2.5
    expect(medianRounded([])).toBeNull();
  });
});

describe('percentOneDecimal and ratioTwoDecimals', () => {
  it('round half up at the last decimal', () => {
    expect(percentOneDecimal(1, 3)).toBe(33.3);
    expect(percentOneDecimal(2, 3)).toBe(66.7);
    expect(percentOneDecimal(240, 1_868)).toBe(12.8); // 12.848
    expect(percentOneDecimal(1, 16)).toBe(6.3); // 6.25
    expect(percentOneDecimal(0, 6)).toBe(0);
    expect(ratioTwoDecimals(2, 3)).toBe(0.67);
    expect(ratioTwoDecimals(1, 8)).toBe(0.13); // 0.125
    expect(ratioTwoDecimals(3, 4)).toBe(0.75);
  });

  it('are null when the whole is 0', () => {
    expect(percentOneDecimal(5, 0)).toBeNull();
    expect(ratioTwoDecimals(3, 0)).toBeNull();
  });
});

describe('sumOre', () => {
  it('adds exactly and refuses a sum beyond the safe range', () => {
    expect(sumOre([45_000, -45_000, 40_000])).toBe(40_000);
    expect(sumOre([])).toBe(0);
    expect(() => sumOre([Number.MAX_SAFE_INTEGER, 1])).toThrow(RuleError);
  });
});

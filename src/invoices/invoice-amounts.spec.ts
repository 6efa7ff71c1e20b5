import { RuleError } from '../common/errors/rule-error';
import { checkInvoiceArithmetic, divideRoundingHalfUp, lineAmountOre, vatOre } from './invoice-amounts';

describe('divideRoundingHalfUp', () => {
  it('rounds halves away from zero and everything else to the nearest', () => {
    expect(divideRoundingHalfUp(1n, 2n)).toBe(1n);
    expect(divideRoundingHalfUp(-1n, 2n)).toBe(-1n);
    expect(divideRoundingHalfUp(4n, 3n)).toBe(1n);
    expect(divideRoundingHalfUp(5n, 3n)).toBe(2n);
    expect(divideRoundingHalfUp(-5n, 3n)).toBe(-2n);
    expect(divideRoundingHalfUp(0n, 7n)).toBe(0n);
  });

  it('refuses a denominator of 0 or below', () => {
    expect(() => divideRoundingHalfUp(1n, 0n)).toThrow('the denominator must be above 0, got 0');
    expect(() => divideRoundingHalfUp(1n, -2n)).toThrow('the denominator must be above 0, got -2');
  });
});

describe('lineAmountOre', () => {
  it.each([
    [45, 25_000, 18_750],
    [60, 25_000, 25_000],
    [7, 25_000, 2_917], // 2916.67
    [1, 25_001, 417], // 416.68
    [3, 10, 1], // 0.5 rounds up
    [1, 10, 0], // 0.17 rounds down
    [0, 25_000, 0],
    [90, 0, 0],
    [1440, 99_999, 2_399_976],
    [2, 15, 1], // 0.5 exactly
    [4, 15, 1], // 1.0
    [1, 30, 1], // 0.5
    [1, 29, 0], // 0.483
  ])('%i minutes at %i øre per hour is %i øre', (minutes, rate, expected) => {
    expect(lineAmountOre(minutes, rate)).toBe(expected);
  });

  it('stays exact where floating point would not (minutes × rate beyond 2^53)', () => {
    // 1440 × 9 007 199 254 740 991 / 60 = 216 172 782 113 783 784 — beyond the safe range, so refused.
    expect(() => lineAmountOre(1440, Number.MAX_SAFE_INTEGER)).toThrow(expect.objectContaining({ code: 'beyond_safe_range' }));
    // 60 × MAX_SAFE / 60 is exact.
    expect(lineAmountOre(60, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    [-1, 25_000],
    [1.5, 25_000],
    [10, -1],
    [10, 250.5],
    [Number.NaN, 1],
  ])('refuses %p minutes at %p øre', (minutes, rate) => {
    expect(() => lineAmountOre(minutes, rate)).toThrow(RuleError);
  });
});

describe('vatOre', () => {
  it.each([
    [18_750, 2_500, 4_688], // 4687.5 rounds up
    [100_000, 2_500, 25_000],
    [1, 2_500, 0], // 0.25
    [2, 2_500, 1], // 0.5
    [3, 2_500, 1], // 0.75
    [0, 2_500, 0],
    [12_345, 0, 0],
    [-2, 2_500, -1], // a credit's half rounds away from zero
    [-18_750, 2_500, -4_688],
  ])('VAT of %i øre at %i basis points is %i øre', (net, bp, expected) => {
    expect(vatOre(net, bp)).toBe(expected);
  });

  it('refuses fractions', () => {
    expect(() => vatOre(1.5, 2_500)).toThrow(RuleError);
    expect(() => vatOre(100, 25.5)).toThrow(RuleError);
    expect(() => vatOre(100, -1)).toThrow(RuleError);
  });
});

describe('checkInvoiceArithmetic', () => {
  const lines = [
    { minutes: 45, rateOre: 25_000, amountOre: 18_750 },
    { minutes: 7, rateOre: 25_000, amountOre: 2_917 },
    { minutes: 1, rateOre: 25_001, amountOre: 417 },
  ];
  // 18 750 + 2 917 + 417 = 22 084; VAT 5 521 (5521.0); total 27 605.
  const clean = { lines, vatBasisPoints: 2_500, netOre: 22_084, vatOre: 5_521, totalOre: 27_605 };

  it('finds nothing on an invoice that adds up', () => {
    expect(checkInvoiceArithmetic(clean)).toEqual([]);
  });

  it('finds nothing on an empty invoice of 0', () => {
    expect(checkInvoiceArithmetic({ lines: [], vatBasisPoints: 2_500, netOre: 0, vatOre: 0, totalOre: 0 })).toEqual([]);
  });

  it('names the line whose amount is wrong, with expected and given', () => {
    const wrong = { ...clean, lines: [lines[0], lines[1], { ...lines[2], amountOre: 416 }], netOre: 22_083, vatOre: 5_521, totalOre: 27_604 };
    expect(checkInvoiceArithmetic(wrong)).toEqual([
      {
        field: 'lines[2].amountOre',
        rule: 'line_amount',
        message: 'line 2: 1 minutes at 25001 øre per hour is 417 øre, not 416',
        values: { expected: 417, given: 416, minutes: 1, rateOre: 25_001 },
      },
    ]);
  });

  it('checks the net against the given line amounts', () => {
    const details = checkInvoiceArithmetic({ ...clean, netOre: 22_000, vatOre: 5_500, totalOre: 27_500 });
    expect(details).toEqual([
      {
        field: 'netOre',
        rule: 'net_total',
        message: 'the lines add up to 22084 øre, not the net amount 22000',
        values: { expected: 22_084, given: 22_000 },
      },
    ]);
  });

  it('checks the VAT against the given net, rounded half up', () => {
    expect(checkInvoiceArithmetic({ ...clean, vatOre: 5_520, totalOre: 27_604 })).toEqual([
      {
        field: 'vatOre',
        rule: 'vat_total',
        message: 'VAT at 2500 basis points of 22084 øre is 5521 øre, not 5520',
        values: { expected: 5_521, given: 5_520, netOre: 22_084, vatBasisPoints: 2_500 },
      },
    ]);
    const half = { lines: [{ minutes: 45, rateOre: 25_000, amountOre: 18_750 }], vatBasisPoints: 2_500, netOre: 18_750, vatOre: 4_687, totalOre: 23_437 };
    expect(checkInvoiceArithmetic(half).map((d) => [d.rule, d.values?.expected])).toEqual([['vat_total', 4_688]]);
  });

  it('checks the total against the given net + VAT', () => {
    expect(checkInvoiceArithmetic({ ...clean, totalOre: 27_606 })).toEqual([
      {
        field: 'totalOre',
        rule: 'invoice_total',
        message: 'net 22084 øre + VAT 5521 øre is 27605 øre, not the total 27606',
        values: { expected: 27_605, given: 27_606 },
      },
    ]);
  });

  it('reports every broken sum at once', () => {
    const details = checkInvoiceArithmetic({
      lines: [{ minutes: 60, rateOre: 25_000, amountOre: 25_001 }, { minutes: 30, rateOre: 25_000, amountOre: 12_400 }],
      vatBasisPoints: 2_500,
      netOre: 37_000,
      vatOre: 9_000,
      totalOre: 1,
    });
    expect(details.map((d) => [d.field, d.rule, d.values?.expected, d.values?.given])).toEqual([
      ['lines[0].amountOre', 'line_amount', 25_000, 25_001],
      ['lines[1].amountOre', 'line_amount', 12_500, 12_400],
      ['netOre', 'net_total', 37_401, 37_000],
      ['vatOre', 'vat_total', 9_250, 9_000],
      ['totalOre', 'invoice_total', 46_000, 1],
    ]);
  });

  it('leaves lines with impossible minutes or rates to the line rules', () => {
    const details = checkInvoiceArithmetic({
      lines: [{ minutes: -5, rateOre: 25_000, amountOre: 0 }, { minutes: 5, rateOre: 1.5, amountOre: 0 }],
      vatBasisPoints: 2_500,
      netOre: 0,
      vatOre: 0,
      totalOre: 0,
    });
    expect(details).toEqual([]);
  });

  it('skips the sums it cannot compute from fractional amounts', () => {
    expect(checkInvoiceArithmetic({ lines: [{ minutes: 0, rateOre: 0, amountOre: 0.5 }], vatBasisPoints: 2_500, netOre: 0, vatOre: 0, totalOre: 0 })).toEqual([
      expect.objectContaining({ rule: 'line_amount', values: expect.objectContaining({ expected: 0, given: 0.5 }) }),
    ]);
  });
});

import { checkEmployeeRateEnd, checkNewEmployeeRate, employeeRateInForce, type EmployeeRate } from './employee-rate.rules';

describe('rates per partner employee', () => {
  const kj2026: EmployeeRate = { employeeRef: 'KJ', rateOre: 31_250, validFrom: '2026-01-01', validTo: '2026-12-31' };
  const kj2027: EmployeeRate = { employeeRef: 'KJ', rateOre: 32_219, validFrom: '2027-01-01', validTo: null };
  const ab: EmployeeRate = { employeeRef: 'AB', rateOre: 28_000, validFrom: '2026-03-01', validTo: null };

  it('follow each other per employee; another employee’s dates do not matter', () => {
    expect(checkNewEmployeeRate([kj2026], kj2027)).toEqual([]);
    expect(checkNewEmployeeRate([kj2026, kj2027], ab)).toEqual([]);
    // A gap is allowed: the employee was not released in between.
    expect(checkNewEmployeeRate([kj2026], { ...kj2027, validFrom: '2027-02-01' })).toEqual([]);
  });

  it('refuse an overlap, naming the rate it overlaps', () => {
    expect(checkNewEmployeeRate([kj2026, kj2027], { employeeRef: 'KJ', rateOre: 33_000, validFrom: '2026-12-31', validTo: '2026-12-31' })).toEqual([
      expect.objectContaining({ field: 'validFrom', rule: 'employee_rate_overlap', values: { employeeRef: 'KJ', existingValidFrom: '2026-01-01', existingValidTo: '2026-12-31', existingRateOre: 31_250 } }),
    ]);
    expect(checkNewEmployeeRate([kj2027], { employeeRef: 'KJ', rateOre: 40_000, validFrom: '2030-01-01', validTo: null })[0].rule).toBe('employee_rate_overlap');
    expect(checkNewEmployeeRate([kj2027], { employeeRef: 'KJ', rateOre: 40_000, validFrom: '2020-01-01', validTo: null })[0].rule).toBe('employee_rate_overlap');
  });

  it('find the rate in force on a day, to the øre', () => {
    const rates = [kj2026, kj2027, ab];
    expect(employeeRateInForce(rates, 'KJ', '2026-12-31')?.rateOre).toBe(31_250);
    expect(employeeRateInForce(rates, 'KJ', '2027-01-01')?.rateOre).toBe(32_219);
    expect(employeeRateInForce(rates, 'AB', '2026-02-28')).toBeNull();
    expect(employeeRateInForce(rates, 'XY', '2026-06-01')).toBeNull();
  });

  it('end from the start day, and only a rate running on beyond the day', () => {
    expect(checkEmployeeRateEnd(kj2027, '2027-01-01')).toEqual([]);
    expect(checkEmployeeRateEnd(kj2027, '2026-12-31')[0]).toEqual(expect.objectContaining({ rule: 'employee_rate_end', values: { validFrom: '2027-01-01', validTo: null, requested: '2026-12-31' } }));
    expect(checkEmployeeRateEnd(kj2026, '2026-12-31')[0].rule).toBe('employee_rate_end');
    expect(checkEmployeeRateEnd(kj2026, '2026-06-30')).toEqual([]);
  });
});

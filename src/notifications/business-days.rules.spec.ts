import { businessDaysUntil, isBusinessDay, paymentTerm } from './business-days.rules';

describe('Danish business days', () => {
  it('skips weekends, public holidays and the days the offices close', () => {
    expect(isBusinessDay('2026-11-25')).toBe(true); // Wednesday
    expect(isBusinessDay('2026-11-28')).toBe(false); // Saturday
    expect(isBusinessDay('2026-04-02')).toBe(false); // Maundy Thursday
    expect(isBusinessDay('2026-04-06')).toBe(false); // Easter Monday
    expect(isBusinessDay('2026-05-14')).toBe(false); // Ascension Day
    expect(isBusinessDay('2026-05-25')).toBe(false); // Whit Monday
    expect(isBusinessDay('2026-06-05')).toBe(false); // Constitution Day
    expect(isBusinessDay('2026-12-24')).toBe(false);
    expect(isBusinessDay('2026-12-31')).toBe(false);
    expect(isBusinessDay('2027-03-25')).toBe(false); // Maundy Thursday 2027
    // Great Prayer Day was abolished from 2024.
    expect(isBusinessDay('2026-05-01')).toBe(true);
    expect(isBusinessDay('2024-04-26')).toBe(true);
  });

  it('counts the business days after a day up to another', () => {
    expect(businessDaysUntil('2026-11-25', '2026-11-25')).toBe(0);
    expect(businessDaysUntil('2026-11-25', '2026-12-02')).toBe(5);
    expect(businessDaysUntil('2026-12-18', '2027-01-04')).toBe(7); // 21, 22, 23, 28, 29, 30 Dec and 4 Jan
    expect(businessDaysUntil('2026-12-02', '2026-11-25')).toBe(0);
  });

  it('warns when five business days or fewer are left of the 30-day payment term', () => {
    expect(paymentTerm('2026-11-02', '2026-11-25')).toEqual({ termEndsOn: '2026-12-02', businessDaysLeft: 5, warn: true });
    expect(paymentTerm('2026-11-03', '2026-11-25')).toEqual({ termEndsOn: '2026-12-03', businessDaysLeft: 6, warn: false });
    expect(paymentTerm('2026-10-01', '2026-11-25')).toEqual({ termEndsOn: '2026-10-31', businessDaysLeft: 0, warn: true });
  });
});

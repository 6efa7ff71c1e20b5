import { checkPartnershipMinutes, keptExcessReason, minutesAboveAgreement } from './partnership-minutes.rules';

describe('a company grant against its partnership agreement’s minutes per week', () => {
  const base = { agreementKind: 'partnership' as const, agreementMinutesPerWeek: 60, mentorType: 'company' as const, minutesPerWeek: 60, excessReason: undefined };

  it('lets the agreement’s 60 minutes through without a reason', () => {
    expect(minutesAboveAgreement(base)).toBe(0);
    expect(checkPartnershipMinutes(base)).toEqual([]);
    expect(keptExcessReason({ ...base, excessReason: 'Ikke nødvendig' })).toBeNull();
  });

  it('refuses 61 minutes without a reason, naming the rule and the exact minutes', () => {
    expect(checkPartnershipMinutes({ ...base, minutesPerWeek: 61 })).toEqual([
      expect.objectContaining({ field: 'excessReason', rule: 'partnership_minutes_reason', values: { minutesPerWeek: 61, agreementMinutesPerWeek: 60, excessMinutes: 1 } }),
    ]);
    expect(checkPartnershipMinutes({ ...base, minutesPerWeek: 90, excessReason: '   ' })[0].values).toEqual({ minutesPerWeek: 90, agreementMinutesPerWeek: 60, excessMinutes: 30 });
  });

  it('accepts more with a reason and keeps it trimmed', () => {
    const input = { ...base, minutesPerWeek: 90, excessReason: '  Opstart kræver to møder om ugen ' };
    expect(checkPartnershipMinutes(input)).toEqual([]);
    expect(keptExcessReason(input)).toBe('Opstart kræver to møder om ugen');
  });

  it('bounds nothing for another mentor type, a framework agreement or an agreement without minutes', () => {
    expect(checkPartnershipMinutes({ ...base, minutesPerWeek: 180, mentorType: 'retention' })).toEqual([]);
    expect(checkPartnershipMinutes({ ...base, minutesPerWeek: 180, agreementKind: 'framework' })).toEqual([]);
    expect(checkPartnershipMinutes({ ...base, minutesPerWeek: 180, agreementMinutesPerWeek: null })).toEqual([]);
  });
});

import { DEFAULT_RULE_SET } from '../rules/rule-set';
import type { Rate } from '../suppliers/rate-card.rules';
import { grantedMinutesInWeek, serviceLevelOn, validateInvoice, type GrantFacts, type InvoiceLineInput } from './invoice-validation.rules';

// A level-4 grant of 300 minutes stepped down to level 3 at 210 minutes from Monday 2026-11-02 (an amendment).
const GRANT: GrantFacts = {
  reference: 'G-4', supplierId: 'sup-1', status: 'active', start: '2026-08-31', end: '2026-11-29', minutesPerWeek: 300, mentorType: 'retention', serviceLevel: 4,
  targetGroup: 'sickness_benefit', agreementId: 'A-1', activeFrom: '2026-08-31',
  minutesSteps: [{ from: '2026-08-31', serviceLevel: 4, minutesPerWeek: 300 }, { from: '2026-11-02', serviceLevel: 3, minutesPerWeek: 210 }],
};
const RATES: Rate[] = [
  { mentorType: 'retention', serviceLevel: 3, validFrom: '2026-01-01', validTo: null, rateOre: 45_000 },
  { mentorType: 'retention', serviceLevel: 4, validFrom: '2026-01-01', validTo: null, rateOre: 50_000 },
];
const line = (index: number, date: string, minutes: number, rateOre: number): InvoiceLineInput => ({ index, grantReference: 'G-4', date, minutes, rateOre, amountOre: Math.round((minutes * rateOre) / 60) });

function validate(lines: InvoiceLineInput[]) {
  return validateInvoice({
    supplierId: 'sup-1', ruleSet: DEFAULT_RULE_SET.values, lines, grants: new Map([['G-4', GRANT]]),
    agreements: new Map([['A-1', { id: 'A-1', validFrom: '2026-01-01', validTo: null, ceilingOre: null, consumedOre: 0 }]]),
    rates: new Map([['A-1', RATES]]), earlierDeliveries: [], today: '2026-11-25',
  });
}

describe('invoice validation with the minutes in force each week', () => {
  it('gives each ISO week the minutes in force on its Monday and each day the level in force', () => {
    expect(grantedMinutesInWeek(GRANT, '2026-10-26')).toBe(300);
    expect(grantedMinutesInWeek(GRANT, '2026-11-02')).toBe(210);
    expect(serviceLevelOn(GRANT, '2026-11-01')).toBe(4);
    expect(serviceLevelOn(GRANT, '2026-11-02')).toBe(3);
    const { minutesSteps: _unused, ...unchanged } = GRANT;
    expect(grantedMinutesInWeek(unchanged, '2026-11-02')).toBe(300);
  });
  it('holds the week before the step-down to 300 minutes at level 4’s rate and the week after to 210 at level 3’s', () => {
    const result = validate([line(1, '2026-10-27', 180, 50_000), line(2, '2026-10-29', 180, 50_000), line(3, '2026-11-03', 180, 45_000), line(4, '2026-11-05', 120, 45_000)]);
    const week = result.lines.map((l) => l.findings.filter((f) => f.code === 'week_over_grant').map((f) => [f.values.week, f.values.grantedMinutes, f.values.approvableMinutes]));
    expect(week).toEqual([[], [['2026-W44', 300, 120]], [], [['2026-W45', 210, 30]]]);
    expect(result.lines.map((l) => l.approvableOre)).toEqual([150_000, 100_000, 135_000, 22_500]);
  });
  it('finds a level-4 rate above the agreement on a day the grant is at level 3', () => {
    const result = validate([line(1, '2026-11-03', 60, 50_000)]);
    expect(result.lines[0].findings.map((f) => [f.code, f.values.serviceLevel, f.values.agreedRateOre])).toEqual([['rate_above_agreement', 3, 45_000]]);
    expect(result.lines[0].approvableOre).toBe(45_000);
  });
});

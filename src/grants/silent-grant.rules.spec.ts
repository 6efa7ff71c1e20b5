import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { silence, silentAfterWeeks } from './silent-grant.rules';

const rules = DEFAULT_RULE_SET.values.silentGrantWeeks;

describe('silent grants', () => {
  it('2 weeks for weekly contact, 3 for every other week, one week over the interval otherwise', () => {
    expect(silentAfterWeeks(rules, 1)).toBe(2);
    expect(silentAfterWeeks(rules, 2)).toBe(3);
    expect(silentAfterWeeks(rules, 4)).toBe(5);
    expect(silentAfterWeeks(rules, null)).toBe(3);
  });

  it('a grant with its last session on Monday 2026-11-02 is silent after 2 weeks, on 2026-11-16', () => {
    expect(silence({ activeFrom: '2026-10-01', lastSession: '2026-11-02', today: '2026-11-15', weeks: 2 })).toEqual({ since: '2026-11-02', silentOn: '2026-11-16', silent: false, silentWeeks: 1 });
    expect(silence({ activeFrom: '2026-10-01', lastSession: '2026-11-02', today: '2026-11-16', weeks: 2 })).toEqual({ since: '2026-11-02', silentOn: '2026-11-16', silent: true, silentWeeks: 2 });
  });

  it('a grant with no session counts from the day it became active: 2026-12-28 + 3 weeks = 2027-01-18', () => {
    expect(silence({ activeFrom: '2026-12-28', lastSession: null, today: '2027-01-18', weeks: 3 })).toEqual({ since: '2026-12-28', silentOn: '2027-01-18', silent: true, silentWeeks: 3 });
    expect(silence({ activeFrom: '2026-12-28', lastSession: null, today: '2027-01-17', weeks: 3 }).silent).toBe(false);
  });
});

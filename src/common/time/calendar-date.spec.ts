import { RuleError } from '../errors/rule-error';
import {
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  nextCopenhagenTime,
  daysInMonth,
  firstDayOfMonth,
  isCalendarDate,
  isDateWithin,
  isLeapYear,
  isoDayOfWeek,
  isoWeekOf,
  isValidMonth,
  lastDayOfMonth,
  maxDate,
  minDate,
  mondayOf,
  monthOf,
  sundayOf,
  todayInCopenhagen,
  weeksInRange,
} from './calendar-date';

describe('isCalendarDate', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '1000-01-01', '9999-12-31'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    '2025-02-29', // not a leap year
    '2100-02-29', // divisible by 100, not by 400
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-01',
    '2026-01-1',
    '26-01-01',
    '2026/01/01',
    ' 2026-01-01',
    '2026-01-01T00:00:00Z',
    '0999-12-31',
    '',
  ])('refuses %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isCalendarDate(20260101)).toBe(false);
    expect(isCalendarDate(null)).toBe(false);
    expect(isCalendarDate(new Date(Date.UTC(2026, 0, 1)))).toBe(false);
  });
});

describe('isLeapYear and daysInMonth', () => {
  it('follows the Gregorian rule', () => {
    expect([2024, 2025, 2000, 2100, 1900, 2400].map(isLeapYear)).toEqual([true, false, true, false, false, true]);
  });

  it('gives February 29 days only in leap years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });
});

describe('addDays', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-01', 0)).toBe('2026-03-01');
  });

  it('knows leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
  });

  it('is not moved by daylight saving (2026-03-29 and 2026-10-25 are 23- and 25-hour days in Copenhagen)', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-10-24', 1)).toBe('2026-10-25');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-03-23', 7)).toBe('2026-03-30');
  });

  it('refuses a malformed date or a fraction of a day', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow("'2026-02-30' is not a calendar date (YYYY-MM-DD)");
    expect(() => addDays('2026-01-01', 1.5)).toThrow('days must be a whole number, got 1.5');
  });

  it('refuses a malformed date or month as a rule error a caller can be told about, a fraction of a day as a bug', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(expect.objectContaining({ name: 'RuleError', code: 'calendar_date', values: { date: '2026-02-30' } }));
    expect(() => firstDayOfMonth('0000-01')).toThrow(expect.objectContaining({ name: 'RuleError', code: 'calendar_month', values: { month: '0000-01' } }));
    expect(() => addDays('2026-01-01', 1.5)).not.toThrow(RuleError);
  });

  it('refuses to leave the four-digit years', () => {
    expect(() => addDays('9999-12-31', 1)).toThrow('year 10000 is outside 1000–9999');
    expect(() => addMonths('1000-01-01', -1)).toThrow(expect.objectContaining({ code: 'date_out_of_range', values: { year: 999, min: 1000, max: 9999 } }));
  });
});

describe('addMonths', () => {
  it('keeps the day when the target month has it', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-01-01', 6)).toBe('2026-07-01');
    expect(addMonths('2026-08-31', 0)).toBe('2026-08-31');
  });

  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2100-01-31', 1)).toBe('2100-02-28');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
  });

  it('crosses year ends both ways', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-01-31', -2)).toBe('2025-11-30');
    expect(addMonths('2026-03-15', -15)).toBe('2024-12-15');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
  });

  it('refuses a fraction of a month', () => {
    expect(() => addMonths('2026-01-01', 0.5)).toThrow('months must be a whole number, got 0.5');
  });
});

describe('daysBetween and compareDates', () => {
  it('counts b − a in whole days', () => {
    expect(daysBetween('2026-01-01', '2026-01-02')).toBe(1);
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2100-02-28', '2100-03-01')).toBe(1);
    expect(daysBetween('2026-03-29', '2026-10-26')).toBe(211);
  });

  it('orders dates', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(['2026-03-01', '2025-12-31', '2026-02-28'].sort(compareDates)).toEqual(['2025-12-31', '2026-02-28', '2026-03-01']);
  });
});

describe('minDate and maxDate', () => {
  it('pick the earliest and the latest', () => {
    expect(minDate('2026-03-01', '2025-12-31', '2026-02-28')).toBe('2025-12-31');
    expect(maxDate('2026-03-01', '2025-12-31', '2026-02-28')).toBe('2026-03-01');
    expect(minDate('2026-05-05')).toBe('2026-05-05');
  });

  it('refuse a malformed date, also alone', () => {
    expect(() => minDate('2026-02-30')).toThrow("'2026-02-30' is not a calendar date (YYYY-MM-DD)");
    expect(() => maxDate('2026-01-01', 'tomorrow')).toThrow("'tomorrow' is not a calendar date (YYYY-MM-DD)");
  });
});

describe('isDateWithin', () => {
  it('includes both ends and treats a null end as open', () => {
    expect(isDateWithin('2026-01-01', '2026-01-01', '2026-06-30')).toBe(true);
    expect(isDateWithin('2026-06-30', '2026-01-01', '2026-06-30')).toBe(true);
    expect(isDateWithin('2026-07-01', '2026-01-01', '2026-06-30')).toBe(false);
    expect(isDateWithin('2025-12-31', '2026-01-01', '2026-06-30')).toBe(false);
    expect(isDateWithin('2099-01-01', '2026-01-01', null)).toBe(true);
  });
});

describe('ISO weeks', () => {
  it('numbers weekdays Monday 1 to Sunday 7', () => {
    expect(isoDayOfWeek('2026-03-23')).toBe(1);
    expect(isoDayOfWeek('2026-03-29')).toBe(7);
    expect(isoDayOfWeek('2026-01-01')).toBe(4);
    expect(isoDayOfWeek('1970-01-01')).toBe(4);
    expect(isoDayOfWeek('1969-12-29')).toBe(1);
  });

  it('finds Monday and Sunday of the week, across months and years', () => {
    expect(mondayOf('2026-03-29')).toBe('2026-03-23');
    expect(sundayOf('2026-03-29')).toBe('2026-03-29');
    expect(mondayOf('2026-03-23')).toBe('2026-03-23');
    expect(sundayOf('2026-10-21')).toBe('2026-10-25');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(sundayOf('2026-12-31')).toBe('2027-01-03');
    expect(mondayOf('2024-03-01')).toBe('2024-02-26');
  });

  it.each([
    ['2026-01-01', 2026, 1, '2026-W01'],
    ['2025-12-29', 2026, 1, '2026-W01'],
    ['2026-12-31', 2026, 53, '2026-W53'],
    ['2027-01-01', 2026, 53, '2026-W53'],
    ['2027-01-03', 2026, 53, '2026-W53'],
    ['2027-01-04', 2027, 1, '2027-W01'],
    ['2024-12-30', 2025, 1, '2025-W01'],
    ['2021-01-03', 2020, 53, '2020-W53'],
    ['2026-03-29', 2026, 13, '2026-W13'],
    ['2026-10-25', 2026, 43, '2026-W43'],
    ['2024-02-29', 2024, 9, '2024-W09'],
  ])('%s is in ISO week %i-%i', (date, year, week, key) => {
    expect(isoWeekOf(date)).toEqual({ year, week, key });
  });
});

describe('weeksInRange', () => {
  it('lists every ISO week touched, in order, over a year end', () => {
    expect(weeksInRange('2026-12-24', '2027-01-11')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
  });

  it('counts partial weeks at both ends', () => {
    expect(weeksInRange('2026-03-29', '2026-03-30')).toEqual(['2026-W13', '2026-W14']);
    expect(weeksInRange('2026-10-25', '2026-10-25')).toEqual(['2026-W43']);
  });

  it('gives 53 weeks for 2026 and 52 for 2025 when run over the ISO years', () => {
    expect(weeksInRange('2025-12-29', '2027-01-03')).toHaveLength(53);
    expect(weeksInRange('2024-12-30', '2025-12-28')).toHaveLength(52);
  });

  it('is empty when the range is backwards, even inside one week', () => {
    expect(weeksInRange('2026-03-26', '2026-03-24')).toEqual([]);
  });
});

describe('months', () => {
  it('gives the month of a date', () => {
    expect(monthOf('2026-02-28')).toBe('2026-02');
    expect(() => monthOf('2026-02-30')).toThrow("'2026-02-30' is not a calendar date (YYYY-MM-DD)");
  });

  it('gives first and last days, with leap years', () => {
    expect(firstDayOfMonth('2026-02')).toBe('2026-02-01');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2100-02')).toBe('2100-02-28');
    expect(lastDayOfMonth('2000-02')).toBe('2000-02-29');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
  });

  it('validates months strictly', () => {
    expect(['2026-01', '2026-12'].map(isValidMonth)).toEqual([true, true]);
    expect(['2026-13', '2026-00', '2026-1', '2026-01-01', '26-01', 202601].map(isValidMonth)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(() => lastDayOfMonth('2026-13')).toThrow("'2026-13' is not a calendar month (YYYY-MM)");
  });
});

describe('todayInCopenhagen', () => {
  const at = (iso: string): string => todayInCopenhagen(new Date(iso));

  it('turns the day at 22:00 UTC in summer time (UTC+2)', () => {
    expect(at('2026-07-14T21:59:59Z')).toBe('2026-07-14');
    expect(at('2026-07-14T22:00:00Z')).toBe('2026-07-15');
  });

  it('turns the day at 23:00 UTC in winter time (UTC+1)', () => {
    expect(at('2026-01-14T22:59:59Z')).toBe('2026-01-14');
    expect(at('2026-01-14T23:00:00Z')).toBe('2026-01-15');
  });

  it('is right on the nights the clocks change', () => {
    expect(at('2026-03-28T22:59:59Z')).toBe('2026-03-28');
    expect(at('2026-03-28T23:00:00Z')).toBe('2026-03-29');
    expect(at('2026-03-29T21:59:59Z')).toBe('2026-03-29');
    expect(at('2026-03-29T22:00:00Z')).toBe('2026-03-30');
    expect(at('2026-10-24T21:59:59Z')).toBe('2026-10-24');
    expect(at('2026-10-24T22:00:00Z')).toBe('2026-10-25');
    expect(at('2026-10-25T22:59:59Z')).toBe('2026-10-25');
    expect(at('2026-10-25T23:00:00Z')).toBe('2026-10-26');
  });

  it('is already next year in Copenhagen at 23:30 UTC on New Year’s Eve', () => {
    expect(at('2026-12-31T23:30:00Z')).toBe('2027-01-01');
  });
});

describe('nextCopenhagenTime', () => {
  it('is today at the time when it has not passed, else tomorrow, in winter and summer time', () => {
    expect(nextCopenhagenTime(new Date('2026-11-25T05:00:00Z'), 7, 0).toISOString()).toBe('2026-11-25T06:00:00.000Z');
    expect(nextCopenhagenTime(new Date('2026-11-25T06:00:00Z'), 7, 0).toISOString()).toBe('2026-11-26T06:00:00.000Z');
    expect(nextCopenhagenTime(new Date('2026-06-15T12:00:00Z'), 7, 30).toISOString()).toBe('2026-06-16T05:30:00.000Z');
    // The night summer time begins (29 March 2026): 07:00 is 05:00 UTC that day.
    expect(nextCopenhagenTime(new Date('2026-03-28T23:30:00Z'), 7, 0).toISOString()).toBe('2026-03-29T05:00:00.000Z');
    // 23:30 UTC on 31 December is already 1 January in Copenhagen.
    expect(nextCopenhagenTime(new Date('2026-12-31T23:30:00Z'), 7, 0).toISOString()).toBe('2027-01-01T06:00:00.000Z');
  });
});

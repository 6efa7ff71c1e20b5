import { CommonErrorCode } from '../common/errors/common.errors';
import { RuleError } from '../common/errors/rule-error';
import { compareDates, daysBetween, maxDate, minDate, type CalendarDate } from '../common/time/calendar-date';
import { divideRoundingHalfUp } from '../invoices/invoice-amounts';

/**
 * The arithmetic the reports share, in integers: averages and shares go through the one rounding rule
 * (divideRoundingHalfUp, half away from zero), so a figure in a report can be recomputed by hand.
 */

const DAYS_PER_WEEK = 7n;

// A report's year and figures come from the request and from what users entered: a value that is no whole number refuses the rule.
function assertWhole(value: number, what: string, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) throw new RuleError(CommonErrorCode.WholeNumber, `${what} must be a whole number of at least ${minimum}, got ${value}`, { values: { value, minimum } });
}

/** The calendar year as a period: 2026 → 2026-01-01..2026-12-31. */
export function yearPeriod(year: number): { from: CalendarDate; to: CalendarDate } {
  assertWhole(year, 'the year', 1000);
  const text = String(year).padStart(4, '0');
  return { from: `${text}-01-01`, to: `${text}-12-31` };
}

/** The twelve months of a year, 'YYYY-01'..'YYYY-12'. */
export function monthsOfYear(year: number): string[] {
  const { from } = yearPeriod(year);
  return Array.from({ length: 12 }, (_, i) => `${from.slice(0, 4)}-${String(i + 1).padStart(2, '0')}`);
}

/** Days from `from` to `to`, both included; 0 when `to` is before `from`. */
export function daysInclusive(from: CalendarDate, to: CalendarDate): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

/** The part of from..to inside windowFrom..windowTo (all inclusive), or null when they do not meet. */
export function overlap(from: CalendarDate, to: CalendarDate, windowFrom: CalendarDate, windowTo: CalendarDate): { from: CalendarDate; to: CalendarDate } | null {
  const start = maxDate(from, windowFrom);
  const end = minDate(to, windowTo);
  return compareDates(start, end) <= 0 ? { from: start, to: end } : null;
}

/**
 * A weekly allowance over whole days, in whole minutes: minutesPerWeek × days / 7, rounded half up.
 * 60 minutes a week over 31 days = 265.71… → 266.
 */
export function minutesOverDays(minutesPerWeek: number, days: number): number {
  assertWhole(minutesPerWeek, 'minutes per week', 0);
  assertWhole(days, 'days', 0);
  return Number(divideRoundingHalfUp(BigInt(minutesPerWeek) * BigInt(days), DAYS_PER_WEEK));
}

/** amount / count rounded half up to whole øre; null when nobody is counted. 376 250 / 4 = 94 062.5 → 94 063. */
export function averageOre(amountOre: number, count: number): number | null {
  assertWhole(amountOre, 'the amount in øre', Number.MIN_SAFE_INTEGER);
  assertWhole(count, 'the count', 0);
  if (count === 0) return null;
  return Number(divideRoundingHalfUp(BigInt(amountOre), BigInt(count)));
}

/** A mean of whole numbers rounded half up to a whole number; null when there are none. */
export function meanRounded(values: number[]): number | null {
  if (values.length === 0) return null;
  values.forEach((value) => assertWhole(value, 'a value', Number.MIN_SAFE_INTEGER));
  return Number(divideRoundingHalfUp(values.reduce((sum, value) => sum + BigInt(value), 0n), BigInt(values.length)));
}

/** The median of whole numbers; with an even count the mean of the middle two, rounded half up; null when there are none. */
export function medianRounded(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : meanRounded([sorted[middle - 1], sorted[middle]]);
}

/** part / whole in percent with one decimal, rounded half up: 1 of 3 → 33.3; null when the whole is 0. */
export function percentOneDecimal(part: number, whole: number): number | null {
  assertWhole(part, 'the part', Number.MIN_SAFE_INTEGER);
  assertWhole(whole, 'the whole', 0);
  if (whole === 0) return null;
  return Number(divideRoundingHalfUp(BigInt(part) * 1000n, BigInt(whole))) / 10;
}

/** part / whole with two decimals, rounded half up: 2 findings on 3 invoices → 0.67; null when the whole is 0. */
export function ratioTwoDecimals(part: number, whole: number): number | null {
  assertWhole(part, 'the part', Number.MIN_SAFE_INTEGER);
  assertWhole(whole, 'the whole', 0);
  if (whole === 0) return null;
  return Number(divideRoundingHalfUp(BigInt(part) * 100n, BigInt(whole))) / 100;
}

/** Sums whole øre exactly, refusing a total beyond the safe integer range. */
export function sumOre(values: Iterable<number>): number {
  let total = 0n;
  for (const value of values) total += BigInt(value);
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RuleError(CommonErrorCode.BeyondSafeRange, `the sum ${total} is beyond the safe integer range`, { values: { value: String(total) } });
  }
  return Number(total);
}

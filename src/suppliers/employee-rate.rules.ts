import type { ErrorDetail } from '../common/errors/domain.exception';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { SuppliersErrorCode } from './suppliers.errors';

/**
 * Frikøb priced per partner employee at the actual wage cost (001, 000): an hourly rate per employee, named by an
 * anonymous reference (initials or a staff number, never a CPR number), dated like a rate card. Pure.
 */
export interface EmployeeRate {
  employeeRef: string;
  rateOre: number;
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
}

export type StoredEmployeeRate = EmployeeRate & { id: string };

const overlaps = (a: EmployeeRate, b: EmployeeRate): boolean =>
  (a.validTo === null || compareDates(b.validFrom, a.validTo) <= 0) && (b.validTo === null || compareDates(a.validFrom, b.validTo) <= 0);

/** A new rate may not overlap another rate of the same employee (a gap between rates is allowed: the employee was not released). */
export function checkNewEmployeeRate(existing: readonly EmployeeRate[], candidate: EmployeeRate): ErrorDetail[] {
  const clash = existing
    .filter((rate) => rate.employeeRef === candidate.employeeRef && overlaps(rate, candidate))
    .sort((a, b) => compareDates(a.validFrom, b.validFrom))[0];
  if (!clash) return [];
  return [
    {
      field: 'validFrom',
      rule: SuppliersErrorCode.EmployeeRateOverlap,
      message: `the employee ${candidate.employeeRef} has a rate from ${clash.validFrom}${clash.validTo === null ? ' without an end' : ` to ${clash.validTo}`}, which the new one from ${candidate.validFrom} overlaps`,
      values: { employeeRef: candidate.employeeRef, existingValidFrom: clash.validFrom, existingValidTo: clash.validTo, existingRateOre: clash.rateOre },
    },
  ];
}

/** Ending a rate: on a day from its start, and only a rate still running on beyond that day. */
export function checkEmployeeRateEnd(rate: EmployeeRate, validTo: CalendarDate): ErrorDetail[] {
  if (compareDates(validTo, rate.validFrom) >= 0 && (rate.validTo === null || compareDates(validTo, rate.validTo) < 0)) return [];
  return [{ field: 'validTo', rule: SuppliersErrorCode.EmployeeRateEnd, message: `the rate from ${rate.validFrom}${rate.validTo ? ` to ${rate.validTo}` : ''} cannot end on ${validTo}`, values: { validFrom: rate.validFrom, validTo: rate.validTo, requested: validTo } }];
}

/** The employee's rate in force on a day, or null. */
export function employeeRateInForce(rates: readonly EmployeeRate[], employeeRef: string, date: CalendarDate): EmployeeRate | null {
  return rates.find((rate) => rate.employeeRef === employeeRef && compareDates(rate.validFrom, date) <= 0 && (rate.validTo === null || compareDates(date, rate.validTo) <= 0)) ?? null;
}
